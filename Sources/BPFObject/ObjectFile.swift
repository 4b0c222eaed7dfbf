import BPFInstructions

/// A BPF ELF object file (ELF64, `EM_BPF` or `EM_NONE`, either byte order),
/// read without any outside ELF library.
///
/// Opening parses the section table, the symbol table, relocations, program
/// and map sections, `.BTF` and `.BTF.ext`. Structural damage throws an
/// `ObjectError`; damage confined to a program's bytes, to relocations of
/// non-program sections, or to BTF becomes an `ObjectWarning`.
///
///     let object = try ObjectFile(path: "xdp.o")
///     for section in object.programSections {
///         print(section.name, section.program.count, section.functions.map(\.name))
///     }
public struct ObjectFile: Sendable {
    // Read-only to users: the views (program sections, relocations, BTF) are
    // derived from `bytes` when the file is opened and must stay consistent.
    /// The whole file.
    public internal(set) var bytes: [UInt8]
    /// The byte order from `EI_DATA`; programs and tables use it.
    public internal(set) var byteOrder: ByteOrder
    /// `e_machine`: `.bpf` or `.none`.
    public internal(set) var machine: ELFMachine
    /// `e_type` (1 is `ET_REL`, what compilers emit).
    public internal(set) var fileType: UInt16
    /// Every section header, indexed by section index.
    public internal(set) var sections: [Section]
    /// The index of `.symtab`, if present.
    public internal(set) var symbolTableIndex: Int?
    /// Every symbol of `.symtab`, indexed by symbol index (entry 0 is the null symbol).
    public internal(set) var symbols: [Symbol]
    /// The non-empty executable sections, in section order.
    public internal(set) var programSections: [ProgramSection]
    /// The `maps` and `.maps` sections, in section order.
    public internal(set) var mapSections: [MapSection]
    /// Relocations keyed by the index of the section they apply to.
    public internal(set) var relocationsBySection: [Int: [Relocation]]
    /// `.BTF`, when present and readable.
    public internal(set) var btf: BTF?
    /// `.BTF.ext`, when present and readable.
    public internal(set) var btfExt: BTFExt?
    /// Problems that did not prevent opening, in the order found.
    public internal(set) var warnings: [ObjectWarning]
}

/// An ELF machine (`e_machine`). An open set.
public struct ELFMachine: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// `EM_NONE`: some old toolchains wrote this for BPF objects.
    public static let none = ELFMachine(rawValue: 0)
    /// `EM_BPF`.
    public static let bpf = ELFMachine(rawValue: 247)

    public var description: String {
        switch self {
        case .none: "EM_NONE"
        case .bpf: "EM_BPF"
        default: "machine \(rawValue)"
        }
    }
}
