import Foundation
import Testing

/// Runs the built `bpfpatch disasm` on every object of the shared corpus
/// and compares it with llvm-objdump from the Swift toolchain (the
/// independent oracle): section headers and instruction lines must be
/// identical, ignoring only llvm's trailing ` <symbol+0x..>` annotations.
@Suite struct DisasmCLITests {
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
        guard let binary = CLIRunner.binary else {
            print("skipped: bpfpatch binary not found next to the test bundle"); return
        }
        guard FileManager.default.isExecutableFile(atPath: CLIRunner.objdump) else {
            print("skipped: \(CLIRunner.objdump) not found"); return
        }
        let files = (FileManager.default.enumerator(atPath: CLIRunner.corpus.path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".o") || $0.hasSuffix(".elf") }
            .sorted()
        var compared = 0, lines = 0, mismatched = 0, skipped: [String] = []
        for file in files {
            let path = CLIRunner.corpus.appendingPathComponent(file).path
            var theirs = try CLIRunner.run(CLIRunner.objdump, ["-d", "--no-show-raw-insn", path])
            if theirs.status != 0 || theirs.out.contains("file format elf64-unknown") {
                // EM_NONE objects need an explicit triple.
                theirs = try CLIRunner.run(CLIRunner.objdump, ["-d", "--no-show-raw-insn", "--triple=bpfel", "--mattr=+alu32", path])
            }
            guard theirs.status == 0 else { skipped.append(file); continue }
            let ours = try CLIRunner.run(binary.path, ["disasm", path])
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
        guard let binary = CLIRunner.binary else { print("skipped: bpfpatch binary not found"); return }
        let result = try CLIRunner.run(binary.path, ["disasm", "/nonexistent/x.o"])
        #expect(result.status != 0)
        #expect(result.err.split(separator: "\n").count == 1)
        #expect(result.err.contains("/nonexistent/x.o"))
    }
}
