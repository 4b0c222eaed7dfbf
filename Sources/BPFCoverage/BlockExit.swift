/// How control leaves a basic block.
public enum BlockExit: Hashable, Sendable {
    /// Into the next block, which starts at a jump target.
    case fallsThrough(Int)
    /// `ja`/`gotol` to a block.
    case jump(Int)
    /// A conditional jump (including `may_goto`): to `taken` or on to `notTaken`.
    case branch(taken: Int, notTaken: Int)
    /// The program may end here: `bpf_tail_call` does not come back when
    /// it succeeds, and a legacy packet load (`LD_ABS`/`LD_IND`) ends the
    /// program (returning 0) when it reads out of the packet. Otherwise
    /// control continues into the next block.
    case mayEnd(Int)
    /// `exit`: returns from the subprogram (or the program).
    case exit
}
