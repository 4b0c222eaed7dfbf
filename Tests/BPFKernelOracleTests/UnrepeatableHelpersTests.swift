import BPFInstructions
import BPFKernelOracle
import Testing

/// The helper list `verify` and `cover` share: numbers from the kernel's
/// `enum bpf_func_id` (uapi/linux/bpf.h), written out here.
@Suite struct UnrepeatableHelpersTests {
    @Test func listIsTheFourHelpers() {
        #expect(Set(UnrepeatableHelpers.ids.map(\.rawValue)) == [7, 8, 118, 160])
    }

    @Test func firstHelperCallIsFound() {
        // ktime_get_ns (5) repeats never, so it is not listed; a bpf-to-bpf
        // call with imm 7 is not a helper call.
        let program = Program(slots: [.call(helper: .ktimeGetNs), .call(relative: 7), .call(helper: HelperID(rawValue: 118)),
                                      .call(helper: HelperID(rawValue: 7)), .exit])
        #expect(UnrepeatableHelpers.firstCall(in: program)?.rawValue == 118)
        #expect(UnrepeatableHelpers.firstCall(in: Program(slots: [.call(helper: .ktimeGetNs), .call(relative: 7), .exit])) == nil)
    }
}
