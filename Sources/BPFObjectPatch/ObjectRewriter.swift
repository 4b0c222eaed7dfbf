import BPFInstructions
import BPFObject
import BPFPatch

/// Writes a patched object from the engine's per-section results: the
/// second half of `ObjectPatchSet.apply`.
struct ObjectRewriter {
    let object: ObjectFile
    var edits: [Int: SectionEdit]
    let e: ByteEdits
    /// New contents by section index.
    var replaced: [Int: [UInt8]] = [:]
    var notices: [String] = []
    /// New slots by program section index (patched, or with immediates changed).
    var programs: [Int: [Instruction]] = [:]
    /// New (st_value, st_size) by symbol index.
    var symbolValues: [Int: (value: UInt64, size: UInt64)] = [:]

    init(object: ObjectFile, edits: [Int: SectionEdit]) {
        self.object = object
        self.edits = edits
        self.e = ByteEdits(byteOrder: object.byteOrder)
        for (index, edit) in edits { programs[index] = edit.result.program.slots }
    }

    mutating func write() throws(ObjectPatchError) -> PatchedObject {
        computeSymbolValues()
        try restoreReferences()
        try rewriteRelocationSections()
        rewriteSymbolTable()
        try rewriteBTFExt()
        stripDWARF()
        for section in object.programSections {
            guard let slots = programs[section.sectionIndex] else { continue }
            replaced[section.sectionIndex] = Program(slots: slots).encoded(byteOrder: object.byteOrder)
        }
        let bytes = try ELFLayout.write(object, replacing: replaced)
        var results: [String: PatchResult] = [:]
        for (index, edit) in edits {
            var result = edit.result
            result.program = Program(slots: programs[index]!)
            results[edit.section.name] = result
        }
        return PatchedObject(bytes: bytes, sections: results, notices: notices)
    }

    // MARK: Symbols

    /// `st_value` and `st_size` of every symbol inside a patched section:
    /// start and end follow the slots' new starts (a function whose first
    /// slot was replaced begins at the replacement's first slot).
    mutating func computeSymbolValues() {
        for symbol in object.symbols {
            guard let index = symbol.sectionIndex.sectionHeaderIndex, let edit = edits[index] else { continue }
            let value = edit.newByteOffset(symbol.value)
            var size = symbol.size
            if size > 0, symbol.value <= UInt64.max - size {
                let end = edit.newByteOffset(symbol.value + size)
                size = end >= value ? end - value : 0
            }
            symbolValues[symbol.index] = (value, size)
        }
    }

    mutating func rewriteSymbolTable() {
        guard let index = object.symbolTableIndex, !symbolValues.isEmpty else { return }
        let s = object.sections[index]
        var table = Array(object.contents(of: s))
        var changed = false
        for (k, v) in symbolValues {
            let old = object.symbols[k]
            guard old.value != v.value || old.size != v.size else { continue }
            e.write(v.value, into: &table, at: k * 24 + 8, width: 8)
            e.write(v.size, into: &table, at: k * 24 + 16, width: 8)
            changed = true
        }
        if changed { replaced[index] = table }
    }

    // MARK: Relocated instructions

    /// The symbol a relocation names after patching.
    func newValue(of symbol: Symbol) -> UInt64 { symbolValues[symbol.index]?.value ?? symbol.value }

    /// Restores the pseudo kind of relocated calls and function references
    /// (hidden from the engine) and recomputes immediates that encode a
    /// place in a patched section relative to their symbol (`call`: slots
    /// after `sym + imm + 1`; `ld_imm64`: the byte `sym + imm`).
    mutating func restoreReferences() throws(ObjectPatchError) {
        for section in object.programSections {
            let index = section.sectionIndex
            let edit = edits[index]
            for r in section.relocations {
                guard let x = section.slotIndex(at: r.offset)?.rawValue else { continue }
                let original = section.program.slots[x]
                let y = try edit?.follow(x, "relocation \(r.type) '\(r.symbolName)'") ?? x
                var insn = programs[index]?[y] ?? original
                if edit != nil {
                    guard insn.code == original.code else {
                        throw ObjectPatchError(.badCarrier, section: section.name, slot: SlotIndex(x),
                                               "the slot carrying relocation \(r.type) '\(r.symbolName)' has code 0x\(String(insn.code, radix: 16)), not the original 0x\(String(original.code, radix: 16))")
                    }
                    if ObjectPatchSet.isSymbolResolvedReference(original) { insn.srcNumber = original.srcNumber }
                }
                guard r.symbolIndex >= 0 && r.symbolIndex < object.symbols.count else { continue }
                if let imm = try newImmediate(of: original, symbol: object.symbols[r.symbolIndex], in: section.name, slot: x) {
                    insn.immediate = imm
                }
                if insn != (programs[index]?[y] ?? original) {
                    if programs[index] == nil { programs[index] = section.program.slots }
                    programs[index]![y] = insn
                }
            }
            // Relocations added by patches.
            guard let edit else { continue }
            for (number, patch) in edit.patches {
                guard case .replace(let slots) = patch.operation else { continue }
                for added in patch.relocations {
                    let symbol = try self.symbol(named: added.symbol, section: section.name, patch: number)
                    let y = edit.newStart(patch.site.rawValue) + added.position
                    var insn = programs[index]![y]
                    insn.srcNumber = slots[added.position].srcNumber
                    if let imm = try newImmediate(of: slots[added.position], symbol: symbol, in: section.name, slot: patch.site.rawValue) {
                        insn.immediate = imm
                    }
                    programs[index]![y] = insn
                }
            }
        }
    }

    /// The symbol an added relocation names.
    func symbol(named name: String, section: String, patch: Int) throws(ObjectPatchError) -> Symbol {
        guard let symbol = object.symbols.first(where: { $0.name == name && $0.type != .section && $0.index > 0 })
                ?? object.symbols.first(where: { $0.name == name && $0.index > 0 }) else {
            throw ObjectPatchError(.badRelocation, section: section, patch: patch, "no symbol named '\(name)' in .symtab")
        }
        return symbol
    }

    /// The immediate of a relocated instruction whose symbol lies in a
    /// patched section; nil when it does not change.
    func newImmediate(of insn: Instruction, symbol: Symbol, in section: String, slot: Int) throws(ObjectPatchError) -> Int32? {
        guard let t = symbol.sectionIndex.sectionHeaderIndex, let target = edits[t],
              insn.isCall || insn.isLoadImmediate64 else { return nil }
        func fail(_ message: String) -> ObjectPatchError {
            ObjectPatchError(.unsupported, section: section, slot: SlotIndex(slot), message)
        }
        guard symbol.value % 8 == 0, symbol.value <= UInt64(Int32.max) * 8 else {
            throw fail("symbol '\(symbol.name)' at 0x\(String(symbol.value, radix: 16)) is not a slot of '\(target.section.name)'")
        }
        let base = Int(symbol.value / 8)
        let newBase = Int(newValue(of: symbol) / 8)
        let landed: Int
        if insn.isCall {
            guard let l = target.referenceTarget(base + Int(insn.immediate) + 1) else {
                throw fail("call through '\(symbol.name)' targets slot \(base + Int(insn.immediate) + 1), outside '\(target.section.name)' or inside a removed run")
            }
            landed = l - newBase - 1
        } else {
            let offset = Int(symbol.value) + Int(insn.immediate)
            guard offset % 8 == 0, let l = target.referenceTarget(offset / 8) else {
                throw fail("ld_imm64 through '\(symbol.name)' refers to byte \(offset), not a slot of '\(target.section.name)'")
            }
            landed = (l - newBase) * 8
        }
        guard let imm = Int32(exactly: landed) else {
            throw ObjectPatchError(.overflow, section: section, slot: SlotIndex(slot), "immediate \(landed) does not fit 32 bits")
        }
        return imm == insn.immediate ? nil : imm
    }

    // MARK: Relocation sections

    mutating func rewriteRelocationSections() throws(ObjectPatchError) {
        var firstForTarget: Set<Int> = []
        for s in object.sections where s.type == .rel || s.type == .rela {
            guard let target = Int(exactly: s.info), let edit = edits[target] else { continue }
            let entrySize = s.type == .rela ? 24 : 16
            let contents = Array(object.contents(of: s))
            var entries: [(offset: UInt64, bytes: ArraySlice<UInt8>)] = []
            var k = 0
            while k + entrySize <= contents.count {
                let offset = e.read(contents, at: k, width: 8)
                let info = e.read(contents, at: k + 8, width: 8)
                let x = offset / 8 < UInt64(edit.originalCount) ? Int(offset / 8) : edit.originalCount
                let symbolIndex = Int(info >> 32)
                let name = symbolIndex < object.symbols.count ? object.symbols[symbolIndex].name : "#\(symbolIndex)"
                let y = try edit.follow(x, "relocation \(RelocationType(rawValue: UInt32(truncatingIfNeeded: info))) '\(name)'")
                entries.append((UInt64(y) * 8 + offset % 8, contents[k + 8..<k + entrySize]))
                k += entrySize
            }
            var added = 0
            if !firstForTarget.contains(target) {
                firstForTarget.insert(target)
                for (number, patch) in edit.patches {
                    guard case .replace(let slots) = patch.operation else { continue }
                    for r in patch.relocations {
                        let symbol = try symbol(named: r.symbol, section: edit.section.name, patch: number)
                        let insn = slots[r.position]
                        let type: RelocationType
                        if insn.isLoadImmediate64 { type = .bpf64_64 }
                        else if insn.isCall { type = .bpf64_32 }
                        else {
                            throw ObjectPatchError(.badRelocation, section: edit.section.name, patch: number, slot: patch.site,
                                                   "slot \(r.position) of the replacement is neither an ld_imm64 nor a call")
                        }
                        var entry: [UInt8] = []
                        e.append(UInt64(symbol.index) << 32 | UInt64(type.rawValue), to: &entry, width: 8)
                        if entrySize == 24 { e.append(0, to: &entry, width: 8) }
                        let y = edit.newStart(patch.site.rawValue) + r.position
                        entries.append((UInt64(y) * 8, entry[...]))
                        added += 1
                    }
                }
            }
            if added > 0 {
                entries = entries.enumerated().sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }.map(\.element)
            }
            var out: [UInt8] = []
            out.reserveCapacity(entries.count * entrySize)
            for entry in entries {
                e.append(entry.offset, to: &out, width: 8)
                out.append(contentsOf: entry.bytes)
            }
            out.append(contentsOf: contents[k...])   // a torn last entry, as it was
            replaced[s.index] = out
        }
        // Added relocations need a relocation section to go to.
        for (index, edit) in edits where !firstForTarget.contains(index) {
            if let (number, patch) = edit.patches.first(where: { !$0.patch.relocations.isEmpty }) {
                throw ObjectPatchError(.unsupported, section: edit.section.name, patch: number, slot: patch.site,
                                       "the section has no relocation section to add relocations to")
            }
        }
        // Other relocations that point into patched code by section offset.
        for s in object.sections where s.type == .rel || s.type == .rela {
            guard let target = Int(exactly: s.info), target < object.sections.count, edits[target] == nil,
                  !Self.isDWARF(object.sections[target].name), object.sections[target].name != ".BTF.ext",
                  !object.programSections.contains(where: { $0.sectionIndex == target }) else { continue }
            let entrySize = s.type == .rela ? 24 : 16
            let contents = Array(object.contents(of: s))
            var k = 0
            while k + entrySize <= contents.count {
                let symbolIndex = Int(e.read(contents, at: k + 8, width: 8) >> 32)
                if symbolIndex < object.symbols.count, object.symbols[symbolIndex].type == .section,
                   let home = object.symbols[symbolIndex].sectionIndex.sectionHeaderIndex, edits[home] != nil {
                    throw ObjectPatchError(.unsupported, section: object.sections[home].name,
                                           "\(s.name) refers into the patched section by a section-relative offset; rewriting that is not supported")
                }
                k += entrySize
            }
        }
    }

    // MARK: .BTF.ext

    mutating func rewriteBTFExt() throws(ObjectPatchError) {
        guard let s = object.sections.first(where: { $0.name == ".BTF.ext" && $0.hasFileContents && $0.size > 0 }) else { return }
        guard let btf = object.btf, object.btfExt != nil else {
            throw ObjectPatchError(.unsupported, ".BTF.ext cannot be read, so its records cannot follow the patched code")
        }
        let byName = Dictionary(edits.values.map { ($0.section.name, $0) }, uniquingKeysWith: { a, _ in a })
        // Engine results by original record.
        var funcStarts: [String: [SlotIndex?]] = [:]
        var lineSlots: [String: [SlotIndex?]] = [:]
        for (name, edit) in byName {
            funcStarts[name] = edit.tables.funcInfoStarts(in: edit.result.tables)
            lineSlots[name] = edit.tables.lineInfoSlots(in: edit.result.tables)
        }
        let funcRecords = Dictionary(grouping: object.btfExt!.funcInfo, by: \.section)
        let lineRecords = Dictionary(grouping: object.btfExt!.lineInfo, by: \.section)
        let coreRecords = Dictionary(grouping: object.btfExt!.coreRelocations, by: \.section)
        func fits(_ value: Int, _ name: String) throws(ObjectPatchError) -> UInt32 {
            guard let v = UInt32(exactly: value) else {
                throw ObjectPatchError(.overflow, section: name, ".BTF.ext offset \(value) does not fit 32 bits")
            }
            return v
        }
        let rewrite = try BTFExtRewrite(Array(object.contents(of: s)), btf: btf, patched: Set(byName.keys)) {
            (block, name, k) throws(ObjectPatchError) -> UInt32? in
            let edit = byName[name]!
            switch block {
            case .funcInfo:
                guard edit.tables.funcInfoSubprogram[k] != nil else {
                    return try fits(Int(edit.newByteOffset(UInt64(funcRecords[name]![k].offset.rawValue))), name)
                }
                guard let start = funcStarts[name]![k] else { return nil }
                return try fits(start.rawValue * 8, name)
            case .lineInfo:
                guard edit.tables.lineInfoEntry[k] != nil else {
                    return try fits(Int(edit.newByteOffset(UInt64(lineRecords[name]![k].offset.rawValue))), name)
                }
                guard let slot = lineSlots[name]![k] else { return nil }
                return try fits(slot.rawValue * 8, name)
            case .core:
                let offset = coreRecords[name]![k].offset.rawValue
                guard offset >= 0, offset / 8 < edit.originalCount else {
                    return try fits(Int(edit.newByteOffset(UInt64(max(0, offset)))), name)
                }
                let y = try edit.follow(offset / 8, "CO-RE relocation #\(k) (\(coreRecords[name]![k].kind))", kind: .coreRelocationDropped)
                return try fits(y * 8 + offset % 8, name)
            }
        }
        replaced[s.index] = rewrite.bytes
        // .rel.BTF.ext follows moved records.
        guard rewrite.moved != nil else { return }
        for r in object.sections where (r.type == .rel || r.type == .rela) && Int(exactly: r.info) == s.index {
            let entrySize = r.type == .rela ? 24 : 16
            let contents = Array(object.contents(of: r))
            var out: [UInt8] = []
            var k = 0
            while k + entrySize <= contents.count {
                let offset = e.read(contents, at: k, width: 8)
                if offset <= UInt64(Int.max), let moved = rewrite.newOffset(of: Int(offset)) {
                    e.append(UInt64(moved), to: &out, width: 8)
                    out.append(contentsOf: contents[k + 8..<k + entrySize])
                }
                k += entrySize
            }
            replaced[r.index] = out
        }
    }

    // MARK: DWARF

    /// DWARF, and the call-frame tables some old compilers also emitted.
    static func isDWARF(_ name: String) -> Bool { name.hasPrefix(".debug_") || name == ".eh_frame" }

    /// Empties `.debug_*` and `.eh_frame` sections and their relocations:
    /// their addresses would point at the old code. Headers and symbols
    /// stay, so no index changes anywhere.
    mutating func stripDWARF() {
        var names: [String] = []
        for s in object.sections where s.hasFileContents && s.size > 0 {
            let isDebug = Self.isDWARF(s.name)
            let relocatesDebug = (s.type == .rel || s.type == .rela) && Int(exactly: s.info).map {
                $0 < object.sections.count && Self.isDWARF(object.sections[$0].name)
            } == true
            guard isDebug || relocatesDebug else { continue }
            replaced[s.index] = []
            if isDebug { names.append(s.name) }
        }
        if !names.isEmpty {
            notices.append("DWARF removed (\(names.joined(separator: ", ")) emptied): its code addresses would be stale; .BTF and .BTF.ext carry the line info")
        }
    }
}
