/// Options of `PatchSet.apply`.
public struct PatchOptions: Hashable, Sendable {
    /// The largest program, before or after the batch, that the engines
    /// accept: 2^24 slots (128 MiB of instructions, 16 times the kernel's
    /// own limit of one million).
    public static let defaultMaximumSlotCount = 1 << 24

    /// Accept results that split an `ld_imm64` or target its second slot,
    /// as the kernel's constant blinding does. Off by default.
    public var allowSplitWideLoads: Bool
    /// When a 16-bit jump overflows, rewrite `ja` as `gotol` and a
    /// conditional jump as inverted condition + `gotol`, iterating to a fixed
    /// point. Not kernel behaviour; off by default.
    public var relaxJumps: Bool
    /// Inputs or results with more slots are refused with
    /// `PatchError.Kind.programTooLarge`. At most `Int32.max` (the index
    /// map stores 32-bit indices).
    public var maximumSlotCount: Int

    public init(allowSplitWideLoads: Bool = false, relaxJumps: Bool = false,
                maximumSlotCount: Int = PatchOptions.defaultMaximumSlotCount) {
        self.allowSplitWideLoads = allowSplitWideLoads
        self.relaxJumps = relaxJumps
        self.maximumSlotCount = maximumSlotCount
    }

    /// Programs of at most this many slots are written with a 4-byte-per-slot
    /// table of new starts (128 KiB at most: in cache beside the program, one
    /// load per target); larger ones with the compact index map, which stays
    /// in cache where such a table would not (measured: at N = 100,000 the
    /// 400 KB table lost to the compact map). Not an observable choice:
    /// tests set it to 0 to run every case through the compact path too.
    var denseLookupLimit = 1 << 15

    /// `maximumSlotCount`, clamped to what the index map can hold.
    var slotLimit: Int { min(max(maximumSlotCount, 0), Int(Int32.max) - 1) }
}
