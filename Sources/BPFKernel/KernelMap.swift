/// A map created in the kernel (`BPF_MAP_CREATE`).
public struct KernelMap: Sendable {
    /// The owned map descriptor.
    public let descriptor: FileDescriptor
    /// The definition it was created from.
    public let definition: MapDefinition

    /// Creates a map.
    ///
    ///     let map = try KernelMap.create(MapDefinition(type: .array, keySize: 4, valueSize: 4, maxEntries: 1))
    ///
    /// - Parameters:
    ///   - definition: type, sizes, flags, name, optional BTF ids.
    ///   - btf: the BTF object `btfKeyTypeID`/`btfValueTypeID` refer to; without it the ids are not sent.
    ///   - innerMap: the template map for map-in-map types.
    /// - Throws: `KernelError` with the errno (`EINVAL` for a bad definition).
    /// - Complexity: O(1) here; the kernel may allocate `maxEntries` values.
    public static func create(_ definition: MapDefinition, btf: KernelBTF? = nil,
                              innerMap: KernelMap? = nil) throws(KernelError) -> KernelMap {
        // union bpf_attr, MAP_CREATE part: map_type@0 key_size@4 value_size@8
        // max_entries@12 map_flags@16 inner_map_fd@20 map_name@28 btf_fd@48
        // btf_key_type_id@52 btf_value_type_id@56 map_extra@64.
        typealias M = AttributeLayout.MapCreate
        let attr = AttributeBuffer()
        attr.set32(definition.type.rawValue, at: M.mapType)
        attr.set32(definition.keySize, at: M.keySize)
        attr.set32(definition.valueSize, at: M.valueSize)
        attr.set32(definition.maxEntries, at: M.maxEntries)
        attr.set32(definition.flags, at: M.mapFlags)
        if let innerMap { attr.set32(UInt32(bitPattern: innerMap.descriptor.rawValue), at: M.innerMapFD) }
        attr.setName(sanitizedObjectName(definition.name), at: M.mapName)
        if let btf, definition.btfValueTypeID != 0 || definition.btfKeyTypeID != 0 {
            attr.set32(UInt32(bitPattern: btf.descriptor.rawValue), at: M.btfFD)
            attr.set32(definition.btfKeyTypeID, at: M.btfKeyTypeID)
            attr.set32(definition.btfValueTypeID, at: M.btfValueTypeID)
        }
        attr.set64(definition.mapExtra, at: M.mapExtra)
        switch attr.call(.mapCreate) {
        case .success(let fd):
            return KernelMap(descriptor: FileDescriptor(owning: Int32(fd)), definition: definition)
        case .failure(let errno):
            throw KernelError.from(errno, operation: .mapCreate,
                                   "cannot create \(definition.type) map '\(definition.name)'")
        }
    }

    /// Stores `value` under `key` (`BPF_MAP_UPDATE_ELEM`, flags `BPF_ANY` by default).
    ///
    /// - Throws: `KernelError` (`.invalidInput` when sizes do not match the definition).
    /// - Complexity: O(k + v) bytes copied.
    public func update(key: [UInt8], value: [UInt8], flags: UInt64 = 0) throws(KernelError) {
        guard key.count == Int(definition.keySize), value.count >= Int(definition.valueSize) else {
            throw KernelError(.invalidInput, operation: .mapUpdateElement,
                              "key/value of \(key.count)/\(value.count) bytes for a \(definition.keySize)/\(definition.valueSize) map")
        }
        let attr = AttributeBuffer()
        attr.set32(UInt32(bitPattern: descriptor.rawValue), at: AttributeLayout.MapElement.mapFD)
        attr.pin(key, at: AttributeLayout.MapElement.key)
        attr.pin(value, at: AttributeLayout.MapElement.value)
        attr.set64(flags, at: AttributeLayout.MapElement.flags)
        if case .failure(let errno) = attr.call(.mapUpdateElement) {
            throw KernelError.from(errno, operation: .mapUpdateElement, "cannot update map '\(definition.name)'")
        }
    }

    /// Reads the value under `key` (`BPF_MAP_LOOKUP_ELEM`); nil when absent (ENOENT).
    ///
    /// - Parameter valueSize: bytes to receive; per-CPU maps need
    ///   `round_up(valueSize, 8) × possible CPUs`. Defaults to the definition's.
    /// - Complexity: O(k + v) bytes copied.
    public func lookup(key: [UInt8], valueSize: Int? = nil) throws(KernelError) -> [UInt8]? {
        guard key.count == Int(definition.keySize) else {
            throw KernelError(.invalidInput, operation: .mapLookupElement,
                              "key of \(key.count) bytes for a \(definition.keySize)-byte key")
        }
        let size = valueSize ?? Int(definition.valueSize)
        let attr = AttributeBuffer()
        attr.set32(UInt32(bitPattern: descriptor.rawValue), at: AttributeLayout.MapElement.mapFD)
        attr.pin(key, at: AttributeLayout.MapElement.key)
        let out = attr.output(count: max(size, 1), at: AttributeLayout.MapElement.value)
        switch attr.call(.mapLookupElement) {
        case .success:
            guard let out else { return [] }
            return Array(out.prefix(size))
        case .failure(.noEntry):
            return nil
        case .failure(let errno):
            throw KernelError.from(errno, operation: .mapLookupElement, "cannot read map '\(definition.name)'")
        }
    }

    /// Makes the map read-only for user space (`BPF_MAP_FREEZE`), as loaders do for `.rodata`.
    ///
    /// - Complexity: O(1).
    public func freeze() throws(KernelError) {
        let attr = AttributeBuffer()
        attr.set32(UInt32(bitPattern: descriptor.rawValue), at: AttributeLayout.MapElement.mapFD)
        if case .failure(let errno) = attr.call(.mapFreeze) {
            throw KernelError.from(errno, operation: .mapFreeze, "cannot freeze map '\(definition.name)'")
        }
    }
}

/// Object names may hold only alphanumerics, `_` and `.`, at most 15 bytes;
/// anything else makes the kernel answer EINVAL, so it is replaced.
func sanitizedObjectName(_ name: String) -> String {
    String(String.UnicodeScalarView(name.unicodeScalars.prefix(15).map { scalar in
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == ".")
            ? scalar : "_"
    }))
}
