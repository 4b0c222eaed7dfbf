import BPFInstructions
import BPFPatch
import Testing

/// Exhaustive sweep over small states (the swift-collections habit): every
/// program of n slots where each slot is either a plain instruction or a
/// reference to any slot, × every patch position × every patch shape,
/// engine vs model.
@Suite("Exhaustive small sweep")
struct ExhaustiveTests {
    /// The reference kind used at slot i (cycling through off and imm forms).
    static func reference(at i: Int, target t: Int) -> Instruction {
        let d = t - i - 1
        switch i % 6 {
        case 0: return Slots.ja(Int16(d))
        case 1: return Slots.jlt32(Int16(d))
        case 2: return Slots.gotol(Int32(d))
        case 3: return Slots.jneReg(Int16(d))
        case 4: return Slots.callLocal(Int32(d))
        default: return Slots.jeqImm(Int16(d))
        }
    }

    /// Every shape: slot i holds `choice[i]` = n (plain) or a target in 0..<n.
    static func programs(slots n: Int) -> [Program] {
        var result: [Program] = []
        var choice = [Int](repeating: 0, count: n)
        while true {
            result.append(Program(slots: (0..<n).map { i in
                choice[i] == n ? Slots.mov(Int32(1000 + i)) : reference(at: i, target: choice[i])
            }))
            var k = 0
            while k < n {
                choice[k] += 1
                if choice[k] <= n { break }
                choice[k] = 0
                k += 1
            }
            if k == n { return result }
        }
    }

    /// Every single-patch shape at `site` of an n-slot program.
    static func patchShapes(program: Program, site: Int) -> [Patch] {
        let original = program.slots[site]
        var shapes: [Patch] = []
        for L in 1...3 {
            shapes.append(Patch(site: SlotIndex(site), operation: .replace((0..<L).map { Slots.mov(Int32(-10 * site - $0 - 1)) })))
        }
        for L in 2...3 {
            let fresh = (0..<L - 1).map { Slots.mov(Int32(-10 * site - $0 - 1)) }
            shapes.append(Patch(site: SlotIndex(site), operation: .replace(fresh + [original])))   // re-emitted last
            shapes.append(Patch(site: SlotIndex(site), operation: .replace([original] + fresh)))   // re-emitted first
        }
        for count in 1...2 where site + count <= program.count {
            shapes.append(Patch(site: SlotIndex(site), operation: .remove(count: count)))
        }
        return shapes
    }

    static func tables(for program: Program, variant: Int) -> SideTables {
        let n = program.count
        return SideTables(
            lineInfo: LineInfoTable(slots: (0..<n).filter { variant % 2 == 0 || $0 % 2 == 0 }.map { SlotIndex($0) }),
            subprograms: SubprogramTable(starts: variant % 3 == 0 ? [0, SlotIndex(n / 2), SlotIndex(n)] : [0, SlotIndex(n)]),
            pokes: nil,
            instructionArrays: [InstructionArrayTable(entries: [SlotIndex(n - 1), SlotIndex(1)])])
    }

    @Test("every 4-slot program (5-slot: up to two references) × every single patch", arguments: [4, 5])
    func singlePatches(slots n: Int) {
        var tally = DiffTally()
        // n = 4: every shape; n = 5: every shape with at most two references.
        let shapes = Self.programs(slots: n).filter { n == 4 || $0.slots.filter { $0.code != 0xb7 }.count <= 2 }
        for (variant, program) in shapes.enumerated() {
            let tables = Self.tables(for: program, variant: variant)
            for site in 0..<n {
                for patch in Self.patchShapes(program: program, site: site) {
                    let c = DiffCase(program: program, tables: tables, patches: PatchSet([patch]))
                    let outcome = compareEngines(c)
                    tally.record(c, outcome)
                    if let m = outcome.mismatchDescription, tally.mismatchCount <= 3 { Issue.record("\(m)") }
                }
            }
        }
        print("ExhaustiveTests.singlePatches(\(n)): \(tally.summary)")
        #expect(tally.mismatchCount == 0)
    }

    @Test("every 4-slot program × every pair of patches")
    func patchPairs() {
        let n = 4
        var tally = DiffTally()
        for (variant, program) in Self.programs(slots: n).enumerated() {
            let tables = Self.tables(for: program, variant: variant)
            for a in 0..<n {
                for b in a + 1..<n {
                    // Replace by 1, by 2 re-emitting last / first, remove 1; then by 2 plain.
                    let all = Self.patchShapes(program: program, site: a)
                    let first = [0, 3, 4, 7].map { all[$0] }.filter { $0.site.rawValue + $0.span <= b }
                    let second = [0, 1, 3, 4, 7].map { Self.patchShapes(program: program, site: b)[$0] }
                    for p in first {
                        for q in second {
                            let c = DiffCase(program: program, tables: tables, patches: PatchSet([q, p]))
                            let outcome = compareEngines(c)
                            tally.record(c, outcome)
                            if let m = outcome.mismatchDescription, tally.mismatchCount <= 3 { Issue.record("\(m)") }
                        }
                    }
                }
            }
        }
        print("ExhaustiveTests.patchPairs: \(tally.summary)")
        #expect(tally.mismatchCount == 0)
    }
}
