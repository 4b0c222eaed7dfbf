import BPFTestSupport
import Foundation
import Testing

/// The repository's own samples (`samples/*.o`) through the built CLI:
/// `bpfpatch disasm` reads exactly as llvm-objdump (the independent oracle),
/// and a batch over a sample gives byte-identical output from both engines.
@Suite struct SamplesCLITests {
    static let samples = PackageLayout.root.appendingPathComponent("samples")
    static let files = ["bpf2bpf.o", "isa_v4.o", "map_counter.o", "socket_filter.o", "tc_classify.o", "xdp_filter.o"]


    /// The committed objects are what `samples/build.sh` makes of the
    /// committed sources (the build is reproducible: no absolute paths).
    @Test(.enabled(if: ExternalTools.clang != nil, "needs the toolchain's clang"))
    func objectsMatchTheirSources() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("samples-build-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let clang = try #require(ExternalTools.clang)
        let build = try Subprocess.run("/usr/bin/env", ["OUT=" + scratch.path, "CLANG=" + clang,
                                                        "bash", Self.samples.appendingPathComponent("build.sh").path])
        #expect(build.status == 0, "\(build.stderr)")
        for file in Self.files {
            let rebuilt = try Data(contentsOf: scratch.appendingPathComponent(file))
            let committed = try Data(contentsOf: Self.samples.appendingPathComponent(file))
            #expect(rebuilt == committed, "\(file): rebuild with samples/build.sh and commit the object")
        }
    }

    @Test(.needsBinary, .needsLLVM, arguments: files)
    func disasmMatchesLLVMObjdump(_ file: String) throws {
        let path = Self.samples.appendingPathComponent(file).path
        let theirs = try Subprocess.run(try #require(ExternalTools.objdump), ["-d", "--no-show-raw-insn", path])
        let ours = try CLI.run(["disasm", path])
        #expect(theirs.status == 0 && ours.status == 0, "\(theirs.stderr) \(ours.stderr)")
        let a = DisasmCLITests.comparable(ours.stdout), b = DisasmCLITests.comparable(theirs.stdout)
        #expect(b.count > 20, "llvm-objdump listed \(b.count) lines")
        #expect(a == b)
        // Function labels too: `0000000000000000 <name>:` lines.
        func labels(_ text: String) -> [Substring] { text.split(separator: "\n").filter { $0.hasSuffix(">:") } }
        #expect(labels(ours.stdout) == labels(theirs.stdout))
        #expect(!labels(theirs.stdout).isEmpty)
    }

    /// A no-op before every slot that is not the second half of an ld_imm64,
    /// written without bpfpatch's help from llvm-objdump's raw bytes.
    @Test(.needsBinary, .needsLLVM)
    func bothEnginesAgreeOnASample() throws {
        let path = Self.samples.appendingPathComponent("bpf2bpf.o").path
        let listing = try Subprocess.run(try #require(ExternalTools.objdump), ["-d", "--section=.text", path]).stdout
        // "      25:\tbf 26 00 00 00 00 00 00\tr6 = r2": slot index and 8 (or 16) bytes.
        var patches: [String] = []
        for line in listing.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            guard fields.count >= 2, fields[0].hasSuffix(":"), let slot = Int(fields[0].dropLast().trimmingCharacters(in: .whitespaces))
            else { continue }
            let bytes = fields[1].split(separator: " ")
            guard bytes.count == 8 else { continue }   // keep ld_imm64 whole: patch only one-slot instructions
            patches.append(#"{"at": \#(slot), "insns": ["0500000000000000", "\#(bytes.joined())"]}"#)
        }
        #expect(patches.count > 40)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("samples-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let patchFile = scratch.appendingPathComponent("p.json")
        try #"{"patches": [\#(patches.joined(separator: ", "))]}"#.write(to: patchFile, atomically: true, encoding: .utf8)
        var outputs: [Data] = []
        for engine in ["batch", "sequential"] {
            let out = scratch.appendingPathComponent("\(engine).bin").path
            let run = try CLI.run(["apply", path, "--section", ".text", "--patches", patchFile.path,
                                   "--output", out, "--engine", engine])
            #expect(run.status == 0, "\(run.stderr)")
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
        #expect(outputs[0] == outputs[1])
        // 49 slots in .text, one no-op per one-slot instruction.
        #expect(outputs[0].count == (49 + patches.count) * 8)
    }
}
