import BPFInstructions

/// Compares an original instruction with the same-sized xlated slots.
public enum InPlaceRewrite {
    /// nil when the slots are the same instruction (a jump whose
    /// displacement moved counts as the same: the move is reference
    /// adjustment, not a rewrite); otherwise the kind of rewrite:
    /// "helper call" (imm → the helper's offset), "map load" (fd → map
    /// id/address), "call" (other call kinds), "other" (context access
    /// conversion, hard-wired branches, ...).
    ///
    /// - Complexity: O(1).
    public static func kind(original: [Instruction], xlated: [Instruction]) -> String? {
        guard original != xlated, let a = original.first, let b = xlated.first else { return nil }
        if a.code == b.code && a.registers == b.registers && original.count == 1 {
            switch a.referenceField {
            case .offset? where a.immediate == b.immediate: return nil
            case .immediate? where a.code == Instruction.longJumpCode && a.offset == b.offset: return nil
            case .immediate? where a.isCall: return nil  // bpf-to-bpf call: displacement (and JIT's subprog number)
            default: break
            }
        }
        if a.isCall && b.isCall {
            return a.srcNumber == 0 && b.srcNumber == 0 ? "helper call" : "call"
        }
        if a.isLoadImmediate64 && b.isLoadImmediate64 && a.srcNumber == b.srcNumber {
            switch a.srcNumber {
            case 1, 2, 5, 6: return "map load"
            case 4: return nil  // pseudo-func: imm holds the JIT address
            default: break
            }
        }
        return "other"
    }
}
