/// One logical instruction: a single slot, or both slots of an `ld_imm64`.
public struct LogicalInstruction: Hashable, Sendable {
    /// The slot index of the first slot.
    public var index: SlotIndex
    /// The first (or only) slot.
    public var first: Instruction
    /// The second slot of an `ld_imm64`; nil otherwise, and nil for an
    /// `ld_imm64` that is truncated by the end of the program.
    public var second: Instruction?

    public init(index: SlotIndex, first: Instruction, second: Instruction? = nil) {
        self.index = index
        self.first = first
        self.second = second
    }

    /// The number of slots this instruction occupies in the program.
    public var slotCount: Int { second == nil ? 1 : 2 }
}

extension Program {
    /// The program's logical instructions in order.
    ///
    /// - Complexity: O(1) to create; O(n) to iterate, where n is the slot count.
    public var instructions: LogicalInstructions { LogicalInstructions(slots: slots) }

    /// A sequence of logical instructions over slots.
    public struct LogicalInstructions: Sequence, Sendable {
        let slots: [Instruction]

        public func makeIterator() -> Iterator { Iterator(slots: slots, position: 0) }

        public struct Iterator: IteratorProtocol {
            let slots: [Instruction]
            var position: Int

            public mutating func next() -> LogicalInstruction? {
                guard position < slots.count else { return nil }
                let first = slots[position]
                var second: Instruction? = nil
                if first.isLoadImmediate64 && position + 1 < slots.count {
                    second = slots[position + 1]
                }
                let result = LogicalInstruction(index: SlotIndex(position), first: first, second: second)
                position += result.slotCount
                return result
            }
        }
    }

    /// For each slot, true when it is the second half of an `ld_imm64`.
    ///
    /// - Complexity: O(n), where n is the slot count.
    public func secondHalfMask() -> [Bool] {
        var mask = [Bool](repeating: false, count: slots.count)
        var i = 0
        while i < slots.count {
            if slots[i].isLoadImmediate64 && i + 1 < slots.count {
                mask[i + 1] = true
                i += 2
            } else {
                i += 1
            }
        }
        return mask
    }
}
