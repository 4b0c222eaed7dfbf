/// A map declared in a BTF-defined `.maps` section.
public struct BTFMapDeclaration: Hashable, Sendable {
    /// The variable's name (the map's name).
    public var name: String
    /// Offset of the variable in `.maps` (what relocations point at).
    public var offset: UInt32
    public var definition: MapDefinition
    /// The inner map template of a map-in-map (`__array(values, ...)`).
    public var inner: MapDefinition?
}

extension BTFTypeTable {
    /// The value an `__uint(name, N)` member encodes: a pointer to an array of N.
    func encodedUInt(_ typeID: UInt32) -> UInt32? {
        guard let pointer = self[resolved(typeID)], pointer.kind == .pointer,
              let array = self[resolved(pointer.sizeOrType)]?.arrayInfo else { return nil }
        return array.count
    }

    /// The type a `__type(name, T)` member points to.
    func pointee(_ typeID: UInt32) -> UInt32? {
        guard let pointer = self[resolved(typeID)], pointer.kind == .pointer else { return nil }
        return pointer.sizeOrType
    }

    /// Reads one map definition struct (the type of a `.maps` variable).
    ///
    /// - Throws: `BTFError` (`.badType`) for a member that does not have the
    ///   shape libbpf's macros produce, or a missing size.
    /// - Complexity: O(m), the member count (of the map and its inner template).
    public func mapDefinition(structID: UInt32, name: String) throws(BTFError) -> (MapDefinition, inner: MapDefinition?) {
        try mapDefinition(structID: structID, name: name, isInner: false)
    }

    /// `mapDefinition(structID:name:)`; an inner template may not have an
    /// inner template of its own (the kernel refuses maps of maps of maps),
    /// which also ends a definition that names itself as its inner map.
    private func mapDefinition(structID: UInt32, name: String, isInner: Bool) throws(BTFError) -> (MapDefinition, inner: MapDefinition?) {
        let id = resolved(structID)
        guard let type = self[id], type.kind == .structure else {
            throw BTFError(.badType, at: Int(structID), "map '\(name)' is not a struct")
        }
        var definition = MapDefinition(type: .unspec, keySize: 0, valueSize: 0, maxEntries: 0, name: name)
        var inner: MapDefinition? = nil
        for i in 0..<type.vlen {
            let member = type.member(i)
            let memberName = string(at: member.nameOffset)
            func uint() throws(BTFError) -> UInt32 {
                guard let value = encodedUInt(member.type) else {
                    throw BTFError(.badType, at: Int(member.type), "map '\(name)': member '\(memberName)' is not __uint()")
                }
                return value
            }
            func typed() throws(BTFError) -> (id: UInt32, size: UInt32) {
                guard let target = pointee(member.type), let size = size(of: target), size <= UInt32.max else {
                    throw BTFError(.badType, at: Int(member.type), "map '\(name)': member '\(memberName)' has no sized __type()")
                }
                return (target, UInt32(size))
            }
            switch memberName {
            case "type": definition.type = MapType(rawValue: try uint())
            case "max_entries": definition.maxEntries = try uint()
            case "map_flags": definition.flags = try uint()
            case "key_size": definition.keySize = try uint()
            case "value_size": definition.valueSize = try uint()
            case "map_extra": definition.mapExtra = UInt64(try uint())
            case "key":
                let key = try typed()
                definition.keySize = key.size
                definition.btfKeyTypeID = key.id
            case "value":
                let value = try typed()
                definition.valueSize = value.size
                definition.btfValueTypeID = value.id
            case "values":
                // `__array(values, struct inner)`: an array of pointers to the inner definition.
                guard let array = self[resolved(member.type)]?.arrayInfo,
                      let element = self[resolved(array.element)], element.kind == .pointer else {
                    throw BTFError(.badType, at: Int(member.type), "map '\(name)': 'values' is not __array()")
                }
                if definition.type == .arrayOfMaps || definition.type == .hashOfMaps {
                    guard !isInner else {
                        throw BTFError(.badType, at: Int(member.type), "map '\(name)': an inner map cannot hold maps itself")
                    }
                    inner = try mapDefinition(structID: element.sizeOrType, name: name + ".inner", isInner: true).0
                }
                definition.valueSize = 4
            default:
                break  // pinning, numa_node: not needed to load
            }
        }
        if definition.type == .arrayOfMaps || definition.type == .hashOfMaps || definition.type == .progArray {
            if definition.valueSize == 0 { definition.valueSize = 4 }
            definition.btfValueTypeID = 0
        }
        return (definition, inner)
    }

    /// Every map of the `.maps` DATASEC.
    ///
    /// - Throws: `BTFError` when `.maps` is missing from BTF or a map is malformed.
    /// - Complexity: O(t + m), types plus members.
    public func mapDeclarations(section: String = ".maps") throws(BTFError) -> [BTFMapDeclaration] {
        guard let sectionID = typeID(named: section, kind: .dataSection), let datasec = self[sectionID] else {
            throw BTFError(.badType, at: 0, "no DATASEC '\(section)' in BTF")
        }
        var declarations: [BTFMapDeclaration] = []
        for i in 0..<datasec.vlen {
            let entry = datasec.sectionVariable(i)
            guard let variable = self[entry.type], variable.kind == .variable else {
                throw BTFError(.badType, at: Int(entry.type), "'\(section)' entry \(i) is not a VAR")
            }
            let name = string(at: variable.nameOffset)
            let (definition, inner) = try mapDefinition(structID: variable.sizeOrType, name: name)
            declarations.append(BTFMapDeclaration(name: name, offset: entry.offset, definition: definition, inner: inner))
        }
        return declarations
    }
}
