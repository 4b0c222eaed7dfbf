import BPFInstructions

extension BatchLayout {
    /// The error for a batch that the sequential kernel would stop with a
    /// range error: names the first patch, in ascending order, at whose
    /// step some adjusted displacement no longer fits its field.
    ///
    /// "Some step among the first k fails" is monotone in k, so a binary
    /// search over prefixes finds the failing step. Runs only on this
    /// error path.
    ///
    /// - Parameter fixupPatch: the patch whose symbolic reference overflowed,
    ///   blamed when no kernel step fails (fixups are resolved after the batch).
    /// - Complexity: O((n + p) log² p).
    func firstRangeFailure(in original: [Instruction], fixupPatch: Int? = nil) -> PatchError {
        guard overflowsAtSomeStep(original, prefix: placed.count) else {
            let number = fixupPatch ?? placed.last?.number
            let site = number.map { patches[$0].site }
            return PatchError(.rangeOverflow, patch: number, slot: site,
                              "a symbolic reference of this patch does not fit its displacement field")
        }
        var low = 1, high = placed.count
        while low < high {
            let mid = (low + high) / 2
            if overflowsAtSomeStep(original, prefix: mid) { high = mid } else { low = mid + 1 }
        }
        let culprit = placed[low - 1]
        return PatchError(.rangeOverflow, patch: culprit.number, slot: SlotIndex(culprit.site),
                          "at this patch's step a jump, call or pseudo-func displacement no longer fits its field")
    }

    /// True when the sequential kernel, applying the first `prefix` patches
    /// in ascending order, adjusts some displacement to a value outside its
    /// field at some step.
    ///
    /// - Complexity: O(n + p log p + r log p), where r is the number of references.
    func overflowsAtSomeStep(_ original: [Instruction], prefix: Int) -> Bool {
        stepOverflows(original, prefix: prefix, collect: false).any
    }

    /// The references that leave their field at some step of the first
    /// `prefix` patches.
    struct StepOverflows {
        /// Original 16-bit jumps in untouched slots that overflow at some
        /// step (what jump relaxation can rewrite); filled only when collecting.
        var relaxable: [Int] = []
        /// True when some other reference overflows (or, not collecting, any).
        var other = false
        var any: Bool { other || !relaxable.isEmpty }
    }

    /// Finds the references the sequential kernel, applying the first
    /// `prefix` patches in ascending order, adjusts to a value outside
    /// their field at some step. Not collecting, it stops at the first.
    ///
    /// A reference's displacement after step k is its starting value plus
    /// the growth of the patches of its span applied so far (span: the
    /// sites strictly between a forward reference and its target; from the
    /// target up to a backward reference). An original reference in a slot
    /// that step j replaces or removes counts only the steps before j. With
    /// removals the growth is not monotone, so the extreme over the steps is
    /// the starting value plus the largest prefix sum of the span's growth:
    /// a range maximum over the batch's cumulative growth.
    ///
    /// Which slots are references is decided by their own code, as in the
    /// emitter and the model.
    ///
    /// - Complexity: O(n + p log p + r log p), where r is the number of references.
    func stepOverflows(_ original: [Instruction], prefix: Int, collect: Bool) -> StepOverflows {
        var found = StepOverflows()
        let steps = Array(placed.prefix(prefix))
        let sites = steps.map(\.site)
        var cumulative = [0]
        cumulative.reserveCapacity(steps.count + 1)
        for step in steps { cumulative.append(cumulative.last! + step.length - step.span) }
        let maxima = RangeMaximum(Array(cumulative.dropFirst()))

        /// The first step whose site is ≥ `x`.
        func firstStep(atOrAfter x: Int) -> Int {
            var low = 0, high = sites.count
            while low < high {
                let mid = (low + high) / 2
                if sites[mid] < x { low = mid + 1 } else { high = mid }
            }
            return low
        }
        /// The largest growth of steps `lo..<hi` over their prefixes (0 when none).
        func largestGrowth(_ lo: Int, _ hi: Int) -> Int {
            guard lo < hi else { return 0 }
            return max(0, maxima.query(lo, hi) - cumulative[lo])
        }
        /// Records an overflow; true when the search may stop.
        func overflow(relaxableAt site: Int?) -> Bool {
            if collect, let site { found.relaxable.append(site) } else { found.other = true }
            return !collect
        }

        // Original references outside every applied patch.
        var x = 0
        var k = 0
        while x < original.count {
            if k < steps.count && steps[k].site == x {
                // References in the slots this step replaces or removes: the
                // earlier steps between a backward one's target and its site
                // still moved it (forward ones have no earlier step in span).
                for y in x..<(x + steps[k].span) where steps[k].number < firstRelaxation {
                    let insn = original[y]
                    guard let field = insn.referenceField, let d = insn.displacement else { continue }
                    let t = y + d + 1
                    guard t >= 0 && t <= y else { continue }
                    if !field.range.contains(d - largestGrowth(firstStep(atOrAfter: t), k)),
                       overflow(relaxableAt: nil) { return found }
                }
                x += steps[k].span
                k += 1
                continue
            }
            let insn = original[x]
            defer { x += 1 }
            guard let field = insn.referenceField, let d = insn.displacement else { continue }
            let t = x + d + 1
            guard t >= 0 && t < original.count else { continue }
            let extreme = t > x ? d + largestGrowth(firstStep(atOrAfter: x + 1), firstStep(atOrAfter: t))
                                : d - largestGrowth(firstStep(atOrAfter: t), firstStep(atOrAfter: x))
            if !field.range.contains(extreme), overflow(relaxableAt: field == .offset ? x : nil) { return found }
        }
        // References inside replacements whose target is ahead of them: the
        // later steps of their span move them.
        for (j, step) in steps.enumerated() where step.length > 0 {
            var symbolic = [Bool](repeating: false, count: step.hasFixups ? step.length : 0)
            if step.hasFixups {
                for fixup in patches[step.number].fixups where fixup.position >= 0 && fixup.position < step.length {
                    symbolic[fixup.position] = true
                }
            }
            for c in 0..<step.length {
                let insn = contents[step.contentStart + c]
                guard let field = insn.referenceField, let d = insn.displacement,
                      !(step.hasFixups && symbolic[c]) else { continue }
                let ahead = c + d + 1 - step.length
                guard ahead >= 0 else { continue }
                let target = step.site + 1 + ahead
                if !field.range.contains(d + largestGrowth(j + 1, firstStep(atOrAfter: target))),
                   overflow(relaxableAt: nil) { return found }
            }
        }
        return found
    }
}

/// Range maximum queries over a fixed array (sparse table).
struct RangeMaximum {
    private var levels: [[Int]]

    init(_ values: [Int]) {
        levels = [values]
        var width = 1
        while width * 2 <= values.count {
            let previous = levels[levels.count - 1]
            levels.append((0...(values.count - width * 2)).map { max(previous[$0], previous[$0 + width]) })
            width *= 2
        }
    }

    /// The maximum of `values[lo..<hi]`; `lo < hi`.
    func query(_ lo: Int, _ hi: Int) -> Int {
        var level = 0
        while (2 << level) <= hi - lo { level += 1 }
        return max(levels[level][lo], levels[level][hi - (1 << level)])
    }
}
