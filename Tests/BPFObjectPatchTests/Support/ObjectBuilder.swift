import BPFInstructions

/// Builds small relocatable BPF objects by hand: program sections, data
/// sections, symbols, relocations, a strings-only `.BTF`, a `.BTF.ext`
/// with func_info, line_info and CO-RE records, and optionally DWARF.
struct ObjectBuilder {
    struct SymbolSpec { var name: String; var section: String?; var value: UInt64; var size: UInt64; var type: UInt8; var global: Bool }
    struct RelocationSpec { var section: String; var offset: UInt64; var symbol: String; var type: UInt32 }

    var byteOrder: ByteOrder = .littleEndian
    var machine: UInt16 = 247
    var programs: [(name: String, slots: [Instruction])] = []
    var data: [(name: String, bytes: [UInt8])] = []
    var symbols: [SymbolSpec] = []
    var relocations: [RelocationSpec] = []
    var funcInfo: [(section: String, offset: UInt32, typeID: UInt32)] = []
    var lineInfo: [(section: String, offset: UInt32, line: UInt32)] = []
    var core: [(section: String, offset: UInt32, access: String)] = []
    var debugInfo: [UInt8]? = nil

    mutating func function(_ name: String, in section: String, at slot: Int, slots: Int, global: Bool = true) {
        symbols.append(SymbolSpec(name: name, section: section, value: UInt64(slot * 8), size: UInt64(slots * 8), type: 2, global: global))
    }
    mutating func object(_ name: String, in section: String, at offset: UInt64, size: UInt64) {
        symbols.append(SymbolSpec(name: name, section: section, value: offset, size: size, type: 1, global: true))
    }
    mutating func sectionSymbol(_ section: String) {
        symbols.append(SymbolSpec(name: "", section: section, value: 0, size: 0, type: 3, global: false))
    }
    mutating func relocate(_ section: String, slot: Int, to symbol: String, type: UInt32) {
        relocations.append(RelocationSpec(section: section, offset: UInt64(slot * 8), symbol: symbol, type: type))
    }

    private func put(_ v: UInt64, _ n: Int, into out: inout [UInt8]) {
        for k in 0..<n {
            let shift = byteOrder == .littleEndian ? 8 * k : 8 * (n - 1 - k)
            out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift)))
        }
    }

    func build() -> [UInt8] {
        // BTF strings.
        var btfStrings: [UInt8] = [0]
        var btfIndex: [String: UInt32] = ["": 0]
        func btfString(_ s: String) -> UInt32 {
            if let k = btfIndex[s] { return k }
            let k = UInt32(btfStrings.count)
            btfStrings += Array(s.utf8) + [0]
            btfIndex[s] = k
            return k
        }
        let hasExt = !funcInfo.isEmpty || !lineInfo.isEmpty || !core.isEmpty
        var btfExt: [UInt8] = []
        if hasExt {
            func block(_ recordSize: Int, _ records: [(String, [UInt32])]) -> [UInt8] {
                guard !records.isEmpty else { return [] }
                var out: [UInt8] = []
                put(UInt64(recordSize), 4, into: &out)
                var order: [String] = []
                for (s, _) in records where !order.contains(s) { order.append(s) }
                for s in order {
                    let mine = records.filter { $0.0 == s }
                    put(UInt64(btfString(s)), 4, into: &out)
                    put(UInt64(mine.count), 4, into: &out)
                    for (_, fields) in mine { for f in fields { put(UInt64(f), 4, into: &out) } }
                }
                return out
            }
            let f = block(8, funcInfo.map { ($0.section, [$0.offset, $0.typeID]) })
            let l = block(16, lineInfo.map { ($0.section, [$0.offset, btfString("file.c"), btfString("line \($0.line)"), $0.line << 10 | 1]) })
            let c = block(16, core.map { ($0.section, [$0.offset, 1, btfString($0.access), 0]) })
            var header: [UInt8] = []
            put(0xeB9F, 2, into: &header); header += [1, 0]; put(32, 4, into: &header)
            put(0, 4, into: &header); put(UInt64(f.count), 4, into: &header)
            put(UInt64(f.count), 4, into: &header); put(UInt64(l.count), 4, into: &header)
            put(UInt64(f.count + l.count), 4, into: &header); put(UInt64(c.count), 4, into: &header)
            btfExt = header + f + l + c
        }
        var btf: [UInt8] = []
        if hasExt {
            put(0xeB9F, 2, into: &btf); btf += [1, 0]; put(24, 4, into: &btf)
            put(0, 4, into: &btf); put(0, 4, into: &btf); put(0, 4, into: &btf); put(UInt64(btfStrings.count), 4, into: &btf)
            btf += btfStrings
        }

        // Sections: (name, type, flags, contents, link, info, align, entsize)
        struct S { var name: String; var type: UInt32; var flags: UInt64; var contents: [UInt8]; var link: UInt32 = 0; var info: UInt32 = 0; var align: UInt64 = 8; var entsize: UInt64 = 0 }
        var sections: [S] = [S(name: "", type: 0, flags: 0, contents: [], align: 0)]
        for p in programs {
            var bytes: [UInt8] = []
            for slot in p.slots { slot.encode(into: &bytes, byteOrder: byteOrder) }
            sections.append(S(name: p.name, type: 1, flags: 6, contents: bytes))
        }
        for d in data { sections.append(S(name: d.name, type: 1, flags: 3, contents: d.bytes, align: 4)) }
        func index(_ name: String) -> Int { sections.firstIndex { $0.name == name }! }
        // Symbols: locals first.
        let ordered = symbols.filter { !$0.global } + symbols.filter(\.global)
        var strtab: [UInt8] = [0]
        var symtab = [UInt8](repeating: 0, count: 24)
        for s in ordered {
            var nameOffset: UInt64 = 0
            if !s.name.isEmpty { nameOffset = UInt64(strtab.count); strtab += Array(s.name.utf8) + [0] }
            put(nameOffset, 4, into: &symtab)
            symtab.append((s.global ? 1 : 0) << 4 | s.type)
            symtab.append(0)
            put(UInt64(s.section.map(index) ?? 0), 2, into: &symtab)
            put(s.value, 8, into: &symtab)
            put(s.size, 8, into: &symtab)
        }
        func symbolIndex(_ name: String) -> Int {
            if let k = ordered.firstIndex(where: { $0.name == name && $0.type != 3 }) { return k + 1 }
            return ordered.firstIndex { $0.type == 3 && $0.section == name }! + 1
        }
        let programCount = sections.count
        for p in programs where relocations.contains(where: { $0.section == p.name }) {
            var bytes: [UInt8] = []
            for r in relocations where r.section == p.name {
                put(r.offset, 8, into: &bytes)
                put(UInt64(symbolIndex(r.symbol)) << 32 | UInt64(r.type), 8, into: &bytes)
            }
            sections.append(S(name: ".rel" + p.name, type: 9, flags: 0x40, contents: bytes, info: UInt32(index(p.name)), entsize: 16))
        }
        _ = programCount
        if hasExt {
            sections.append(S(name: ".BTF", type: 1, flags: 0, contents: btf, align: 4))
            sections.append(S(name: ".BTF.ext", type: 1, flags: 0, contents: btfExt, align: 4))
        }
        if let debugInfo { sections.append(S(name: ".debug_info", type: 1, flags: 0, contents: debugInfo, align: 1)) }
        let symtabIndex = sections.count
        let firstGlobal = 1 + symbols.filter { !$0.global }.count
        sections.append(S(name: ".symtab", type: 2, flags: 0, contents: symtab, link: UInt32(symtabIndex + 1), info: UInt32(firstGlobal), entsize: 24))
        sections.append(S(name: ".strtab", type: 3, flags: 0, contents: strtab, align: 1))
        for k in sections.indices where sections[k].type == 9 { sections[k].link = UInt32(symtabIndex) }
        var shstrtab: [UInt8] = [0]
        var nameOffsets: [UInt32] = []
        sections.append(S(name: ".shstrtab", type: 3, flags: 0, contents: [], align: 1))
        for s in sections {
            if s.name.isEmpty { nameOffsets.append(0); continue }
            nameOffsets.append(UInt32(shstrtab.count))
            shstrtab += Array(s.name.utf8) + [0]
        }
        sections[sections.count - 1].contents = shstrtab

        // Layout.
        var out = [UInt8](repeating: 0, count: 64)
        var offsets: [Int] = []
        for s in sections {
            let align = Int(max(1, s.align))
            while out.count % align != 0 { out.append(0) }
            offsets.append(s.type == 0 ? 0 : out.count)
            out += s.contents
        }
        while out.count % 8 != 0 { out.append(0) }
        let shoff = out.count
        for (k, s) in sections.enumerated() {
            put(UInt64(nameOffsets[k]), 4, into: &out); put(UInt64(s.type), 4, into: &out)
            put(s.flags, 8, into: &out); put(0, 8, into: &out)
            put(UInt64(offsets[k]), 8, into: &out); put(UInt64(s.contents.count), 8, into: &out)
            put(UInt64(s.link), 4, into: &out); put(UInt64(s.info), 4, into: &out)
            put(s.align, 8, into: &out); put(s.entsize, 8, into: &out)
        }
        var header: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, 2, byteOrder == .littleEndian ? 1 : 2, 1, 0] + [UInt8](repeating: 0, count: 8)
        put(1, 2, into: &header); put(UInt64(machine), 2, into: &header); put(1, 4, into: &header)
        put(0, 8, into: &header); put(0, 8, into: &header); put(UInt64(shoff), 8, into: &header)
        put(0, 4, into: &header); put(64, 2, into: &header); put(0, 2, into: &header); put(0, 2, into: &header)
        put(64, 2, into: &header); put(UInt64(sections.count), 2, into: &header); put(UInt64(sections.count - 1), 2, into: &header)
        out.replaceSubrange(0..<64, with: header)
        return out
    }
}
