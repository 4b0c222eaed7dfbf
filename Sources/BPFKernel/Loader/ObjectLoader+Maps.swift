#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import BPFObject

extension ObjectLoader {
    /// The map a relocation's symbol names in a `maps` or `.maps` section.
    func map(inSection sectionIndex: Int, symbol: Symbol, offset: UInt64) -> Result<KernelMap, LoadFailure> {
        prepareMapSection(sectionIndex)
        var name = symbol.name
        if name.isEmpty || symbol.type == .section {
            // A section-relative reference: find the map symbol at that offset.
            let mapSection = object.mapSections.first { $0.sectionIndex == sectionIndex }
            name = mapSection?.symbols.first { $0.value == offset }?.name ?? ""
        }
        return mapsBySymbol[SymbolKey(section: sectionIndex, name: name)]
            ?? .failure(LoadFailure(.relocation, "no map at offset \(offset) of section \(sectionIndex)"))
    }

    /// Creates every map of one map section (once).
    func prepareMapSection(_ sectionIndex: Int) {
        guard !preparedMapSections.contains(sectionIndex) else { return }
        preparedMapSections.insert(sectionIndex)
        guard let section = object.mapSections.first(where: { $0.sectionIndex == sectionIndex }) else { return }
        switch section.kind {
        case .legacy: prepareLegacyMaps(section)
        case .btfDefined: prepareBTFMaps(section)
        }
    }

    /// `struct bpf_map_def { type, key_size, value_size, max_entries, map_flags, [inner_map_idx, numa_node...] }`,
    /// one per symbol, each `section size / symbol count` bytes (as old loaders assumed).
    private func prepareLegacyMaps(_ section: MapSection) {
        let symbols = section.symbols.filter { !$0.name.isEmpty }.sorted { $0.value < $1.value }
        guard !symbols.isEmpty, let header = object.sections.first(where: { $0.index == section.sectionIndex }) else { return }
        let bytes = Array(object.contents(of: header))
        let recordSize = Int(clamping: section.size) / symbols.count
        func word(_ at: Int) -> UInt32? {
            guard at >= 0, at + 4 <= bytes.count else { return nil }
            return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        var definitions: [(Symbol, MapDefinition, inner: Int?)] = []
        for symbol in symbols {
            let base = Int(clamping: min(symbol.value, UInt64(bytes.count)))
            guard recordSize >= 20, let type = word(base), let key = word(base + 4), let value = word(base + 8),
                  let max = word(base + 12), let flags = word(base + 16) else {
                mapsBySymbol[SymbolKey(section: section.sectionIndex, name: symbol.name)] =
                    .failure(LoadFailure(.mapCreation, "map '\(symbol.name)': bpf_map_def of \(recordSize) bytes is too short"))
                continue
            }
            let inner = recordSize >= 24 ? word(base + 20).map(Int.init) : nil
            definitions.append((symbol, MapDefinition(type: MapType(rawValue: type), keySize: key, valueSize: value,
                                                      maxEntries: max, flags: flags, name: symbol.name), inner))
        }
        // Inner maps (templates of map-in-map) first.
        for (symbol, definition, innerIndex) in definitions {
            var innerMap: KernelMap? = nil
            if definition.type == .arrayOfMaps || definition.type == .hashOfMaps {
                guard let innerIndex, innerIndex < definitions.count else {
                    mapsBySymbol[SymbolKey(section: section.sectionIndex, name: symbol.name)] =
                        .failure(LoadFailure(.mapCreation, "map-in-map '\(symbol.name)' without an inner map"))
                    continue
                }
                innerMap = try? createMap(definitions[innerIndex].1).get()
            }
            mapsBySymbol[SymbolKey(section: section.sectionIndex, name: symbol.name)] =
                createMap(definition, innerMap: innerMap)
        }
    }

    private func prepareBTFMaps(_ section: MapSection) {
        prepareBTF()
        let declarations: [BTFMapDeclaration]
        do throws(BTFError) {
            guard let table = btfTable else {
                throw BTFError(.badType, at: 0, btfProblem ?? "object has no BTF")
            }
            declarations = try table.mapDeclarations(section: section.name)
        } catch {
            let failure = LoadFailure(.mapCreation, "cannot read \(section.name): \(error)")
            for symbol in section.symbols {
                mapsBySymbol[SymbolKey(section: section.sectionIndex, name: symbol.name)] = .failure(failure)
            }
            return
        }
        for declaration in declarations {
            var innerMap: KernelMap? = nil
            if let inner = declaration.inner {
                innerMap = try? createMap(inner).get()
            }
            mapsBySymbol[SymbolKey(section: section.sectionIndex, name: declaration.name)] =
                createMap(declaration.definition, innerMap: innerMap)
        }
    }

    /// Creates a map, with the kernel-side fix-ups loaders apply:
    /// a zero-sized perf event array gets one slot per CPU; BTF ids are
    /// sent when the BTF loaded, and dropped on a retry if refused.
    func createMap(_ definition: MapDefinition, innerMap: KernelMap? = nil) -> Result<KernelMap, LoadFailure> {
        var definition = definition
        if definition.type == .perfEventArray {
            if definition.maxEntries == 0 {
                definition.maxEntries = UInt32(max(1, sysconf(Int32(_SC_NPROCESSORS_CONF))))
            }
            // An fd array: 4-byte index, 4-byte perf event fd, whatever the
            // declaration says (`__type(value, struct event)` only documents the records).
            definition.keySize = 4
            definition.valueSize = 4
        }
        if (definition.type == .arrayOfMaps || definition.type == .hashOfMaps || definition.type == .progArray)
            && definition.valueSize == 0 {
            definition.valueSize = 4  // the value is a map (or program) fd
        }
        if definition.type == .ringbuf || definition.type == .userRingbuf {
            // Ring buffers take no key or value; `__type(value, ...)` only documents the records.
            definition.keySize = 0
            definition.valueSize = 0
        }
        if definition.type == .perfEventArray || definition.type == .ringbuf || definition.type == .progArray
            || definition.type == .arrayOfMaps || definition.type == .hashOfMaps {
            definition.btfKeyTypeID = 0
            definition.btfValueTypeID = 0
        }
        do throws(KernelError) {
            return .success(try KernelMap.create(definition, btf: kernelBTF, innerMap: innerMap))
        } catch {
            if kernelBTF != nil, definition.btfKeyTypeID != 0 || definition.btfValueTypeID != 0 {
                if let map = try? KernelMap.create(definition, btf: nil, innerMap: innerMap) { return .success(map) }
            }
            return .failure(LoadFailure(error, category: .mapCreation))
        }
    }

    /// The array map holding a global data section (`.data`, `.rodata*`, `.bss`...).
    func dataMap(section sectionIndex: Int) -> Result<KernelMap, LoadFailure> {
        if let existing = dataMaps[sectionIndex] { return existing }
        let result = makeDataMap(sectionIndex)
        dataMaps[sectionIndex] = result
        return result
    }

    private func makeDataMap(_ sectionIndex: Int) -> Result<KernelMap, LoadFailure> {
        guard let section = object.sections.first(where: { $0.index == sectionIndex }) else {
            return .failure(LoadFailure(.relocation, "no section \(sectionIndex)"))
        }
        guard section.size > 0, section.size <= UInt64(UInt32.max) else {
            return .failure(LoadFailure(.mapCreation, "data section \(section.name) has size \(section.size)"))
        }
        let readOnly = section.name.hasPrefix(".rodata")
        let definition = MapDefinition(type: .array, keySize: 4, valueSize: UInt32(section.size), maxEntries: 1,
                                       flags: readOnly ? MapDefinition.readOnlyProgramFlag : 0,
                                       name: String(section.name.drop { $0 == "." }))
        let map: KernelMap
        switch createMap(definition) {
        case .success(let created): map = created
        case .failure(let failure): return .failure(failure)
        }
        do throws(KernelError) {
            if section.type != .nobits {
                try map.update(key: [0, 0, 0, 0], value: Array(object.contents(of: section)))
            }
            if readOnly { try map.freeze() }
        } catch {
            return .failure(LoadFailure(error, category: .mapCreation))
        }
        return .success(map)
    }

    /// True for sections that become global data maps.
    func isDataSection(_ name: String) -> Bool {
        for prefix in [".data", ".rodata", ".bss"] where name == prefix || name.hasPrefix(prefix + ".") {
            return true
        }
        return false
    }
}
