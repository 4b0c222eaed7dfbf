/// A section that defines maps: legacy `maps` (fixed `struct bpf_map_def`
/// records) or BTF-defined `.maps`.
public struct MapSection: Hashable, Sendable {
    /// How the maps in the section are described.
    public enum Kind: Hashable, Sendable {
        /// The legacy `maps` (or `maps/…`) section of `struct bpf_map_def` records.
        case legacy
        /// The `.maps` section, whose layout is described by BTF.
        case btfDefined
    }

    /// The section's index in the section header table.
    public var sectionIndex: Int
    /// The section's name.
    public var name: String
    /// Legacy or BTF-defined.
    public var kind: Kind
    /// The section's size in bytes.
    public var size: UInt64
    /// The named symbols defined in the section (one per map), by offset.
    public var symbols: [Symbol]

    public init(sectionIndex: Int, name: String, kind: Kind, size: UInt64, symbols: [Symbol]) {
        self.sectionIndex = sectionIndex
        self.name = name
        self.kind = kind
        self.size = size
        self.symbols = symbols
    }
}
