import BPFInstructions
import BPFPatch
import Testing

/// The spec's corner cases with hand-derived expected values, checked
/// against both the batch engine and the sequential model. Every expected
/// value below is derived in the comment next to it from spec/patching.md.
@Suite("Corner cases (hand-derived)")
struct CornerCaseTests {
    typealias S = Slots
    func mov(_ k: Int32) -> Instruction { S.mov(k) }

    @Test("target == patch site, from before: lands on the first slot of the patch")
    func targetAtSiteFromBefore() {
        // 0: ja +1 (→2); 2 replaced by 3 slots. Rule 2: target == p is left alone.
        var p = PatchSet()
        p.replace(2, with: [mov(20), mov(21), mov(22)])
        expectPatched([S.ja(1), mov(1), mov(2), S.exit], p,
                      slots: [S.ja(1), mov(1), mov(20), mov(21), mov(22), S.exit],
                      origIdx: [0, 1, 0, 0, 2, 3])
    }

    @Test("target == patch site, from after: keeps its absolute target (first slot of the patch)")
    func targetAtSiteFromAfter() {
        // 3: ja -3 (→1); 1 replaced by 3 slots → ja moves to 5, target 1: off = 1 − 5 − 1 = −5.
        var p = PatchSet()
        p.replace(1, with: [mov(10), mov(11), mov(12)])
        expectPatched([mov(0), mov(1), mov(2), S.ja(-3), S.exit], p,
                      slots: [mov(0), mov(10), mov(11), mov(12), mov(2), S.ja(-5), S.exit],
                      origIdx: [0, 0, 0, 1, 2, 3, 4])
    }

    @Test("patches at slot 0 and at the last slot, with line info and the exit entry")
    func patchAtStartAndEnd() {
        // 0: mov0, 1: jeq +1 (→3), 2: ja −3 (→0), 3: exit.
        // Step at 0 ([mov50, mov0], Δ=1): jeq (after, target 3 > 0) untouched; ja (after,
        // target 0 ≤ 0) keeps target 0 from slot 3: off −4. Step at 3 → 4 ([mov60, exit]):
        // jeq at 2 targets 4 == p: left alone → first slot of the patch.
        var p = PatchSet()
        p.replace(3, with: [mov(60), S.exit])
        p.replace(0, with: [mov(50), mov(0)])
        let tables = SideTables(lineInfo: LineInfoTable(slots: [0, 1, 2, 3]), subprograms: SubprogramTable(starts: [0, 4]))
        let expectedTables = SideTables(lineInfo: LineInfoTable(slots: [0, 2, 3, 4]), subprograms: SubprogramTable(starts: [0, 6]))
        expectPatched([mov(0), S.jeqImm(1), S.ja(-3), S.exit], p, tables: tables,
                      slots: [mov(50), mov(0), S.jeqImm(1), S.ja(-4), mov(60), S.exit],
                      tables: expectedTables, origIdx: [0, 0, 1, 2, 0, 3])
    }

    @Test("self loops stay self loops: before, after and re-emitted inside a patch")
    func selfLoops() {
        // 0: ja −1 (before p, target 0 ≤ p: untouched); 2: ja −1 (after, target 2 > p: moves along).
        var p = PatchSet()
        p.replace(1, with: [mov(10), mov(11)])
        expectPatched([S.ja(-1), mov(1), S.ja(-1), S.exit], p,
                      slots: [S.ja(-1), mov(10), mov(11), S.ja(-1), S.exit])
        // Re-emitted last or first, ja −1 reads in the new layout: still itself.
        var q = PatchSet()
        q.replace(1, with: [mov(9), S.ja(-1)])
        expectPatched([mov(0), S.ja(-1), S.exit], q, slots: [mov(0), mov(9), S.ja(-1), S.exit])
    }

    @Test("gotol moves in imm, forward and backward")
    func gotol() {
        // 0: gotol +2 (→3); replace 2 by 3 slots (Δ=2): target 3 > 2 → imm 4.
        var p = PatchSet()
        p.replace(2, with: [mov(20), mov(21), mov(22)])
        expectPatched([S.gotol(2), mov(1), mov(2), S.exit], p,
                      slots: [S.gotol(4), mov(1), mov(20), mov(21), mov(22), S.exit])
        // 2: gotol −3 (→0); replace 1 by 2: gotol at 3 keeps target 0: imm −4.
        var q = PatchSet()
        q.replace(1, with: [mov(10), mov(11)])
        expectPatched([mov(0), mov(1), S.gotol(-3), S.exit], q,
                      slots: [mov(0), mov(10), mov(11), S.gotol(-4), S.exit])
    }

    @Test("pseudo call and pseudo-func ld_imm64 to a patched subprogram start")
    func callsToPatchedSubprogram() {
        // 0: call +2 (→3); 1–2: ld_imm64 func +1 (→3); 3: subprog 1 start (patched); 4: exit.
        // Both targets equal p: left alone → first slot of the patch, which is the
        // subprogram's start (a start at p stays). Exit entry 5 → 6.
        var p = PatchSet()
        p.replace(3, with: [mov(70), mov(3)])
        let tables = SideTables(subprograms: SubprogramTable(starts: [0, 3, 5]))
        expectPatched([S.callLocal(2)] + S.ldFunc(1) + [mov(3), S.exit], p, tables: tables,
                      slots: [S.callLocal(2)] + S.ldFunc(1) + [mov(70), mov(3), S.exit],
                      tables: SideTables(subprograms: SubprogramTable(starts: [0, 3, 6])))
        // From after: 3: call −4 (→0), patch at 0 by 3 slots: call at 5 keeps target 0: imm −6.
        var q = PatchSet()
        q.replace(0, with: [mov(1), mov(2), mov(0)])
        expectPatched([mov(0), S.exit, mov(5), S.callLocal(-4), S.exit], q,
                      slots: [mov(1), mov(2), mov(0), S.exit, mov(5), S.callLocal(-6), S.exit])
    }

    @Test("helper and kfunc calls and map ld_imm64 never move")
    func untouchedNonReferences() {
        // Their imm values (5, 1234, 7) would change if treated as displacements.
        var p = PatchSet()
        p.replace(0, with: [mov(1), S.callHelper(5)])
        p.replace(4, with: [mov(40), mov(41), mov(42)])
        expectPatched([S.callHelper(5), S.callKfunc(1234)] + S.ldMap(7) + [mov(4), S.exit], p,
                      slots: [mov(1), S.callHelper(5), S.callKfunc(1234)] + S.ldMap(7) + [mov(40), mov(41), mov(42), S.exit])
    }

    @Test("a slot is a reference by its own code: a jump after an ld_imm64's first slot is no second slot")
    func referenceByOwnCode() {
        // 1: ld_imm64 first slot (map), 2: code 0x05 off +1 (→4) where the
        // second slot (code 0) should be. The result keeps 1–2 as they are:
        // a first slot not followed by a second slot, refused by both.
        let first = Instruction(code: 0x18, registers: 0x11, offset: 0, immediate: 9)
        let odd = Instruction(code: 0x05, registers: 0, offset: 1, immediate: 0)
        var p = PatchSet()
        p.replace(3, with: [mov(30), mov(31), mov(32)])
        let program = [mov(0), first, odd, mov(3), S.exit]
        expectRejected(program, p, kind: .splitWideLoad, patch: nil, slot: 1)
        // Splits allowed, slot 2 is the jump its code says: before p = 3 with
        // target 4 > 3, it gets +Δ = +2: off 3, landing on exit (new 6).
        var options = PatchOptions()
        options.allowSplitWideLoads = true
        var oddMoved = odd
        oddMoved.offset = 3
        expectPatched(program, p, options: options,
                      slots: [mov(0), first, oddMoved, mov(30), mov(31), mov(32), S.exit])
    }

    @Test("ld_imm64 halves: splitting is rejected by default, allowed by option")
    func wideLoadHalves() {
        let program = S.ldImm64(kind: 0, low: 1, high: 2) + [S.exit]
        var first = PatchSet()
        first.replace(0, with: [mov(1), mov(2)])
        expectRejected(program, first, kind: .splitWideLoad)
        var second = PatchSet()
        second.replace(1, with: [mov(3)])
        expectRejected(program, second, kind: .splitWideLoad)
        var removeOne = PatchSet()
        removeOne.remove(1)
        expectRejected(program, removeOne, kind: .splitWideLoad)
        // A reference to the second half.
        var none = PatchSet()
        none.replace(3, with: [S.exit])
        expectRejected([S.ja(1)] + program, none, kind: .splitWideLoad)

        // Constant blinding of both halves, allowed: 0: ja +2 (→3) crosses both patches
        // (Δ = 2 each): off 2 + 2 + 2 = 6 → exit at 7.
        var options = PatchOptions()
        options.allowSplitWideLoads = true
        let ax: UInt8 = 11
        let blindLow = [Instruction(code: 0xb7, registers: ax, immediate: 1 ^ 0x55), Instruction(code: 0xa7, registers: ax, immediate: 0x55),
                        Instruction(code: 0xbf, registers: 0x01 | (ax << 4))]
        let blindHigh = [Instruction(code: 0xb4, registers: ax, immediate: 2 ^ 0x66), Instruction(code: 0xa4, registers: ax, immediate: 0x66),
                         Instruction(code: 0x4f, registers: 0x01 | (ax << 4))]
        var blind = PatchSet()
        blind.replace(2, with: blindHigh)
        blind.replace(1, with: blindLow)
        expectPatched([S.ja(2)] + program, blind, options: options,
                      slots: [S.ja(6)] + blindLow + blindHigh + [S.exit], origIdx: [0, 0, 0, 1, 0, 0, 2, 3])
        expectPatched(program, second, options: options,
                      slots: [program[0], mov(3), S.exit], origIdx: [0, 1, 2])
    }

    @Test("an out-of-patch jump across two later patches")
    func jumpAcrossLaterPatches() {
        // 0: ja +3 (→4); patches at 1 (Δ=1) and 3 (Δ=2) both lie between: off 6 → 7 = exit.
        var p = PatchSet()
        p.replace(3, with: [mov(30), mov(31), mov(32)])
        p.replace(1, with: [mov(10), mov(11)])
        expectPatched([S.ja(3), mov(1), mov(2), mov(3), S.exit], p,
                      slots: [S.ja(6), mov(10), mov(11), mov(2), mov(30), mov(31), mov(32), S.exit],
                      origIdx: [0, 0, 1, 2, 0, 0, 3, 4])
    }

    @Test("patch-internal references inside, behind and ahead (incl. a later patch site)")
    func patchInternalReferences() {
        // Layout after the patch at 1 (Δ=1): 0 mov0, 1 m10, 2 m11, 3 [site 2], 4 mov3, 5 mov4, 6 exit.
        // Patch at 2 (L=4, at 3..6): jeq +1 → 5 (inside); ja −4 → 1 (behind: m10, final);
        // ja +2 → 8 = original 4 in original spacing (after this step: mov3 at 7, mov4 at 8);
        // ja +0 → 7 = original 3, a later patch site.
        // Patch at 3 (→7, Δ=1): the ahead ref at 5 targets 8 > 7 → +1 (off 3 → 9 = mov4);
        // the one at 6 targets 7 == p → left alone → first slot of that patch.
        var p = PatchSet()
        p.replace(2, with: [S.jeqImm(1), S.ja(-4), S.ja(2), S.ja(0)])
        p.replace(1, with: [mov(10), mov(11)])
        p.replace(3, with: [mov(30), mov(31)])
        expectPatched([mov(0), mov(1), mov(2), mov(3), mov(4), S.exit], p,
                      slots: [mov(0), mov(10), mov(11), S.jeqImm(1), S.ja(-4), S.ja(3), S.ja(0), mov(30), mov(31), mov(4), S.exit],
                      origIdx: [0, 0, 1, 0, 0, 0, 2, 0, 3, 4, 5])
    }

    @Test("removal: line info inheritance")
    func removalLineInfo() {
        let program = [mov(0), mov(1), mov(2), mov(3), mov(4), S.exit]
        var p = PatchSet()
        p.remove(1, count: 2)
        // Records @0,1,2,5: slot 3 (first survivor) has none → record 2 moves to it (new 1); @5 → 3.
        expectPatched(program, p, tables: SideTables(lineInfo: LineInfoTable(slots: [0, 1, 2, 5])),
                      slots: [mov(0), mov(3), mov(4), S.exit],
                      tables: SideTables(lineInfo: LineInfoTable(entries: [.init(record: 0, slot: 0), .init(record: 2, slot: 1), .init(record: 3, slot: 3)])),
                      origIdx: [0, 3, 4, 5])
        // Records @0,1,3: slot 3 has its own → record 1 is simply deleted.
        expectPatched(program, p, tables: SideTables(lineInfo: LineInfoTable(slots: [0, 1, 3])),
                      slots: [mov(0), mov(3), mov(4), S.exit],
                      tables: SideTables(lineInfo: LineInfoTable(entries: [.init(record: 0, slot: 0), .init(record: 2, slot: 1)])))
        // A hole at the program's end: nothing survives to inherit.
        var q = PatchSet()
        q.remove(4, count: 2)
        expectPatched(program, q, tables: SideTables(lineInfo: LineInfoTable(slots: [0, 4])),
                      slots: [mov(0), mov(1), mov(2), mov(3)],
                      tables: SideTables(lineInfo: LineInfoTable(entries: [.init(record: 0, slot: 0)])))
    }

    @Test("removal: references to the hole's first slot, adjacent removals chain, inside is rejected")
    func removalReferences() {
        // 0: ja +1 (→2); remove 2: lands on the first survivor (old 3, new 2): off stays 1.
        // 4: ja −3 (→2) from after: keeps absolute target 2: at 3, off −2.
        var p = PatchSet()
        p.remove(2)
        expectPatched([S.ja(1), mov(1), mov(2), mov(3), S.ja(-3), S.exit], p,
                      slots: [S.ja(1), mov(1), mov(3), S.ja(-2), S.exit])
        // Adjacent one-slot removals at 1 and 2: a reference to 2 chains to 3.
        var q = PatchSet()
        q.remove(2)
        q.remove(1)
        expectPatched([S.ja(1), mov(1), mov(2), mov(3), S.exit], q,
                      slots: [S.ja(0), mov(3), S.exit])
        // One removal of two slots: the same reference is strictly inside.
        var r = PatchSet()
        r.remove(1, count: 2)
        expectRejected([S.ja(1), mov(1), mov(2), mov(3), S.exit], r, kind: .targetInsideRemoval, patch: 0)
        // Removing the last slot while something targets it: off the end.
        var s = PatchSet()
        s.remove(2)
        expectRejected([S.ja(1), mov(1), S.exit], s, kind: .targetOutsideProgram)
    }

    @Test("removal: a whole subprogram is deleted, a start at p stays, a cut is rejected")
    func removalSubprograms() {
        let program = [mov(0), S.exit, mov(2), S.exit, mov(4), S.exit]
        let tables = SideTables(subprograms: SubprogramTable(starts: [0, 2, 4, 6]))
        var whole = PatchSet()
        whole.remove(2, count: 2)
        expectPatched(program, whole, tables: tables, slots: [mov(0), S.exit, mov(4), S.exit],
                      tables: SideTables(subprograms: SubprogramTable(entries: [.init(subprogram: 0, start: 0), .init(subprogram: 2, start: 2), .init(subprogram: 3, start: 4)])))
        var atStart = PatchSet()
        atStart.remove(2)
        expectPatched(program, atStart, tables: tables, slots: [mov(0), S.exit, S.exit, mov(4), S.exit],
                      tables: SideTables(subprograms: SubprogramTable(starts: [0, 2, 3, 5])))
        var cut = PatchSet()
        cut.remove(1, count: 2)
        expectRejected(program, cut, tables: tables, kind: .subprogramCut, patch: 0, slot: 1)
    }

    @Test("pokes move like subprogram starts; removing a poke's slot is rejected")
    func pokes() {
        let program = [mov(0), mov(1), mov(2), S.callHelper(12), S.exit]
        var grow = PatchSet()
        grow.replace(1, with: [mov(10), mov(11), mov(12)])
        expectPatched(program, grow, tables: SideTables(pokes: PokeTable(slots: [3, 1])),
                      slots: [mov(0), mov(10), mov(11), mov(12), mov(2), S.callHelper(12), S.exit],
                      tables: SideTables(pokes: PokeTable(slots: [5, 1])))
        var remove = PatchSet()
        remove.remove(2, count: 2)
        expectRejected(program, remove, tables: SideTables(pokes: PokeTable(slots: [3])), kind: .pokeRemoved, patch: 0, slot: 2)
    }

    @Test("instruction arrays: moved, and deleted (nil) when removed")
    func instructionArrays() {
        var p = PatchSet()
        p.replace(0, with: [mov(1), mov(0)])
        p.remove(2)
        expectPatched([mov(0), mov(1), mov(2), mov(3), S.exit], p,
                      tables: SideTables(instructionArrays: [InstructionArrayTable(entries: [3, 2, 0, nil])]),
                      slots: [mov(1), mov(0), mov(1), mov(3), S.exit],
                      tables: SideTables(instructionArrays: [InstructionArrayTable(entries: [3, nil, 0, nil])]))
    }

    @Test("range overflow only above 32767 slots, blaming the first failing patch")
    func rangeOverflow() {
        // n = 32767, 0: ja +32765 (→32766). Growing by 2 at slot 10: new length 32769,
        // off 32767 fits. Growing by 3: off 32768 does not fit s16.
        let n = 32_767
        var program = (0..<n).map { mov(Int32($0)) }
        program[0] = S.ja(32_765)
        program[n - 1] = S.exit
        var fits = PatchSet()
        fits.replace(10, with: [mov(-1), mov(-2), mov(10)])
        var expected = program
        expected[0] = S.ja(32_767)
        expected.replaceSubrange(10...10, with: [mov(-1), mov(-2), mov(10)])
        expectPatched(program, fits, slots: expected)

        // Patch 0 (at 20000) and patch 1 (at 10) each grow by 2: in ascending order patch 1
        // applies first (fits), then patch 0 overflows: patch 0, original slot 20000.
        var two = PatchSet()
        two.replace(20_000, with: [mov(-1), mov(-2), mov(20_000)])
        two.replace(10, with: [mov(-1), mov(-2), mov(10)])
        expectRejected(program, two, kind: .rangeOverflow, patch: 0, slot: 20_000)

        // Below the threshold nothing is checked and nothing can overflow: a short
        // program growing by 7 is fine.
        var small = PatchSet()
        small.replace(1, with: (0..<8).map { mov(Int32($0)) })
        expectPatched([S.ja(1), mov(1), S.exit], small, slots: [S.ja(8)] + (0..<8).map { mov(Int32($0)) } + [S.exit])
    }

    @Test("with removals, a value may overflow in between and shrink back: the kernel's per-step check vs the final check")
    func intermediateOverflowWithRemoval() throws {
        // n = 32767, 0: ja +32765 (→32766). Patch 0 grows slot 10 by 3, patch 1 removes 20–21.
        // Kernel order: after patch 0 the program has 32770 slots and the ja needs 32768: ERANGE.
        // Final value: 32765 + 3 − 2 = 32766, which fits.
        let n = 32_767
        var program = (0..<n).map { mov(Int32($0)) }
        program[0] = S.ja(32_765)
        program[n - 1] = S.exit
        var p = PatchSet()
        p.replace(10, with: [mov(-1), mov(-2), mov(-3), mov(10)])
        p.remove(20, count: 2)
        var expected = program
        expected[0] = S.ja(32_766)
        expected.removeSubrange(20...21)
        expected.replaceSubrange(10...10, with: [mov(-1), mov(-2), mov(-3), mov(10)])
        #expect(throws: PatchError.self) { try p.applySequentially(to: Program(slots: program)) }
        do {
            _ = try p.applySequentially(to: Program(slots: program))
        } catch {
            #expect(error.kind == .rangeOverflow && error.patch == 0)
        }
        let finalOnly = try p.applySequentially(to: Program(slots: program), tables: SideTables(), options: PatchOptions(), stepRangeChecks: false)
        #expect(finalOnly.program.slots == expected)
        // The batch result is defined as the sequential run: the engine stops where the kernel does.
        expectRejected(program, p, kind: .rangeOverflow, patch: 0, slot: 10)
    }

    @Test("batch validation: overlap, sites out of range, empty replacement and removal")
    func validation() {
        let program = [mov(0), mov(1), mov(2), S.exit]
        var overlap = PatchSet()
        overlap.remove(1, count: 2)
        overlap.replace(2, with: [mov(9)])
        expectRejected(program, overlap, kind: .overlap)
        var same = PatchSet()
        same.replace(1, with: [mov(9)])
        same.replace(1, with: [mov(8)])
        expectRejected(program, same, kind: .overlap)
        var outside = PatchSet()
        outside.replace(4, with: [mov(9)])
        expectRejected(program, outside, kind: .siteOutOfRange, patch: 0, slot: 4)
        var tooLong = PatchSet()
        tooLong.remove(3, count: 2)
        expectRejected(program, tooLong, kind: .siteOutOfRange, patch: 0, slot: 3)
        var empty = PatchSet()
        empty.replace(1, with: [])
        expectRejected(program, empty, kind: .emptyReplacement, patch: 0, slot: 1)
        var zero = PatchSet()
        zero.remove(1, count: 0)
        expectRejected(program, zero, kind: .emptyRemoval, patch: 0, slot: 1)
    }

    @Test("constant-blinding-style re-emission: forward keeps off, backward gets off − 2 (hand-computed)")
    func blindingReemission() {
        // 0 mov0, 1: jeq r1,K +2 (→4), 2 mov2, 3: jeq r1,K −4 (→0), 4 exit.
        // Blinding rewrites a jump as [mov ax, K^r; xor ax, r; jeq r1, ax, off'] with the jump
        // last: forward off' = off; backward off' = (its value at that moment) − 2. At the moment
        // slot 3 is blinded, the patch at 1 has grown by 2, so its value is −4 − 2 = −6, and
        // off' = −8. Result: 0 mov0, 1–3 blinded jeq (+2 → 6? no: adjusted by the later patch:
        // target 6 > 5 → +2 → +4 → 8 = exit), 4 mov2, 5–7 blinded jeq −8 (→0), 8 exit.
        let ax: UInt8 = 11
        func blinded(_ off: Int16) -> [Instruction] {
            [Instruction(code: 0xb7, registers: ax, immediate: 7 ^ 0x1234), Instruction(code: 0xa7, registers: ax, immediate: 0x1234),
             Instruction(code: 0x1d, registers: 0x01 | (ax << 4), offset: off)]
        }
        var p = PatchSet()
        p.replace(1, with: blinded(2))
        p.replace(3, with: blinded(-8))
        expectPatched([mov(0), S.jeqImm(2), mov(2), S.jeqImm(-4), S.exit], p,
                      slots: [mov(0)] + blinded(4) + [mov(2)] + blinded(-8) + [S.exit],
                      origIdx: [0, 0, 0, 1, 2, 0, 0, 3, 4])
    }

    @Test("symbolic fixups resolve against the final layout")
    func fixups() {
        // Patch at 1: [jeq → original 3, ja → local 2, mov9]; patch at 2 grows by 1.
        // Final: 0 mov0, 1 jeq, 2 ja, 3 mov9, 4 a, 5 b, 6 exit. jeq → S(3) = 6: off 4; ja → 3: off 0.
        var p = PatchSet()
        p.append(Patch(site: 1, operation: .replace([S.jeqImm(0), S.ja(0), mov(9)]),
                       fixups: [Fixup(position: 0, target: .original(3)), Fixup(position: 1, target: .local(2))]))
        p.replace(2, with: [mov(20), mov(21)])
        expectPatched([mov(0), mov(1), mov(2), S.exit], p,
                      slots: [mov(0), S.jeqImm(4), S.ja(0), mov(9), mov(20), mov(21), S.exit])
    }

    // Folded in from the former engine-only hand-derived tests, now checked
    // against both engines.

    @Test("a forward jump across an expansion; orig_idx of the fresh slots")
    func forwardJumpAcrossExpansion() {
        // 0: ja +2 (→3); replace 1 by three slots (Δ = 2): target 3 > 1 → off 4.
        // orig_idx: the patched slot's 1 moves to the patch's last slot.
        var p = PatchSet()
        p.replace(1, with: [mov(10), mov(11), mov(12)])
        expectPatched([S.ja(2), mov(1), mov(2), S.exit], p,
                      slots: [S.ja(4), mov(10), mov(11), mov(12), mov(2), S.exit],
                      origIdx: [0, 0, 0, 1, 2, 3])
    }

    @Test("jumps to the patch site from both sides land on the patch's first slot")
    func jumpToPatchSiteFromBothSides() {
        // 0: ja +0 (→1 == p: left alone); 2: ja −2 (→1 ≤ p: keeps slot 1 from new 3: −3).
        var p = PatchSet()
        p.replace(1, with: [mov(7), mov(8)])
        expectPatched([S.ja(0), mov(1), S.ja(-2), S.exit], p,
                      slots: [S.ja(0), mov(7), mov(8), S.ja(-3), S.exit])
    }

    @Test("adjacent one-slot removals chain; the last deleted line record moves on")
    func removalChainsAndLineInfoCarry() {
        // Step 1 removes slot 1: ja at 0 (→2 ≥ p + 1) gets −1: off 0; record 1
        // is deleted (the survivor, slot 2, has record 2). Step 2 removes
        // original 2 (now at 1): ja's target 1 == p < p + 1 stays: off 0, now
        // original 3. Record 2 is deleted; original 3 has none: it moves there.
        var p = PatchSet()
        p.remove(1)
        p.remove(2)
        expectPatched([S.ja(1), mov(1), mov(2), mov(3), S.exit], p,
                      tables: SideTables(lineInfo: LineInfoTable(slots: [0, 1, 2])),
                      slots: [S.ja(0), mov(3), S.exit],
                      tables: SideTables(lineInfo: LineInfoTable(entries: [.init(record: 0, slot: 0), .init(record: 2, slot: 1)])),
                      origIdx: [0, 3, 4])
    }

    @Test("a target strictly inside a removed run is refused, blaming the removal")
    func targetInsideHole() {
        // 0: ja +1 (→2), inside the run 1..<3 removed by patch 0.
        var p = PatchSet()
        p.remove(1, count: 2)
        expectRejected([S.ja(1), mov(1), mov(2), S.exit], p, kind: .targetInsideRemoval, patch: 0, slot: 1)
    }
}
