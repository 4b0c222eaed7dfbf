import BPFInstructions

extension BatchLayout {
    /// The error for a batch whose result has a displacement that does not
    /// fit its field: names the first patch, in ascending order, after
    /// which the sequential kernel would have failed.
    ///
    /// Without removals every span only grows, so "some displacement
    /// overflows after the first k patches" is monotone in k and a binary
    /// search over prefixes finds the step at which the kernel's range
    /// check first fails. Runs only on this error path.
    ///
    /// - Complexity: O((n + p) log p).
    func firstRangeFailure(in original: [Instruction], patches: [Patch]) -> PatchError {
        let sorted = placed
        var low = 1, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if Self.prefixOverflows(sorted.prefix(mid), patches: patches, original: original) {
                high = mid
            } else {
                low = mid + 1
            }
        }
        let culprit = sorted[max(0, low - 1)]
        return PatchError(.rangeOverflow, patch: culprit.number, slot: SlotIndex(culprit.site),
                          "after this patch a jump, call or pseudo-func displacement no longer fits its field")
    }

    private static func prefixOverflows(_ prefix: ArraySlice<Placed>, patches: [Patch], original: [Instruction]) -> Bool {
        let subset = prefix.map { patches[$0.number] }
        guard let layout = try? BatchLayout(patches: subset, programCount: original.count) else { return false }
        var emitter = BatchEmitter(layout: layout, original: original, options: PatchOptions(allowSplitWideLoads: true))
        guard (try? emitter.emit()) != nil else { return false }
        return emitter.overflowed
    }
}
