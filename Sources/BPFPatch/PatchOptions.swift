/// Options of `PatchSet.apply`.
public struct PatchOptions: Hashable, Sendable {
    /// Accept results that split an `ld_imm64` or target its second slot,
    /// as the kernel's constant blinding does. Off by default.
    public var allowSplitWideLoads: Bool
    /// When a 16-bit jump overflows, rewrite `ja` as `gotol` and a
    /// conditional jump as inverted condition + `gotol`, iterating to a fixed
    /// point. Not kernel behaviour; off by default.
    public var relaxJumps: Bool

    public init(allowSplitWideLoads: Bool = false, relaxJumps: Bool = false) {
        self.allowSplitWideLoads = allowSplitWideLoads
        self.relaxJumps = relaxJumps
    }
}
