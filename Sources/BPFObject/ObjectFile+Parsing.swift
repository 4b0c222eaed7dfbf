import BPFInstructions

extension ObjectFile {
    /// Opens an object from its bytes.
    ///
    ///     let object = try ObjectFile(bytes: Array(data))
    ///
    /// - Parameter bytes: the whole file.
    /// - Throws: `ObjectError` when the file is not an ELF64 BPF object or
    ///   its headers, string tables, symbol table or program relocations
    ///   are malformed.
    /// - Complexity: O(n + s log s), where n is the file size and s the
    ///   number of symbols.
    public init(bytes: [UInt8]) throws(ObjectError) {
        let file = ByteReader(bytes, byteOrder: .littleEndian)
        let elfMagic: [UInt8] = [0x7f, 0x45, 0x4c, 0x46]
        guard bytes.count >= 4, Array(bytes[0..<4]) == elfMagic else {
            throw ObjectError(.notELF, at: ObjectLocation(fileOffset: 0), "missing ELF magic 7f 45 4c 46")
        }
        guard bytes.count >= 16 else {
            throw ObjectError(.outOfBounds, at: ObjectLocation(fileOffset: bytes.count),
                              "file of \(bytes.count) bytes ends inside the ELF identification")
        }
        switch bytes[4] {
        case 2: break
        case 1: throw ObjectError(.unsupportedClass, at: ObjectLocation(fileOffset: 4), "ELF32 object; BPF objects are ELF64")
        default: throw ObjectError(.unsupportedClass, at: ObjectLocation(fileOffset: 4), "unknown EI_CLASS \(bytes[4])")
        }
        let order: ByteOrder
        switch bytes[5] {
        case 1: order = .littleEndian
        case 2: order = .bigEndian
        default: throw ObjectError(.unsupportedEncoding, at: ObjectLocation(fileOffset: 5), "unknown EI_DATA \(bytes[5])")
        }
        let r = file.with(byteOrder: order)
        guard bytes.count >= 64 else {
            throw ObjectError(.outOfBounds, at: ObjectLocation(fileOffset: bytes.count),
                              "file of \(bytes.count) bytes ends inside the 64-byte ELF header")
        }
        let machine = ELFMachine(rawValue: try r.u16(at: 18))
        guard machine == .bpf || machine == .none else {
            throw ObjectError(.unsupportedMachine, at: ObjectLocation(fileOffset: 18), "e_machine \(machine.rawValue) is not EM_BPF (247)")
        }
        let fileType = try r.u16(at: 16)
        let sectionTableOffset = try r.u64(at: 40)
        let sectionEntrySize = try r.u16(at: 58)
        var sectionCount = UInt64(try r.u16(at: 60))
        var nameTableIndex = UInt32(try r.u16(at: 62))

        // The section header table.
        var sections: [Section] = []
        if sectionTableOffset != 0 {
            guard sectionEntrySize == 64 else {
                throw ObjectError(.badHeader, at: ObjectLocation(fileOffset: 58), "e_shentsize \(sectionEntrySize) is not 64")
            }
            let first = try r.subReader(offset: sectionTableOffset, count: 64, "section header 0")
            // Extended numbering: counts too large for the header live in section 0.
            if sectionCount == 0 { sectionCount = try first.u64(at: 32) }
            if nameTableIndex == 0xffff { nameTableIndex = try first.u32(at: 40) }
            guard sectionCount <= UInt64(bytes.count) / 64 else {
                throw ObjectError(.outOfBounds, at: ObjectLocation(fileOffset: 60),
                                  "\(sectionCount) section headers cannot fit in \(bytes.count) bytes")
            }
            let table = try r.subReader(offset: sectionTableOffset, count: sectionCount * 64, "section header table")
            for k in 0..<Int(sectionCount) {
                let h = k * 64
                sections.append(Section(
                    index: k, name: "", type: SectionType(rawValue: try table.u32(at: h + 4)),
                    flags: SectionFlags(rawValue: try table.u64(at: h + 8)), address: try table.u64(at: h + 16),
                    offset: try table.u64(at: h + 24), size: try table.u64(at: h + 32),
                    link: try table.u32(at: h + 40), info: try table.u32(at: h + 44),
                    alignment: try table.u64(at: h + 48), entrySize: try table.u64(at: h + 56)))
            }
            // Names.
            if nameTableIndex != 0 {
                guard Int(nameTableIndex) < sections.count else {
                    throw ObjectError(.badHeader, at: ObjectLocation(fileOffset: 62),
                                      "e_shstrndx \(nameTableIndex) is not below the section count \(sections.count)")
                }
                let nameSection = sections[Int(nameTableIndex)]
                let names = try r.subReader(offset: nameSection.offset, count: nameSection.size,
                                            section: "section name table", errorKind: .outOfBounds,
                                            "section name table (section \(nameTableIndex))")
                for k in sections.indices {
                    let nameOffset = try table.u32(at: k * 64)
                    do throws(ObjectError) {
                        sections[k].name = try names.cString(at: UInt64(nameOffset))
                    } catch {
                        throw ObjectError(.badString, at: ObjectLocation(fileOffset: Int(sectionTableOffset) + k * 64),
                                          "section [\(k)] name offset 0x\(String(nameOffset, radix: 16)): \(error.message)")
                    }
                }
            }
            // Contents must lie inside the file.
            for section in sections where section.hasFileContents && section.size > 0 {
                _ = try r.subReader(offset: section.offset, count: section.size, section: section.name,
                                    "contents of section [\(section.index)] '\(section.name)'")
            }
        }

        var warnings: [ObjectWarning] = []
        func contents(_ s: Section, kind: ObjectError.Kind = .outOfBounds) throws(ObjectError) -> ByteReader {
            guard s.hasFileContents, s.size > 0 else {
                return try r.subReader(offset: 0, count: 0, section: s.name, errorKind: kind, "empty")
            }
            return try r.subReader(offset: s.offset, count: s.size, section: s.name, errorKind: kind, "section '\(s.name)'")
        }

        // The symbol table.
        var symbols: [Symbol] = []
        let symbolTableIndex = sections.firstIndex { $0.type == .symtab }
        if let st = symbolTableIndex {
            let s = sections[st]
            let at = ObjectLocation(section: s.name, fileOffset: Int(sectionTableOffset) + st * 64)
            guard s.entrySize == 24 else { throw ObjectError(.badSymbol, at: at, "sh_entsize \(s.entrySize) is not 24") }
            guard s.size % 24 == 0 else { throw ObjectError(.badSymbol, at: at, "size \(s.size) is not a multiple of 24") }
            guard Int(exactly: s.link).map({ $0 < sections.count }) == true else {
                throw ObjectError(.badSection, at: at, "sh_link \(s.link) names no section (\(sections.count) sections)")
            }
            let stringSection = sections[Int(s.link)]
            guard stringSection.type == .strtab else {
                throw ObjectError(.badSection, at: at, "sh_link \(s.link) is a \(stringSection.type) section, not STRTAB")
            }
            let strings = try contents(stringSection)
            let table = try contents(s, kind: .badSymbol)
            let count = Int(s.size / 24)
            symbols.reserveCapacity(count)
            for k in 0..<count {
                let e = k * 24
                let nameOffset = try table.u32(at: e)
                let info = try table.u8(at: e + 4)
                let other = try table.u8(at: e + 5)
                let name: String
                do throws(ObjectError) { name = try strings.cString(at: UInt64(nameOffset)) } catch {
                    throw ObjectError(.badString, at: ObjectLocation(section: s.name, fileOffset: s.fileOffset(plus: e)),
                                      "symbol \(k) name: \(error.message)")
                }
                symbols.append(Symbol(
                    index: k, name: name, value: try table.u64(at: e + 8), size: try table.u64(at: e + 16),
                    type: SymbolType(rawValue: info & 0xf), binding: SymbolBinding(rawValue: info >> 4),
                    visibility: SymbolVisibility(rawValue: other & 3) ?? .default,
                    sectionIndex: SymbolSectionIndex(rawValue: try table.u16(at: e + 6))))
            }
        }

        // Which sections are programs.
        let isProgram: (Int) -> Bool = { i in
            sections[i].flags.contains(.execInstr) && sections[i].size > 0 && sections[i].hasFileContents
        }

        // Relocations.
        var relocationsBySection: [Int: [Relocation]] = [:]
        for s in sections where s.type == .rel || s.type == .rela {
            let withAddend = s.type == .rela
            let target = Int(exactly: s.info).flatMap { $0 < sections.count ? $0 : nil }
            let strict = target.map(isProgram) ?? false
            do throws(ObjectError) {
                let found = try Self.relocations(in: s, reader: contents(s, kind: .badRelocation), withAddend: withAddend,
                                                 target: target, sections: sections, symbols: symbols,
                                                 symbolTableIndex: symbolTableIndex, strict: strict)
                if let target, !found.isEmpty { relocationsBySection[target, default: []].append(contentsOf: found) }
            } catch {
                guard !strict else { throw error }
                warnings.append(ObjectWarning(.relocationsIgnored, at: error.location, error.message))
            }
        }

        // Program sections.
        var programSections: [ProgramSection] = []
        for s in sections where isProgram(s.index) {
            programSections.append(try Self.programSection(
                s, reader: contents(s), byteOrder: order, symbols: symbols,
                relocations: relocationsBySection[s.index] ?? []))
            warnings.append(contentsOf: programSections[programSections.count - 1].warnings)
        }

        // Map sections.
        var mapSections: [MapSection] = []
        for s in sections {
            let kind: MapSection.Kind
            if s.name == ".maps" { kind = .btfDefined }
            else if s.name == "maps" || s.name.hasPrefix("maps/") { kind = .legacy }
            else { continue }
            let defined = symbols.filter {
                $0.sectionIndex.sectionHeaderIndex == s.index && $0.type != .section && $0.type != .file && !$0.name.isEmpty
            }.sorted { ($0.value, $0.index) < ($1.value, $1.index) }
            mapSections.append(MapSection(sectionIndex: s.index, name: s.name, kind: kind, size: s.size, symbols: defined))
        }

        // BTF.
        var btf: BTF?
        var btfExt: BTFExt?
        if let s = sections.first(where: { $0.name == ".BTF" && $0.hasFileContents }) {
            do throws(ObjectError) {
                btf = try BTF(bytes: Array(contents(s).slice), section: s.name, fileOffset: s.fileOffset())
            } catch {
                warnings.append(ObjectWarning(.btfIgnored, at: error.location, error.message))
            }
        }
        if let s = sections.first(where: { $0.name == ".BTF.ext" && $0.hasFileContents }) {
            if let btf {
                do throws(ObjectError) {
                    btfExt = try BTFExt(bytes: Array(contents(s).slice), btf: btf, fileOffset: s.fileOffset())
                } catch {
                    warnings.append(ObjectWarning(.btfExtIgnored, at: error.location, error.message))
                }
            } else {
                warnings.append(ObjectWarning(.btfExtIgnored, at: ObjectLocation(section: s.name, fileOffset: s.fileOffset()),
                                              "no readable .BTF to resolve its strings"))
            }
        }

        self.init(bytes: bytes, byteOrder: order, machine: machine, fileType: fileType, sections: sections,
                  symbolTableIndex: symbolTableIndex, symbols: symbols, programSections: programSections,
                  mapSections: mapSections, relocationsBySection: relocationsBySection, btf: btf, btfExt: btfExt,
                  warnings: warnings)
    }

    /// Reads one `SHT_REL`/`SHT_RELA` section.
    private static func relocations(
        in s: Section, reader: ByteReader, withAddend: Bool, target: Int?, sections: [Section], symbols: [Symbol],
        symbolTableIndex: Int?, strict: Bool
    ) throws(ObjectError) -> [Relocation] {
        let entry: UInt64 = withAddend ? 24 : 16
        let at = ObjectLocation(section: s.name, fileOffset: s.fileOffset())
        guard let target else {
            throw ObjectError(.badSection, at: at, "sh_info \(s.info) names no section (\(sections.count) sections)")
        }
        guard s.entrySize == entry || s.entrySize == 0 else {
            throw ObjectError(.badRelocation, at: at, "sh_entsize \(s.entrySize) is not \(entry)")
        }
        guard s.size % entry == 0 else {
            throw ObjectError(.badRelocation, at: at, "size \(s.size) is not a multiple of \(entry)")
        }
        guard s.size == 0 || symbolTableIndex != nil else {
            throw ObjectError(.badRelocation, at: at, "relocations but no symbol table")
        }
        if s.size > 0, let st = symbolTableIndex, s.link != 0, Int(exactly: s.link) != st {
            throw ObjectError(.badSection, at: at, "sh_link \(s.link) is not the symbol table (\(st))")
        }
        let targetSection = sections[target]
        var found: [Relocation] = []
        let count = Int(s.size / entry)
        found.reserveCapacity(count)
        for k in 0..<count {
            let e = k * Int(entry)
            let offset = try reader.u64(at: e)
            let info = try reader.u64(at: e + 8)
            let addend = withAddend ? Int64(bitPattern: try reader.u64(at: e + 16)) : nil
            let symbolIndex = info >> 32
            let here = ObjectLocation(section: s.name, fileOffset: s.fileOffset(plus: e))
            guard symbolIndex < UInt64(symbols.count) else {
                throw ObjectError(.badRelocation, at: here,
                                  "relocation \(k) names symbol \(symbolIndex) of \(symbols.count)")
            }
            guard offset < targetSection.size, offset < UInt64(Int32.max) else {
                throw ObjectError(.badRelocation, at: here,
                                  "relocation \(k) offset 0x\(String(offset, radix: 16)) is past the end of '\(targetSection.name)' (\(targetSection.size) bytes)")
            }
            if strict {
                guard offset % 8 == 0, offset + 8 <= targetSection.size else {
                    throw ObjectError(.badRelocation, at: here,
                                      "relocation \(k) offset 0x\(String(offset, radix: 16)) is not the start of a slot of '\(targetSection.name)'")
                }
            }
            let symbol = symbols[Int(symbolIndex)]
            var name = symbol.name
            if name.isEmpty, symbol.type == .section, let i = symbol.sectionIndex.sectionHeaderIndex, i < sections.count {
                name = sections[i].name
            }
            found.append(Relocation(offset: ByteOffset(Int(offset)), symbolIndex: Int(symbolIndex), symbolName: name,
                                    type: RelocationType(rawValue: UInt32(truncatingIfNeeded: info)), addend: addend))
        }
        return found
    }

    /// Decodes one executable section, turning program damage into warnings.
    private static func programSection(
        _ s: Section, reader: ByteReader, byteOrder: ByteOrder, symbols: [Symbol], relocations: [Relocation]
    ) throws(ObjectError) -> ProgramSection {
        var warnings: [ObjectWarning] = []
        let raw = reader.slice
        let whole = raw.count - raw.count % 8
        if whole != raw.count {
            warnings.append(ObjectWarning(.truncatedSlot, at: ObjectLocation(section: s.name, fileOffset: s.fileOffset(plus: whole)),
                                          "size \(raw.count) is not a multiple of 8; the last \(raw.count - whole) bytes are dropped"))
        }
        // Decode slot by slot (same layout rules as `Program(decoding:)`, which
        // would be an unspecialized generic call here); damage at the end is
        // reported below instead of thrown.
        var slots: [Instruction] = []
        slots.reserveCapacity(whole / 8)
        let base = raw.startIndex
        for k in stride(from: 0, to: whole, by: 8) {
            slots.append(Instruction(bytes: reader.bytes, at: base + k, byteOrder: byteOrder))
        }
        let program = Program(slots: slots)
        // A final ld_imm64 without its second half.
        var k = 0
        while k < program.count { k += program.slots[k].isLoadImmediate64 ? 2 : 1 }
        if k > program.count {
            let slot = program.count - 1
            warnings.append(ObjectWarning(.truncatedWideLoad, at: ObjectLocation(section: s.name, fileOffset: s.fileOffset(plus: slot * 8)),
                                          "ld_imm64 at slot \(slot) has no second slot"))
        }
        // Functions.
        var functions: [ProgramFunction] = []
        for symbol in symbols where symbol.type == .function && symbol.sectionIndex.sectionHeaderIndex == s.index {
            let fits = symbol.value % 8 == 0 && symbol.size % 8 == 0 && symbol.value <= UInt64(whole)
                && symbol.size <= UInt64(whole) - symbol.value
            guard fits else {
                warnings.append(ObjectWarning(.badFunctionSymbol, at: ObjectLocation(section: s.name),
                                              "function '\(symbol.name)' at 0x\(String(symbol.value, radix: 16)) size \(symbol.size) does not fit the section's \(whole) bytes of whole slots"))
                continue
            }
            functions.append(ProgramFunction(name: symbol.name, symbolIndex: symbol.index, offset: ByteOffset(Int(symbol.value)),
                                             size: Int(symbol.size), binding: symbol.binding))
        }
        functions.sort { ($0.offset, $0.name) < ($1.offset, $1.name) }
        return ProgramSection(sectionIndex: s.index, name: s.name, program: program, byteCount: raw.count,
                              functions: functions, relocations: relocations, warnings: warnings)
    }
}
