import BPFTestSupport
import Foundation
import Testing

/// Runs the built `bpfpatch disasm` on a few objects of the shared corpus
/// and compares it with llvm-objdump from the Swift toolchain (the
/// independent oracle): section headers and instruction lines must be
/// identical, ignoring only llvm's trailing ` <symbol+0x..>` annotations,
/// and every function label we print must be one llvm prints at the same
/// address (llvm also labels local symbols such as `LBB0_3`, which
/// `disasm` leaves out). The instruction text of the whole corpus is compared once,
/// by `BPFDisassemblyTests.CorpusComparisonTests`; this test checks what
/// the command adds: the layout of a whole object.
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

    /// Label lines (`0000000000000068 <add2>:`) with the section they are in.
    static func labels(_ text: String) -> Set<String> {
        var section = "", result: Set<String> = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("Disassembly of section ") { section = String(line) }
            if line.hasSuffix(">:"), line.first?.isHexDigit == true { result.insert(section + " " + line) }
        }
        return result
    }

    /// Several functions per section (bpf2bpf), a legacy object with maps
    /// (sockex1), a big-endian object, many sections (loader-clang-17),
    /// a program with a static subprogram (xdp_ddos01).
    static let objects = [
        "ebpf-samples/build/bpf2bpf.o",
        "ebpf-samples/linux/sockex1_kern.o",
        "cilium-ebpf/testdata/subprog_reloc-eb.elf",
        "cilium-ebpf/testdata/loader-clang-17-el.elf",
        "ebpf-samples/prototype-kernel/xdp_ddos01_blacklist_kern.o",
    ]

    @Test(.needsBinary, .needsCorpus, .enabled(if: ExternalTools.objdump != nil, "needs llvm-objdump (LLVM 21)"),
          arguments: objects)
    func disasmMatchesLLVMObjdump(object: String) throws {
        let binary = try #require(PackageLayout.bpfpatch), objdump = try #require(ExternalTools.objdump)
        let path = TestCorpus.path(object)
        var theirs = try Subprocess.run(objdump, ["-d", "--no-show-raw-insn", path])
        if theirs.status != 0 || theirs.stdout.contains("file format elf64-unknown") {
            // EM_NONE objects need an explicit triple.
            theirs = try Subprocess.run(objdump, ["-d", "--no-show-raw-insn", "--triple=bpfel", "--mattr=+alu32", path])
        }
        try #require(theirs.status == 0, "llvm-objdump failed: \(theirs.stderr)")
        let ours = try Subprocess.run(binary.path, ["disasm", path])
        try #require(ours.status == 0, "bpfpatch refused \(object): \(ours.stderr)")
        let a = Self.comparable(ours.stdout), b = Self.comparable(theirs.stdout)
        #expect(b.count > 10)
        let first = zip(a, b).first { $0 != $1 }
        #expect(a == b, "first difference \(first.map { "ours '\($0.0)' vs llvm '\($0.1)'" } ?? "count \(a.count) vs \(b.count)")")
        let ourLabels = Self.labels(ours.stdout)
        #expect(ourLabels.isSubset(of: Self.labels(theirs.stdout)), "labels llvm does not print: \(ourLabels.subtracting(Self.labels(theirs.stdout)))")
    }

    /// `--format kernel` is a bpftool-style listing: no llvm headers or
    /// addresses, `name:` before each function, one `N: (op) text` line per
    /// instruction, as many as the llvm format lists. bpf2bpf.o: add1 and
    /// add2 in .text, func in test (`readelf -s`).
    @Test(.needsBinary, .needsCorpus) func kernelFormatIsABpftoolListing() throws {
        let binary = try #require(PackageLayout.bpfpatch)
        let path = TestCorpus.path("ebpf-samples/build/bpf2bpf.o")
        let kernel = try Subprocess.run(binary.path, ["disasm", "--format", "kernel", path])
        let llvm = try Subprocess.run(binary.path, ["disasm", path])
        try #require(kernel.status == 0 && llvm.status == 0, "\(kernel.stderr)\(llvm.stderr)")
        let lines = kernel.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(!kernel.stdout.contains("Disassembly of section"))
        #expect(lines.filter { $0.hasSuffix(":") && !$0.contains(" ") } == ["add1:", "add2:", "func:"])
        let instructions = lines.filter { $0.contains(": (") }
        #expect(instructions.first == "   0: (7b) *(u64 *)(r10 -8) = r1")
        #expect(instructions.count == Self.comparable(llvm.stdout).filter { !$0.hasPrefix("Disassembly") }.count)
        #expect(instructions.count > 50)
    }

    @Test(.needsBinary) func missingFileFailsWithOneLine() throws {
        let binary = try #require(PackageLayout.bpfpatch)
        let result = try Subprocess.run(binary.path, ["disasm", "/nonexistent/x.o"])
        #expect(result.status != 0)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("/nonexistent/x.o"))
    }
}
