import BPFInstructions

/// A maximal straight-line run of slots: entered only at its first slot,
/// left only after its last instruction.
public struct BasicBlock: Hashable, Sendable {
    /// The block's number: its position in slot order, and its counter's index.
    public var index: Int
    /// The slots of the block (an `ld_imm64` is never split).
    public var slots: Range<SlotIndex>
    /// The subprogram the block belongs to (index into `BlockGraph.subprograms`).
    public var subprogram: Int
    /// How control leaves the block.
    public var exit: BlockExit

    public init(index: Int, slots: Range<SlotIndex>, subprogram: Int, exit: BlockExit) {
        self.index = index
        self.slots = slots
        self.subprogram = subprogram
        self.exit = exit
    }

    /// The blocks control can reach directly (not through calls).
    public var successors: [Int] {
        switch exit {
        case .fallsThrough(let next), .jump(let next), .tailCall(let next): [next]
        case .branch(let taken, let notTaken): taken == notTaken ? [taken] : [notTaken, taken]
        case .exit: []
        }
    }
}

/// How control leaves a basic block.
public enum BlockExit: Hashable, Sendable {
    /// Into the next block, which starts at a jump target.
    case fallsThrough(Int)
    /// `ja`/`gotol` to a block.
    case jump(Int)
    /// A conditional jump (including `may_goto`): to `taken` or on to `notTaken`.
    case branch(taken: Int, notTaken: Int)
    /// `bpf_tail_call`: on success control does not come back; on failure
    /// it continues into the next block.
    case tailCall(Int)
    /// `exit`: returns from the subprogram (or the program).
    case exit
}
