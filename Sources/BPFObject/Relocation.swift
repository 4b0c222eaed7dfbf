import BPFInstructions

/// One ELF relocation (`Elf64_Rel` or `Elf64_Rela`) of a target section.
public struct Relocation: Hashable, Sendable {
    /// `r_offset`: the byte offset in the target section.
    public var offset: ByteOffset
    /// The symbol table index from `r_info`.
    public var symbolIndex: Int
    /// The symbol's name; for an unnamed section symbol, its section's name
    /// (as `llvm-readelf` shows it).
    public var symbolName: String
    /// The relocation type from `r_info`.
    public var type: RelocationType
    /// `r_addend` for `SHT_RELA`; nil for `SHT_REL`.
    public var addend: Int64?

    public init(offset: ByteOffset, symbolIndex: Int, symbolName: String, type: RelocationType, addend: Int64?) {
        self.offset = offset
        self.symbolIndex = symbolIndex
        self.symbolName = symbolName
        self.type = type
        self.addend = addend
    }

    /// The slot the relocation applies to, or nil when the offset is not a
    /// multiple of 8.
    public var slotIndex: SlotIndex? { offset.slotIndex }
}

/// A BPF relocation type (the low 32 bits of `r_info`). An open set; names
/// follow LLVM's `R_BPF_*`.
public struct RelocationType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `R_BPF_NONE`.
    public static let none = RelocationType(rawValue: 0)
    /// `R_BPF_64_64`: an `ld_imm64` immediate (maps, globals).
    public static let bpf64_64 = RelocationType(rawValue: 1)
    /// `R_BPF_64_ABS64`: a 64-bit data word.
    public static let abs64 = RelocationType(rawValue: 2)
    /// `R_BPF_64_ABS32`: a 32-bit data word (BTF, DWARF).
    public static let abs32 = RelocationType(rawValue: 3)
    /// `R_BPF_64_NODYLD32`: a 32-bit data word not resolved at load (`.BTF.ext`).
    public static let nodyld32 = RelocationType(rawValue: 4)
    /// `R_BPF_64_32`: a call's 32-bit immediate (bpf-to-bpf, extern calls).
    public static let bpf64_32 = RelocationType(rawValue: 10)

    public var description: String {
        switch self {
        case .none: "R_BPF_NONE"
        case .bpf64_64: "R_BPF_64_64"
        case .abs64: "R_BPF_64_ABS64"
        case .abs32: "R_BPF_64_ABS32"
        case .nodyld32: "R_BPF_64_NODYLD32"
        case .bpf64_32: "R_BPF_64_32"
        default: "R_BPF_\(rawValue)"
        }
    }
}
