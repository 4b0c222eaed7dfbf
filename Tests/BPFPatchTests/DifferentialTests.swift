import BPFInstructions
import BPFPatch
import PropertyBased
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Pseudo-random differential testing: the batch engine against the
/// sequential reference model on random programs × random batches.
///
/// The number of cases comes from `BPFPATCH_DIFF_CASES` (default 20,000 for
/// programs of 2–48 slots, four batches per generated program, plus
/// `BPFPATCH_DIFF_LARGE_CASES`, default 24, programs above 32767 slots).
/// A million cases (about 100 s on one core; `-enable-testing` because other
/// suites in this target use `@testable import`):
///
///     BPFPATCH_DIFF_CASES=1000000 BPFPATCH_DIFF_LARGE_CASES=2000 \
///         swift test -c release -Xswiftc -enable-testing --filter BPFPatchTests.DifferentialTests
///
/// A failure is shrunk (smaller program, fewer patches) and printed with a
/// `.fixedSeed(...)` to reproduce it; the case itself is printed in full.
@Suite("Differential: batch engine vs sequential model")
struct DifferentialTests {
    static func environmentCount(_ name: String, default value: Int) -> Int {
        guard let raw = getenv(name), let n = Int(String(cString: raw)), n >= 0 else { return value }
        return n
    }

    /// Cases per property-check input (one program, several batches).
    static let batchesPerProgram = 4

    @Test("random programs × random batches", .shrinking)
    func randomPrograms() async {
        let total = Self.environmentCount("BPFPATCH_DIFF_CASES", default: 20_000)
        let inputs = (total + Self.batchesPerProgram - 1) / Self.batchesPerProgram
        let tally = TallyBox()
        let generator = zip(Gen<UInt64>.value(in: 0...UInt64.max), Gen.int(in: 2...48), Gen.int(in: 0...7))
        await propertyCheck(count: inputs, input: generator) { seed, length, patchCount in
            for k in 0..<Self.batchesPerProgram {
                let c = RandomCases.make(seed: seed &+ UInt64(k) &* 0x9E37_79B9, length: length, patchCount: patchCount)
                let outcome = compareEngines(c)
                tally.record(c, outcome)
                #expect(outcome.mismatchDescription == nil, "\(outcome.mismatchDescription ?? "")")
            }
        }
        print("DifferentialTests.randomPrograms: \(tally.value.summary)")
    }

    @Test("programs above 32767 slots: range errors and the threshold")
    func largePrograms() {
        let total = Self.environmentCount("BPFPATCH_DIFF_LARGE_CASES", default: 24)
        var tally = DiffTally()
        var rng = SplitMix(seed: 0x1a29e)
        for _ in 0..<total {
            let c = RandomCases.makeLarge(seed: rng.next())
            let outcome = compareEngines(c)
            tally.record(c, outcome)
            if let m = outcome.mismatchDescription {
                Issue.record("\(m.prefix(2000))")
                break
            }
        }
        print("DifferentialTests.largePrograms: \(tally.summary)")
        // The generator must actually reach the range check.
        if total >= 24 {
            #expect(tally.failures[PatchError.Kind.rangeOverflow.rawValue, default: 0] > 0)
        } else {
            print("DifferentialTests.largePrograms: only \(total) cases, so reaching the range check is not asserted")
        }
    }
}

/// A tally shared with the property-check closure.
final class TallyBox: @unchecked Sendable {
    private(set) var value = DiffTally()
    func record(_ c: DiffCase, _ outcome: DiffOutcome) { value.record(c, outcome) }
}
