import Testing
import BPFInstructions
import BPFPatch

/// The kernel checks every adjusted displacement at every step once the
/// program exceeds 32767 slots, including references that a later step of
/// the same batch replaces or removes. Expected values derived by hand.
@Suite struct StepRangeTests {
    func mov(_ imm: Int32) -> Instruction { Instruction(code: 0xb7, dst: .r1, immediate: imm) }

    /// 30002 slots; slot 30000 is `ja -29991` (→ slot 10), slot 30001 exit.
    var program: [Instruction] {
        var slots = (0..<30_002).map { mov(Int32($0)) }
        slots[30_000] = Instruction(code: 0x05, offset: -29_991)
        slots[30_001] = Instruction(code: 0x95)
        return slots
    }

    @Test("a backward jump in a slot a later patch replaces still overflows at the earlier step")
    func replacedJumpOverflowsFirst() {
        // Step 0 grows slot 20 by 5000: the jump, still in place, would need
        // -29991 - 5000 = -34991 < -32768, and the program has 35002 slots.
        var patches = PatchSet()
        patches.replace(20, with: (0..<5_001).map { mov(-Int32($0) - 1) })
        patches.replace(30_000, with: [mov(7)])
        expectRejected(program, patches, kind: .rangeOverflow, patch: 0, slot: 20)
    }

    @Test("the same when the later patch removes the jump")
    func removedJumpOverflowsFirst() {
        var patches = PatchSet()
        patches.replace(20, with: (0..<5_001).map { mov(-Int32($0) - 1) })
        patches.remove(30_000)
        expectRejected(program, patches, kind: .rangeOverflow, patch: 0, slot: 20)
    }

    @Test("a growth that keeps the jump in range is accepted by both")
    func smallGrowthIsFine() throws {
        // -29991 - 2000 = -31991 fits: both engines accept and agree.
        var patches = PatchSet()
        patches.replace(20, with: (0..<2_001).map { mov(-Int32($0) - 1) })
        patches.replace(30_000, with: [mov(7)])
        let input = Program(slots: program)
        let engine = try patches.apply(to: input)
        let model = try patches.applySequentially(to: input)
        #expect(engine.program == model.program)
        #expect(engine.program.count == 32_002)
    }
}
