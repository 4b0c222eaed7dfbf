import BPFInstructions

extension BatchLayout {
    /// Throws when `slots`, this layout's result, splits an `ld_imm64` or
    /// has a reference to a second slot (`WideLoads`, the same judgement
    /// the sequential model makes).
    ///
    /// - Complexity: O(m), plus O(log n + log p) for the error.
    func checkWideLoads(_ slots: [Instruction]) throws(PatchError) {
        var found: (Int, WideLoads.Violation)?
        slots.withUnsafeBufferPointer { out in
            do throws(PatchError) {
                try WideLoads.check(count: out.count, code: { out[$0].code }, target: { i in
                    out[i].displacement.map { i + $0 + 1 }
                }) { (i: Int, violation: WideLoads.Violation) throws(PatchError) in
                    found = (i, violation)
                    throw PatchError(.splitWideLoad, "")   // stops the walk at the first
                }
            } catch {}
        }
        guard let (i, violation) = found else { return }
        throw WideLoads.error(violation, at: i, count: slots.count, originalCount: originalCount,
                              origin: { origin(ofNew: $0) },
                              removal: { x in patchCovering(x).flatMap { $0.length == 0 ? ($0.number, $0.site) : nil } })
    }
}
