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
    ///
    /// - Complexity: O(1).
    public var successors: [Int] {
        switch exit {
        case .fallsThrough(let next), .jump(let next), .mayEnd(let next): [next]
        case .branch(let taken, let notTaken): taken == notTaken ? [taken] : [notTaken, taken]
        case .exit: []
        }
    }
}
