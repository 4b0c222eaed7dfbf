import BPFInstructions
import BPFKernel
import BPFObject
import BPFObjectPatch
import BPFTestSupport
import Foundation
import Testing

/// An independent loader: libbpf (through Debian's bpftool) must open every
/// padded object it opens in the original, with the same programs and
/// instruction counts plus the padding, and load every object it loads in
/// the original with the same xlated code (and source-line annotations).
@Suite("Padded objects through libbpf (bpftool)")
struct LibbpfTests {
    static let bpftool = ExternalTools.bpftool
    static let bpffs = FileManager.default.fileExists(atPath: "/sys/fs/bpf")

    /// `libbpf: sec 'S': found program 'P' at insn offset X (…), code size N insns (…)`.
    static func programs(_ log: String) -> [String: (section: String, offset: Int, count: Int)] {
        var found: [String: (String, Int, Int)] = [:]
        for line in log.split(separator: "\n") where line.contains("found program '") {
            let quoted = line.split(separator: "'")
            guard quoted.count >= 4 else { continue }
            guard let offsetIndex = line.range(of: "insn offset "), let sizeIndex = line.range(of: "code size ") else { continue }
            let offset = Int(line[offsetIndex.upperBound...].prefix { $0.isNumber }) ?? -1
            let count = Int(line[sizeIndex.upperBound...].prefix { $0.isNumber }) ?? -1
            found["\(quoted[1])/\(quoted[3])"] = (String(quoted[1]), offset, count)
        }
        return found
    }

    /// `bpftool prog dump xlated` text with map ids masked (separate loads, separate maps).
    static func xlated(_ pinned: String) throws -> String {
        let text = try Subprocess.run(bpftool!, ["prog", "dump", "xlated", "pinned", pinned]).stdout
        return text.replacingOccurrences(of: #"map\[id:\d+\]"#, with: "map[id:*]", options: .regularExpression)
    }

    static func nops(_ section: ProgramSection?, _ range: Range<Int>) -> Int {
        guard let section else { return 0 }
        return range.clamped(to: 0..<section.program.count).filter { section.program.slots[$0] == ObjectPatchSet.nop }.count
    }

    @Test("libbpf opens and loads padded objects like the originals",
          .needsCorpus, .needsKernel, .enabled(if: bpftool != nil && bpffs, "needs bpftool and bpffs at /sys/fs/bpf"))
    func paddedThroughLibbpf() throws {
        let paths = TestCorpus.sample(every: 4)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("libbpf-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var opened = 0, openedPrograms = 0, loaded = 0, loadedPrograms = 0, identical = 0
        var problems: [String] = []
        for (k, path) in paths.enumerated() {
            guard let object = try? ObjectFile(path: path) else { continue }
            let batch = try ObjectPatchSet.padding(for: object, spacing: .random(probability: 0.3, seed: UInt64(k + 11)))
            guard let bytes = try? batch.apply(to: object).bytes, let padded = try? ObjectFile(bytes: bytes) else { continue }
            let paddedPath = directory + "/\(k).o"
            try Data(bytes).write(to: URL(fileURLWithPath: paddedPath))
            let pinA = "/sys/fs/bpf/bpfpatch-\(UUID().uuidString)", pinB = pinA + "-padded"
            try? FileManager.default.createDirectory(atPath: pinA, withIntermediateDirectories: false)
            try? FileManager.default.createDirectory(atPath: pinB, withIntermediateDirectories: false)
            defer {
                try? FileManager.default.removeItem(atPath: pinA)
                try? FileManager.default.removeItem(atPath: pinB)
            }
            let a = try Subprocess.run(Self.bpftool!, ["-d", "prog", "loadall", path, pinA])
            let b = try Subprocess.run(Self.bpftool!, ["-d", "prog", "loadall", paddedPath, pinB])
            // Open: the same programs, each longer by exactly its padding.
            let before = Self.programs(a.stderr), after = Self.programs(b.stderr)
            if !before.isEmpty {
                opened += 1
                openedPrograms += before.count
                if Set(before.keys) != Set(after.keys) {
                    problems.append("\(path): libbpf found \(before.keys.sorted()) in the original, \(after.keys.sorted()) padded")
                }
                for (name, old) in before {
                    guard let new = after[name] else { continue }
                    let added = Self.nops(padded.programSection(named: new.section), new.offset..<new.offset + new.count)
                        - Self.nops(object.programSection(named: old.section), old.offset..<old.offset + old.count)
                    if new.count != old.count + added {
                        problems.append("\(path) \(name): \(old.count) insns + \(added) no-ops, libbpf counts \(new.count)")
                    }
                }
            }
            // Load: where the original loads, the padded loads, with the same xlated code.
            guard a.status == 0 else { continue }
            loaded += 1
            guard b.status == 0 else {
                problems.append("\(path): libbpf loads the original but not the padded object: \(b.stderr.split(separator: "\n").suffix(3).joined(separator: " | "))")
                continue
            }
            for name in (try? FileManager.default.contentsOfDirectory(atPath: pinA)) ?? [] {
                loadedPrograms += 1
                let x = try Self.xlated(pinA + "/" + name), y = try Self.xlated(pinB + "/" + name)
                if x == y && !x.isEmpty { identical += 1 } else { problems.append("\(path) \(name): xlated differs") }
            }
        }
        print("LibbpfTests: \(paths.count) objects; libbpf opened \(opened) (\(openedPrograms) programs) with matching programs and counts; loaded \(loaded) objects, \(loadedPrograms) programs, \(identical) with identical xlated code and line annotations from the padded object")
        #expect(problems.isEmpty, "\(problems.prefix(10).joined(separator: "\n"))")
        #expect(opened > 10)
    }
}
