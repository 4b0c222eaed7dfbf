/// The kernel's patches re-applied to the original by the batch engine.
public struct RebuiltBatchCheck: Hashable, Sendable, Codable {
    /// Patches in the rebuilt batch.
    public var patches: Int = 0
    /// Original jumps the kernel left in place whose displacement we compare.
    public var agree: Int = 0
    public var disagree: Int = 0
    /// Jumps inside the kernel's slices that leave their slice, re-targeted
    /// symbolically at the original instruction whose replacement starts
    /// at the kernel's target: agreement of the engine's displacement.
    public var sliceExitsAgree: Int = 0
    public var sliceExitsDisagree: Int = 0
    /// Slice exits not expressible (target inside another slice): not compared.
    public var sliceExitsNotCompared: Int = 0
    /// Sites whose new position (engine) equals the kernel's.
    public var positionsAgree: Int = 0
    public var positionsDisagree: Int = 0
    /// True when the engine's output equals the xlated program in every
    /// compared slot.
    public var programIdentical: Bool = false
    /// Xlated slots not compared (references whose target could not be
    /// expressed, pseudo-func `ld_imm64`s of a program without JIT).
    public var slotsNotCompared: Int = 0
    /// The engine's error, when it refused the batch.
    public var engineError: String?
    /// The first few disagreements.
    public var details: [String] = []

    public init() {}
}
