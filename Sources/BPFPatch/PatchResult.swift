import BPFInstructions

/// The outcome of applying a batch.
public struct PatchResult: Hashable, Sendable {
    /// The new program.
    public var program: Program
    /// Where every original slot went.
    public var indexMap: IndexMap
    /// The adjusted side tables (the tables passed in, in the same shape).
    public var tables: SideTables

    public init(program: Program, indexMap: IndexMap, tables: SideTables) {
        self.program = program
        self.indexMap = indexMap
        self.tables = tables
    }
}
