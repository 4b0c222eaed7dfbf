import BPFInstructions
import BPFPatch
import Testing

/// The index map's compact storage (rank blocks of 64 slots, one record
/// per length-changing patch) against the spec's definition written out
/// naively: S(x) = x + the growth of every patch before x, a slot strictly
/// inside a removed run lands nowhere, and a replaced slot's range has its
/// replacement's length.
struct IndexMapTests {
    /// A patch as the naive model sees it.
    struct Naive {
        let site: Int, span: Int, length: Int
    }

    /// S(x) and whether x is strictly inside a removed run, by summing over
    /// every patch: O(p) per slot, no shared code with the engine.
    static func expected(_ x: Int, _ patches: [Naive]) -> (start: Int, inside: Bool) {
        var growth = 0
        var inside = false
        var landing = 0
        for patch in patches where patch.site < x {
            if patch.length == 0 && x < patch.site + patch.span {
                inside = true
                landing = patch.site + growth   // the first surviving slot after the run
            }
            growth += patch.length - patch.span
        }
        return inside ? (landing, true) : (x + growth, false)
    }

    @Test(arguments: 0..<40)
    func compactMapAgreesWithTheNaiveDefinition(_ seed: Int) throws {
        var rng = SplitMix(seed: UInt64(seed) &* 0x9E37_79B9)
        // Up to 12 blocks of 64, so ranks cross block boundaries; patches
        // dense enough that several share a block, sparse enough for gaps.
        let n = rng.int(1...760)
        let program = Program(slots: (0..<n).map { Instruction.mov(.r1, Int32($0)) })
        var patches = PatchSet()
        var naive: [Naive] = []
        var x = rng.int(0...3)
        while x < n {
            if rng.chance(0.35) {
                let count = min(rng.int(1...5), n - x)
                patches.remove(SlotIndex(x), count: count)
                naive.append(Naive(site: x, span: count, length: 0))
                x += count
            } else {
                let length = rng.int(1...4)
                patches.replace(SlotIndex(x), with: Array(repeating: .mov(.r2, 7), count: length))
                naive.append(Naive(site: x, span: 1, length: length))
                x += 1
            }
            x += rng.int(0...(seed % 3 == 0 ? 90 : 6))
        }
        let map = try patches.apply(to: program).indexMap
        let newCount = n + naive.reduce(0) { $0 + $1.length - $1.span }
        #expect(map.originalCount == n)
        #expect(map.newCount == newCount)
        for x in 0...n {
            let (start, inside) = Self.expected(x, naive)
            #expect(map.referenceTarget(of: SlotIndex(x)) == (inside ? nil : SlotIndex(start)), "S(\(x))")
            guard x < n else { continue }
            let patch = naive.first { $0.site <= x && x < $0.site + $0.span }
            let width = patch.map { $0.length == 0 ? 0 : $0.length } ?? 1
            let range = map.newRange(of: SlotIndex(x))
            #expect(range.lowerBound == SlotIndex(start) && range.count == width, "newRange(of: \(x))")
            #expect(map.isRemoved(SlotIndex(x)) == (width == 0))
        }
        // The inverse: every new slot names the original slot whose range holds it.
        let origins = map.originalSlots()
        #expect(origins.count == newCount)
        for (i, x) in origins.enumerated() {
            #expect(map.newRange(of: x).contains(SlotIndex(i)))
        }
    }

    /// One-slot replacements change nothing the map records: the map equals
    /// the identity, and equal maps hash equally.
    @Test func oneSlotReplacementsGiveTheIdentity() throws {
        let n = 200
        let program = Program(slots: (0..<n).map { Instruction.mov(.r1, Int32($0)) })
        var patches = PatchSet()
        for x in stride(from: 3, to: n, by: 7) { patches.replace(SlotIndex(x), with: [.mov(.r3, 1)]) }
        let map = try patches.apply(to: program).indexMap
        #expect(map == IndexMap(identity: n))
        #expect(map.hashValue == IndexMap(identity: n).hashValue)
        #expect(map.referenceTarget(of: SlotIndex(n)) == SlotIndex(n))
    }

    /// The smallest maps: an empty program, and a program removed whole.
    @Test func emptyAndFullyRemovedPrograms() throws {
        let empty = IndexMap(identity: 0)
        #expect(empty.originalCount == 0 && empty.newCount == 0)
        #expect(empty.referenceTarget(of: SlotIndex(0)) == SlotIndex(0))
        #expect(empty.originalSlots().isEmpty)

        let program = Program(slots: (0..<130).map { Instruction.mov(.r1, Int32($0)) })
        var patches = PatchSet()
        patches.remove(SlotIndex(0), count: 130)
        let map = try patches.apply(to: program).indexMap
        #expect(map.newCount == 0)
        #expect(map.referenceTarget(of: SlotIndex(0)) == SlotIndex(0))   // the run's first slot: lands after it
        #expect(map.referenceTarget(of: SlotIndex(64)) == nil)
        #expect(map.referenceTarget(of: SlotIndex(129)) == nil)
        #expect(map.referenceTarget(of: SlotIndex(130)) == SlotIndex(0))
    }
}

extension IndexMapTests {
    /// Block edges by hand: programs of 128 and 192 slots (whole blocks),
    /// removals ending at the program's end, adjacent removals meeting at
    /// 63 | 64.
    @Test(arguments: [128, 192])
    func blockEdges(_ n: Int) throws {
        let program = Program(slots: (0..<n).map { Instruction.mov(.r1, Int32($0)) })
        var patches = PatchSet()
        patches.remove(SlotIndex(60), count: 4)          // 60..<64: ends on the block edge
        patches.remove(SlotIndex(64), count: 1)          // starts on it: adjacent runs chain
        patches.replace(SlotIndex(65), with: [.mov(.r2, 1), .mov(.r2, 2)])
        patches.remove(SlotIndex(n - 3), count: 3)       // ends the program
        let map = try patches.apply(to: program).indexMap
        // S(x) = x for x ≤ 60; 61–63 inside the first run; 64 starts the second run:
        // it lands where 65 lands, 60 (after 5 removed slots); 65 → 60..<62; 66 → 62.
        #expect(map.referenceTarget(of: 60) == 60)
        #expect(map.referenceTarget(of: 63) == nil)
        #expect(map.referenceTarget(of: 64) == 60)
        #expect(map.newRange(of: 65) == 60..<62)
        #expect(map.referenceTarget(of: 66) == 62)
        // The last run: n−3 lands past the end (the new count), the rest nowhere.
        #expect(map.newCount == n - 8 + 1)
        #expect(map.referenceTarget(of: SlotIndex(n - 3)) == SlotIndex(map.newCount))
        #expect(map.referenceTarget(of: SlotIndex(n - 1)) == nil)
        #expect(map.referenceTarget(of: SlotIndex(n)) == SlotIndex(map.newCount))
    }

    /// Equality is the function S: two batches that move every slot alike
    /// give equal maps, and a run of two removed slots differs from two
    /// one-slot runs (the second slot is a target in one, not in the other).
    @Test func equalityIsTheFunction() throws {
        let program = Program(slots: (0..<10).map { Instruction.mov(.r1, Int32($0)) })
        var a = PatchSet()
        a.replace(7, with: [.mov(.r2, 1), .mov(.r2, 2), .mov(.r2, 3)])
        var b = a
        b.replace(5, with: [.mov(.r3, 9)])   // one slot: moves nothing
        let mapA = try a.apply(to: program).indexMap, mapB = try b.apply(to: program).indexMap
        #expect(mapA == mapB)
        #expect(mapA.hashValue == mapB.hashValue)

        var run = PatchSet()
        run.remove(2, count: 2)
        var two = PatchSet()
        two.remove(2)
        two.remove(3)
        let mapRun = try run.apply(to: program).indexMap, mapTwo = try two.apply(to: program).indexMap
        #expect(mapRun != mapTwo)
        #expect(mapRun.referenceTarget(of: 3) == nil)
        #expect(mapTwo.referenceTarget(of: 3) == 2)
        #expect(mapRun.originalSlots() == mapTwo.originalSlots())
    }
}

extension IndexMapTests {
    /// One whole block, removed from slot 60 to the end: S(64) is the new count.
    @Test func oneBlockRemovedToItsEnd() throws {
        let program = Program(slots: (0..<64).map { Instruction.mov(.r1, Int32($0)) })
        var patches = PatchSet()
        patches.remove(60, count: 4)
        let map = try patches.apply(to: program).indexMap
        #expect(map.newCount == 60)
        #expect(map.referenceTarget(of: 60) == 60)
        #expect(map.referenceTarget(of: 63) == nil)
        #expect(map.referenceTarget(of: 64) == 60)
        #expect(map.isRemoved(63) && !map.isRemoved(59))
    }

    /// The workspace fills the arrays of the map before last again: a map
    /// a caller kept must not change under later applies.
    @Test func aKeptWorkspaceMapDoesNotChange() throws {
        func batch(_ n: Int, every step: Int) -> (Program, PatchSet) {
            var patches = PatchSet()
            for site in stride(from: 1, to: n - 1, by: step) {
                if site % 3 == 0 { patches.remove(SlotIndex(site)) } else { patches.replace(SlotIndex(site), with: [.mov(.r2, 0), .mov(.r2, 1)]) }
            }
            return (Program(slots: (0..<n).map { Instruction.mov(.r1, Int32($0)) } + [.exit]), patches)
        }
        let workspace = PatchWorkspace()
        var output: [Instruction] = []
        let (first, firstPatches) = batch(300, every: 7)
        _ = try firstPatches.apply(to: first, into: &output, workspace: workspace)
        let kept = workspace.indexMap
        let keptStarts = kept.originalSlots()
        // The same batch through the allocating apply: the map it must stay.
        #expect(kept == (try firstPatches.apply(to: first)).indexMap)
        for (n, step) in [(2_000, 5), (5_000, 3)] {
            let (program, patches) = batch(n, every: step)
            _ = try patches.apply(to: program, into: &output, workspace: workspace)
            #expect(workspace.indexMap == (try patches.apply(to: program)).indexMap)
        }
        #expect(kept.originalSlots() == keptStarts)
        #expect(kept == (try firstPatches.apply(to: first)).indexMap)
        #expect(kept.originalCount == 301 && kept.newCount != workspace.indexMap.newCount)
    }
}
