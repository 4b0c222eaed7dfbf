import BPFInstructions
import BPFObject
import BPFPatch

extension ObjectPatchSet {
    /// Applies the batch to an object and writes the new object: program
    /// sections through the engine (one batch per section), then every
    /// structure that points at code: relocations (`r_offset`; on a replaced
    /// slot the `original` slot carries them), added relocations, symbols
    /// (`st_value`, `st_size`), `.BTF.ext` func_info/line_info/CO-RE
    /// `insn_off` (and `.rel.BTF.ext`), call and function-address immediates
    /// resolved through a symbol of a patched section; DWARF and
    /// `.eh_frame` are emptied (with a notice) since their addresses would
    /// be stale; section offsets, sizes and `e_shoff` follow. Everything else is
    /// copied byte for byte; an empty batch returns the input unchanged.
    ///
    /// All or nothing: any error throws and nothing is produced.
    ///
    /// - Throws: `ObjectPatchError` naming the section, patch and slot.
    /// - Complexity: O(f + Σ(n + p + t) + r log r): f the file size, per
    ///   patched section its slots, patches and tables, r the relocations.
    /// - Parameter engine: `.sequential` runs the reference model for the
    ///   program and tables (the index map still comes from the batch engine).
    public func apply(to object: ObjectFile, options: PatchOptions = PatchOptions(),
                      engine: PatchEngineChoice = .batch) throws(ObjectPatchError) -> PatchedObject {
        // Group by section, keeping batch numbers.
        var bySection: [Int: [(number: Int, patch: ObjectPatch)]] = [:]
        var order: [Int] = []
        for (number, patch) in patches.enumerated() {
            guard let section = object.programSection(named: patch.section) else {
                throw ObjectPatchError(.unknownSection, section: patch.section, patch: number,
                                       "no program section named '\(patch.section)' (have: \(object.programSections.map(\.name).joined(separator: ", ")))")
            }
            if bySection[section.sectionIndex] == nil { order.append(section.sectionIndex) }
            bySection[section.sectionIndex, default: []].append((number, patch))
        }
        guard !order.isEmpty else { return PatchedObject(bytes: object.bytes, sections: [:], notices: []) }

        var edits: [Int: SectionEdit] = [:]
        for index in order {
            let section = object.programSections.first { $0.sectionIndex == index }!
            edits[index] = try SectionEdit(object: object, section: section, patches: bySection[index]!, options: options, engine: engine)
        }
        var writer = ObjectRewriter(object: object, edits: edits)
        return try writer.write()
    }
}
