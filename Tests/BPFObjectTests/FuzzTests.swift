import BPFTestSupport
import BPFInstructions
import BPFObject
import Testing

/// Damaged inputs never crash or hang: every mutation either opens or
/// throws `ObjectError`. The property is checked by running to completion;
/// the counts show how much of each path was reached.
@Suite(.needsCorpus) struct FuzzTests {
    struct Tally { var opened = 0, warned = 0, failed = 0 }

    /// Opens and, on success, touches every derived view.
    static func exercise(_ bytes: [UInt8], _ tally: inout Tally) {
        do {
            let object = try ObjectFile(bytes: bytes)
            for program in object.programSections {
                _ = program.program.encoded(byteOrder: object.byteOrder)
                _ = object.funcInfoSlots(for: program)
                _ = object.lineInfoSlots(for: program)
                _ = object.coreRelocationSlots(for: program)
                for f in program.functions { _ = f.slots }
            }
            for s in object.sections { _ = object.contents(of: s) }
            _ = object.license
            if let btf = object.btf { _ = btf.typeBytes.count + btf.stringBytes.count; _ = try? btf.string(at: 1) }
            tally.opened += 1
            if !object.warnings.isEmpty { tally.warned += 1 }
        } catch {
            #expect(!error.message.isEmpty)
            tally.failed += 1
        }
    }

    static func sample(_ relative: String) -> [UInt8] {
        Corpus.bytes(Corpus.root.appendingPathComponent(relative).path)
    }

    @Test(arguments: ["ebpf-samples/build/bpf2bpf.o", "cilium-ebpf/btf/testdata/relocs-eb.elf",
                      "ebpf-samples/invalid/invalid-lddw.o"])
    func mutationsNeverCrash(_ relative: String) {
        let original = Self.sample(relative)
        #expect(!original.isEmpty)
        var tally = Tally()
        var count = 0
        // Every byte of the ELF header, four ways.
        for at in 0..<64 {
            for value in [0x00, 0xff, Int(original[at] ^ 0x80), Int(original[at] &+ 1)] {
                var b = original; b[at] = UInt8(truncatingIfNeeded: value)
                Self.exercise(b, &tally); count += 1
            }
        }
        // Every byte of the section header table, one of two ways.
        let bigEndian = original[5] == 2
        let shoff = Int((0..<8).reduce(UInt64(0)) { $0 | UInt64(original[40 + $1]) << (8 * (bigEndian ? 7 - $1 : $1)) })
        #expect(shoff > 0 && shoff < original.count)
        if shoff > 0, shoff < original.count {
            for at in shoff..<original.count {
                var b = original; b[at] = at % 2 == 0 ? 0xff : original[at] ^ 0x10
                Self.exercise(b, &tally); count += 1
            }
        }
        // Truncation at 200 evenly spaced lengths.
        for k in 0..<200 {
            Self.exercise(Array(original.prefix(k * original.count / 200)), &tally); count += 1
        }
        // 600 random mutations of 1 to 8 bytes anywhere.
        var random = SplitMix64(seed: 0x5EED_0B1E)  // fixed seeds, so failures reproduce
        for _ in 0..<600 {
            var b = original
            for _ in 0...random.below(8) { b[random.below(b.count)] = UInt8(truncatingIfNeeded: random.next()) }
            Self.exercise(b, &tally); count += 1
        }
        print("\(relative): \(count) mutations, \(tally.opened) opened (\(tally.warned) with warnings), \(tally.failed) rejected")
        #expect(tally.opened + tally.failed == count)
        #expect(tally.failed > 0 && tally.opened > 0)
    }

    /// Random bytes inside `.BTF` and `.BTF.ext` of a CO-RE object (section
    /// ranges from `llvm-readelf -S`-style lookup through the parser's own
    /// header table, which the oracle test checks).
    @Test func btfMutationsNeverCrash() throws {
        let original = Self.sample("cilium-ebpf/btf/testdata/relocs-el.elf")
        let object = try ObjectFile(bytes: original)
        let ranges = [".BTF", ".BTF.ext"].compactMap { object.section(named: $0) }.map { Int($0.offset)..<Int($0.offset + $0.size) }
        #expect(ranges.count == 2)
        var tally = Tally()
        var random = SplitMix64(seed: 0xB7F)
        for k in 0..<600 {
            var b = original
            let range = ranges[k % 2]
            // Bias toward the headers, where the counts and offsets live.
            let window = k % 3 == 0 ? range.lowerBound..<min(range.upperBound, range.lowerBound + 48) : range
            for _ in 0...random.below(4) {
                b[window.lowerBound + random.below(window.count)] = UInt8(truncatingIfNeeded: random.next())
            }
            Self.exercise(b, &tally)
        }
        print("BTF mutations: \(tally.opened) opened (\(tally.warned) with warnings), \(tally.failed) rejected")
        #expect(tally.warned > 0)
    }
}
