import Testing
import BPFInstructions
import BPFPatch

/// Insert-before/after, the symbolic layer and jump relaxation, checked
/// against hand-derived layouts.
@Suite struct ConvenienceTests {
    func mov(_ imm: Int32) -> Instruction { Instruction(code: 0xb7, dst: .r0, immediate: imm) }
    func ja(_ off: Int16) -> Instruction { Instruction(code: 0x05, offset: off) }
    let exit = Instruction(code: 0x95)

    @Test func insertBeforeBackwardJumpKeepsTarget() throws {
        // Constant blinding re-emits a backward jump last of three and
        // subtracts 2 by hand: -3 becomes -5.
        let program = Program(slots: [mov(0), mov(1), ja(-3), exit])
        var patches = PatchSet()
        try patches.insert([mov(7), mov(8)], before: 2, in: program)
        let result = try patches.apply(to: program)
        #expect(result.program.slots == [mov(0), mov(1), mov(7), mov(8), ja(-5), exit])
    }

    @Test func insertAfterForwardJumpKeepsTarget() throws {
        // 0: ja +2 (→3). Re-emitted first, the jump must skip the two new slots too.
        let program = Program(slots: [ja(2), mov(1), mov(2), exit])
        var patches = PatchSet()
        try patches.insert([mov(7), mov(8)], after: 0, in: program)
        let result = try patches.apply(to: program)
        #expect(result.program.slots == [ja(4), mov(7), mov(8), mov(1), mov(2), exit])
    }

    @Test func insertBeforeSelfLoopLandsOnInsertedCode() throws {
        let program = Program(slots: [mov(0), ja(-1), exit])
        var patches = PatchSet()
        try patches.insert([mov(7)], before: 1, in: program)
        let result = try patches.apply(to: program)
        // ja now at 2 must land on 1 (first slot of the patch): off -2.
        #expect(result.program.slots == [mov(0), mov(7), ja(-2), exit])
    }

    @Test func insertAroundWideLoadKeepsPair() throws {
        let first = Instruction(code: 0x18, dst: .r1, immediate: 5)
        let second = Instruction(code: 0x00, immediate: 0)
        let program = Program(slots: [first, second, exit])
        // One patch each: [mov, first] at 0 (the original second slot
        // follows), [second, mov] at 1.
        var before = PatchSet()
        try before.insert([mov(7)], before: 0, in: program)
        #expect(before.patches == [Patch(site: 0, operation: .replace([mov(7), first]))])
        #expect(try before.apply(to: program).program.slots == [mov(7), first, second, exit])
        #expect(try before.applySequentially(to: program).program.slots == [mov(7), first, second, exit])
        var after = PatchSet()
        try after.insert([mov(7)], after: 0, in: program)
        #expect(after.patches == [Patch(site: 1, operation: .replace([second, mov(7)]))])
        #expect(try after.apply(to: program).program.slots == [first, second, mov(7), exit])
        #expect(try after.applySequentially(to: program).program.slots == [first, second, mov(7), exit])
        var bad = PatchSet()
        #expect(throws: PatchError.self) { try bad.insert([mov(7)], before: 1, in: program) }
    }

    @Test func insertBeforePseudoFuncLoadKeepsItsTarget() throws {
        // 0: mov; 1: ja −2 (→0); 2–3: ld_imm64 func −3 (→0); 4: exit. Insert
        // two slots before 2: [mov, mov, first] at 2 with the first slot's
        // target fixed to original 0: new 4 → imm 0 − 4 − 1 = −5. The ja at 1
        // targets 0 < p: untouched.
        let function = Instruction(code: 0x18, registers: 0x42, immediate: -3)
        let second = Instruction(code: 0x00)
        let program = Program(slots: [mov(0), ja(-2), function, second, exit])
        var patches = PatchSet()
        try patches.insert([mov(7), mov(8)], before: 2, in: program)
        var moved = function
        moved.immediate = -5
        let expected = [mov(0), ja(-2), mov(7), mov(8), moved, second, exit]
        #expect(try patches.apply(to: program).program.slots == expected)
        #expect(try patches.applySequentially(to: program).program.slots == expected)
    }

    @Test func labelsAndOriginalTargets() throws {
        // 0: mov; 1: mov; 2: exit; 3: exit. Replace 1 by:
        //   jne r1, 0 → done ; mov 9 ; ja → original 3 ; done: mov 1
        let program = Program(slots: [mov(0), mov(1), exit, exit])
        var code = PatchSequence()
        let done = code.makeLabel()
        code.append(Instruction(code: 0x55, dst: .r1), to: .label(done))
        code.append(mov(9))
        code.append(ja(0), to: .original(3))
        code.bind(done)
        code.append(mov(1))
        var patches = PatchSet()
        try patches.replace(1, with: code)
        let result = try patches.apply(to: program)
        // New layout: 0 mov0, 1 jne, 2 mov9, 3 ja, 4 mov1, 5 exit, 6 exit.
        #expect(result.program.slots == [mov(0), Instruction(code: 0x55, dst: .r1, offset: 2), mov(9), ja(2), mov(1), exit, exit])
    }

    @Test func unboundLabelIsAnError() {
        var code = PatchSequence()
        let label = code.makeLabel()
        code.append(ja(0), to: .label(label))
        var patches = PatchSet()
        #expect(throws: PatchError.self) { try patches.replace(0, with: code) }
    }

    @Test func relaxationRewritesOverflowingConditionalJump() throws {
        // 0: if r1 == 0 goto 39998; 1...39998: mov; 39999: exit.
        let n = 40000
        var slots = [Instruction(code: 0x15, dst: .r1, offset: 30000)]
        slots += (1..<(n - 1)).map { mov(Int32($0)) }
        slots.append(exit)
        let program = Program(slots: slots)   // 0 → 30001
        var patches = PatchSet()
        patches.replace(1, with: (0..<5000).map { _ in mov(-1) })   // +4999: 30000 + 4999 > 32767
        #expect {
            try patches.apply(to: program)
        } throws: { error in
            let error = error as! PatchError
            return error.kind == .rangeOverflow && error.patch == 0 && error.slot == 1
        }
        let relaxed = try patches.apply(to: program, options: PatchOptions(relaxJumps: true))
        // Slot 0 becomes "if r1 != 0 goto +1; gotol target". The target,
        // original 30001, moved by 4999 (patch) + 1 (relaxation): 35001.
        #expect(relaxed.program.slots[0] == Instruction(code: 0x55, dst: .r1, offset: 1))
        #expect(relaxed.program.slots[1] == Instruction(code: 0x06, immediate: Int32(35001 - 1 - 1)))
        #expect(relaxed.program.slots[35001] == mov(30001))
        #expect(relaxed.program.count == n + 5000)
    }
}
