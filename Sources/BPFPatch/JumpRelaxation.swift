import BPFInstructions

/// Optional, not kernel behaviour (`PatchOptions.relaxJumps`): when a 16-bit
/// jump of the original program does not fit after the batch, or leaves its
/// field at some step of the sequential run, rewrite it as `gotol` (for
/// `ja`) or as a negated condition around a `gotol`, and apply again, with
/// every check, until nothing overflows. Each round only grows the program
/// and a rewritten jump's `gotol` gets a 32-bit displacement, so it reaches
/// a fixed point.
///
/// Jumps inside replacements are the caller's code and are not rewritten:
/// their overflow is reported as usual, as is one of a jump that cannot be
/// rewritten (`gotox`, whose target is in a register).
enum JumpRelaxation {
    /// The patches that relax the jumps at `sites` (original slots of
    /// untouched 16-bit jumps), or nil when one cannot be relaxed.
    ///
    /// - Complexity: O(k), where k is the number of sites.
    static func patches(for sites: [Int], in original: [Instruction]) -> [Patch]? {
        var patches: [Patch] = []
        patches.reserveCapacity(sites.count)
        for site in sites {
            guard let patch = relaxed(original[site], at: site) else { return nil }
            patches.append(patch)
        }
        return patches.isEmpty ? nil : patches
    }

    /// The long form of the 16-bit jump at original slot `site`.
    static func relaxed(_ jump: Instruction, at site: Int) -> Patch? {
        guard jump.referenceField == .offset else { return nil }
        let target = Fixup.Target.original(SlotIndex(site + Int(jump.offset) + 1))
        let gotol = Instruction(code: Instruction.longJumpCode)
        let operation = jump.jumpOperation
        if operation == .ja {
            // `gotox` (ja with a register operand) jumps through a register.
            guard jump.operandSource == .immediate else { return nil }
            return Patch(site: SlotIndex(site), operation: .replace([gotol]),
                         fixups: [Fixup(position: 0, target: target)])
        }
        if let negated = operation.negated {
            // if !cond goto +1; gotol target
            var skip = jump
            skip.code = jump.instructionClass.rawValue | jump.operandSource.rawValue | negated.rawValue
            skip.offset = 1
            return Patch(site: SlotIndex(site), operation: .replace([skip, gotol]),
                         fixups: [Fixup(position: 1, target: target)])
        }
        // jset, may_goto (no negation): if cond goto +1; ja +1; gotol target
        var taken = jump
        taken.offset = 1
        let over = Instruction(code: InstructionClass.jmp.rawValue | JumpOperation.ja.rawValue, offset: 1)
        return Patch(site: SlotIndex(site), operation: .replace([taken, over, gotol]),
                     fixups: [Fixup(position: 2, target: target)])
    }
}
