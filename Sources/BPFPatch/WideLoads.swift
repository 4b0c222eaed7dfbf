import BPFInstructions

/// The `ld_imm64` rule, judged on the result (the spec's "Checks the engine
/// makes"), shared by the batch engine and the sequential model so that
/// both judge a result identically.
///
/// A first slot has code `0x18`, a second slot code `0`. A result is whole
/// when every first slot is immediately followed by a second slot and every
/// second slot immediately preceded by a first slot, and no reference
/// targets a second slot. In a whole result the forward pairing and the
/// codes agree (a code-`0x18` slot cannot be a second half, since second
/// halves have code 0), so every decision looks at a slot and one
/// neighbour: there is no walk over runs of `0x18` codes, and the check is
/// O(m) on every input, valid or not.
///
/// Which slots are references is decided by their own code, too
/// (`Instruction.referenceField`): a code-0 second slot never is one.
enum WideLoads {
    /// What is wrong with a result.
    enum Violation {
        /// A first slot not immediately followed by a second slot (or ending the program).
        case unfollowedFirstHalf
        /// A second slot not immediately preceded by a first slot.
        case loneSecondHalf
        /// A reference whose target is a second slot.
        case targetsSecondHalf
    }

    /// True for the second slot of an `ld_imm64` in a whole result.
    @inline(__always)
    static func isSecondHalf(_ slot: Instruction) -> Bool { slot.code == Instruction.loadImmediate64SecondCode }

    /// True for the first slot of an `ld_imm64`.
    @inline(__always)
    static func isFirstHalf(_ slot: Instruction) -> Bool { slot.code == Instruction.loadImmediate64Code }

    /// Checks a result of `count` slots, in ascending slot order, calling
    /// `report` for every violation (the first call is the one to throw).
    ///
    /// - Parameters:
    ///   - code: the opcode of new slot i.
    ///   - target: the new index the reference at new slot i targets, or nil
    ///     when slot i is not a reference.
    /// - Complexity: O(m), where m is `count`.
    @inline(__always)
    static func check(count m: Int, code: (Int) -> UInt8, target: (Int) -> Int?,
                      report: (Int, Violation) throws(PatchError) -> Void) throws(PatchError) {
        let first = Instruction.loadImmediate64Code
        let second = Instruction.loadImmediate64SecondCode
        var previous: UInt8 = 0xff   // no slot before the program: not a first half
        for i in 0..<m {
            let c = code(i)
            if c == second && previous != first { try report(i, .loneSecondHalf) }
            if c == first && (i + 1 == m || code(i + 1) != second) { try report(i, .unfollowedFirstHalf) }
            if let t = target(i), t >= 0, t < m, code(t) == second { try report(i, .targetsSecondHalf) }
            previous = c
        }
    }

    /// The error for a violation at new slot `i`, blaming the patch that
    /// made it where there is one.
    ///
    /// - Parameters:
    ///   - origin: the original slot new slot j came from (the site, for a
    ///     patch's slots) and the patch it came from, if any.
    ///   - removal: the removal patch covering original slot x, if any.
    ///   - originalCount: the original program's slot count.
    static func error(_ violation: Violation, at i: Int, count m: Int, originalCount n: Int,
                      origin: (Int) -> (slot: Int, patch: Int?), removal: (Int) -> (number: Int, site: Int)?) -> PatchError {
        let (slot, patch) = origin(i)
        // The boundary at fault lies between slots `left` and `left + 1` (new indices).
        let left = violation == .loneSecondHalf ? i - 1 : i
        func blame() -> (Int?, Int) {
            if violation == .targetsSecondHalf { return (patch, slot) }
            for j in [left + 1, left] where j >= 0 && j < m {
                let o = origin(j)
                if let p = o.patch { return (p, o.slot) }
            }
            // Neither neighbour is a patch's: a removal between them, if any.
            let after = left >= 0 ? origin(left).slot + 1 : 0
            let before = left + 1 < m ? origin(left + 1).slot : n
            if after < before, let hole = removal(after) { return (hole.number, hole.site) }
            return (nil, slot)
        }
        let (number, at) = blame()
        let message: String
        switch violation {
        case .unfollowedFirstHalf:
            message = i + 1 == m ? "the result ends with the first slot of an ld_imm64 (new slot \(i))"
                                 : "the first slot of an ld_imm64 at new slot \(i) is not followed by its second slot"
        case .loneSecondHalf:
            message = "the second slot of an ld_imm64 at new slot \(i) does not follow a first slot"
        case .targetsSecondHalf:
            message = "the reference at new slot \(i) targets the second slot of an ld_imm64"
        }
        return PatchError(.splitWideLoad, patch: number, slot: SlotIndex(at), message)
    }
}
