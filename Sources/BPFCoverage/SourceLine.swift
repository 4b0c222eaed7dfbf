import BPFInstructions

/// A line info record in program slot coordinates, with its strings
/// resolved: the source position of the instructions from `slot` up to
/// the next record.
public struct SourceLine: Hashable, Sendable {
    public var slot: SlotIndex
    public var file: String
    /// 1-based; 0 when the compiler gave none.
    public var line: Int
    public var column: Int
    /// The line's text as the compiler recorded it.
    public var text: String

    public init(slot: SlotIndex, file: String, line: Int, column: Int = 0, text: String = "") {
        self.slot = slot
        self.file = file
        self.line = line
        self.column = column
        self.text = text
    }
}
