/// One ELF section header, with its name resolved.
public struct Section: Hashable, Sendable {
    /// The section's index in the section header table.
    public var index: Int
    /// The name from the section header string table.
    public var name: String
    /// `sh_type`.
    public var type: SectionType
    /// `sh_flags`.
    public var flags: SectionFlags
    /// `sh_addr`.
    public var address: UInt64
    /// `sh_offset`: where the contents start in the file.
    public var offset: UInt64
    /// `sh_size`: the contents' size in bytes.
    public var size: UInt64
    /// `sh_link`: a related section index (string table, symbol table).
    public var link: UInt32
    /// `sh_info`: extra information (for relocations, the target section).
    public var info: UInt32
    /// `sh_addralign`.
    public var alignment: UInt64
    /// `sh_entsize`: the size of one entry for tables.
    public var entrySize: UInt64

    public init(index: Int, name: String, type: SectionType, flags: SectionFlags, address: UInt64, offset: UInt64,
                size: UInt64, link: UInt32, info: UInt32, alignment: UInt64, entrySize: UInt64) {
        self.index = index
        self.name = name
        self.type = type
        self.flags = flags
        self.address = address
        self.offset = offset
        self.size = size
        self.link = link
        self.info = info
        self.alignment = alignment
        self.entrySize = entrySize
    }

    /// `offset + plus` as an `Int` for error locations, or nil when the
    /// header's offset is too large to be a real file offset.
    func fileOffset(plus: Int = 0) -> Int? {
        offset < UInt64(Int32.max) ? Int(offset) + plus : nil
    }

    /// True when the section occupies bytes in the file (not `SHT_NOBITS`, not `SHT_NULL`).
    public var hasFileContents: Bool { type != .nobits && type != .null }
}

/// An ELF section type (`sh_type`). An open set.
public struct SectionType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `SHT_NULL`: an unused header.
    public static let null = SectionType(rawValue: 0)
    /// `SHT_PROGBITS`: program-defined contents (code, data, BTF).
    public static let progbits = SectionType(rawValue: 1)
    /// `SHT_SYMTAB`: the symbol table.
    public static let symtab = SectionType(rawValue: 2)
    /// `SHT_STRTAB`: a string table.
    public static let strtab = SectionType(rawValue: 3)
    /// `SHT_RELA`: relocations with explicit addends.
    public static let rela = SectionType(rawValue: 4)
    /// `SHT_NOBITS`: occupies no file space (`.bss`).
    public static let nobits = SectionType(rawValue: 8)
    /// `SHT_REL`: relocations without addends (what clang emits for BPF).
    public static let rel = SectionType(rawValue: 9)
    /// `SHT_SYMTAB_SHNDX`: extended section indices for symbols.
    public static let symtabShndx = SectionType(rawValue: 18)
    /// `SHT_LLVM_ADDRSIG`: LLVM's address-significance table.
    public static let llvmAddrsig = SectionType(rawValue: 0x6fff_4c03)

    public var description: String {
        switch self {
        case .null: "NULL"
        case .progbits: "PROGBITS"
        case .symtab: "SYMTAB"
        case .strtab: "STRTAB"
        case .rela: "RELA"
        case .nobits: "NOBITS"
        case .rel: "REL"
        case .symtabShndx: "SYMTAB_SHNDX"
        case .llvmAddrsig: "LLVM_ADDRSIG"
        default: "0x" + String(rawValue, radix: 16)
        }
    }
}

/// ELF section flags (`sh_flags`).
public struct SectionFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// `SHF_WRITE`.
    public static let write = SectionFlags(rawValue: 0x1)
    /// `SHF_ALLOC`.
    public static let alloc = SectionFlags(rawValue: 0x2)
    /// `SHF_EXECINSTR`: the section holds instructions.
    public static let execInstr = SectionFlags(rawValue: 0x4)
    /// `SHF_MERGE`.
    public static let merge = SectionFlags(rawValue: 0x10)
    /// `SHF_STRINGS`.
    public static let strings = SectionFlags(rawValue: 0x20)
    /// `SHF_INFO_LINK`: `sh_info` holds a section index.
    public static let infoLink = SectionFlags(rawValue: 0x40)
    /// `SHF_EXCLUDE`.
    public static let exclude = SectionFlags(rawValue: 0x8000_0000)
}
