import BPFInstructions

/// The basic blocks of a program, every subprogram and callback included.
///
/// A block starts at the program's entry, at every subprogram start (a
/// bpf-to-bpf call target or a function reference of a pseudo-func
/// `ld_imm64`, such as a `bpf_loop` callback), at every jump target, and
/// after every jump, `exit`, `bpf_tail_call` and legacy packet load (which
/// ends the program when it reads out of bounds). Blocks are numbered in
/// slot order; block k's counter is the k-th 64-bit word of the counter
/// value.
///
///     let graph = try BlockGraph(program: program)
///     for block in graph.blocks { print(block.slots, block.successors) }
public struct BlockGraph: Hashable, Sendable {
    /// The program the blocks were computed from.
    public let program: Program
    /// The blocks, in slot order.
    public let blocks: [BasicBlock]
    /// The subprograms, in slot order; the first is the entry.
    public let subprograms: [Subprogram]
    /// For each block, the blocks that reach it directly (not through calls).
    public let predecessors: [[Int]]

    /// A function of the program: its slots and blocks.
    public struct Subprogram: Hashable, Sendable {
        /// The slots from its start up to the next subprogram.
        public var slots: Range<SlotIndex>
        /// Its blocks (block numbers).
        public var blocks: Range<Int>
        /// True when a pseudo-func `ld_imm64` refers to it (a callback).
        public var isCallback: Bool
        /// True when a bpf-to-bpf call targets it.
        public var isCalled: Bool
    }

    /// `bpf_tail_call`'s helper id: when it succeeds, the rest of the block does not run.
    static let tailCallHelper = HelperID.tailCall.rawValue

    /// True for instructions after which the program may have ended:
    /// `bpf_tail_call`, and `LD_ABS`/`LD_IND` (out of the packet, they end
    /// the program with 0).
    static func mayEndProgram(_ insn: Instruction) -> Bool {
        if insn.isCall { return insn.callKind == .helper && insn.immediate == tailCallHelper }
        return insn.instructionClass == .ld && (insn.accessMode == .abs || insn.accessMode == .ind)
    }

    /// Splits `program` into basic blocks.
    ///
    /// - Parameter extraSubprogramStarts: further function starts (e.g. from
    ///   func info) besides those found from calls and function references.
    /// - Throws: `CoverageError` for an empty program, a reference outside
    ///   the program or onto an `ld_imm64`'s second slot, and control that
    ///   falls off the end of a subprogram.
    /// - Complexity: O(n + s log s), n slots and s subprogram starts.
    public init(program: Program, extraSubprogramStarts: [SlotIndex] = []) throws(CoverageError) {
        let n = program.count
        guard n > 0 else { throw CoverageError(.emptyProgram, "the program has no instructions") }
        let slots = program.slots
        let second = program.secondHalfMask()
        var leader = [Bool](repeating: false, count: n + 1)
        var called = Set<Int>([]), callbacks = Set<Int>([])
        var starts = Set<Int>([0])
        for start in extraSubprogramStarts {
            guard start.rawValue >= 0 && start.rawValue < n && !second[start.rawValue] else {
                throw CoverageError(.badTarget, slot: start, "subprogram start outside the program")
            }
            starts.insert(start.rawValue)
        }
        leader[0] = true
        var i = 0
        while i < n {
            let insn = slots[i]
            let width = insn.isLoadImmediate64 && i + 1 < n ? 2 : 1
            if let displacement = insn.displacement {
                let target = i + displacement + 1
                guard target >= 0 && target < n && !second[target] else {
                    throw CoverageError(.badTarget, slot: SlotIndex(i), "reference to slot \(target), outside the program or inside an ld_imm64")
                }
                leader[target] = true
                if insn.isCall {
                    starts.insert(target)
                    called.insert(target)
                } else if insn.isLoadImmediate64 {
                    starts.insert(target)
                    callbacks.insert(target)
                } else {
                    leader[i + width] = true
                }
            } else if insn.isExit || Self.mayEndProgram(insn) {
                leader[i + width] = true
            }
            i += width
        }
        for start in starts { leader[start] = true }

        let sortedStarts = starts.sorted()
        var blockStarts: [Int] = []
        for k in 0..<n where leader[k] { blockStarts.append(k) }
        var blockOf = [Int](repeating: -1, count: n)
        for (b, start) in blockStarts.enumerated() {
            let end = b + 1 < blockStarts.count ? blockStarts[b + 1] : n
            for k in start..<end { blockOf[k] = b }
        }
        var subprograms: [Subprogram] = []
        var blocks: [BasicBlock] = []
        blocks.reserveCapacity(blockStarts.count)
        var sub = 0
        for (b, start) in blockStarts.enumerated() {
            while sub + 1 < sortedStarts.count && sortedStarts[sub + 1] <= start { sub += 1 }
            let end = b + 1 < blockStarts.count ? blockStarts[b + 1] : n
            let subEnd = sub + 1 < sortedStarts.count ? sortedStarts[sub + 1] : n
            // The last instruction: step back over an ld_imm64's second slot.
            let last = end - 1 > start && second[end - 1] ? end - 2 : end - 1
            let insn = slots[last]
            let next = end < subEnd ? blockOf[end] : nil
            let exit: BlockExit
            func needNext() throws(CoverageError) -> Int {
                guard let next else {
                    throw CoverageError(.fallsOffEnd, slot: SlotIndex(last), "control falls off the end of the subprogram")
                }
                return next
            }
            if insn.isExit {
                exit = .exit
            } else if Self.mayEndProgram(insn) {
                exit = .mayEnd(try needNext())
            } else if let displacement = insn.displacement, insn.instructionClass.isJump, !insn.isCall {
                let target = blockOf[last + displacement + 1]
                let targetSlot = last + displacement + 1
                guard targetSlot >= sortedStarts[sub] && targetSlot < subEnd else {
                    throw CoverageError(.badTarget, slot: SlotIndex(last), "jump to slot \(targetSlot), outside its subprogram")
                }
                if insn.jumpOperation == .ja {
                    exit = .jump(target)
                } else {
                    exit = .branch(taken: target, notTaken: try needNext())
                }
            } else {
                exit = .fallsThrough(try needNext())
            }
            blocks.append(BasicBlock(index: b, slots: SlotIndex(start)..<SlotIndex(end), subprogram: sub, exit: exit))
        }
        var firstBlock = 0
        for (s, start) in sortedStarts.enumerated() {
            let end = s + 1 < sortedStarts.count ? sortedStarts[s + 1] : n
            var lastBlock = firstBlock
            while lastBlock < blocks.count && blocks[lastBlock].slots.lowerBound.rawValue < end { lastBlock += 1 }
            subprograms.append(Subprogram(slots: SlotIndex(start)..<SlotIndex(end), blocks: firstBlock..<lastBlock,
                                          isCallback: callbacks.contains(start), isCalled: called.contains(start)))
            firstBlock = lastBlock
        }
        var predecessors = [[Int]](repeating: [], count: blocks.count)
        for block in blocks {
            for successor in block.successors { predecessors[successor].append(block.index) }
        }
        self.program = program
        self.blocks = blocks
        self.subprograms = subprograms
        self.predecessors = predecessors
    }

    /// The block containing `slot`, or nil outside the program.
    ///
    /// - Complexity: O(log b).
    public func block(containing slot: SlotIndex) -> Int? {
        guard slot.rawValue >= 0 && slot.rawValue < program.count else { return nil }
        var low = 0, high = blocks.count
        while high - low > 1 {
            let mid = (low + high) / 2
            if blocks[mid].slots.lowerBound <= slot { low = mid } else { high = mid }
        }
        return low
    }
}
