import BPFInstructions

/// Optional, not kernel behaviour: rewrites 16-bit jumps that overflow as
/// `gotol` (being written).
enum JumpRelaxation {
    static func apply(_ patches: PatchSet, to program: Program, tables: SideTables, options: PatchOptions) throws(PatchError) -> PatchResult {
        var plain = options
        plain.relaxJumps = false
        return try patches.apply(to: program, tables: tables, options: plain)
    }
}
