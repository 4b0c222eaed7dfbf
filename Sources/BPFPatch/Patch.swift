import BPFInstructions

/// One patch in original coordinates: replace one slot by a sequence, or
/// remove a run of slots.
public struct Patch: Hashable, Sendable {
    /// What a patch does at its site.
    public enum Operation: Hashable, Sendable {
        /// Replace the slot at `site` by these slots (at least one).
        case replace([Instruction])
        /// Remove this many slots starting at `site` (at least one).
        case remove(count: Int)
    }

    /// The original slot index the patch applies to.
    public var site: SlotIndex
    /// The operation.
    public var operation: Operation
    /// References inside a `.replace` resolved by the engine after layout
    /// (the symbolic layer). Empty for raw kernel-semantics patches.
    public var fixups: [Fixup]

    public init(site: SlotIndex, operation: Operation, fixups: [Fixup] = []) {
        self.site = site
        self.operation = operation
        self.fixups = fixups
    }

    /// The number of original slots the patch covers (1 for a replacement).
    @inlinable
    public var span: Int {
        switch operation {
        case .replace: 1
        case .remove(let count): count
        }
    }

    /// The number of slots the patch leaves in the result (0 for a removal).
    @inlinable
    public var length: Int {
        switch operation {
        case .replace(let insns): insns.count
        case .remove: 0
        }
    }

    /// The change in program length (`length − span`).
    @inlinable public var delta: Int { length - span }

    /// True for a removal.
    @inlinable
    public var isRemoval: Bool {
        if case .remove = operation { return true }
        return false
    }
}

extension Patch.Operation {
    /// The replacement's slots (empty for a removal).
    var replacement: [Instruction] {
        if case .replace(let insns) = self { return insns }
        return []
    }
}

/// A reference inside a patch whose displacement the engine computes from
/// the final layout, so that nobody computes offsets by hand.
public struct Fixup: Hashable, Sendable {
    /// Where a symbolic reference points.
    public enum Target: Hashable, Sendable {
        /// A slot of the same patch, by its position in the replacement;
        /// position `count` is the slot right after the replacement (where a
        /// reference to the original next slot lands), a target outside the
        /// program when nothing follows. Other positions are invalid fixups.
        case local(Int)
        /// An original slot: resolves to the first slot of its replacement
        /// (the same rule as for pre-existing references).
        case original(SlotIndex)
    }

    /// The position, inside the replacement, of the slot whose reference
    /// field is filled in. That slot must have a reference field.
    public var position: Int
    /// The target.
    public var target: Target

    public init(position: Int, target: Target) {
        self.position = position
        self.target = target
    }
}
