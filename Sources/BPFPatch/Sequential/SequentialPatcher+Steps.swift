import BPFInstructions

extension SequentialPatcher {
    /// One kernel step: replaces the slot at `p` (current layout) by
    /// `instructions` (L ≥ 1, Δ = L − 1).
    ///
    /// Rules (<doc:Semantics#One-step-replace-slot-p-by-L-slots>):
    /// - a reference located before `p` whose target is > `p` gets +Δ; a
    ///   target equal to `p` is left alone and now lands on the patch's first
    ///   slot;
    /// - a reference located after the patch whose old target is ≤ `p`
    ///   keeps its absolute target (its displacement gets −Δ);
    /// - the patch's own slots are not adjusted: their displacements are
    ///   read in the layout right after this step;
    /// - when the new length exceeds 32767 slots, every adjusted value must
    ///   fit its field (s16 for `off`, s32 for `imm`), else the step fails
    ///   with `.rangeOverflow` and nothing changes;
    /// - line info, subprogram starts (with the exit entry), pokes and
    ///   instruction-array entries > `p` get +Δ;
    /// - the patched slot's `orig_idx` moves to the last slot of the patch;
    ///   the L − 1 leading slots get 0.
    ///
    /// With L == 1 this is a plain overwrite: nothing else changes.
    ///
    /// - Parameters:
    ///   - symbolic: positions in `instructions` that a fixup fills in after
    ///     the batch; they are not references until then.
    /// - Complexity: O(n + L), where n is the current slot count.
    mutating func replace(at p: Int, with instructions: [Instruction], symbolic: Set<Int>,
                          patch: Int, site: Int) throws(PatchError) {
        let length = instructions.count
        let delta = length - 1
        let newCount = count + delta
        let checkRange = stepRangeChecks && newCount > Int(Int16.max)

        // References outside the patch, in the old layout.
        var adjusted = displacements
        for i in 0..<count where i != p && delta != 0 {
            guard let d = displacements[i], let t = target(of: i) else { continue }
            var value = d
            if i < p && t > p {
                value = d + delta
            } else if i > p && t <= p {
                value = d - delta
            } else {
                continue
            }
            if checkRange, let field = slots[i].referenceField, !field.range.contains(value) {
                try report(PatchError(.rangeOverflow, patch: patch, slot: SlotIndex(site),
                                 "the reference at original slot \(origins[i]) would need displacement \(value)"))
            }
            adjusted[i] = value
        }

        var patchDisplacements: [Int?] = []
        for (k, insn) in instructions.enumerated() {
            patchDisplacements.append(symbolic.contains(k) ? nil : insn.displacement)
        }

        slots.replaceSubrange(p...p, with: instructions)
        adjusted.replaceSubrange(p...p, with: patchDisplacements)
        displacements = adjusted
        let kept = originalIndices[p]
        originalIndices.replaceSubrange(p...p, with: Array(repeating: 0, count: delta) + [kept])
        origins.replaceSubrange(p...p, with: Array(repeating: site, count: length))
        patchNumbers.replaceSubrange(p...p, with: Array(repeating: patch, count: length))
        poisoned.replaceSubrange(p...p, with: Array(repeating: nil, count: length))

        func moved(_ x: Int) -> Int { x > p ? x + delta : x }
        if let entries = lineInfo {
            lineInfo = entries.map { LineInfoTable.Entry(record: $0.record, slot: SlotIndex(moved($0.slot.rawValue))) }
        }
        if let entries = subprograms {
            subprograms = entries.map { SubprogramTable.Entry(subprogram: $0.subprogram, start: SlotIndex(moved($0.start.rawValue))) }
        }
        pokes = pokes?.map(moved)
        instructionArrays = instructionArrays.map { $0.map { $0.map(moved) } }
    }

    /// One kernel step: removes `cnt` slots starting at `p` (current layout).
    ///
    /// Rules (<doc:Semantics#One-step-remove-cnt-slots-at-p>):
    /// - a reference located before `p` whose target is ≥ `p + cnt` gets
    ///   −cnt; one located after the hole whose target is < `p + cnt` keeps
    ///   its absolute target, so a target of `p` lands on the first surviving
    ///   slot after the hole; a reference whose target lies strictly inside
    ///   (`p`, `p + cnt`) gets the kernel's (meaningless) arithmetic and is
    ///   rejected (`.targetInsideRemoval`) if it survives the whole batch —
    ///   a later step may remove it, and then the kernel's result is fine;
    /// - line info in the hole is deleted, except that when the hole is not
    ///   at the program's end and the first surviving slot has no record of
    ///   its own, the last deleted record moves to it; later records get −cnt;
    /// - a subprogram whose whole body lies in the hole is deleted; a start
    ///   exactly at `p` stays; a start strictly inside the hole whose body
    ///   reaches past it is rejected (`.subprogramCut`); later starts and
    ///   the exit entry get −cnt;
    /// - instruction-array entries in the hole become deleted (nil), later
    ///   ones get −cnt; a poke in the hole is rejected (`.pokeRemoved`),
    ///   later ones get −cnt;
    /// - per-instruction records of removed slots disappear.
    ///
    /// Checks run in this order: subprograms, pokes.
    ///
    /// - Complexity: O(n), where n is the current slot count.
    mutating func remove(at p: Int, count cnt: Int, patch: Int, site: Int) throws(PatchError) {
        let end = p + cnt
        let oldCount = count

        var adjusted = displacements
        for i in 0..<oldCount where i < p || i >= end {
            guard let d = displacements[i], let t = target(of: i) else { continue }
            if t > p && t < end && poisoned[i] == nil {
                poisoned[i] = PatchError(.targetInsideRemoval, patch: patch, slot: SlotIndex(site),
                                         "the reference at original slot \(origins[i]) targets original slot \(site + (t - p)), strictly inside the removed run")
            }
            if i < p && t >= end {
                adjusted[i] = d - cnt
            } else if i >= end && t < end {
                adjusted[i] = d + cnt
            }
        }

        var newSubprograms: [SubprogramTable.Entry]? = nil
        if let entries = subprograms {
            var result: [SubprogramTable.Entry] = []
            let realCount = hasExitEntry ? entries.count - 1 : entries.count
            for (k, entry) in entries.enumerated() {
                let s = entry.start.rawValue
                if k >= realCount {
                    // The exit entry (= program length) is never inside the hole.
                    result.append(SubprogramTable.Entry(subprogram: entry.subprogram, start: SlotIndex(s - cnt)))
                    continue
                }
                let bodyEnd = k + 1 < entries.count ? entries[k + 1].start.rawValue : oldCount
                if s >= p && bodyEnd <= end { continue }   // whole body removed
                if s > p && s < end {
                    try report(PatchError(.subprogramCut, patch: patch, slot: SlotIndex(site),
                                          "the removal cuts the entry of subprogram \(entry.subprogram) without removing its body"))
                }
                result.append(SubprogramTable.Entry(subprogram: entry.subprogram, start: SlotIndex(s >= end ? s - cnt : min(s, p))))
            }
            newSubprograms = result
        }

        if let pokes, let hit = pokes.first(where: { $0 >= p && $0 < end }) {
            try report(PatchError(.pokeRemoved, patch: patch, slot: SlotIndex(site),
                                  "the removal deletes the poke descriptor's slot (original slot \(origins[hit]))"))
        }

        // Nothing can fail from here on.
        subprograms = newSubprograms
        pokes = pokes?.map { $0 >= end ? $0 - cnt : min($0, p) }
        instructionArrays = instructionArrays.map { array in
            array.map { entry -> Int? in
                guard let x = entry else { return nil }
                if x >= end { return x - cnt }
                if x >= p { return nil }
                return x
            }
        }
        if let entries = lineInfo {
            var result = entries.filter { $0.slot.rawValue < p }
            let deleted = entries.filter { $0.slot.rawValue >= p && $0.slot.rawValue < end }
            let later = entries.filter { $0.slot.rawValue >= end }
            if let last = deleted.last, end < oldCount, later.first?.slot.rawValue != end {
                result.append(LineInfoTable.Entry(record: last.record, slot: SlotIndex(p)))
            }
            result += later.map { LineInfoTable.Entry(record: $0.record, slot: SlotIndex($0.slot.rawValue - cnt)) }
            lineInfo = result
        }

        adjusted.removeSubrange(p..<end)
        displacements = adjusted
        slots.removeSubrange(p..<end)
        originalIndices.removeSubrange(p..<end)
        origins.removeSubrange(p..<end)
        patchNumbers.removeSubrange(p..<end)
        poisoned.removeSubrange(p..<end)
    }
}
