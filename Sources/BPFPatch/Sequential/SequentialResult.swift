import BPFInstructions

/// The outcome of the sequential reference model
/// (`PatchSet.applySequentially(to:tables:options:)`).
///
/// Carries the same information as `PatchResult`, but in the plain form the
/// model computes it in, so tests can compare the two engines field by field
/// without trusting `IndexMap`.
public struct SequentialResult: Hashable, Sendable {
    /// The new program.
    public var program: Program
    /// The adjusted side tables (same shape as the tables passed in).
    public var tables: SideTables
    /// The kernel's `orig_idx` of every new slot: the original index on the
    /// last slot of each replacement (and on untouched slots), 0 on slots a
    /// patch added.
    public var originalIndices: [Int]
    /// For every new slot, the original slot it came from (a patch's slots
    /// all come from the patch's site).
    public var origins: [SlotIndex]

    public init(program: Program, tables: SideTables, originalIndices: [Int], origins: [SlotIndex]) {
        self.program = program
        self.tables = tables
        self.originalIndices = originalIndices
        self.origins = origins
    }
}
