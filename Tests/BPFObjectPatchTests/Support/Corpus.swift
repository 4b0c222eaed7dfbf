import BPFTestSupport
import Foundation

/// The sampling policy of the corpus checks over `TestCorpus` (BPFTestSupport).
extension TestCorpus {
    /// Set `BPFPATCH_FULL_CORPUS=1` to run the sampled checks on every object.
    static let full = ProcessInfo.processInfo.environment["BPFPATCH_FULL_CORPUS"] == "1"

    /// Every object, or every `step`-th unless the full run is asked for.
    static func sample(every step: Int) -> [String] {
        let all = objects()
        return full ? all : all.enumerated().filter { $0.offset % step == 0 }.map(\.element)
    }

    /// Writes `bytes` to a fresh file in the temporary directory.
    static func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("objpatch-\(UUID().uuidString)-\(name)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
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
