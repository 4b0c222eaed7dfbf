import Testing
import BPFInstructions
import BPFPatch

/// Hand-derived checks written with the engine; the differential suites
/// compare it against the sequential model.
@Suite struct EngineHandDerivedTests {
    let mov = { (imm: Int32) in Instruction(code: 0xb7, dst: .r0, immediate: imm) }
    let ja = { (off: Int16) in Instruction(code: 0x05, offset: off) }
    let exit = Instruction(code: 0x95)

    @Test func forwardJumpAcrossExpansion() throws {
        // 0: ja +2 (→3); 1: mov 1; 2: mov 2; 3: exit. Replace 1 by three slots.
        let program = Program(slots: [ja(2), mov(1), mov(2), exit])
        var patches = PatchSet()
        patches.replace(1, with: [mov(10), mov(11), mov(12)])
        let result = try patches.apply(to: program)
        #expect(result.program.slots == [ja(4), mov(10), mov(11), mov(12), mov(2), exit])
        #expect(result.indexMap.originalIndices() == [0, 0, 0, 1, 2, 3])
    }

    @Test func jumpToPatchSiteLandsOnFirstSlot() throws {
        // 0: ja +0 (→1); 1: mov; 2: ja -2 (→1); 3: exit. Replace 1 by two slots.
        let program = Program(slots: [ja(0), mov(1), ja(-2), exit])
        var patches = PatchSet()
        patches.replace(1, with: [mov(7), mov(8)])
        let result = try patches.apply(to: program)
        #expect(result.program.slots == [ja(0), mov(7), mov(8), ja(-3), exit])
    }

    @Test func removalChainsAndLineInfoCarry() throws {
        // Remove slots 1 and 2 as two adjacent one-slot removals; 0: ja +1 (→2).
        let program = Program(slots: [ja(1), mov(1), mov(2), mov(3), exit])
        var patches = PatchSet()
        patches.remove(1)
        patches.remove(2)
        let tables = SideTables(lineInfo: LineInfoTable(slots: [0, 1, 2]))
        let result = try patches.apply(to: program, tables: tables)
        #expect(result.program.slots == [ja(0), mov(3), exit])  // 2 → first survivor, new 1
        // Record 2 (slot 2) is the last deleted; slot 3 has none: it moves there (new 1).
        #expect(result.tables.lineInfo?.entries == [.init(record: 0, slot: 0), .init(record: 2, slot: 1)])
    }

    @Test func targetInsideHoleIsRejected() {
        let program = Program(slots: [ja(1), mov(1), mov(2), exit])
        var patches = PatchSet()
        patches.remove(1, count: 2)
        #expect(throws: PatchError.self) { try patches.apply(to: program) }
    }
}
