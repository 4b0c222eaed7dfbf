import BPFInstructions

/// One line of a disassembly.
public struct DisassembledLine: Hashable, Sendable {
    /// The slot where the instruction starts.
    public var index: SlotIndex
    /// The slots it occupies (2 for a decoded `ld_imm64`).
    public var slotCount: Int
    /// The instruction text.
    public var text: String
    /// False when the formatter could not decode the slot.
    public var isValid: Bool

    public init(index: SlotIndex, slotCount: Int, text: String, isValid: Bool) {
        self.index = index
        self.slotCount = slotCount
        self.text = text
        self.isValid = isValid
    }
}
