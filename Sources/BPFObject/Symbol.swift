/// One entry of the ELF symbol table (`Elf64_Sym`), with its name resolved.
public struct Symbol: Hashable, Sendable {
    /// The symbol's index in `.symtab`.
    public var index: Int
    /// The name from the symbol string table ("" for unnamed symbols).
    public var name: String
    /// `st_value`: for symbols in a section, the byte offset in that section.
    public var value: UInt64
    /// `st_size`: the object's or function's size in bytes.
    public var size: UInt64
    /// The low nibble of `st_info`.
    public var type: SymbolType
    /// The high nibble of `st_info`.
    public var binding: SymbolBinding
    /// The low two bits of `st_other`.
    public var visibility: SymbolVisibility
    /// `st_shndx`: the section the symbol is defined in, or a special index.
    public var sectionIndex: SymbolSectionIndex

    public init(index: Int, name: String, value: UInt64, size: UInt64, type: SymbolType, binding: SymbolBinding,
                visibility: SymbolVisibility, sectionIndex: SymbolSectionIndex) {
        self.index = index
        self.name = name
        self.value = value
        self.size = size
        self.type = type
        self.binding = binding
        self.visibility = visibility
        self.sectionIndex = sectionIndex
    }
}

/// A symbol type (`ELF64_ST_TYPE`). An open set.
public struct SymbolType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `STT_NOTYPE`.
    public static let notype = SymbolType(rawValue: 0)
    /// `STT_OBJECT`: a data object such as a map definition or global.
    public static let object = SymbolType(rawValue: 1)
    /// `STT_FUNC`: a function (a BPF program or subprogram).
    public static let function = SymbolType(rawValue: 2)
    /// `STT_SECTION`: stands for a section, used by relocations.
    public static let section = SymbolType(rawValue: 3)
    /// `STT_FILE`: the source file name.
    public static let file = SymbolType(rawValue: 4)

    public var description: String {
        switch self {
        case .notype: "NOTYPE"
        case .object: "OBJECT"
        case .function: "FUNC"
        case .section: "SECTION"
        case .file: "FILE"
        default: String(rawValue)
        }
    }
}

/// A symbol binding (`ELF64_ST_BIND`). An open set.
public struct SymbolBinding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `STB_LOCAL`: visible only in this object (static functions).
    public static let local = SymbolBinding(rawValue: 0)
    /// `STB_GLOBAL`.
    public static let global = SymbolBinding(rawValue: 1)
    /// `STB_WEAK`.
    public static let weak = SymbolBinding(rawValue: 2)

    public var description: String {
        switch self {
        case .local: "LOCAL"
        case .global: "GLOBAL"
        case .weak: "WEAK"
        default: String(rawValue)
        }
    }
}

/// A symbol visibility (`ELF64_ST_VISIBILITY`): a closed set of four.
public enum SymbolVisibility: UInt8, Hashable, Sendable {
    case `default` = 0
    case `internal` = 1
    case hidden = 2
    case protected = 3
}

/// A symbol's section index (`st_shndx`), which may be a special value.
public struct SymbolSectionIndex: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// `SHN_UNDEF`: an undefined (extern) symbol.
    public static let undefined = SymbolSectionIndex(rawValue: 0)
    /// `SHN_ABS`: an absolute value, in no section.
    public static let absolute = SymbolSectionIndex(rawValue: 0xfff1)
    /// `SHN_COMMON`: a common block.
    public static let common = SymbolSectionIndex(rawValue: 0xfff2)
    /// `SHN_XINDEX`: the real index is in `SHT_SYMTAB_SHNDX`.
    public static let extended = SymbolSectionIndex(rawValue: 0xffff)

    /// The section header index, or nil for the special values (and 0).
    public var sectionHeaderIndex: Int? {
        rawValue == 0 || rawValue >= 0xff00 ? nil : Int(rawValue)
    }

    public var description: String { String(rawValue) }
}
