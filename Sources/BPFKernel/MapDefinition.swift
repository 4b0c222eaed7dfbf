/// What `BPF_MAP_CREATE` needs to create a map.
///
///     let def = MapDefinition(type: .array, keySize: 4, valueSize: 8, maxEntries: 1, name: "counts")
public struct MapDefinition: Hashable, Sendable {
    public var type: MapType
    public var keySize: UInt32
    public var valueSize: UInt32
    public var maxEntries: UInt32
    /// `map_flags` (e.g. `BPF_F_NO_PREALLOC` = 1, `BPF_F_RDONLY_PROG` = 0x80, `BPF_F_MMAPABLE` = 0x400).
    public var flags: UInt32
    /// The name shown by `bpftool` (at most 15 bytes are kept).
    public var name: String
    /// The BTF type id of the key (0: none); used only with a BTF object.
    public var btfKeyTypeID: UInt32
    /// The BTF type id of the value (0: none); used only with a BTF object.
    public var btfValueTypeID: UInt32
    /// `map_extra` (bloom filter hash count, arena address).
    public var mapExtra: UInt64

    public init(type: MapType, keySize: UInt32, valueSize: UInt32, maxEntries: UInt32, flags: UInt32 = 0,
                name: String = "", btfKeyTypeID: UInt32 = 0, btfValueTypeID: UInt32 = 0, mapExtra: UInt64 = 0) {
        self.type = type
        self.keySize = keySize
        self.valueSize = valueSize
        self.maxEntries = maxEntries
        self.flags = flags
        self.name = name
        self.btfKeyTypeID = btfKeyTypeID
        self.btfValueTypeID = btfValueTypeID
        self.mapExtra = mapExtra
    }
}

extension MapDefinition {
    /// `BPF_F_NO_PREALLOC`
    public static let noPreallocFlag: UInt32 = 1 << 0
    /// `BPF_F_RDONLY_PROG`: programs may only read the map.
    public static let readOnlyProgramFlag: UInt32 = 1 << 7
    /// `BPF_F_MMAPABLE`
    public static let mmapableFlag: UInt32 = 1 << 10
}
