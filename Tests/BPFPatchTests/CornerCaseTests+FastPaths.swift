import BPFInstructions
import BPFPatch
import Testing

/// Hand-derived cases for the paths the batch engine's fast loop takes
/// apart from the old one: references queued and re-targeted later in
/// separate loops (the first bad slot still decides the error, a full queue
/// is emptied in the middle of a replacement), the `ld_imm64` screen by
/// bitmaps (a second slot reached only from a replacement or a fixup, code-0
/// slots on 64-slot word and 1,024-slot queue edges, targets behind a
/// replacement read together), and line info merged with the patches
/// (invalid records found where the merge meets them). Both engines, as
/// everywhere in `CornerCaseTests`.
extension CornerCaseTests {
    @Test("the first bad reference decides the error, whatever the loop that finds it")
    func firstBadSlotDecides() {
        // 0: ja +4 (→5); 1: ja +100 (→102, outside the 8-slot program);
        // 2–6: mov; 7: exit. Removing 4..<7 puts 5 strictly inside the run:
        // the reference at slot 0 fails first, naming the removal (patch 0).
        let program = [S.ja(4), S.ja(100), mov(2), mov(3), mov(4), mov(5), mov(6), S.exit]
        var p = PatchSet()
        p.remove(4, count: 3)
        expectRejected(program, p, kind: .targetInsideRemoval, patch: 0, slot: 4)
    }

    @Test("a queued reference's error comes before a later replacement's own")
    func queuedErrorFirst() {
        // 0: ja +3 (→4); 1–5: mov; 6: exit. Removing 3..<5 puts 4 strictly
        // inside the run (patch 0, at slot 3). Replacing 5 by [ja −100]: at
        // its step it sits at new 3 and reads 3 − 100 + 1 < 0, outside
        // (patch 1). The sequential run fails at the removal's step first;
        // the engine has queued the reference at 0 when the replacement
        // throws, and must report it.
        let program = [S.ja(3), mov(1), mov(2), mov(3), mov(4), mov(5), S.exit]
        var p = PatchSet()
        p.remove(3, count: 2)
        p.replace(5, with: [S.ja(-100)])
        expectRejected(program, p, kind: .targetInsideRemoval, patch: 0, slot: 3)
    }

    @Test("a full queue is emptied in the middle of a replacement")
    func queueFullInsideAReplacement() {
        // 0–3: mov; 4: exit. The queue holds min(1,024, 5) = 5 references;
        // slot 0 is replaced by 7 slots whose first six jump ahead (six
        // queued references), slot 2 by [mov 20, mov 21] (Δ = 1).
        // New layout: 0–6 the first replacement, 7 mov 1, 8–9 the second,
        // 10 mov 3, 11 exit; S(1) = 7, S(2) = 8, S(3) = 10, S(4) = 11.
        // Slot c of a 7-slot replacement at 0 reaches original x when it
        // reads 7 + (x − 1), so d = 5 + x − c; it ends at S(x) − c − 1.
        //   c x  d → new:  0 1 6 → 6;  1 2 6 → 6 (S(2) is the second patch's first slot);
        //                  2 3 6 → 7;  3 4 6 → 7;  4 1 2 → 2;  5 2 2 → 2.
        let program = [mov(0), mov(1), mov(2), mov(3), S.exit]
        var p = PatchSet()
        p.replace(0, with: [S.ja(6), S.ja(6), S.ja(6), S.ja(6), S.ja(2), S.ja(2), mov(0)])
        p.replace(2, with: [mov(20), mov(21)])
        expectPatched(program, p, slots: [S.ja(6), S.ja(6), S.ja(7), S.ja(7), S.ja(2), S.ja(2), mov(0),
                                          mov(1), mov(20), mov(21), mov(3), S.exit])
    }

    @Test("targets behind a replacement are screened when their queue fills and at the end", arguments: [0, 5])
    func behindTargetsScreened(_ bad: Int) {
        // 0–1: ld_imm64; 2: mov; 3: exit (the behind queue holds 4). Slot 2
        // is replaced by seven slots at new 2: slot c (new 2 + c) jumps back
        // with d = t − (2 + c) − 1 to new t = 0, but slot `bad` to new 1, the
        // pair's second slot: refused, whether its target is screened when
        // the queue fills (bad = 0) or at the end of the pass (bad = 5).
        // All to 0, the batch is accepted and nothing moves.
        let pair = S.ldMap(7)
        let program = pair + [mov(2), S.exit]
        func replacement(_ targetOf: (Int) -> Int) -> [Instruction] {
            (0..<6).map { c in S.ja(Int16(targetOf(c) - (2 + c) - 1)) } + [mov(9)]
        }
        var p = PatchSet()
        p.replace(2, with: replacement { $0 == bad ? 1 : 0 })
        expectRejected(program, p, kind: .splitWideLoad)
        let fine = replacement { _ in 0 }
        #expect(fine.prefix(6).map(\.offset) == [-3, -4, -5, -6, -7, -8])
        var q = PatchSet()
        q.replace(2, with: fine)
        expectPatched(program, q, slots: pair + fine + [S.exit])
    }

    /// 0: mov; 1: mov; 2–3: ld_imm64 map 7; 4: exit.
    var pairAtTwo: [Instruction] { [mov(0), mov(1)] + S.ldMap(7) + [S.exit] }

    @Test("a second slot reached only from a replacement's forward reference is refused")
    func secondSlotFromAReplacement() {
        // Step at p = 0 by [ja +3, mov 9] (Δ = 1): the ja at new 0 reads
        // 0 + 3 + 1 = 4, past the patch (new 0..<2), so original spacing:
        // original 1 + (4 − 2) = 3, the second slot of the pair.
        var p = PatchSet()
        p.replace(0, with: [S.ja(3), mov(9)])
        expectRejected(pairAtTwo, p, kind: .splitWideLoad)
    }

    @Test("a second slot named by an original-slot fixup is refused")
    func secondSlotFromAFixup() {
        var p = PatchSet()
        p.append(Patch(site: 0, operation: .replace([S.ja(0), mov(9)]), fixups: [Fixup(position: 0, target: .original(3))]))
        expectRejected(pairAtTwo, p, kind: .splitWideLoad)
        // The first slot is a fine target: the ja lands on new 3 (off 2).
        var q = PatchSet()
        q.append(Patch(site: 0, operation: .replace([S.ja(0), mov(9)]), fixups: [Fixup(position: 0, target: .original(2))]))
        expectPatched(pairAtTwo, q, slots: [S.ja(2), mov(9), mov(1)] + S.ldMap(7) + [S.exit])
    }

    /// `n` slots of mov, with an ld_imm64 pair whose second slot is `second`
    /// and a ja at slot 0 to `target`, and a replacement of the last mov
    /// before the exit (so the copied runs start at slot 0).
    func longProgram(count n: Int, secondSlot second: Int, jumpTo target: Int) -> ([Instruction], PatchSet) {
        var slots = (0..<n).map { mov(Int32($0)) }
        slots[0] = S.ja(Int16(target - 1))
        let pair = S.ldMap(7)
        slots[second - 1] = pair[0]
        slots[second] = pair[1]
        slots[n - 1] = S.exit
        var p = PatchSet()
        p.replace(SlotIndex(n - 2), with: [mov(-1), mov(-2)])
        return (slots, p)
    }

    @Test("code-0 slots on a 64-slot word edge and a 1,024-slot chunk edge are screened", arguments: [64, 128, 1_024, 1_025])
    func secondSlotOnEdges(_ second: Int) {
        let (slots, p) = longProgram(count: 1_100, secondSlot: second, jumpTo: second)
        expectRejected(slots, p, kind: .splitWideLoad)
        // The first slot as the target is accepted and the ja keeps it.
        let (fine, q) = longProgram(count: 1_100, secondSlot: second, jumpTo: second - 1)
        var expected = fine
        expected.replaceSubrange((1_098)...(1_098), with: [mov(-1), mov(-2)])
        expectPatched(fine, q, slots: expected)
    }

    @Test("invalid line records are found where the merge meets them", arguments: [
        // (records, the slot of the first bad one): program 0–7 mov, 8 exit;
        // slots 3..<5 removed, slot 5 (the first after the run) replaced by two.
        ([1, 5, 4], 4),   // out of order after the record on the replaced slot
        ([1, 6, 5], 5),   // out of order after a record past the replacement
        ([2, 4, 4], 4),   // a repeat inside the removed run
        ([2, 5, 5], 5),   // a repeat on the first slot after the run
        ([1, 99], 99),    // past the program
    ])
    func invalidLineRecords(_ records: [Int], _ bad: Int) {
        let program = (0..<8).map { mov(Int32($0)) } + [S.exit]
        var p = PatchSet()
        p.remove(3, count: 2)
        p.replace(5, with: [mov(50), mov(51)])
        let tables = SideTables(lineInfo: LineInfoTable(slots: records.map { SlotIndex($0) }))
        expectRejected(program, p, tables: tables, kind: .invalidTable)
        // The engine names the record and its slot.
        do {
            _ = try p.apply(to: Program(slots: program), tables: tables)
            Issue.record("the engine accepted an invalid line table")
        } catch {
            #expect(error.slot == SlotIndex(bad))
            #expect(error.message.contains("lineInfo[\(records.count - 1)] = \(bad)"), "\(error)")
        }
    }
}
