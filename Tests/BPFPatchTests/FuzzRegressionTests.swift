import BPFInstructions
import BPFPatch
import Testing

/// What the engine fuzz target (Fuzz/Sources/fuzz-engine) found, as
/// regression tests: each finding of docs/notes/h-harden.md (F3, F4, F5,
/// F7) with its reproducer and a hand-derived expectation, checked
/// against both the batch engine and the sequential model.
@Suite("Fuzz regressions (engine)")
struct FuzzRegressionTests {
    typealias S = Slots
    func mov(_ k: Int32) -> Instruction { S.mov(k) }
    func slots(_ hex: [String]) -> [Instruction] { hex.map { Instruction(hex: $0)! } }

    // MARK: F3 — site arithmetic in the batch layout

    @Test("F3: a removal at a site near Int.max is out of range, for every small count")
    func removalNearIntMax() {
        // The trap was `site + span` in the message of the out-of-range
        // error: Int.max + 1. A 4-slot program has sites 0...3, so every
        // site here is out of range, whatever the count (1...3, the counts
        // the fuzzer generates next to these sites); count 0 is an empty
        // removal first, as both engines check emptiness before the range.
        let program = [mov(0), mov(1), mov(2), S.exit]
        for back in 0...2 {
            let site = SlotIndex(Int.max - back)
            for count in 1...3 {
                var p = PatchSet()
                p.remove(site, count: count)
                expectRejected(program, p, kind: .siteOutOfRange, patch: 0, slot: site)
            }
            var empty = PatchSet()
            empty.remove(site, count: 0)
            expectRejected(program, empty, kind: .emptyRemoval, patch: 0, slot: site)
        }
        // The finding's own shape: one patch, remove 1 at Int.max, on any program.
        do {
            _ = try PatchSet([Patch(site: SlotIndex(Int.max), operation: .remove(count: 1))]).apply(to: Program(slots: [S.exit]))
            Issue.record("accepted a removal at Int.max")
        } catch {
            #expect(error.kind == .siteOutOfRange)
            // The message names the site and the count without adding them.
            #expect(error.description.contains("from slot \(Int.max)"), "\(error)")
        }
    }

    @Test("F3: replacements at sites near Int.min are out of range")
    func replacementNearIntMin() {
        // The fuzzer's other hostile shape: replace at Int.min + s, s in 0...n.
        let program = [mov(0), mov(1), S.exit]
        for s in 0...3 {
            var p = PatchSet()
            p.replace(SlotIndex(Int.min + s), with: [mov(9)])
            expectRejected(program, p, kind: .siteOutOfRange, patch: 0, slot: SlotIndex(Int.min + s))
        }
    }

    // MARK: F4 — the model's overlap check on out-of-range sites

    @Test("F4: the model lists every violation of hostile sites without trapping")
    func modelOverlapNearIntMax() {
        // Collecting mode goes on past out-of-range sites to the overlap
        // check, which computed `site + span` = (Int.max − 1) + 2.
        // Patch 0 covers [Int.max − 1, Int.max + 1), which contains Int.max,
        // the site of patch 1: an overlap blamed on the later one (patch 1).
        // Both sites are out of range of a 4-slot program.
        let program = Program(slots: [mov(0), mov(1), mov(2), S.exit])
        var p = PatchSet()
        p.remove(SlotIndex(Int.max - 1), count: 2)
        p.remove(SlotIndex(Int.max), count: 1)
        let found = p.sequentialViolations(in: program)
        #expect(found.map(\.kind) == [.siteOutOfRange, .siteOutOfRange, .overlap], "\(found)")
        #expect(found.map(\.patch) == [0, 1, 1])
        #expect(found.map(\.slot) == [SlotIndex(Int.max - 1), SlotIndex(Int.max), SlotIndex(Int.max)])
        // Throwing mode and the batch engine name the first: patch 0.
        expectRejected(program.slots, p, kind: .siteOutOfRange, patch: 0, slot: SlotIndex(Int.max - 1))

        // Added in the other order, the sort puts Int.max − 1 first all the same.
        var q = PatchSet()
        q.remove(SlotIndex(Int.max), count: Int.max)
        q.remove(SlotIndex(Int.max - 1), count: Int.max)
        let again = q.sequentialViolations(in: program)
        #expect(again.map(\.kind) == [.siteOutOfRange, .siteOutOfRange, .overlap], "\(again)")
        #expect(again.last?.patch == 0)  // site Int.max, after patch 1 (Int.max − 1) in site order

        // Two removals at Int.max: the same site, so they overlap whatever their counts.
        var r = PatchSet()
        r.remove(SlotIndex(Int.max), count: 1)
        r.remove(SlotIndex(Int.max), count: 1)
        #expect(r.sequentialViolations(in: program).map(\.kind) == [.siteOutOfRange, .siteOutOfRange, .overlap])
    }

    @Test("F4: the fuzzer's input — sites near Int.min sorted against valid ones")
    func modelOverlapFuzzCase() {
        // crash-04c0ad87…: the trap was in the model's sort, comparing
        // (site, number) tuples: SlotIndex's `==` was Strideable's default,
        // `distance(to:) == 0`, and 3 − (Int.min + 1) overflows.
        // Program: 0 jne r1, 0, +1 (→ 2); 1–2 `or r15, r4` (0x4f, no reference).
        // Patches: #0 Int.min + 1 and #1 Int.min + 2 replace by two slots; #2
        // at 3 replace by three; #3, #4 remove 1 at 3. Tables: line info
        // [3 ×7] (not increasing, and 3 is outside a 3-slot program), subprogs
        // [0, 1], pokes [1], one instruction array [1].
        // The model lists: the table; every site out of range (all five: 3
        // is the program's length); then in site order #0, #1, #2, #3, #4
        // (ties by number): #2 covers [3, 4) ∋ 3 → #3 overlaps; #3 covers
        // [3, 4) → #4 overlaps. #0 and #1 end at Int.min + 2 and Int.min + 3,
        // before the next site.
        let program = slots(["5501010000000000", "4f4f4f4f4f4f4f4f", "4f4f4f4f4f4f4f4f"])
        var p = PatchSet()
        p.replace(SlotIndex(Int.min + 1), with: slots(["06000000feffffff", "06000000fdffffff"]))
        p.replace(SlotIndex(Int.min + 2), with: slots(["06000000ffffffff", "4f4f4f4f4f4f4f4f"]))
        p.replace(3, with: [S.exit, mov(0), mov(0)])
        p.remove(3)
        p.remove(3)
        let tables = SideTables(lineInfo: LineInfoTable(slots: Array(repeating: 3, count: 7)),
                                subprograms: SubprogramTable(starts: [0, 1]), pokes: PokeTable(slots: [1]),
                                instructionArrays: [InstructionArrayTable(entries: [1])])
        let found = p.sequentialViolations(in: Program(slots: program), tables: tables)
        #expect(found.map(\.kind) == [.invalidTable] + Array(repeating: .siteOutOfRange, count: 5) + [.overlap, .overlap], "\(found)")
        #expect(found.map(\.patch) == [nil, 0, 1, 2, 3, 4, 3, 4])
        #expect(found.map(\.slot) == [nil, SlotIndex(Int.min + 1), SlotIndex(Int.min + 2), 3, 3, 3, 3, 3])
        // Which violation each engine throws first is not part of the
        // contract; both throw, and the engine's is one the model lists.
        do {
            _ = try p.applySequentially(to: Program(slots: program), tables: tables)
            Issue.record("model accepted")
        } catch {
            #expect(error.kind == .invalidTable)
        }
        do {
            _ = try p.apply(to: Program(slots: program), tables: tables)
            Issue.record("engine accepted")
        } catch {
            #expect(found.contains { $0.kind == error.kind && $0.patch == error.patch && $0.slot == error.slot }, "\(error)")
        }
        // Without the bad table the first violation is #0's site, in both.
        expectRejected(program, p, kind: .siteOutOfRange, patch: 0, slot: SlotIndex(Int.min + 1))
    }

    @Test("F4: slot indices compare without computing their distance")
    func slotIndexComparisons() {
        // Int.min and Int.max are 2^64 − 1 apart; 1 and Int.min, Int.max + 1.
        let low = SlotIndex(Int.min), high = SlotIndex(Int.max), one = SlotIndex(1)
        #expect(low != high && high != low && low != one && one != low)
        #expect(low < high && low < one && !(high < low) && !(one < low))
        #expect(low == SlotIndex(Int.min) && high == SlotIndex(Int.max))
        #expect(!((one, 0) < (low, 1)) && (low, 1) < (one, 0))
        #expect([high, one, low, SlotIndex(0)].sorted() == [low, SlotIndex(0), one, high])
        #expect(Set([low, high, low]).count == 2)
    }

    // MARK: F5 — stray first halves at the program's end, empty batch

    @Test("F5: an empty batch on a program ending in stray 0x18 first halves is refused by both")
    func strayFirstHalvesAtEnd() {
        // The fuzzer's program: 0–1 a whole ld_imm64 (0x18, then code 0),
        // 2–4 movs, 5–9 five 0x18 slots. No patch: the result is the input.
        // Slot 5 (code 0x18) is followed by slot 6 (code 0x18, not 0): a
        // first slot not followed by its second — split (spec, "Checks").
        // No patch made it, so the error blames none; the first violation in
        // ascending order is at slot 5.
        let program = slots(["18010000e9000000", "0000000000000000", "b701000000000000", "b701000000000000", "b7010000bb000000"]
            + Array(repeating: "1800000000000000", count: 5))
        expectRejected(program, PatchSet(), kind: .splitWideLoad, patch: nil, slot: 5)
        // One stray 0x18 as the last slot: the result ends with a first half.
        expectRejected([mov(0), Instruction(code: 0x18)], PatchSet(), kind: .splitWideLoad, patch: nil, slot: 1)
        // Allowed, the program comes back unchanged, orig_idx the identity.
        var options = PatchOptions()
        options.allowSplitWideLoads = true
        expectPatched(program, PatchSet(), options: options, slots: program, origIdx: Array(0..<10))
        // A patch elsewhere does not change the verdict: 2 replaced by two
        // movs; slot 5 is now new slot 6, still followed by a 0x18.
        var p = PatchSet()
        p.replace(2, with: [mov(20), mov(21)])
        expectRejected(program, p, kind: .splitWideLoad, patch: nil, slot: 5)
    }

    // MARK: F7 — a local fixup to the slot after its replacement

    // `Fixup.Target.local(k)` with k == the replacement's length is the slot
    // right after the replacement (PatchSequence: a label "may be bound at
    // the end: the slot after the patch"), i.e. where a reference to
    // original site + 1 lands. That is a valid target when the result has a
    // slot there, and "target outside program" (a reference that would land
    // outside the program, spec "Checks") when it does not. k > length or
    // k < 0 is not a slot of the patch at all: "invalid fixup".

    @Test("F7: local(length) targets the slot after the replacement")
    func localFixupToNextSlot() {
        // [mov0, mov1, exit]; 0 → [ja (fixup → local 2), mov9]. The slot
        // after the patch is original 1, new 2: ja at 0, off 2 − 0 − 1 = 1.
        var p = PatchSet()
        p.append(Patch(site: 0, operation: .replace([S.ja(0), mov(9)]), fixups: [Fixup(position: 0, target: .local(2))]))
        expectPatched([mov(0), mov(1), S.exit], p, slots: [S.ja(1), mov(9), mov(1), S.exit], origIdx: [0, 0, 1, 2])

        // The next slot replaced too: the slot after patch 0 is the first
        // slot of patch 1's replacement, new 2 (mov10): off 1 again.
        var q = p
        q.replace(1, with: [mov(10), mov(11)])
        expectPatched([mov(0), mov(1), S.exit], q, slots: [S.ja(1), mov(9), mov(10), mov(11), S.exit])

        // The next slots removed: the slot after is the first survivor, the
        // exit, new 2: off 1.
        var r = p
        r.remove(1, count: 1)
        expectPatched([mov(0), mov(1), S.exit], r, slots: [S.ja(1), mov(9), S.exit])
    }

    @Test("F7: local(length) with nothing after the replacement is a target outside the program, in both engines")
    func localFixupPastTheEnd() {
        // [mov0, exit]; 1 (the last slot) → [ja (fixup → local 2), exit]:
        // new slots 1–2, the slot after is new 3 = the result's length.
        var p = PatchSet()
        p.append(Patch(site: 1, operation: .replace([S.ja(0), S.exit]), fixups: [Fixup(position: 0, target: .local(2))]))
        expectRejected([mov(0), S.exit], p, kind: .targetOutsideProgram, patch: 0, slot: 1)

        // Not the last slot, but everything after it removed: [mov0, mov1,
        // exit]; 0 → [ja (→ local 2), mov9], remove 1–2. Result length 2.
        var q = PatchSet()
        q.append(Patch(site: 0, operation: .replace([S.ja(0), mov(9)]), fixups: [Fixup(position: 0, target: .local(2))]))
        q.remove(1, count: 2)
        expectRejected([mov(0), mov(1), S.exit], q, kind: .targetOutsideProgram, patch: 0, slot: 0)

        // One further is not a slot of the patch: invalid fixup, as before.
        var r = PatchSet()
        r.append(Patch(site: 0, operation: .replace([S.ja(0), mov(9)]), fixups: [Fixup(position: 0, target: .local(3))]))
        expectRejected([mov(0), mov(1), S.exit], r, kind: .invalidFixup, patch: 0, slot: 0)
    }

    @Test("F7: the fuzzer's case")
    func localFixupFuzzCase() {
        // Program (9 slots): 0–3 ja −2, −3, −4, −5 (→ −1 each); 4 mov; 5 ja
        // −7 (→ −1); 6 ja +1 (→ 8); 7 call +0 (→ 8); 8 call −8 (→ 1).
        // Patches: #0 remove 0–1, #1 remove 2–3, #2 4 → [ja +0, gotol +1],
        // #3 5 → [gotol (→ local 1), gotol 0, gotol −1], #4 6 → [gotol (→ local 1),
        // ld_imm64 r1], #5 8 → [ja (→ local 2), mov]. Subprogs [0], pokes [7, 7].
        // Every out-of-program reference (0–3, 5, 8) sits in a slot a patch
        // removes or replaces. Result: #2 at 0–1, #3 at 2–4, #4 at 5–7,
        // original 7 at 8 (call → S(8) = 9: imm 0), #5 at 9–10: 11 slots.
        // #5's ja → local 2 = new 11 = the length: outside the program.
        let program = slots(["0500feff00000000", "0500fdff00000000", "0500fcff00000000", "0500fbff00000000", "b7010000f2000000",
                             "0500f9ff00000000", "0500010000000000", "8510000000000000", "85100000f8ffffff"])
        var p = PatchSet()
        p.remove(0, count: 2)
        p.remove(2, count: 2)
        p.replace(4, with: slots(["0500000000000000", "0600000001000000"]))
        p.append(Patch(site: 5, operation: .replace(slots(["0600000001000000", "0600000000000000", "06000000ffffffff"])),
                       fixups: [Fixup(position: 0, target: .local(1))]))
        p.append(Patch(site: 6, operation: .replace(slots(["0600000000000000", "180100000d0d0000", "0000000000000000"])),
                       fixups: [Fixup(position: 0, target: .local(1))]))
        p.append(Patch(site: 8, operation: .replace(slots(["0500f7ff00000000", "b701000000000000"])),
                       fixups: [Fixup(position: 0, target: .local(2))]))
        let tables = SideTables(subprograms: SubprogramTable(starts: [0]), pokes: PokeTable(slots: [7, 7]))
        #expect(p.sequentialViolations(in: Program(slots: program), tables: tables).map(\.kind) == [.targetOutsideProgram])
        expectRejected(program, p, tables: tables, kind: .targetOutsideProgram, patch: 5, slot: 8)

        // Without #5's fixup pointing past the end (→ local 1, its mov at
        // new 10: off 0) the batch is valid; derived above: ja +0, gotol
        // +3 (→ S(6) = 5), gotols 0, 0, −1, gotol 0, ld_imm64, call 0, ja 0, mov;
        // the poke 7 → 8 (both entries), subprog 0 stays.
        var valid = p
        valid.patches[5].fixups = [Fixup(position: 0, target: .local(1))]
        expectPatched(program, valid, tables: tables,
                      slots: slots(["0500000000000000", "0600000003000000", "0600000000000000", "0600000000000000", "06000000ffffffff",
                                    "0600000000000000", "180100000d0d0000", "0000000000000000", "8510000000000000",
                                    "0500000000000000", "b701000000000000"]),
                      tables: SideTables(subprograms: SubprogramTable(starts: [0]), pokes: PokeTable(slots: [8, 8])))
    }
}
