import BPFTestSupport
import Foundation
import Testing

/// End-to-end tests of `bpfpatch apply` with an object out, `bpfpatch pad`
/// and the shared output-file rules, running the built binary.
@Suite("bpfpatch apply/pad with objects, and output files (end to end)", .needsBinary)
struct ObjectCLITests {
    static let bpf2bpf = TestCorpus.path("ebpf-samples/build/bpf2bpf.o")

    func run(_ arguments: [String]) throws -> CLI.Run { try CLI.run(arguments) }

    /// `llvm-objdump ARGUMENTS`'s standard output.
    func objdump(_ arguments: [String]) throws -> String {
        try Subprocess.run(try #require(ExternalTools.objdump), arguments).stdout
    }

    @Test("apply writes an object: a call re-emitted inside a replacement keeps its relocation",
          .needsCorpus, .needsLLVM)
    func applyObject() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // In section `test`, function `func` slot 7 is `call -1` relocated to add2 (byte 0x38).
        // Replacing it by [ja +0, call] with the call as "original" moves the relocation to slot 8 (0x40);
        // the second call (slot 9, 0x48) moves to slot 10 (0x50).
        try dir.write("p.json", #"{"patches": [{"section": "test", "function": "func", "at": 7, "insns": ["0500000000000000", "85100000ffffffff"], "original": 1}]}"#)
        let r = try run(["apply", Self.bpf2bpf, "--patches", dir.path("p.json"), "--output", dir.path("out.o")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("DWARF removed"))
        let dump = try objdump(["-d", "-r", dir.path("out.o")])
        #expect(dump.contains("0000000000000040:  R_BPF_64_32\tadd2"))
        #expect(dump.contains("0000000000000050:  R_BPF_64_32\tadd2"))
        #expect(!dump.contains("0000000000000038:  R_BPF_64_32"))
    }

    @Test("object out: the sequential and batch engines write byte-identical objects",
          .needsCorpus)
    func enginesAgree() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("p.json", """
            {"patches": [{"section": "test", "function": "func", "at": 7, "insns": ["0500000000000000", "85100000ffffffff"], "original": 1},
                         {"section": "test", "at": 13, "insns": ["0500000000000000", "1d21070000000000"], "original": 1},
                         {"section": ".text", "function": "add2", "at": 2, "remove": 1}]}
            """)
        let a = try run(["apply", Self.bpf2bpf, "--patches", dir.path("p.json"), "--output", dir.path("a.o")])
        let b = try run(["apply", Self.bpf2bpf, "--patches", dir.path("p.json"), "--output", dir.path("b.o"), "--engine", "sequential"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        #expect(dir.read("a.o") != nil && dir.read("a.o") == dir.read("b.o"))
    }

    @Test("a replaced relocated slot that nobody carries: an error naming slot and symbol, no output",
          .needsCorpus)
    func droppedRelocation() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("p.json", #"{"patches": [{"section": "test", "at": 7, "insns": ["0500000000000000", "85100000ffffffff"]}]}"#)
        let r = try run(["apply", Self.bpf2bpf, "--patches", dir.path("p.json"), "--output", dir.path("out.o")])
        #expect(r.status != 0)
        #expect(r.stderr.contains("slot 7") && r.stderr.contains("'add2'"), "\(r.stderr)")
        #expect(!dir.exists("out.o"))
    }

    @Test("pad inserts a no-op before every instruction; llvm-objdump reads the result",
          .needsCorpus, .needsLLVM)
    func pad() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let r = try run(["pad", Self.bpf2bpf, "--output", dir.path("pad.o"), "--every", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        let before = try objdump(["-d", Self.bpf2bpf])
        let after = try objdump(["-d", dir.path("pad.o")])
        func count(_ text: String, _ needle: String) -> Int { text.components(separatedBy: needle).count - 1 }
        // Every instruction (ld_imm64 once) gets one `ja +0`: instruction lines double.
        let instructionsBefore = before.split(separator: "\n").filter { $0.range(of: #"^\s+\d+:\t"#, options: .regularExpression) != nil }.count
        let nopsAfter = count(after, "05 00 00 00 00 00 00 00\tgoto +0x0")
        let nopsBefore = count(before, "05 00 00 00 00 00 00 00\tgoto +0x0")
        #expect(nopsAfter - nopsBefore == instructionsBefore, "\(nopsAfter) \(nopsBefore) \(instructionsBefore)")
        let bad = try run(["pad", Self.bpf2bpf, "--output", dir.path("x.o"), "--every", "0"])
        #expect(bad.status != 0 && !dir.exists("x.o"))
    }

    @Test("--output and --tables-output naming the same file are refused; nothing is written")
    func samePath() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("in.bin", [0xb7, 1, 0, 0, 1, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0])
        try dir.write("p.json", #"{"patches": [{"at": 0, "insns": ["b701000002000000"]}]}"#)
        try dir.write("t.json", #"{"lineInfo": [0]}"#)
        let r = try run(["apply", dir.path("in.bin"), "--patches", dir.path("p.json"), "--output", dir.path("same"),
                         "--tables", dir.path("t.json"), "--tables-output", dir.url.path + "/./same"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("named twice"), "\(r.stderr)")
        #expect(!dir.exists("same"))
    }

    @Test("--output /dev/stdout with stdout redirected to a file: the file gets the program")
    func stdoutToFile() throws {
        let binary = try #require(CLI.binary)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("in.bin", [0xb7, 1, 0, 0, 1, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0])
        try dir.write("p.json", #"{"patches": [{"at": 0, "insns": ["b701000002000000"]}]}"#)
        try dir.write("redirected.bin", [])
        let process = Process()
        process.executableURL = binary
        process.arguments = ["apply", dir.path("in.bin"), "--patches", dir.path("p.json"), "--output", "/dev/stdout"]
        process.standardOutput = FileHandle(forWritingAtPath: dir.path("redirected.bin"))
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(dir.read("redirected.bin") == [0xb7, 1, 0, 0, 2, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test("--output /dev/stdout writes through; an existing output keeps its mode")
    func stdoutAndMode() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("in.bin", [0xb7, 1, 0, 0, 1, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0])
        try dir.write("p.json", #"{"patches": [{"at": 0, "insns": ["b701000002000000"]}]}"#)
        let r = try run(["apply", dir.path("in.bin"), "--patches", dir.path("p.json"), "--output", "/dev/stdout"])
        #expect(r.status == 0, "\(r.stderr)")
        // The runner decodes stdout as UTF-8 (lossily): compare the same decoding of the expected bytes.
        let expected: [UInt8] = [0xb7, 1, 0, 0, 2, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]
        #expect(r.stdout == String(decoding: expected, as: UTF8.self))
        try dir.write("out.bin", [1])
        #expect(chmod(dir.path("out.bin"), 0o604) == 0)
        let again = try run(["apply", dir.path("in.bin"), "--patches", dir.path("p.json"), "--output", dir.path("out.bin")])
        #expect(again.status == 0)
        var st = stat()
        #expect(stat(dir.path("out.bin"), &st) == 0 && st.st_mode & 0o7777 == 0o604)
        #expect(dir.read("out.bin")?.count == 16)
    }
}
