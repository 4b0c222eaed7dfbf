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
    ///   programs or results over `options.maximumSlotCount`, references
    ///   that would land outside the program or inside a removed run,
    ///   displacements that no longer fit their field (naming the first
    ///   failing patch in ascending order; with `options.relaxJumps`, after
    ///   relaxing what can be), results that split an `ld_imm64` or target
    ///   its second slot (judged on the result, as the sequential model
    ///   judges it), removals that cut a subprogram's entry or a poke's
    ///   slot, and malformed tables.
    /// - Complexity: O(n + p + t) when patches were added in ascending site
    ///   order, O(n + p log p + t) otherwise, where n is the program's slot
    ///   count, p the number of queued patches (plus their slots) and t the
    ///   total size of the side tables. Extra memory: about half a byte
    ///   per original slot (the compact index map, and two bitmaps while the
    ///   program is written) plus O(p). A batch with removals whose final
    ///   16-bit displacements come within the removed slot count of the
    ///   limit also needs the exact per-step range check: O(r log p) more,
    ///   r being the reference count. Every input, valid or not, takes
    ///   linear time: no decision looks further than a slot's neighbour.
    ///   With `relaxJumps`, each round of relaxation costs one more pass.
    public func apply(
        to program: Program, tables: SideTables = SideTables(), options: PatchOptions = PatchOptions()
    ) throws(PatchError) -> PatchResult {
        let (layout, slots, newTables) = try run(program, tables, options, workspace: nil) { emitter throws(PatchError) in
            try emitter.emit()
        }
        return PatchResult(program: Program(slots: slots), indexMap: layout.map, tables: newTables)
    }

    /// Applies the whole batch like `apply(to:tables:options:)`, writing the
    /// new program into `output` and keeping the patch records and
    /// replacement slots in `workspace`, so that repeated applies fill pages
    /// already mapped instead of allocating (and faulting in) fresh ones;
    /// `workspace.indexMap` is this apply's index map.
    ///
    ///     let workspace = PatchWorkspace()
    ///     var slots: [Instruction] = []
    ///     let newTables = try patches.apply(to: program, tables: tables, into: &slots, workspace: workspace)
    ///     let map = workspace.indexMap
    ///
    /// - Parameters:
    ///   - program: the program the patches address, as for
    ///     `apply(to:tables:options:)`.
    ///   - tables: the side tables to adjust along with the program.
    ///   - output: replaced by the new program; its storage is reused when
    ///     it is not shared and large enough. Emptied on a throw.
    ///   - workspace: buffers kept between applies; `workspace.indexMap` is
    ///     the index map of this apply.
    ///   - options: limits and relaxation, as for `apply(to:tables:options:)`.
    /// - Returns: the adjusted tables.
    /// - Throws: what `apply(to:tables:options:)` throws, for the same batches.
    /// - Complexity: that of `apply(to:tables:options:)`.
    public func apply(
        to program: Program, tables: SideTables = SideTables(), into output: inout [Instruction],
        workspace: PatchWorkspace, options: PatchOptions = PatchOptions()
    ) throws(PatchError) -> SideTables {
        do throws(PatchError) {
            let (layout, _, newTables) = try run(program, tables, options, workspace: workspace) { emitter throws(PatchError) in
                try emitter.emit(into: &output)
                return output
            }
            workspace.keep(layout)
            return newTables
        } catch {
            output.removeAll(keepingCapacity: true)
            throw error
        }
    }

    /// The one checked pipeline, with or without relaxation: relaxation
    /// only adds patches for the jumps the checks found out of range, then
    /// everything is checked again. `emit` writes the program.
    private func run(
        _ program: Program, _ tables: SideTables, _ options: PatchOptions, workspace: PatchWorkspace?,
        emit: (inout BatchEmitter) throws(PatchError) -> [Instruction]
    ) throws(PatchError) -> (BatchLayout, [Instruction], SideTables) {
        var patches = self.patches
        while true {
            do throws(PatchError) {
                var layout = try BatchLayout(patches: patches, programCount: program.count, limit: options.slotLimit,
                                             workspace: workspace)
                layout.firstRelaxation = self.patches.count
                var emitter = BatchEmitter(layout: layout, original: program.slots, options: options)
                let slots = try emit(&emitter)
                if let overflow = Self.rangeOverflow(layout, emitter.findings, program.slots, collect: options.relaxJumps) {
                    guard options.relaxJumps, !overflow.other,
                          let relaxed = JumpRelaxation.patches(for: overflow.relaxable, in: program.slots) else {
                        throw layout.firstRangeFailure(in: program.slots, fixupPatch: emitter.findings.overflowingFixupPatch)
                    }
                    patches += relaxed
                    continue
                }
                if !options.allowSplitWideLoads && emitter.findings.wideLoadsSuspect {
                    try layout.checkWideLoads(slots)
                }
                let newTables = try layout.adjust(tables)
                return (layout, slots, newTables)
            } catch {
                throw blamingOwnPatches(error)
            }
        }
    }

    /// The references out of range, if any: those whose final displacement
    /// does not fit, or else, when the batch needs it, those that leave
    /// their field at some step of the sequential run.
    ///
    /// With removals a displacement can overflow at one step and shrink
    /// back later; the kernel stops at that step, so the batch must too.
    /// No step's value exceeds its final magnitude by more than the slots
    /// removed, so the exact check is needed only near the limit, or when a
    /// replaced slot held a long backward reference.
    private static func rangeOverflow(_ layout: BatchLayout, _ findings: BatchEmitter.Findings, _ original: [Instruction],
                                      collect: Bool) -> BatchLayout.StepOverflows? {
        if findings.overflowed {
            return BatchLayout.StepOverflows(relaxable: findings.overflowingJumps, other: findings.overflowedElsewhere)
        }
        let nearLimit = layout.removedCount > 0 && findings.largestJump + layout.removedCount > Int(Int16.max)
        guard nearLimit || findings.needsStepCheck else { return nil }
        let steps = layout.stepOverflows(original, prefix: layout.placed.count, collect: collect)
        return steps.any ? steps : nil
    }

    /// An error naming a patch that jump relaxation added names the
    /// relaxed jump's slot instead.
    private func blamingOwnPatches(_ error: PatchError) -> PatchError {
        guard let number = error.patch, number >= patches.count else { return error }
        var mapped = error
        mapped.patch = nil
        mapped.message = "relaxing the jump at original slot \(error.slot.map(String.init(describing:)) ?? "?"): " + error.message
        return mapped
    }
}
