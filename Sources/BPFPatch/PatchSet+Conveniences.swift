import BPFInstructions

extension PatchSet {
    /// Replaces slot `site` by a symbolic sequence.
    ///
    /// - Throws: `PatchError` for an unbound label or an empty sequence.
    /// - Complexity: O(k), where k is the sequence's length.
    public mutating func replace(_ site: SlotIndex, with sequence: PatchSequence) throws(PatchError) {
        let (instructions, fixups) = try sequence.resolved()
        patches.append(Patch(site: site, operation: .replace(instructions), fixups: fixups))
    }

    /// Inserts `instructions` before the instruction at `site`, re-emitting
    /// that instruction after them with its own target kept (as the
    /// kernel's patchers do by hand, e.g. constant blinding's `off -= 2` for
    /// a backward jump re-emitted last of three). References to `site` land
    /// on the first inserted slot, as in the kernel.
    ///
    /// Before an `ld_imm64` this replaces its first slot by the inserted
    /// slots and that first slot: the original second slot still follows
    /// it, so the pair is whole in the result.
    ///
    /// - Throws: `PatchError` when `site` is out of range or is the second
    ///   slot of an `ld_imm64`.
    /// - Complexity: O(k), where k is the number of inserted slots.
    public mutating func insert(_ instructions: [Instruction], before site: SlotIndex, in program: Program) throws(PatchError) {
        try insert(instructions, at: site, in: program, before: true)
    }

    /// Inserts `instructions` after the instruction at `site`, re-emitting
    /// that instruction first with its own target kept. References to the
    /// next instruction land after the inserted slots.
    ///
    /// After an `ld_imm64` (`site` its first slot) this replaces its second
    /// slot by that second slot and the inserted slots.
    ///
    /// - Throws: `PatchError` when `site` is out of range, is the second
    ///   slot of an `ld_imm64`, or is an `ld_imm64` without a second slot.
    /// - Complexity: O(k), where k is the number of inserted slots.
    public mutating func insert(_ instructions: [Instruction], after site: SlotIndex, in program: Program) throws(PatchError) {
        try insert(instructions, at: site, in: program, before: false)
    }

    private mutating func insert(_ inserted: [Instruction], at site: SlotIndex, in program: Program, before: Bool) throws(PatchError) {
        let x = site.rawValue
        let number = patches.count
        guard x >= 0 && x < program.count else {
            throw PatchError(.siteOutOfRange, patch: number, slot: site, "slot \(x) is outside the \(program.count)-slot program")
        }
        let original = program.slots[x]
        guard !WideLoads.isSecondHalf(original) else {
            throw PatchError(.splitWideLoad, patch: number, slot: site, "slot \(x) is the second slot of an ld_imm64")
        }
        if !before && WideLoads.isFirstHalf(original) {
            guard x + 1 < program.count, WideLoads.isSecondHalf(program.slots[x + 1]) else {
                throw PatchError(.splitWideLoad, patch: number, slot: site, "the ld_imm64 at slot \(x) has no second slot")
            }
            patches.append(Patch(site: site.advanced(by: 1), operation: .replace([program.slots[x + 1]] + inserted)))
            return
        }
        var fixups: [Fixup] = []
        if let displacement = original.displacement {
            let target = x + displacement + 1
            if target >= 0 && target < program.count {
                fixups.append(Fixup(position: before ? inserted.count : 0, target: .original(SlotIndex(target))))
            }
        }
        let slots = before ? inserted + [original] : [original] + inserted
        patches.append(Patch(site: site, operation: .replace(slots), fixups: fixups))
    }
}
