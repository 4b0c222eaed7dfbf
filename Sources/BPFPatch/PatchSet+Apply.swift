import BPFInstructions

extension PatchSet {
    /// Applies the whole batch in one linear pass, with the result the
    /// kernel's sequential patching (`bpf_patch_insn_data` /
    /// `bpf_remove_insns`, one step per patch in ascending site order)
    /// would produce, but all-or-nothing.
    ///
    ///     var patches = PatchSet()
    ///     patches.replace(SlotIndex(3), with: [check, original])
    ///     let result = try patches.apply(to: program, tables: tables)
    ///
    /// - Parameters:
    ///   - program: the original program; never modified.
    ///   - tables: side tables to adjust along (line info, subprograms,
    ///     pokes, instruction arrays).
    ///   - options: split-`ld_imm64` tolerance and jump relaxation.
    /// - Returns: the new program, the index map and the adjusted tables.
    /// - Throws: `PatchError` for overlapping or out-of-range patches,
    ///   references that would land outside the program or inside a removed
    ///   run, displacements that no longer fit their field (naming the first
    ///   failing patch in ascending order), split `ld_imm64`s, removals that
    ///   cut a subprogram's entry or a poke's slot, and malformed tables.
    /// - Complexity: O(n + p + t) when patches were added in ascending site
    ///   order, O(n + p log p + t) otherwise, where n is the program's slot
    ///   count, p the number of queued patches (plus their slots) and t the
    ///   total size of the side tables. Extra memory: 4 bytes per original
    ///   slot (the index map) plus O(p). A batch with removals whose final
    ///   16-bit displacements come within the removed slot count of the
    ///   limit also needs the exact per-step range check: O(r log p) more,
    ///   r being the reference count.
    public func apply(
        to program: Program, tables: SideTables = SideTables(), options: PatchOptions = PatchOptions()
    ) throws(PatchError) -> PatchResult {
        if options.relaxJumps {
            return try JumpRelaxation.apply(self, to: program, tables: tables, options: options)
        }
        let layout = try BatchLayout(patches: patches, programCount: program.count)
        var emitter = BatchEmitter(layout: layout, original: program.slots, options: options)
        let slots = try emitter.emit()
        if emitter.overflowed {
            throw layout.firstRangeFailure(in: program.slots, fixupPatch: emitter.overflowingFixupPatch)
        }
        // With removals a displacement can overflow at one step and shrink
        // back later; the kernel stops at that step, so the batch must too.
        // No step's value exceeds its final magnitude by more than the slots
        // removed, so the exact check is needed only near the limit, or when
        // a replaced slot held a long backward reference.
        let nearLimit = layout.removedCount > 0 && emitter.largestJump + layout.removedCount > Int(Int16.max)
        if (nearLimit || emitter.needsStepCheck) && layout.overflowsAtSomeStep(program.slots, prefix: layout.placed.count) {
            throw layout.firstRangeFailure(in: program.slots)
        }
        let newTables = try layout.adjust(tables)
        return PatchResult(program: Program(slots: slots), indexMap: layout.indexMap, tables: newTables)
    }
}
