import BPFInstructions

/// Which implementation applies a batch: the one-pass engine or the
/// sequential reference model. Both must give identical results.
public enum PatchEngineChoice: String, CaseIterable, Hashable, Sendable {
    /// `PatchSet.apply(to:tables:options:)`.
    case batch
    /// `PatchSet.applySequentially(to:tables:options:)`.
    case sequential
}

extension PatchSet {
    /// Applies the batch with the chosen engine and returns what both have
    /// in common: the program, the tables and `orig_idx` per new slot.
    ///
    ///     let (program, tables, origIdx) = try patches.apply(to: p, tables: t, engine: .sequential)
    ///
    /// - Throws: `PatchError`, naming the patch and the original slot.
    /// - Complexity: that of the chosen engine.
    public func apply(to program: Program, tables: SideTables = SideTables(), options: PatchOptions = PatchOptions(),
                      engine: PatchEngineChoice) throws(PatchError) -> (program: Program, tables: SideTables, originalIndices: [Int]) {
        switch engine {
        case .batch:
            let result = try apply(to: program, tables: tables, options: options)
            return (result.program, result.tables, result.indexMap.originalIndices())
        case .sequential:
            let result = try applySequentially(to: program, tables: tables, options: options)
            return (result.program, result.tables, result.originalIndices)
        }
    }
}
