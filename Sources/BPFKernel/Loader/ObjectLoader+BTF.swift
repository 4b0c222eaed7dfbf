import BPFObject

extension ObjectLoader {
    /// Parses, fixes up and loads the object's BTF once.
    ///
    /// Fix-ups: DATASEC sizes and variable offsets that the compiler left 0
    /// are filled in from the ELF section headers and symbols. When the
    /// kernel still refuses the BTF, programs load without it and
    /// `btfProblem` says why.
    func prepareBTF() {
        guard !btfPrepared else { return }
        btfPrepared = true
        guard let btf = object.btf else {
            if object.hasBTFSection { btfProblem = "unreadable .BTF section" }
            return
        }
        var table: BTFTypeTable
        do throws(BTFError) {
            table = try BTFTypeTable(parsing: btf.bytes)
        } catch {
            btfProblem = error.description
            return
        }
        var symbolValues: [SymbolKey: UInt64] = [:]
        for symbol in object.symbols {
            guard let index = symbol.sectionIndex.sectionHeaderIndex, !symbol.name.isEmpty else { continue }
            symbolValues[SymbolKey(section: index, name: symbol.name)] = symbol.value
        }
        // The first section of each name, looked up once per DATASEC
        // variable: a scan per lookup would be quadratic in a hostile file.
        var sectionsByName: [String: Section] = [:]
        for section in object.sections where sectionsByName[section.name] == nil { sectionsByName[section.name] = section }
        table.fixDataSections(
            sectionSize: { name in sectionsByName[name]?.size },
            symbolOffset: { section, symbol in
                guard let index = sectionsByName[section]?.index else { return nil }
                return symbolValues[SymbolKey(section: index, name: symbol)]
            })
        table.sanitizeForKernel()
        btfTable = table
        // Index the string table so `.BTF.ext` line records (which carry
        // resolved strings) can be turned back into offsets.
        var offset = 0
        let strings = table.strings
        while offset < strings.count {
            var end = offset
            while end < strings.count && strings[end] != 0 { end += 1 }
            let text = String(decoding: strings[offset..<end], as: UTF8.self)
            if stringOffsets[text] == nil { stringOffsets[text] = UInt32(offset) }
            offset = end + 1
        }
        do throws(KernelError) {
            kernelBTF = try KernelBTF.load(table.encoded())
        } catch {
            btfProblem = error.description
        }
    }
}
