extension BTFTypeTable {
    /// Fills in what the compiler leaves for the loader: DATASEC sizes and
    /// variable offsets, which clang may emit as 0 because they are only
    /// known once the ELF sections are laid out.
    ///
    /// - Parameters:
    ///   - sectionSize: the size of an ELF section by name, nil when absent.
    ///   - symbolOffset: the offset of a named symbol in a named section.
    /// - Returns: the number of fields changed.
    /// - Complexity: O(t + v·s) for v variables and the lookup cost s.
    @discardableResult
    public mutating func fixDataSections(sectionSize: (String) -> UInt64?,
                                         symbolOffset: (_ section: String, _ symbol: String) -> UInt64?) -> Int {
        var changes = 0
        for index in types.indices where types[index].kind == .dataSection {
            let name = string(at: types[index].nameOffset)
            if types[index].sizeOrType == 0, let size = sectionSize(name), size <= UInt64(UInt32.max) {
                types[index].sizeOrType = UInt32(size)
                changes += 1
            }
            for v in 0..<types[index].vlen {
                let variableID = types[index].trailing[3 * v]
                let variableName = self.name(of: variableID)
                if types[index].trailing[3 * v + 1] == 0, let offset = symbolOffset(name, variableName),
                   offset != 0, offset <= UInt64(UInt32.max) {
                    types[index].trailing[3 * v + 1] = UInt32(offset)
                    changes += 1
                }
            }
        }
        return changes
    }
}

extension BTFTypeTable {
    /// Rewrites what the kernel refuses in object BTF but loaders accept:
    ///
    /// - DATASEC entries out of offset order (objects from `bpftool gen
    ///   object`): sorted by offset.
    /// - `extern` linkage on FUNC (kfunc declarations) and VAR (ksyms,
    ///   kconfig): FUNC becomes an INT placeholder, VAR global.
    /// - DATASECs still of size 0 (extern-only `.ksyms`/`.kconfig`): an
    ///   anonymous empty STRUCT, so nothing refers to unresolved externs.
    ///
    /// Type ids and string offsets are unchanged, so `.BTF.ext` records and
    /// map type ids stay valid.
    ///
    /// - Returns: the number of types changed.
    /// - Complexity: O(t + v log v).
    @discardableResult
    public mutating func sanitizeForKernel() -> Int {
        var changes = 0
        for index in types.indices {
            var type = types[index]
            switch type.kind {
            case .dataSection where type.sizeOrType == 0:
                type = BTFType(nameOffset: 0, kind: .structure, sizeOrType: 0)
            case .dataSection:
                let entries = (0..<type.vlen).map { type.sectionVariable($0) }
                let sorted = entries.sorted { $0.offset < $1.offset }
                if sorted.map(\.offset) != entries.map(\.offset) {
                    type.trailing = sorted.flatMap { [$0.type, $0.offset, $0.size] }
                }
            case .function where type.vlen > 1:
                // An extern declaration (kfunc): nothing in the program's BTF
                // refers to it once `.ksyms` is emptied, and the kernel would
                // check its (often unnamed) parameters, so it becomes a
                // plain 32-bit INT of the same name.
                type = BTFType(nameOffset: type.nameOffset, kind: .int, sizeOrType: 4, trailing: [32])
            case .variable where type.trailing.first.map({ $0 > 1 }) ?? false:
                type.trailing[0] = 1
            default:
                break
            }
            if type != types[index] {
                types[index] = type
                changes += 1
            }
        }
        return changes
    }
}
