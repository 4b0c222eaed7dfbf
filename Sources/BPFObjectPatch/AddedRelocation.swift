/// A relocation a replacement adds for one of its slots.
///
/// The relocation type follows the instruction: `R_BPF_64_64` for the
/// first slot of an `ld_imm64` (a map or global), `R_BPF_64_32` for a call
/// (set `imm` to -1 for a function symbol, as clang does). The symbol must
/// exist in `.symtab`.
public struct AddedRelocation: Hashable, Sendable {
    /// The slot's position inside the replacement.
    public var position: Int
    /// The symbol's name.
    public var symbol: String

    public init(position: Int, symbol: String) {
        self.position = position
        self.symbol = symbol
    }
}
