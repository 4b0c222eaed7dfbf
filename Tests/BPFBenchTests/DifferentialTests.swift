import BPFInstructions
import BPFPatch
import Foundation
import Testing
@testable import BPFBench

/// The draft design is an independent implementation of the batch
/// semantics: it must agree with the batch engine and the sequential model.
struct DifferentialTests {
    static let workloads: [SyntheticParameters] = [
        SyntheticParameters(slots: 1_500, jumpDensity: 0.2, patchDensity: 0.1, seed: 11),
        SyntheticParameters(slots: 1_500, jumpDensity: 0.5, patchDensity: 0.3, removalFraction: 0.3, seed: 12),
        SyntheticParameters(slots: 1_000, jumpDensity: 0.05, patchDensity: 0.01, seed: 13),
        SyntheticParameters(slots: 800, jumpDensity: 0.5, patchDensity: 0.3, removalFraction: 0.6, seed: 14),
    ]

    @Test(arguments: workloads)
    func draftAgreesWithEngineAndSequentialModel(_ parameters: SyntheticParameters) throws {
        let workload = Workload.synthetic(parameters)
        let engine = try workload.patches.apply(to: workload.program, tables: workload.tables)
        let sequential = try workload.patches.applySequentially(to: workload.program, tables: workload.tables)
        let draft = try DraftPatcher(patches: workload.patches, originalCount: workload.inputSlots)
        let program = try draft.apply(to: workload.program)
        let tables = try draft.adjust(workload.tables)
        #expect(program == sequential.program)
        #expect(tables == sequential.tables)
        #expect(program == engine.program)
        #expect(tables == engine.tables)
    }

    @Test(arguments: workloads)
    func floorLaysOutLikeTheEngine(_ parameters: SyntheticParameters) throws {
        let workload = Workload.synthetic(parameters)
        let engine = try workload.patches.apply(to: workload.program)
        let layout = LayoutCopy.apply(workload.patches.patches, to: workload.program, outputCount: workload.outputSlots)
        try BenchRunner.checkLayout(layout, against: engine.program.slots, workload: workload.name)
        // And it really leaves references alone: some of them differ.
        #expect(layout != engine.program.slots)
        #expect(PlainCopy.apply(to: workload.program, outputCount: workload.outputSlots).count == workload.outputSlots)
    }

    /// Hand-derived: slots 0 `jeq r1, 0, +2` (→ 3), 1 `mov r2, 1`,
    /// 2 `mov r3, 1`, 3 `exit`. Replace 1 by three slots, remove 2.
    /// New layout: 0 jeq, 1–3 replacement, 4 exit, so the jump becomes +3.
    /// Line info [0, 1, 2]: slot 2's record is the last of the removed run
    /// and slot 3 has none, so it moves to slot 3's new index, 4.
    /// A second case with a record at 3 as well drops the record of slot 2.
    @Test func handDerivedBatch() throws {
        let program = Program(slots: [
            Instruction.jump(.jeq, .r1, 0, offset: 2),
            Instruction.mov(.r2, 1),
            Instruction.mov(.r3, 1),
            Instruction.exit,
        ])
        var patches = PatchSet()
        patches.replace(SlotIndex(1), with: [Instruction.mov(.r4, 0), Instruction.mov(.r5, 0),
                                             Instruction.mov(.r2, 1)])
        patches.remove(SlotIndex(2))
        let draft = try DraftPatcher(patches: patches, originalCount: 4)
        let out = try draft.apply(to: program)
        #expect(out.count == 5)
        #expect(out.slots[0].offset == 3)
        #expect(out.slots[4].code == 0x95)
        let carried = draft.adjust(LineInfoTable(slots: [0, 1, 2]))
        #expect(carried.entries == [.init(record: 0, slot: 0), .init(record: 1, slot: 1), .init(record: 2, slot: 4)])
        let dropped = draft.adjust(LineInfoTable(slots: [0, 2, 3]))
        #expect(dropped.entries == [.init(record: 0, slot: 0), .init(record: 2, slot: 4)])
        // Subprogram starting at 3 moves to 4; the exit entry becomes 5.
        let subprograms = try draft.adjust(SubprogramTable(starts: [0, 3, 4]))
        #expect(subprograms.starts == [0, 4, 5])
    }

    /// A replacement's own reference, read after its step (hand-derived):
    /// slots 0 `mov`, 1 `mov`, 2 `ja -3` (→ 0), 3 `exit`; patch 0 grows
    /// slot 0 to 2 slots, patch 1 replaces slot 2 by [ja -4, mov]: at its
    /// step the ja sits at new slot 3 and -4 reads as target 0 (behind: final).
    /// A forward one, `ja +1` at position 0 of a 2-slot patch at 1, means
    /// original slot 2 (ahead: original spacing).
    @Test func displacementsInsideReplacements() throws {
        let program = Program(slots: [
            Instruction.mov(.r0, 0), Instruction.mov(.r1, 0), Instruction.ja(-3), Instruction.exit,
        ])
        var patches = PatchSet()
        patches.replace(SlotIndex(0), with: [Instruction.mov(.r2, 0), Instruction.mov(.r0, 0)])
        patches.replace(SlotIndex(2), with: [Instruction.ja(-4), Instruction.mov(.r3, 0)])
        let out = try DraftPatcher(patches: patches, originalCount: 4).apply(to: program)
        #expect(out.slots.map(\.code) == [0xb7, 0xb7, 0xb7, 0x05, 0xb7, 0x95])
        #expect(out.slots[3].offset == -4)   // target 0
        var forward = PatchSet()
        forward.replace(SlotIndex(1), with: [Instruction.ja(1), Instruction.mov(.r1, 0)])
        let out2 = try DraftPatcher(patches: forward, originalCount: 4).apply(to: program)
        // ja at new 1 targets original 2, now at new 3: displacement +1.
        #expect(out2.slots[1].offset == 1)
        // The original ja -3 (→ 0) at new 3 keeps target 0: -4.
        #expect(out2.slots[3].offset == -4)
    }
}
