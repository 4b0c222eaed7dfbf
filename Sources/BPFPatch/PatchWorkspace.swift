import BPFInstructions

/// Buffers `PatchSet.apply(to:tables:into:workspace:options:)` keeps
/// between applies: the sorted patch records, the replacements' slots, the
/// last index map and the arrays of the one before. Filling mapped pages
/// again instead of allocating fresh ones saves the page faults, which the
/// profile put at 15–30% of an apply at N = 1M.
///
///     let workspace = PatchWorkspace()
///     var output: [Instruction] = []
///     for batch in batches {
///         _ = try batch.apply(to: program, into: &output, workspace: workspace)
///     }
///
/// Not thread-safe: one workspace per thread.
public final class PatchWorkspace {
    private var map = IndexMap(identity: 0)
    /// The arrays of the map before `map`, to be filled again.
    private var spareMap = IndexMap.Storage()
    var placed: [BatchLayout.Placed] = []
    var contents: [Instruction] = []

    public init() {}

    /// The index map of the last successful apply.
    ///
    /// - Complexity: O(1).
    public var indexMap: IndexMap { map }

    // Taken out, so that the layout holds the only reference and fills the
    // storage in place; handed back by `keep(_:)`.
    func takePlaced() -> [BatchLayout.Placed] {
        var taken = placed
        placed = []
        taken.removeAll(keepingCapacity: true)
        return taken
    }
    func takeMapStorage() -> IndexMap.Storage {
        defer { spareMap = IndexMap.Storage() }
        return spareMap
    }
    func takeContents() -> [Instruction] {
        var taken = contents
        contents = []
        taken.removeAll(keepingCapacity: true)
        return taken
    }

    /// Takes the layout's buffers back for the next apply.
    func keep(_ layout: BatchLayout) {
        // The replaced map's arrays are reused when the caller kept no copy.
        var previous = map
        map = layout.map
        spareMap = previous.takeStorage()
        placed = layout.placed
        contents = layout.contents
    }
}
