import BPFInstructions

/// An executable section (`SHF_EXECINSTR`, non-empty) decoded as a program.
///
/// A section may hold several functions (BPF programs and subprograms);
/// `functions` lists them by offset. Sections without function symbols
/// (old objects) have an empty list and are one program.
public struct ProgramSection: Hashable, Sendable {
    /// The section's index in the section header table.
    public var sectionIndex: Int
    /// The section's name (for example `xdp` or `kprobe/sys_write`).
    public var name: String
    /// The decoded slots. When the section size is not a multiple of 8, the
    /// trailing bytes are dropped (see `warnings`).
    public var program: Program
    /// The section's size in bytes, as in the header.
    public var byteCount: Int
    /// The `STT_FUNC` symbols of this section, sorted by offset then name.
    public var functions: [ProgramFunction]
    /// The relocations applying to this section, in file order.
    public var relocations: [Relocation]
    /// Damage found in this section's bytes or symbols.
    public var warnings: [ObjectWarning]

    public init(sectionIndex: Int, name: String, program: Program, byteCount: Int, functions: [ProgramFunction],
                relocations: [Relocation], warnings: [ObjectWarning]) {
        self.sectionIndex = sectionIndex
        self.name = name
        self.program = program
        self.byteCount = byteCount
        self.functions = functions
        self.relocations = relocations
        self.warnings = warnings
    }
}

extension ProgramSection {
    /// The slot at a byte offset of this section, or nil when the offset is
    /// not a multiple of 8 or lies past the last slot.
    ///
    /// `.BTF.ext` records and ELF symbols count bytes; the instruction model
    /// counts slots. This is the one place the two meet.
    ///
    /// - Complexity: O(1).
    public func slotIndex(at offset: ByteOffset) -> SlotIndex? {
        guard let slot = offset.slotIndex, slot.rawValue >= 0, slot.rawValue < program.count else { return nil }
        return slot
    }

    /// The relocations that apply to a slot.
    ///
    /// - Complexity: O(r), where r is the section's relocation count.
    public func relocations(at slot: SlotIndex) -> [Relocation] {
        relocations.filter { $0.offset == slot.byteOffset }
    }

    /// The function containing a slot, if any.
    ///
    /// - Complexity: O(f), where f is the number of functions.
    public func function(containing slot: SlotIndex) -> ProgramFunction? {
        functions.last { $0.slots.contains(slot) }
    }
}

/// A function symbol (`STT_FUNC`) inside a program section.
public struct ProgramFunction: Hashable, Sendable {
    /// The symbol's name.
    public var name: String
    /// The symbol's index in `.symtab`.
    public var symbolIndex: Int
    /// The start, in bytes from the section start.
    public var offset: ByteOffset
    /// The size in bytes (`st_size`).
    public var size: Int
    /// `STB_LOCAL` for static subprograms, `STB_GLOBAL` for programs.
    public var binding: SymbolBinding

    public init(name: String, symbolIndex: Int, offset: ByteOffset, size: Int, binding: SymbolBinding) {
        self.name = name
        self.symbolIndex = symbolIndex
        self.offset = offset
        self.size = size
        self.binding = binding
    }

    /// The slots the function covers. Only valid functions (8-byte aligned
    /// start and size, inside the section) are listed in `ProgramSection`.
    public var slots: Range<SlotIndex> {
        let start = offset.rawValue / 8
        return SlotIndex(start)..<SlotIndex(max(start, (offset.rawValue + max(0, size)) / 8))
    }
}
