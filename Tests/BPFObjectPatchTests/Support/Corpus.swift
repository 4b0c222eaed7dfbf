import Foundation

/// `../shared/corpus` (or `$BPFPATCH_CORPUS`) and the external tools the
/// corpus checks use.
enum Corpus {
    static let root = ProcessInfo.processInfo.environment["BPFPATCH_CORPUS"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/corpus").standardized

    /// Set `BPFPATCH_FULL_CORPUS=1` to run the sampled checks on every object.
    static let full = ProcessInfo.processInfo.environment["BPFPATCH_FULL_CORPUS"] == "1"

    /// Every object, sorted.
    static func objects() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var paths: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".o") || relative.hasSuffix(".elf") { paths.append(root.appendingPathComponent(relative).path) }
        }
        return paths.sorted()
    }

    /// Every object, or every `step`-th unless the full run is asked for.
    static func sample(every step: Int) -> [String] {
        let all = objects()
        return full ? all : all.enumerated().filter { $0.offset % step == 0 }.map(\.element)
    }

    static let objdump = "/opt/swift/usr/bin/llvm-objdump"

    static func which(_ tool: String) -> String? {
        for dir in ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"] {
            let path = dir + "/" + tool
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read stderr concurrently so a chatty tool cannot fill its pipe and stall.
        let errBox = DataBox()
        let reader = Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errBox.done { Thread.sleep(forTimeInterval: 0.001) }
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errBox.data, as: UTF8.self))
    }

    static func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("objpatch-\(UUID().uuidString)-\(name)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _data = Data()
    private var _done = false
    var data: Data {
        get { lock.lock(); defer { lock.unlock() }; return _data }
        set { lock.lock(); _data = newValue; _done = true; lock.unlock() }
    }
    var done: Bool { lock.lock(); defer { lock.unlock() }; return _done }
}

/// `llvm-objdump -d -r` output reduced to what the checks compare: per
/// section the instruction bytes by slot and the relocations by offset.
struct ObjdumpListing {
    var bytes: [String: [UInt8]] = [:]
    /// "slot: text" per instruction, llvm's trailing ` <symbol+0x..>` removed.
    var instructionText: [String: [String]] = [:]
    var relocations: [String: [(offset: Int, type: String, symbol: String)]] = [:]

    init(_ text: String) {
        var section: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("Disassembly of section ") {
                section = String(line.dropFirst("Disassembly of section ".count).dropLast())
                continue
            }
            guard let section else { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: true)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.contains("R_BPF_") {
                // "0000000000000088:  R_BPF_64_32\tadd1"
                let parts = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" })
                guard parts.count >= 2, let offset = Int(parts[0], radix: 16) else { continue }
                relocations[section, default: []].append((offset, String(parts[1]), parts.count > 2 ? String(parts[2]) : ""))
                continue
            }
            // "      17:\t85 10 00 00 ff ff ff ff\tcall -0x1"
            guard fields.count >= 2, fields[0].trimmingCharacters(in: .whitespaces).hasSuffix(":"),
                  Int(fields[0].trimmingCharacters(in: .whitespaces).dropLast()) != nil else { continue }
            let hex = fields[1].split(separator: " ").compactMap { UInt8($0, radix: 16) }
            bytes[section, default: []].append(contentsOf: hex)
            var instruction = fields.count > 2 ? fields[2...].joined(separator: "\t") : ""
            if instruction != "<unknown>", instruction.hasSuffix(">"), let open = instruction.range(of: " <", options: .backwards) {
                instruction = String(instruction[..<open.lowerBound])
            }
            let slot = fields[0].trimmingCharacters(in: .whitespaces).dropLast()
            instructionText[section, default: []].append("\(slot): \(instruction)")
        }
    }
}
