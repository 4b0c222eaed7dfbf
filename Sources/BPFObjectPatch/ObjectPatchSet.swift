import BPFInstructions
import BPFObject
import BPFPatch

/// A batch of object patches: several program sections at once, each
/// section one engine batch. Sites are in original coordinates.
///
///     var batch = ObjectPatchSet()
///     try batch.insert([probe], before: 7, section: "xdp", in: object)
///     let patched = try batch.apply(to: object)
///     try patched.bytes   // the new ELF object
public struct ObjectPatchSet: Hashable, Sendable {
    /// The patches in the order they were added; a patch's number in
    /// errors is its index here.
    public var patches: [ObjectPatch]

    public init(_ patches: [ObjectPatch] = []) { self.patches = patches }

    /// Queues a patch.
    ///
    /// - Complexity: O(1) amortised.
    public mutating func append(_ patch: ObjectPatch) { patches.append(patch) }

    /// Replaces one slot; `original` names the slot of `instructions` that
    /// re-emits the replaced instruction (and carries its relocation).
    ///
    /// - Complexity: O(1) amortised.
    public mutating func replace(_ site: SlotIndex, section: String, function: String? = nil,
                                 with instructions: [Instruction], original: Int? = nil,
                                 relocations: [AddedRelocation] = []) {
        patches.append(ObjectPatch(section: section, function: function, site: site, operation: .replace(instructions),
                                   original: original, relocations: relocations))
    }

    /// Replaces one slot by a symbolic sequence (labels and original-slot
    /// targets resolved by the engine); `original` is the position of the
    /// slot that re-emits the replaced instruction, as appended.
    ///
    /// - Throws: `ObjectPatchError` (`.engine`) for an unbound label.
    /// - Complexity: O(k), the sequence's length.
    public mutating func replace(_ site: SlotIndex, section: String, function: String? = nil,
                                 with sequence: PatchSequence, original: Int? = nil,
                                 relocations: [AddedRelocation] = []) throws(ObjectPatchError) {
        let resolved: (instructions: [Instruction], fixups: [Fixup])
        do throws(PatchError) { resolved = try sequence.resolved() } catch {
            throw ObjectPatchError(.engine, section: section, patch: patches.count, slot: site, error.message)
        }
        patches.append(ObjectPatch(section: section, function: function, site: site, operation: .replace(resolved.instructions),
                                   fixups: resolved.fixups, original: original, relocations: relocations))
    }

    /// Removes `count` slots.
    ///
    /// - Complexity: O(1) amortised.
    public mutating func remove(_ site: SlotIndex, count: Int = 1, section: String, function: String? = nil) {
        patches.append(ObjectPatch(section: section, function: function, site: site, operation: .remove(count: count)))
    }

    /// Inserts `instructions` before the instruction at `site` (see
    /// `PatchSet.insert(_:before:in:)`); the re-emitted instruction carries
    /// its relocation and CO-RE record.
    ///
    /// - Throws: `ObjectPatchError` for an unknown section or function, or
    ///   a site outside the function or on the second slot of an `ld_imm64`.
    /// - Complexity: O(n + k + f): n the section's slots (read through a
    ///   copy with symbol-resolved references hidden), k the inserted slots,
    ///   f the section's functions. Many insertions into one big section are
    ///   cheaper as one batch built like `padding(for:spacing:)`.
    public mutating func insert(_ instructions: [Instruction], before site: SlotIndex, section: String,
                                function: String? = nil, relocations: [AddedRelocation] = [],
                                in object: ObjectFile) throws(ObjectPatchError) {
        try insert(instructions, at: site, section: section, function: function, relocations: relocations,
                   in: object, before: true)
    }

    /// Inserts `instructions` after the instruction at `site` (after both
    /// slots of an `ld_imm64`); the re-emitted instruction carries its
    /// relocation and CO-RE record.
    ///
    /// - Throws: as `insert(_:before:section:function:relocations:in:)`.
    /// - Complexity: O(n + k + f), as `insert(_:before:section:function:relocations:in:)`.
    public mutating func insert(_ instructions: [Instruction], after site: SlotIndex, section: String,
                                function: String? = nil, relocations: [AddedRelocation] = [],
                                in object: ObjectFile) throws(ObjectPatchError) {
        try insert(instructions, at: site, section: section, function: function, relocations: relocations,
                   in: object, before: false)
    }

    private mutating func insert(_ inserted: [Instruction], at site: SlotIndex, section name: String, function: String?,
                                 relocations: [AddedRelocation], in object: ObjectFile, before: Bool) throws(ObjectPatchError) {
        guard let section = object.programSection(named: name) else {
            throw ObjectPatchError(.unknownSection, section: name, patch: patches.count, "no program section named '\(name)'")
        }
        let absolute = try Self.absoluteSite(site, function: function, count: 1, in: section, patch: patches.count)
        // Relocated calls and function references are resolved through
        // their symbol, not their displacement: the engine must not see them.
        let program = Program(slots: ObjectPatchSet.neutralized(section))
        var engineBatch = PatchSet()
        do throws(PatchError) {
            if before { try engineBatch.insert(inserted, before: absolute, in: program) }
            else { try engineBatch.insert(inserted, after: absolute, in: program) }
        } catch {
            throw ObjectPatchError(.engine, section: name, patch: patches.count, slot: absolute, error.message)
        }
        for (k, patch) in engineBatch.patches.enumerated() {
            var objectPatch = ObjectPatch(section: name, site: patch.site, operation: patch.operation, fixups: patch.fixups)
            if k == 0, case .replace(let slots) = patch.operation {
                // The site's instruction is re-emitted right after the inserted
                // slots (before) or first (after).
                objectPatch.original = before ? inserted.count : 0
                let base = before ? 0 : slots.count - inserted.count
                objectPatch.relocations = relocations.map { AddedRelocation(position: $0.position + base, symbol: $0.symbol) }
            }
            patches.append(objectPatch)
        }
    }

    /// The absolute site of a function-relative one, checked against the function.
    static func absoluteSite(_ site: SlotIndex, function: String?, count: Int, in section: ProgramSection,
                             patch: Int) throws(ObjectPatchError) -> SlotIndex {
        guard let function else { return site }
        guard let f = section.functions.first(where: { $0.name == function }) else {
            throw ObjectPatchError(.unknownFunction, section: section.name, patch: patch,
                                   "no function symbol '\(function)' in the section (have: \(section.functions.map(\.name).joined(separator: ", ")))")
        }
        let size = f.slots.count
        guard site.rawValue >= 0, site.rawValue < size, count >= 0, count <= size - site.rawValue else {
            throw ObjectPatchError(.siteOutsideFunction, section: section.name, patch: patch,
                                   "slot \(site.rawValue) (+\(count)) is outside function '\(function)' of \(size) slots")
        }
        return f.slots.lowerBound.advanced(by: site.rawValue)
    }

    /// The section's slots with every relocated call and function
    /// reference turned into a non-reference (src 0), so that the engine
    /// leaves their immediates alone; `ObjectPatchSet.apply` restores them.
    ///
    /// - Complexity: O(n + r).
    static func neutralized(_ section: ProgramSection) -> [Instruction] {
        var slots = section.program.slots
        for relocation in section.relocations {
            guard let s = section.slotIndex(at: relocation.offset)?.rawValue else { continue }
            if isSymbolResolvedReference(slots[s]) { slots[s].srcNumber = 0 }
        }
        return slots
    }

    /// A call (src 1) or a function-address `ld_imm64` (src 4): the kinds the
    /// engine moves as PC-relative references. With a relocation they are
    /// resolved through the symbol instead.
    static func isSymbolResolvedReference(_ insn: Instruction) -> Bool {
        (insn.isCall && insn.srcNumber == 1) || (insn.isLoadImmediate64 && insn.srcNumber == 4)
    }
}
