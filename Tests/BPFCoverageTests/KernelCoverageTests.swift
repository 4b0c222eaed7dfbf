import BPFCoverage
import BPFCoverageKernel
import BPFInstructions
import BPFKernel
import Testing

/// Exact counts of hand-built programs run in the live kernel. Inputs:
/// the four built-in packets (64, 128, 512, 1500 bytes), each run 3
/// times, so 12 runs; `skb->len` ≤ 100 only for the 64-byte packet
/// (whether or not the kernel pulls the Ethernet header first), so
/// 3 runs take a "short" path and 9 a "long" one.
@Suite(.serialized, .needsKernel)
struct KernelCoverageTests {
    let options = CoverageOptions(repeatCount: 3)

    func cover(_ program: Program) -> CoverageRun {
        CoverageRunner.cover(program: program, type: .socketFilter, name: "hand", options: options)
    }

    func expectCovered(_ run: CoverageRun, counts: [UInt64], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.outcome == .covered, "\(run.reason ?? "")", sourceLocation: sourceLocation)
        #expect(run.differences.isEmpty, sourceLocation: sourceLocation)
        #expect(run.inputsCompared == 4, sourceLocation: sourceLocation)
        #expect(run.coverage?.runs == 12, sourceLocation: sourceLocation)
        #expect(run.coverage?.counts == counts, sourceLocation: sourceLocation)
        if let before = run.processedBefore, let after = run.processedAfter {
            #expect(after > before, sourceLocation: sourceLocation)
        } else {
            Issue.record("no verifier statistics", sourceLocation: sourceLocation)
        }
    }

    @Test func straightLine() {
        expectCovered(cover(HandPrograms.straightLine), counts: [12])
    }

    @Test func ifElse() {
        // Entry 12; fallthrough (len ≤ 100) 3; taken 9.
        let run = cover(HandPrograms.ifElse)
        expectCovered(run, counts: [12, 3, 9])
        let branch = run.coverage?.branchCounts
        #expect(branch == [ProgramCoverage.BranchCounts(block: 0, taken: 9, notTaken: 3)])
    }

    @Test func boundedLoopBodyRunsKTimesPerRun() {
        // k = 5: the body block counts 5 × 12.
        expectCovered(cover(HandPrograms.loop(5)), counts: [12, 60, 12])
    }

    @Test func bpfToBPFCalls() {
        // Two calls per run: sub entry and its exit 24; the r1 ≤ 3 path once per run.
        expectCovered(cover(HandPrograms.calls), counts: [12, 24, 12, 24])
    }

    @Test func bpfLoopCallback() {
        // nr_loops 3: the callback runs 3 × 12 (the verifier inlines the loop).
        expectCovered(cover(HandPrograms.callback), counts: [12, 36])
    }

    @Test func wholeStackButTheLast16Bytes() {
        // Depth 496: the spill slots are r10-504 and r10-512, the last free bytes.
        // Both registers are live at blocks 1 and 2; a wrong restore changes r0.
        expectCovered(cover(HandPrograms.deepStack(496)), counts: [12, 3, 12])
    }

    @Test func pathDependentRegistersAreZeroedAtEntry() {
        // Short path (3 runs) through block 1; all 12 reach the join.
        expectCovered(cover(HandPrograms.pathDependentRegisters), counts: [12, 3, 12])
    }

    /// A raw tracepoint runs on a context (its u64 arguments), not a
    /// packet, and refuses the kernel's `repeat`: the runner repeats.
    ///
    ///     0 r2 = *(u64 *)(r1 + 0)    arg 0
    ///     1 if r2 > 5 goto +2        → 4
    ///     2 r0 = 1
    ///     3 exit
    ///     4 r0 = 2
    ///     5 exit
    @Test func rawTracepointRunsOnContexts() {
        let program = Program(slots: [
            Instruction.load(.doubleWord, .r2, .r1, offset: 0), Instruction.jump(.jgt, .r2, 5, offset: 2), Instruction.mov(.r0, 1), Instruction.exit, Instruction.mov(.r0, 2), Instruction.exit,
        ])
        func context(_ arg0: UInt8) -> [UInt8] { [arg0] + [UInt8](repeating: 0, count: 63) }
        // Arguments 3, 9, 4, each run twice: 6 runs, 4 on the ≤ 5 path.
        let options = CoverageOptions(inputs: [context(3), context(9), context(4)], repeatCount: 2)
        let run = CoverageRunner.cover(program: program, type: .rawTracepoint, name: "rawtp", options: options)
        #expect(run.outcome == .covered, "\(run.reason ?? "")")
        #expect(run.inputsCompared == 3)
        #expect(run.coverage?.runs == 6)
        #expect(run.coverage?.counts == [6, 4, 2])
    }

    @Test func outOfBoundsPacketLoadEndsTheProgram() {
        // Offset 100 is past the 64-byte packet: 3 of 12 runs end at the load.
        expectCovered(cover(HandPrograms.packetLoad), counts: [12, 9])
    }

    @Test func noRoomIsRefused() {
        let run = cover(HandPrograms.deepStack(504))
        #expect(run.outcome == .refused)
        #expect(run.reason?.contains("uses 504 of 512 stack bytes") == true, "\(run.reason ?? "")")
        #expect(run.coverage == nil && run.slotsAfter == nil)
    }
}
