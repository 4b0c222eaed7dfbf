import BPFInstructions

/// Helpers whose result may repeat by chance between two test runs, so
/// "run the original twice and compare only when it repeats" cannot tell
/// whether a difference matters: random numbers, the CPU id and coarse
/// clocks. (Fine-grained clocks such as `ktime_get_ns` differ on every run
/// and are caught by that check.) `verify` and `cover` both run such
/// programs without comparing them.
public enum UnrepeatableHelpers {
    /// `get_prandom_u32`, `get_smp_processor_id`, `jiffies64`, `ktime_get_coarse_ns`.
    public static let ids: Set<HelperID> = [.getPrandomU32, .getSmpProcessorID, .jiffies64, .ktimeGetCoarseNs]

    /// The first helper call of `program` to one of `ids`, or nil.
    ///
    /// - Complexity: O(n) in the program's slots.
    public static func firstCall(in program: Program) -> HelperID? {
        for insn in program.slots where insn.isCall && insn.callKind == .helper {
            let helper = HelperID(rawValue: insn.immediate)
            if ids.contains(helper) { return helper }
        }
        return nil
    }
}
