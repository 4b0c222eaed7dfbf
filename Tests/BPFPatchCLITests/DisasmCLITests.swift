import Foundation
import Testing

/// Runs the built `bpfpatch disasm` on every object of the shared corpus
/// and compares it with llvm-objdump from the Swift toolchain (the
/// independent oracle): section headers and instruction lines must be
/// identical, ignoring only llvm's trailing ` <symbol+0x..>` annotations.
@Suite struct DisasmCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = root.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    static let objdump = "/opt/swift/usr/bin/llvm-objdump"

    /// The bpfpatch binary next to this test bundle.
    static var binary: URL? {
        var url = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = url.appendingPathComponent("bpfpatch")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            url = url.deletingLastPathComponent()
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
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Section headers and instruction lines, annotations stripped.
    static func comparable(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
            if line.hasPrefix("Disassembly of section ") { return String(line) }
            guard line.contains(":\t"), line.first == " " else { return nil }
            var s = String(line)
            if s.hasSuffix(">"), let open = s.range(of: " <", options: .backwards) { s = String(s[..<open.lowerBound]) }
            return s
        }
    }

    @Test func disasmMatchesLLVMObjdumpOnTheCorpus() throws {
        guard let binary = Self.binary else {
            print("skipped: bpfpatch binary not found next to the test bundle"); return
        }
        guard FileManager.default.isExecutableFile(atPath: Self.objdump) else {
            print("skipped: \(Self.objdump) not found"); return
        }
        let files = (FileManager.default.enumerator(atPath: Self.corpus.path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".o") || $0.hasSuffix(".elf") }
            .sorted()
        var compared = 0, lines = 0, mismatched = 0, skipped: [String] = []
        for file in files {
            let path = Self.corpus.appendingPathComponent(file).path
            var theirs = try Self.run(Self.objdump, ["-d", "--no-show-raw-insn", path])
            if theirs.status != 0 || theirs.out.contains("file format elf64-unknown") {
                // EM_NONE objects need an explicit triple.
                theirs = try Self.run(Self.objdump, ["-d", "--no-show-raw-insn", "--triple=bpfel", "--mattr=+alu32", path])
            }
            guard theirs.status == 0 else { skipped.append(file); continue }
            let ours = try Self.run(binary.path, ["disasm", path])
            if ours.status != 0 {
                // Only deliberately broken objects may be refused.
                #expect(file.contains("invalid/"), "bpfpatch refused \(file): \(ours.err)")
                skipped.append(file)
                continue
            }
            let a = Self.comparable(ours.out), b = Self.comparable(theirs.out)
            compared += 1
            lines += b.count
            if a != b {
                mismatched += 1
                let first = zip(a, b).first { $0 != $1 }
                Issue.record("\(file): first difference \(first.map { "ours '\($0.0)' vs llvm '\($0.1)'" } ?? "count \(a.count) vs \(b.count)")")
            }
        }
        print("disasm CLI vs llvm-objdump: \(compared) objects, \(lines) lines compared, \(mismatched) mismatched, skipped \(skipped)")
        #expect(compared > 150)
        #expect(mismatched == 0)
    }

    @Test func missingFileFailsWithOneLine() throws {
        guard let binary = Self.binary else { print("skipped: bpfpatch binary not found"); return }
        let result = try Self.run(binary.path, ["disasm", "/nonexistent/x.o"])
        #expect(result.status != 0)
        #expect(result.err.split(separator: "\n").count == 1)
        #expect(result.err.contains("/nonexistent/x.o"))
    }
}
