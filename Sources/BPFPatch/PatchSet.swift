import BPFInstructions

/// A batch of patches in original coordinates, applied all at once by
/// `PatchSet.apply(to:tables:options:)`.
///
/// Patches may be added in any order; they must not overlap.
///
///     var patches = PatchSet()
///     patches.replace(SlotIndex(12), with: [guard, original])
///     patches.remove(SlotIndex(40), count: 3)
///     let result = try patches.apply(to: program)
public struct PatchSet: Hashable, Sendable {
    /// The patches in the order they were added (the "patch number" used in
    /// error messages is the index in this array).
    public var patches: [Patch]

    public init(_ patches: [Patch] = []) { self.patches = patches }

    /// The number of queued patches.
    public var count: Int { patches.count }

    /// Queues a raw patch.
    ///
    /// - Complexity: O(1) amortised.
    public mutating func append(_ patch: Patch) { patches.append(patch) }

    /// Replaces slot `site` by `instructions` with kernel semantics: their
    /// displacements are read in the layout right after this step (see
    /// <doc:Semantics#A-batch>).
    ///
    /// - Complexity: O(1) amortised.
    public mutating func replace(_ site: SlotIndex, with instructions: [Instruction]) {
        patches.append(Patch(site: site, operation: .replace(instructions)))
    }

    /// Removes `count` slots starting at `site`.
    ///
    /// - Complexity: O(1) amortised.
    public mutating func remove(_ site: SlotIndex, count: Int = 1) {
        patches.append(Patch(site: site, operation: .remove(count: count)))
    }
}
