import BPFInstructions
import BPFObject
import BPFPatch

/// One program section put through the engine: the batch in absolute
/// slots, the engine's result, and where every original slot's
/// relocation-like records go.
struct SectionEdit {
    var section: ProgramSection
    var tables: SectionTables
    /// The engine's result (relocated references restored afterwards).
    var result: PatchResult
    /// For every original slot, the position in `patches` of the patch
    /// covering it, or -1.
    var patchOfSlot: [Int32]
    /// The batch's patches with absolute sites and their batch numbers.
    var patches: [(number: Int, patch: ObjectPatch)]

    /// Runs the engine on one section.
    ///
    /// - Complexity: O(n + p + t), as `PatchSet.apply`.
    init(object: ObjectFile, section: ProgramSection, patches numbered: [(number: Int, patch: ObjectPatch)],
         options: PatchOptions, engine: PatchEngineChoice) throws(ObjectPatchError) {
        self.section = section
        let name = section.name
        guard section.byteCount % 8 == 0 else {
            throw ObjectPatchError(.unsupported, section: name, "size \(section.byteCount) is not a whole number of slots")
        }
        let n = section.program.count
        var relocated = [Bool](repeating: false, count: n)
        for r in section.relocations { if let s = section.slotIndex(at: r.offset) { relocated[s.rawValue] = true } }
        var batch = PatchSet()
        var absolute: [(number: Int, patch: ObjectPatch)] = []
        for (number, patch) in numbered {
            var p = patch
            p.site = try ObjectPatchSet.absoluteSite(patch.site, function: patch.function, count: patch.operation.span,
                                                     in: section, patch: number)
            p.function = nil
            var operation = p.operation
            switch operation {
            case .replace(var slots):
                if let c = p.original {
                    guard c >= 0 && c < slots.count else {
                        throw ObjectPatchError(.badCarrier, section: name, patch: number, slot: p.site,
                                               "original position \(c) is outside the \(slots.count)-slot replacement")
                    }
                    let site = p.site.rawValue
                    if site >= 0 && site < n && relocated[site] && ObjectPatchSet.isSymbolResolvedReference(slots[c]) {
                        slots[c].srcNumber = 0
                    }
                }
                for r in p.relocations {
                    guard r.position >= 0 && r.position < slots.count else {
                        throw ObjectPatchError(.badRelocation, section: name, patch: number, slot: p.site,
                                               "relocation position \(r.position) is outside the \(slots.count)-slot replacement")
                    }
                    if ObjectPatchSet.isSymbolResolvedReference(slots[r.position]) { slots[r.position].srcNumber = 0 }
                }
                operation = .replace(slots)
            case .remove:
                guard p.original == nil, p.relocations.isEmpty else {
                    throw ObjectPatchError(.badCarrier, section: name, patch: number, slot: p.site,
                                           "a removal has no slot to carry the original or a relocation")
                }
            }
            batch.append(Patch(site: p.site, operation: operation, fixups: p.fixups))
            absolute.append((number, p))
        }
        self.patches = absolute
        self.tables = SectionTables(object: object, section: section)
        do throws(PatchError) {
            let program = Program(slots: ObjectPatchSet.neutralized(section))
            switch engine {
            case .batch:
                result = try batch.apply(to: program, tables: tables.sideTables, options: options)
            case .sequential:
                // The reference model: one kernel step per patch; same index map.
                let sequential = try batch.applySequentially(to: program, tables: tables.sideTables, options: options)
                let map = try batch.apply(to: program, tables: tables.sideTables, options: options).indexMap
                result = PatchResult(program: sequential.program, indexMap: map, tables: sequential.tables)
            }
        } catch {
            let number = error.patch.flatMap { $0 >= 0 && $0 < absolute.count ? absolute[$0].number : nil }
            throw ObjectPatchError(.engine, section: name, patch: number, slot: error.slot, "\(error.kind.rawValue): \(error.message)")
        }
        // The engine accepted the batch: sites are in range and disjoint.
        var patchOfSlot = [Int32](repeating: -1, count: n)
        for (k, entry) in absolute.enumerated() {
            let site = entry.patch.site.rawValue
            for x in site..<site + entry.patch.operation.span { patchOfSlot[x] = Int32(k) }
        }
        self.patchOfSlot = patchOfSlot
    }

    var originalCount: Int { section.program.count }

    /// The new index of original slot (or end) `x` as a start: the first
    /// slot of its replacement, or for a removed slot the first surviving
    /// slot after it. `x` may be the slot count.
    func newStart(_ x: Int) -> Int {
        x >= originalCount ? result.indexMap.newCount : result.indexMap.newRange(of: SlotIndex(x)).lowerBound.rawValue
    }

    /// Where a reference to original slot `x` lands, nil strictly inside a
    /// removed run.
    func referenceTarget(_ x: Int) -> Int? {
        guard x >= 0 && x <= originalCount else { return nil }
        return result.indexMap.referenceTarget(of: SlotIndex(x))?.rawValue
    }

    /// The new slot of the instruction at original slot `x`, for records
    /// that follow one instruction (ELF and CO-RE relocations): the slot
    /// itself when kept, the replacement's `original` position when
    /// replaced; an error naming `what` when nobody carries it.
    func follow(_ x: Int, _ what: @autoclosure () -> String, kind: ObjectPatchError.Kind = .relocationDropped) throws(ObjectPatchError) -> Int {
        guard x >= 0 && x < originalCount else {
            throw ObjectPatchError(kind, section: section.name, slot: SlotIndex(x), "\(what()) is outside the section's \(originalCount) slots")
        }
        let k = Int(patchOfSlot[x])
        let start = newStart(x)
        guard k >= 0 else { return start }
        let (number, patch) = patches[k]
        switch patch.operation {
        case .replace:
            if let c = patch.original { return start + c }
            throw ObjectPatchError(kind, section: section.name, patch: number, slot: SlotIndex(x),
                                   "\(what()) is on a replaced slot and no slot of the replacement carries it (give the replacement's \"original\" position)")
        case .remove:
            throw ObjectPatchError(kind, section: section.name, patch: number, slot: SlotIndex(x),
                                   "\(what()) is on a removed slot")
        }
    }

    /// The new byte offset of an original byte offset inside the section
    /// (symbols): the slot's new start plus the same remainder.
    func newByteOffset(_ offset: UInt64) -> UInt64 {
        let slot = offset / 8
        guard slot <= UInt64(originalCount) else { return offset }
        return UInt64(newStart(Int(slot))) * 8 + offset % 8
    }
}
