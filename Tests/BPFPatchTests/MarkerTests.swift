import BPFInstructions
import BPFPatch
import Testing

/// An independent check of the engine alone, derived from the spec's S(x)
/// rule rather than from the model: every original slot carries a unique
/// marker in `imm` (jumps use forms whose `imm` is free), every patch slot
/// too; after the batch every surviving original reference must target the
/// slot carrying the marker of the first slot of its original target's
/// replacement (for a target removed at the start of a run, the first
/// surviving slot after it).
@Suite("Marker check of S(x)")
struct MarkerTests {
    static func marker(original x: Int) -> Int32 { Int32(10_000 + x) }
    static func marker(patch k: Int, slot j: Int) -> Int32 { Int32(500_000 + 100 * k + j) }

    @Test("references land on the first slot of their target's replacement")
    func markers() {
        var rng = SplitMix(seed: 0x5eed)
        var checkedReferences = 0
        var rejected = 0
        for _ in 0..<3000 {
            let n = rng.int(2...30)
            var slots: [Instruction] = []
            while slots.count < n {
                let x = slots.count
                if rng.chance(0.1) && x + 2 <= n {
                    slots += Slots.ldImm64(kind: 1, low: Self.marker(original: x), high: Self.marker(original: x + 1))
                } else if rng.chance(0.5) {
                    slots.append(Slots.mov(Self.marker(original: x)))
                } else {
                    // Target filled in below.
                    switch rng.int(0...2) {
                    case 0: slots.append(Slots.ja(0, marker: Self.marker(original: x)))
                    case 1: slots.append(Slots.jneReg(0, marker: Self.marker(original: x)))
                    default: slots.append(Slots.jeq32Reg(0, marker: Self.marker(original: x)))
                    }
                }
            }
            let mask = Program(slots: slots).secondHalfMask()
            let valid = (0..<n).filter { !mask[$0] }
            for i in 0..<n where !mask[i] && slots[i].code != 0x18 && slots[i].code != 0xb7 {
                slots[i].offset = Int16(valid[rng.int(0...valid.count - 1)] - i - 1)
            }
            let program = Program(slots: slots)

            // Patches: replacements by fresh movs (never at an ld_imm64),
            // removals keeping ld_imm64 pairs whole.
            var patches = PatchSet()
            var replaced: [Int: Int] = [:]     // original slot → patch number
            var removedRuns: [(Int, Int)] = []
            var covered = Set<Int>()
            for _ in 0..<rng.int(1...5) {
                let site = valid[rng.int(0...valid.count - 1)]
                if covered.contains(site) { continue }
                if rng.chance(0.35) {
                    var count = program.slots[site].isLoadImmediate64 ? 2 : rng.int(1...2)
                    if site + count > n || (site..<site + count).contains(where: covered.contains) { count = 1 }
                    if count == 1 && program.slots[site].isLoadImmediate64 { continue }
                    if site + count < n && mask[site + count] { continue }
                    removedRuns.append((site, count))
                    covered.formUnion(site..<site + count)
                    patches.remove(SlotIndex(site), count: count)
                } else {
                    if program.slots[site].isLoadImmediate64 { continue }
                    let number = patches.count
                    patches.replace(SlotIndex(site), with: (0..<rng.int(1...4)).map { Slots.mov(Self.marker(patch: number, slot: $0)) })
                    replaced[site] = number
                    covered.insert(site)
                }
            }

            // Expected landing marker of every original slot (nil: the
            // reference must be rejected).
            func removal(covering x: Int) -> (Int, Int)? { removedRuns.first { $0.0 <= x && x < $0.0 + $0.1 } }
            func expectedMarker(_ x: Int) -> Int32? {
                if x >= n { return nil }
                if let run = removal(covering: x) {
                    return run.0 == x ? expectedMarker(x + run.1) : nil
                }
                if let k = replaced[x] { return Self.marker(patch: k, slot: 0) }
                return Self.marker(original: x)
            }
            let survivingReferences = (0..<n).filter {
                !mask[$0] && program.slots[$0].referenceField != nil && replaced[$0] == nil && removal(covering: $0) == nil
            }
            let mustFail = survivingReferences.contains { expectedMarker($0 + Int(program.slots[$0].offset) + 1) == nil }

            do {
                let result = try patches.apply(to: program)
                #expect(!mustFail, "engine accepted a batch with a reference into a hole or off the end")
                let out = result.program.slots
                for r in survivingReferences {
                    guard let q = out.firstIndex(where: { $0.referenceField != nil && $0.immediate == Self.marker(original: r) }) else {
                        Issue.record("reference from original slot \(r) is missing"); continue
                    }
                    let t = q + Int(out[q].offset) + 1
                    let want = expectedMarker(r + Int(program.slots[r].offset) + 1)
                    #expect(t >= 0 && t < out.count && out[t].immediate == want,
                            "reference from original \(r) lands on new \(t), marker \(t >= 0 && t < out.count ? out[t].immediate : -1), expected \(want ?? -1)")
                    checkedReferences += 1
                }
                // Every untouched original slot and every patch slot is present, in order.
                let markers = out.map(\.immediate)
                let expectedOrder = (0..<n).flatMap { x -> [Int32] in
                    if removal(covering: x) != nil { return [] }
                    if let k = replaced[x], case .replace(let insns) = patches.patches[k].operation {
                        return insns.indices.map { Self.marker(patch: k, slot: $0) }
                    }
                    return [program.slots[x].immediate]
                }
                #expect(markers == expectedOrder)
            } catch {
                rejected += 1
                #expect(mustFail, "engine rejected a valid batch: \(error)")
            }
        }
        print("MarkerTests: \(checkedReferences) references checked, \(rejected) batches rejected")
        #expect(checkedReferences > 1000)
    }
}
