/// One formatted instruction: its text and how many slots it used.
public struct FormattedInstruction: Hashable, Sendable {
    /// The assembly text, without index or trailing newline.
    public var text: String
    /// 2 for a decoded `ld_imm64`, otherwise 1.
    public var slotCount: Int
    /// False when the encoding has no meaning in the syntax (the text is then
    /// the syntax's placeholder, e.g. llvm's `<unknown>`).
    public var isValid: Bool

    public init(text: String, slotCount: Int, isValid: Bool) {
        self.text = text
        self.slotCount = slotCount
        self.isValid = isValid
    }
}
