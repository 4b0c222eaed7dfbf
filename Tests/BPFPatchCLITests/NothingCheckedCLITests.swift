import BPFTestSupport
import Foundation
import Testing

/// `verify` and `stats` are gates: a run that checked nothing (no object
/// files, none readable, no program loaded) exits 2 with the reason on
/// stderr instead of passing with "loaded 0"; one bad object in a
/// directory becomes a row or an "unreadable" line and the run goes on.
@Suite(.needsBinary) struct NothingCheckedCLITests {
    static let manyprogs = TestCorpus.root.appendingPathComponent("cilium-ebpf/testdata/manyprogs-el.elf")
    static let xdp = TestCorpus.root.appendingPathComponent("ebpf-samples/prototype-kernel/xdp_ddos01_blacklist_kern.o")

    static func scratch(_ files: [String: [UInt8]]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bpfpatch-nothing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, bytes) in files { try Data(bytes).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    @Test(arguments: ["verify", "stats"])
    func emptyDirectoryFails(_ command: String) throws {
        let dir = try Self.scratch([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLI.run([command, dir.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("nothing checked: no .o or .elf files"), "\(result.stderr)")
    }

    @Test(arguments: ["verify", "stats"])
    func nonObjectsFail(_ command: String) throws {
        // A text file named as an object, a raw program (no ELF header), and
        // an ELF header cut short: none is readable.
        let dir = try Self.scratch(["notes.o": Array("hello\n".utf8),
                                    "raw.o": [0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0],
                                    "cut.elf": [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLI.run([command, dir.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("none of the 3 files is a readable BPF object"), "\(result.stderr)")
        // A single raw file given directly: the same.
        let single = try CLI.run([command, dir.appendingPathComponent("raw.o").path])
        #expect(single.status == 2)
        #expect(single.stderr.contains("nothing checked"), "\(single.stderr)")
    }

    /// `manyprogs` with its CO-RE access strings "0:0" and "0:0:0" turned
    /// into "-1" and "0:-1" (same length, NULs kept): before, the relocator
    /// trapped on the negative index and took the whole directory run down.
    static func hostileManyprogs() throws -> [UInt8] {
        var bytes = [UInt8](try Data(contentsOf: manyprogs))
        func replace(_ old: String, _ new: String) -> Bool {
            let o = Array(old.utf8) + [0], n = Array(new.utf8) + [0]
            guard o.count == n.count, let at = (0...(bytes.count - o.count)).first(where: { bytes[$0..<$0 + o.count].elementsEqual(o) }) else {
                return false
            }
            bytes.replaceSubrange(at..<at + o.count, with: n)
            return true
        }
        #expect(replace("0:0:0", "0:-1\0"))
        #expect(replace("0:0", "-1\0"))
        return bytes
    }

    @Test(.needsKernel, .needsCorpus, arguments: ["verify", "stats"])
    func badAccessStringsDoNotStopADirectoryRun(_ command: String) throws {
        let dir = try Self.scratch(["a-hostile.elf": try Self.hostileManyprogs(),
                                    "b-garbage.o": Array("not an object".utf8),
                                    "c-xdp.o": [UInt8](try Data(contentsOf: Self.xdp))])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLI.run([command, dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("c-xdp.o"), "the run stopped before the last object: \(result.stdout.suffix(400))")
        #expect(result.stdout.contains("unreadable:") && result.stdout.contains("b-garbage.o"))
        if command == "verify" { #expect(result.stdout.contains("a-hostile.elf")) }
    }
}

extension NothingCheckedCLITests {
    /// A FIFO named like an object: reading it would block forever; it is
    /// refused as "not a regular file" and the run reports nothing checked.
    @Test
    func fifoIsRefusedNotRead() throws {
        let dir = try Self.scratch([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("pipe.o").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let result = try CLI.run(["verify", dir.path])
        #expect(result.status == 2)
        #expect(result.stdout.contains("is not a regular file"), "\(result.stdout)")
    }
}
