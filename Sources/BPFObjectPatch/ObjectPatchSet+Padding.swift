import BPFInstructions
import BPFObject
import BPFPatch

extension ObjectPatchSet {
    /// `ja +0` (`BPF_JMP | BPF_JA`, off 0): the no-op the verifier removes.
    public static let nop = Instruction.ja(0)

    /// A batch that inserts `ja +0` before chosen instructions of every
    /// program section (never between the halves of an `ld_imm64`). A
    /// loader or the kernel must treat the result as the same program:
    /// references to an instruction land on its no-op, which falls through.
    ///
    ///     let batch = try ObjectPatchSet.padding(for: object, spacing: .every(3))
    ///     let padded = try batch.apply(to: object)
    ///
    /// Sections whose size is not a whole number of slots are left alone.
    ///
    /// - Throws: `ObjectPatchError` only for malformed programs.
    /// - Complexity: O(Σ n), the slots of all program sections.
    public static func padding(for object: ObjectFile, spacing: PaddingSpacing) throws(ObjectPatchError) -> ObjectPatchSet {
        var batch = ObjectPatchSet()
        var random = SplitMix64(seed: { if case .random(_, let seed) = spacing { return seed } else { return 0 } }())
        for section in object.programSections where section.byteCount % 8 == 0 {
            let program = Program(slots: neutralized(section))
            var engineBatch = PatchSet()
            for (k, instruction) in program.instructions.enumerated() {
                let chosen: Bool
                switch spacing {
                case .every(let step): chosen = step > 0 && k % step == 0
                case .random(let probability, _): chosen = random.unit() < probability
                }
                // A final ld_imm64 missing its second slot cannot be re-emitted whole.
                guard chosen, !(instruction.first.isLoadImmediate64 && instruction.second == nil) else { continue }
                do throws(PatchError) {
                    try engineBatch.insert([nop], before: instruction.index, in: program)
                } catch {
                    throw ObjectPatchError(.engine, section: section.name, slot: instruction.index, error.message)
                }
            }
            for patch in engineBatch.patches {
                var objectPatch = ObjectPatch(section: section.name, site: patch.site, operation: patch.operation, fixups: patch.fixups)
                if case .replace = patch.operation { objectPatch.original = 1 }
                batch.append(objectPatch)
            }
        }
        return batch
    }
}
