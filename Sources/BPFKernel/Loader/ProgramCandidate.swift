import BPFInstructions

/// An entry program found in an object: a function of a non-`.text`
/// executable section, or a whole section without function symbols.
public struct ProgramCandidate: Hashable, Sendable {
    public var section: String
    public var sectionIndex: Int
    /// The function name, or the section name for symbol-less sections.
    public var name: String
    /// The function's slots in its section.
    public var slots: Range<SlotIndex>
}
