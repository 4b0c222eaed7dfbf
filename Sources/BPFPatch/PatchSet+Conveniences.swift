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
    /// An `ld_imm64` at `site` is re-emitted whole: its second slot is
    /// removed by a second patch.
    ///
    /// - Throws: `PatchError` when `site` is out of range or is the second
    ///   slot of an `ld_imm64`.
    /// - Complexity: O(k), where k is the number of inserted slots.
    public mutating func insert(_ instructions: [Instruction], before site: SlotIndex, in program: Program) throws(PatchError) {
        try insert(instructions, at: site, in: program, before: true)
    }

    /// Inserts `instructions` after the instruction at `site` (after both
    /// slots of an `ld_imm64`), re-emitting that instruction first with its
    /// own target kept. References to the next instruction land after the
    /// inserted slots.
    ///
    /// - Throws: `PatchError` when `site` is out of range or is the second
    ///   slot of an `ld_imm64`.
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
        guard !WideLoads.isSecondHalf(program.slots, x) else {
            throw PatchError(.splitWideLoad, patch: number, slot: site, "slot \(x) is the second slot of an ld_imm64")
        }
        let original = program[site]
        let wide = original.isLoadImmediate64 && x + 1 < program.count
        var reemitted = [original]
        if wide { reemitted.append(program.slots[x + 1]) }

        var fixups: [Fixup] = []
        let position = before ? inserted.count : 0
        if let displacement = original.displacement {
            let target = x + displacement + 1
            if target >= 0 && target < program.count {
                fixups.append(Fixup(position: position, target: .original(SlotIndex(target))))
            }
        }
        let slots = before ? inserted + reemitted : reemitted + inserted
        patches.append(Patch(site: site, operation: .replace(slots), fixups: fixups))
        if wide { patches.append(Patch(site: site.advanced(by: 1), operation: .remove(count: 1))) }
    }
}
