import BPFInstructions
import BPFTestSupport
import Foundation
import Testing

/// End-to-end tests of `bpfpatch apply`, running the built binary.
@Suite("bpfpatch apply (end to end)", .needsBinary)
struct ApplyCommandTests {
    /// Raw little-endian slot bytes (the builders' encodings are checked by hand in `BuilderTests`).
    static let ja1 = Instruction.ja(1).encoded()                                    // goto +1
    static func mov(_ imm: UInt8) -> [UInt8] { Instruction.mov(.r1, Int32(imm)).encoded() }   // r1 = imm
    static let exit = Instruction.exit.encoded()

    func run(_ arguments: [String]) throws -> CLI.Run { try CLI.run(arguments) }

    @Test("a batch with a removal and a replacement, checked against a hand derivation")
    func handDerived() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // 0: goto +1 (→2), 1: r1 = 1, 2: r1 = 2, 3: exit.
        try dir.write("in.bin", Self.ja1 + Self.mov(1) + Self.mov(2) + Self.exit)
        try dir.write("p.json", #"{"patches": [{"at": 2, "insns": ["b701000014000000", "b701000015000000"]}, {"at": 1, "remove": 1}]}"#)
        try dir.write("t.json", #"{"lineInfo": [0, 1, 2, 3], "subprogs": [0, 4], "insnArrays": [[3, 1]]}"#)
        let r = try run(["apply", dir.path("in.bin"), "--patches", dir.path("p.json"), "--output", dir.path("out.bin"),
                         "--tables", dir.path("t.json"), "--tables-output", dir.path("t.out.json")])
        #expect(r.status == 0, "\(r.stderr)")
        // Remove 1: the jump's target 2 ≥ 2 gets −1 (→1, old slot 2). Replace old 2 (now 1) by two
        // slots: the jump targets the patch site, so it stays and lands on the first new slot.
        // → goto +0, r1 = 20, r1 = 21, exit.
        let expected: [UInt8] = [0x05, 0, 0, 0, 0, 0, 0, 0] + Self.mov(20) + Self.mov(21) + Self.exit
        #expect(dir.read("out.bin") == expected)
        // Line info @0,1,2,3: record @1 deleted (slot 2 has its own) → 0,1,2; then > 1 gets +1 → 0,1,3.
        // Subprogs 0, exit 4 → 3 → 4. Insn array [3, 1] → [2, deleted] → [3, deleted].
        // origIdx: the patch's leading slot 0, its last slot 2, exit 3.
        let tables = String(decoding: dir.read("t.out.json") ?? [], as: UTF8.self)
        let compact = tables.filter { !$0.isWhitespace }
        #expect(compact == #"{"lineInfo":[0,1,3],"subprogs":[0,4],"insnArrays":[[3,-1]],"origIdx":[0,0,2,3]}"#)
    }

    @Test("the sequential and batch engines write byte-identical files")
    func enginesAgree() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // 12 slots: jumps forward and backward around several patches.
        var program: [UInt8] = []
        program += [0x15, 0x01, 0x05, 0x00, 0x07, 0x00, 0x00, 0x00]   // 0: if r1 == 7 goto +5 (→6)
        for k in 1...4 { program += Self.mov(UInt8(k)) }
        program += [0x05, 0x00, 0xfa, 0xff, 0x00, 0x00, 0x00, 0x00]   // 5: goto −6 (→0)
        for k in 6...10 { program += Self.mov(UInt8(k)) }
        program += Self.exit                                          // 11
        try dir.write("in.bin", program)
        try dir.write("p.json", """
            {"patches": [
              {"at": 3, "insns": ["b701000063000000", "b701000003000000"]},
              {"at": 1, "remove": 1},
              {"at": 5, "insns": ["b701000064000000", "05000000faff0000"]},
              {"at": 8, "remove": 2},
              {"at": 10, "insns": ["b701000065000000", "b701000066000000", "b70100000a000000"]}
            ]}
            """)
        try dir.write("t.json", #"{"lineInfo": [0, 2, 5, 9], "subprogs": [0, 6, 12], "pokes": [10], "insnArrays": [[8, 6]]}"#)
        var outputs: [[UInt8]] = []
        var tableOutputs: [[UInt8]] = []
        for engine in ["batch", "sequential"] {
            let r = try run(["apply", dir.path("in.bin"), "--patches", dir.path("p.json"), "--output", dir.path("\(engine).bin"),
                             "--engine", engine, "--tables", dir.path("t.json"), "--tables-output", dir.path("\(engine).json")])
            #expect(r.status == 0, "\(engine): \(r.stderr)")
            outputs.append(dir.read("\(engine).bin") ?? [])
            tableOutputs.append(dir.read("\(engine).json") ?? [])
        }
        #expect(!outputs[0].isEmpty && outputs[0] == outputs[1])
        #expect(!tableOutputs[0].isEmpty && tableOutputs[0] == tableOutputs[1])
        #expect(outputs[0].count == (12 - 1 + 1 + 1 - 2 + 2) * 8)
    }

    @Test("errors: non-zero exit, one line on stderr naming patch and slot, no output written",
          arguments: [
            (#"{"patches": [{"at": 9, "insns": ["9500000000000000"]}]}"#, "patch 0", "slot 9"),
            (#"{"patches": [{"at": 0, "insns": ["9500000000000000"]}, {"at": 1, "remove": 2}, {"at": 2, "remove": 1}]}"#, "patch 2", "slot 2"),
            (#"{"patches": [{"at": 1, "insns": []}]}"#, "patch 0", "slot 1"),
          ])
    func errors(patches: String, patch: String, slot: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("in.bin", Self.ja1 + Self.mov(1) + Self.mov(2) + Self.exit)
        try dir.write("p.json", patches)
        try dir.write("t.json", #"{"lineInfo": [0]}"#)
        let r = try run(["apply", dir.path("in.bin"), "--patches", dir.path("p.json"), "--output", dir.path("out.bin"),
                         "--tables", dir.path("t.json"), "--tables-output", dir.path("t.out.json")])
        #expect(r.status != 0)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(patch) && r.stderr.contains(slot), "stderr: \(r.stderr)")
        #expect(!dir.exists("out.bin"))
        #expect(!dir.exists("t.out.json"))
        // No temporary files left behind either.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted()
        #expect(left == ["in.bin", "p.json", "t.json"])
    }

    @Test("a reference into a removed run is rejected by both engines", arguments: ["batch", "sequential"])
    func insideHole(engine: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("in.bin", Self.ja1 + Self.mov(1) + Self.mov(2) + Self.exit)
        try dir.write("p.json", #"{"patches": [{"at": 1, "remove": 2}]}"#)
        let r = try run(["apply", dir.path("in.bin"), "--patches", dir.path("p.json"), "--output", dir.path("out.bin"), "--engine", engine])
        #expect(r.status != 0)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("patch 0") && r.stderr.contains("target inside removed run"), "\(r.stderr)")
        #expect(!dir.exists("out.bin"))
    }

    @Test("a reference pushed off the end by a tail removal names the removal", arguments: ["batch", "sequential"])
    func offTheEnd(engine: String) throws {
        // 0: goto +1 (→2); removing slot 2 leaves the jump one past the end of a 2-slot program.
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("in.bin", Self.ja1 + Self.mov(1) + Self.exit)
        try dir.write("p.json", #"{"patches": [{"at": 2, "remove": 1}]}"#)
        let r = try run(["apply", dir.path("in.bin"), "--patches", dir.path("p.json"), "--output", dir.path("out.bin"), "--engine", engine])
        #expect(r.status != 0)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("target outside program in patch 0 at original slot 2"), "\(r.stderr)")
        #expect(!dir.exists("out.bin"))
    }

    @Test("malformed documents name where", arguments: [
        (#"{"patches": [{"at": 1, "insns": ["b701000005000000", "b70100000500000"]}]}"#, "patches[0].insns[1]: expected 16 hex digits"),
        (#"{"patches": [{"at": 1, "insns": ["b701000005000000"]}, {"at": "x", "remove": 1}]}"#, "patches[1].at: expected an integer, found a string"),
        (#"{"patches": [{"at": 1, "insns": ["zz01000005000000"]}]}"#, "patches[0].insns[0]: expected 16 hex digits"),
        (#"{"patches": [{"at": 1}]}"#, "patches[0]: needs \"insns\" or \"remove\""),
        (#"{"patches": [{"at": 1, "remove": 1}"#, "line 1, column 36: expected ',' or ']'"),
        (#"{"patchez": []}"#, "patchez: unknown key"),
    ])
    func malformed(document: String, message: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("in.bin", Self.ja1 + Self.mov(1) + Self.mov(2) + Self.exit)
        try dir.write("p.json", document)
        let r = try run(["apply", dir.path("in.bin"), "--patches", dir.path("p.json"), "--output", dir.path("out.bin")])
        #expect(r.status != 0)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
        #expect(!dir.exists("out.bin"))
    }

    @Test("an ELF object with --section gives the same result as its raw section (extracted by llvm-objcopy)",
          .needsCorpus, .needsLLVM)
    func elfInput() throws {
        let object = TestCorpus.path("ebpf-samples/build/bpf2bpf.o")
        let objcopy = try #require(ExternalTools.objcopy)
        try #require(FileManager.default.fileExists(atPath: object), "corpus object missing")
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let extract = try Subprocess.run(objcopy, ["-O", "binary", "--only-section=test", object, dir.path("test.bin")])
        #expect(extract.status == 0, "\(extract.stderr)")
        try dir.write("p.json", #"{"patches": [{"at": 0, "insns": ["b701000063000000", "b701000064000000"]}, {"at": 30, "remove": 1}]}"#)
        let fromObject = try run(["apply", object, "--section", "test", "--patches", dir.path("p.json"), "--output", dir.path("a.bin")])
        let fromRaw = try run(["apply", dir.path("test.bin"), "--patches", dir.path("p.json"), "--output", dir.path("b.bin")])
        // The batch is valid, so both must succeed and agree.
        #expect(fromObject.status == 0, "\(fromObject.stderr)")
        #expect(fromRaw.status == 0, "\(fromRaw.stderr)")
        if fromObject.status == 0 {
            #expect(dir.read("a.bin") == dir.read("b.bin"))
            #expect((dir.read("a.bin")?.count ?? 0) == (dir.read("test.bin")?.count ?? 0))   // +1 slot, −1 slot
        }
        let missing = try run(["apply", object, "--section", "nope", "--patches", dir.path("p.json"), "--output", dir.path("c.bin")])
        #expect(missing.status != 0 && missing.stderr.contains("nope"))
        #expect(!dir.exists("c.bin"))
    }

    @Test("help shows an example")
    func help() throws {
        let r = try run(["apply", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("bpfpatch apply prog.bin --patches patches.json --output patched.bin"))
    }
}
