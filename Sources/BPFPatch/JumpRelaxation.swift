import BPFInstructions

/// Optional, not kernel behaviour: when a 16-bit jump of the original
/// program no longer fits after the batch, rewrite it as `gotol` (for
/// `ja`) or as an inverted condition around a `gotol`, and apply again
/// until nothing overflows. Each round only grows the program and every
/// rewritten jump gets a 32-bit displacement, so it reaches a fixed point.
///
/// Jumps inside replacements are the caller's code and are not rewritten:
/// their overflow is reported as usual.
enum JumpRelaxation {
    static func apply(_ batch: PatchSet, to program: Program, tables: SideTables, options: PatchOptions) throws(PatchError) -> PatchResult {
        var plain = options
        plain.relaxJumps = false
        var patches = batch.patches
        while true {
            let layout = try BatchLayout(patches: patches, programCount: program.count)
            var emitter = BatchEmitter(layout: layout, original: program.slots, options: plain)
            let slots = try emitter.emit()
            if !emitter.overflowed {
                let newTables = try layout.adjust(tables)
                return PatchResult(program: Program(slots: slots), indexMap: layout.indexMap, tables: newTables)
            }
            if emitter.overflowedElsewhere || emitter.overflowingJumps.isEmpty {
                throw layout.firstRangeFailure(in: program.slots, fixupPatch: emitter.overflowingFixupPatch)
            }
            for site in emitter.overflowingJumps {
                guard let patch = relaxed(program.slots[site], at: site) else {
                    throw layout.firstRangeFailure(in: program.slots, fixupPatch: emitter.overflowingFixupPatch)
                }
                patches.append(patch)
            }
        }
    }

    /// `jcc` ↔ its negation, for the conditions that have one.
    private static let inverse: [UInt8: UInt8] = [
        0x10: 0x50, 0x50: 0x10, 0x20: 0xb0, 0xb0: 0x20, 0x30: 0xa0, 0xa0: 0x30,
        0x60: 0xd0, 0xd0: 0x60, 0x70: 0xc0, 0xc0: 0x70,
    ]

    /// The long form of the 16-bit jump at original slot `site`.
    private static func relaxed(_ jump: Instruction, at site: Int) -> Patch? {
        let target = SlotIndex(site + Int(jump.offset) + 1)
        let gotol = Instruction(code: Instruction.longJumpCode)
        let operation = jump.code & 0xf0
        if jump.code == 0x05 {
            return Patch(site: SlotIndex(site), operation: .replace([gotol]),
                         fixups: [Fixup(position: 0, target: .original(target))])
        }
        if jump.code & 0x08 != 0 && operation == 0x00 { return nil }   // gotox: indirect
        if let inverted = inverse[operation] {
            // if !cond goto next; gotol target
            var skip = jump
            skip.code = (jump.code & 0x0f) | inverted
            skip.offset = 1
            return Patch(site: SlotIndex(site), operation: .replace([skip, gotol]),
                         fixups: [Fixup(position: 1, target: .original(target))])
        }
        // jset, may_goto: if cond goto gotol; ja next; gotol target
        var taken = jump
        taken.offset = 1
        return Patch(site: SlotIndex(site), operation: .replace([taken, Instruction(code: 0x05, offset: 1), gotol]),
                     fixups: [Fixup(position: 2, target: .original(target))])
    }
}
