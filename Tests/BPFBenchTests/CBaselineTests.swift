import BPFTestSupport
import BPFInstructions
import BPFPatch
import CBPFBenchBaseline
import Foundation
import Testing
@testable import BPFBench

/// The C contender must produce the batch engine's program, byte for byte,
/// and refuse what the engine refuses on the cases it models.
struct CBaselineTests {
    static let workloads: [SyntheticParameters] = [
        SyntheticParameters(slots: 1_500, jumpDensity: 0.2, patchDensity: 0.1, seed: 21),
        SyntheticParameters(slots: 1_500, jumpDensity: 0.5, patchDensity: 0.3, removalFraction: 0.3, seed: 22),
        SyntheticParameters(slots: 1_000, jumpDensity: 0.05, patchDensity: 0.01, seed: 23),
        SyntheticParameters(slots: 800, jumpDensity: 0.5, patchDensity: 0.3, removalFraction: 0.6, seed: 24),
        SyntheticParameters(slots: 3_000, jumpDensity: 0.2, patchDensity: 0.1, jumpReach: 40, seed: 25),
    ]

    @Test(arguments: workloads)
    func agreesWithEngine(_ parameters: SyntheticParameters) throws {
        let workload = Workload.synthetic(parameters)
        let engine = try workload.patches.apply(to: workload.program)
        let baseline = try CBaseline(workload.patches, programCount: workload.inputSlots)
        let slots = try baseline.apply(to: workload.program)
        #expect(slots.count == workload.outputSlots)
        #expect(slots == engine.program.slots)
        // References really moved: the plain layout differs from both.
        #expect(LayoutCopy.apply(workload.patches.patches, to: workload.program, outputCount: workload.outputSlots) != slots)
    }

    /// Hand derivation. Original: 0 `jeq r1, 0, +2` (→ 3), 1 `mov r0, 1`,
    /// 2 `exit`, 3 `ja -4` (→ 0), 4 `exit`. Slot 1 becomes
    /// [`add r9, 1`, `mov r0, 1`] (Δ = +1), slot 2 is removed (Δ = −1).
    /// New: 0 `jeq +2` (→ new 3 = S(3)), 1 add, 2 mov, 3 `ja -4` (→ 0), 4 exit.
    @Test func handDerivedBatch() throws {
        let program = Program(slots: [
            Instruction(code: 0x15, dst: .r1, offset: 2),
            Instruction(code: 0xb7, dst: .r0, immediate: 1),
            Instruction(code: 0x95),
            Instruction(code: 0x05, offset: -4),
            Instruction(code: 0x95),
        ])
        var patches = PatchSet()
        patches.replace(SlotIndex(1), with: [Instruction(code: 0x07, dst: .r9, immediate: 1), program.slots[1]])
        patches.remove(SlotIndex(2))
        let expected = [
            Instruction(code: 0x15, dst: .r1, offset: 2),
            Instruction(code: 0x07, dst: .r9, immediate: 1),
            Instruction(code: 0xb7, dst: .r0, immediate: 1),
            Instruction(code: 0x05, offset: -4),
            Instruction(code: 0x95),
        ]
        #expect(try CBaseline(patches, programCount: 5).apply(to: program) == expected)
        #expect(try patches.apply(to: program).program.slots == expected)
    }

    /// Forward jump of 32767 slots over a slot that grows by one: it no
    /// longer fits `off`.
    @Test func rangeOverflowIsRefused() throws {
        var slots = [Instruction](repeating: Instruction(code: 0xb7, dst: .r0), count: 32_770)
        slots[0] = Instruction(code: 0x05, offset: Int16.max)   // → 32768
        slots[32_769] = Instruction(code: 0x95)
        var patches = PatchSet()
        patches.replace(SlotIndex(5), with: [Instruction(code: 0xb7, dst: .r1), slots[5]])
        let program = Program(slots: slots)
        #expect(throws: PatchError.self) { try patches.apply(to: program) }
        let failure = #expect(throws: CBaseline.Failure.self) {
            try CBaseline(patches, programCount: program.count).apply(to: program)
        }
        #expect(failure?.status == CBB_RANGE.rawValue)
        #expect(failure?.slot == 0)
    }

    /// A jump to slot 3, strictly inside the removed run 2..<5.
    @Test func referenceIntoHoleIsRefused() throws {
        var slots = [Instruction](repeating: Instruction(code: 0xb7, dst: .r0), count: 8)
        slots[0] = Instruction(code: 0x05, offset: 2)   // → 3
        slots[7] = Instruction(code: 0x95)
        var patches = PatchSet()
        patches.remove(SlotIndex(2), count: 3)
        let program = Program(slots: slots)
        #expect(throws: PatchError.self) { try patches.apply(to: program) }
        let failure = #expect(throws: CBaseline.Failure.self) {
            try CBaseline(patches, programCount: program.count).apply(to: program)
        }
        #expect(failure?.status == CBB_TARGET_IN_HOLE.rawValue)
    }

    /// A jump to the second slot of an ld_imm64, and a patch that cuts one.
    @Test func wideLoadHalvesAreChecked() throws {
        var slots = [Instruction](repeating: Instruction(code: 0xb7, dst: .r0), count: 8)
        slots[0] = Instruction(code: 0x05, offset: 2)   // → 3, a second half
        slots[2] = Instruction(code: Instruction.loadImmediate64Code, dst: .r1, immediate: 7)
        slots[3] = Instruction(code: 0)
        slots[7] = Instruction(code: 0x95)
        var none = PatchSet()
        none.replace(SlotIndex(5), with: [slots[5], slots[5]])
        let program = Program(slots: slots)
        #expect(throws: PatchError.self) { try none.apply(to: program) }
        let failure = #expect(throws: CBaseline.Failure.self) {
            try CBaseline(none, programCount: program.count).apply(to: program)
        }
        #expect(failure?.status == CBB_SPLIT_WIDE_LOAD.rawValue)

        slots[0] = Instruction(code: 0x05, offset: 0)
        var cut = PatchSet()
        cut.replace(SlotIndex(3), with: [Instruction(code: 0xb7, dst: .r2), Instruction(code: 0)])
        let split = Program(slots: slots)
        #expect(throws: PatchError.self) { try cut.apply(to: split) }
        let cutFailure = #expect(throws: CBaseline.Failure.self) {
            try CBaseline(cut, programCount: split.count).apply(to: split)
        }
        #expect(cutFailure?.status == CBB_SPLIT_WIDE_LOAD.rawValue)
    }

    @Test(.needsCorpus) func corpusWorkloadAgrees() throws {
        let path = TestCorpus.root.appendingPathComponent("ebpf-samples/cilium-core/bpf_xdp.o").path
        try #require(FileManager.default.fileExists(atPath: path), "corpus at \(path)")
        let workload = try Workload.corpus(path: path)
        let engine = try workload.patches.apply(to: workload.program)
        #expect(try CBaseline(workload.patches, programCount: workload.inputSlots).apply(to: workload.program)
                == engine.program.slots)
    }
}

/// The counting allocator sees exactly what is allocated.
struct AllocationProbeTests {
    @Test func countsAnArrayAndItsRelease() throws {
        let (usage, bytes) = AllocationProbe.measure { [UInt8](repeating: 1, count: 1_000_000) }
        let measured = try #require(usage, "the counting allocator is the process's malloc")
        #expect(bytes.count == 1_000_000)
        // The array's payload plus its header and malloc's rounding (a page at most).
        #expect(measured.peakBytes >= 1_000_000 && measured.peakBytes < 1_000_000 + 4_096 + 64)
        #expect(measured.liveBytes == measured.peakBytes)

        let (transient, _) = AllocationProbe.measure { () -> Int in
            let scratch = [Int](repeating: 2, count: 100_000)
            return scratch.reduce(0, +)
        }
        let freed = try #require(transient)
        #expect(freed.peakBytes >= 800_000)
        #expect(freed.liveBytes < 1_000)
    }
}
