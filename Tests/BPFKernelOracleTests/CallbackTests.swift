import BPFInstructions
import BPFKernel
import Testing
@testable import BPFKernelOracle

/// A callback passed by a pseudo-func `ld_imm64` to `bpf_loop`, which the
/// verifier inlines (a documented optimisation since Linux 5.19) into a
/// loop that calls the callback bpf-to-bpf:
///
///     0 r1 = 3                      nr_loops
///     1 r2 = callback (ld_imm64, src 4, imm +6 → 8)
///     3 r3 = 0                      ctx
///     4 r4 = 0                      flags
///     5 call bpf_loop (181)
///     6 r0 = 0
///     7 exit
///     8 r0 = 0                      callback
///     9 exit
@Suite(.serialized) struct CallbackTests {
    static let program = Program(slots: [
        Asm.mov(.r1, 3),
        Instruction(code: 0x18, dst: .r2, src: .r4, immediate: 6), Instruction(code: 0),
        Asm.mov(.r3, 0), Asm.mov(.r4, 0), Asm.call(181),
        Asm.mov(.r0, 0), Asm.exit,
        Asm.mov(.r0, 0), Asm.exit,
    ])

    @Test func inlinedLoopIsRebuiltAndItsCallAgrees() throws {
        guard kernelAvailable() else { return }
        let stats = KernelPatchStatistics.measure(LinkedProgram(type: .socketFilter, program: Self.program, name: "cb"), object: "hand")
        guard stats.loaded else {
            Issue.record("kernel refused the bpf_loop program: \(stats.reason ?? "?")")
            return
        }
        #expect(stats.expanded == 1)                     // the bpf_loop call
        let rebuilt = try #require(stats.rebuilt)
        #expect(rebuilt.engineError == nil)
        #expect(rebuilt.programIdentical, "\(rebuilt.details)")
        #expect(rebuilt.sliceExitsAgree >= 1)            // at least the call into the callback
        #expect(rebuilt.sliceExitsDisagree == 0 && rebuilt.positionsDisagree == 0)
        #expect(rebuilt.slotsNotCompared == 0)
        #expect(rebuilt.agree == 1)                      // the pseudo-func ld_imm64, left in place
    }

    @Test func twoLoadsGiveTheSameXlatedCodeWithoutMasking() throws {
        guard kernelAvailable() else { return }
        let input = LinkedProgram(type: .socketFilter, program: Self.program, name: "cb")
        let first = try KernelPatchStatistics.load(input)
        let second = try KernelPatchStatistics.load(input)
        let a = first.1.translated, b = second.1.translated
        #expect(a.slots == b.slots)
        #expect(XlatedComparison(a, b).isIdentical)
        // The callback (r0 = 0; exit) is not patched, so it is the last two
        // xlated slots; after JIT the ld_imm64 at 1 points at it.
        if first.1.jitedLength > 0 {
            #expect(a.slots[1].isLoadImmediate64 && a.slots[1].srcNumber == 4)
            #expect(1 + Int(a.slots[1].immediate) + 1 == a.count - 2)
        }
    }
}
