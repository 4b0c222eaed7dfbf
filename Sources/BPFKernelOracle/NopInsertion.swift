import BPFInstructions
import BPFPatch

/// A batch that inserts `ja +0` no-ops before randomly chosen instructions.
///
/// Inserting before instruction x keeps behaviour: references to x land on
/// the no-op, which falls through to x. `PatchSet.insert(_:before:in:)`
/// re-emits x with its own target kept, so backward jumps stay right, and
/// an `ld_imm64` is never split (the no-op goes before its first slot).
public struct NopInsertion: Hashable, Sendable {
    /// `ja +0` (`BPF_JMP | BPF_JA`, off 0): the verifier's own no-op.
    public static let nop = Instruction.ja(0)

    /// The original slots that get a no-op before them, ascending.
    public var sites: [SlotIndex]
    /// The batch.
    public var patches: PatchSet

    /// Chooses sites: each instruction start independently with probability
    /// `density`, drawn from a generator seeded with `seed`.
    ///
    /// - Throws: `PatchError` only if the program is malformed (a site on
    ///   a second slot, which the iteration never picks).
    /// - Complexity: O(n), the program's slot count.
    public init(program: Program, seed: UInt64, density: Double) throws(PatchError) {
        var random = SplitMix64(seed: seed)
        var sites: [SlotIndex] = []
        var patches = PatchSet()
        for instruction in program.instructions {
            guard random.unit() < density else { continue }
            sites.append(instruction.index)
            try patches.insert([Self.nop], before: instruction.index, in: program)
        }
        self.sites = sites
        self.patches = patches
    }
}
