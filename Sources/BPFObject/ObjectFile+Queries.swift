import BPFInstructions

extension ObjectFile {
    /// The first section with this name.
    ///
    /// - Complexity: O(s), where s is the section count.
    public func section(named name: String) -> Section? { sections.first { $0.name == name } }

    /// The program section with this name.
    ///
    /// - Complexity: O(p), where p is the number of program sections.
    public func programSection(named name: String) -> ProgramSection? { programSections.first { $0.name == name } }

    /// A section's bytes from the file (empty for `SHT_NOBITS`).
    ///
    /// Opening checked every section's range, so this cannot fail for a
    /// section of this object.
    public func contents(of section: Section) -> ArraySlice<UInt8> {
        guard section.hasFileContents, section.size > 0,
              section.offset <= UInt64(bytes.count), section.size <= UInt64(bytes.count) - section.offset
        else { return [] }
        return bytes[Int(section.offset)..<Int(section.offset + section.size)]
    }

    /// The relocations applying to a section (by index), in file order.
    public func relocations(forSection index: Int) -> [Relocation] { relocationsBySection[index] ?? [] }

    /// True when the object has a `.BTF` section, readable or not.
    public var hasBTFSection: Bool { sections.contains { $0.name == ".BTF" } }

    /// The `license` section's text up to its first NUL, if present.
    public var license: String? {
        guard let s = section(named: "license") else { return nil }
        return String(decoding: contents(of: s).prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The `version` section's 32-bit value in the object's byte order
    /// (old loaders passed it as the kernel version), or nil when absent or
    /// not 4 bytes.
    public var kernelVersion: UInt32? {
        guard let s = section(named: "version"), s.size == 4 else { return nil }
        let b = Array(contents(of: s))
        guard b.count == 4 else { return nil }
        switch byteOrder {
        case .littleEndian: return UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
        case .bigEndian: return UInt32(b[3]) | UInt32(b[2]) << 8 | UInt32(b[1]) << 16 | UInt32(b[0]) << 24
        }
    }

    /// The `func_info` records of one program section.
    ///
    /// - Complexity: O(r), where r is the number of records in the object.
    public func funcInfo(for section: ProgramSection) -> [FuncInfo] {
        btfExt?.funcInfo.filter { $0.section == section.name } ?? []
    }

    /// The `line_info` records of one program section.
    ///
    /// - Complexity: O(r), where r is the number of records in the object.
    public func lineInfo(for section: ProgramSection) -> [LineInfo] {
        btfExt?.lineInfo.filter { $0.section == section.name } ?? []
    }

    /// The CO-RE relocation records of one program section.
    ///
    /// - Complexity: O(r), where r is the number of records in the object.
    public func coreRelocations(for section: ProgramSection) -> [CORERelocation] {
        btfExt?.coreRelocations.filter { $0.section == section.name } ?? []
    }

    /// The `func_info` records of a section with their slot indices; the
    /// slot is nil when the byte offset is misaligned or past the program.
    ///
    /// - Complexity: O(r), where r is the number of records in the object.
    public func funcInfoSlots(for section: ProgramSection) -> [(slot: SlotIndex?, record: FuncInfo)] {
        funcInfo(for: section).map { (section.slotIndex(at: $0.offset), $0) }
    }

    /// The `line_info` records of a section with their slot indices; the
    /// slot is nil when the byte offset is misaligned or past the program.
    ///
    /// - Complexity: O(r), where r is the number of records in the object.
    public func lineInfoSlots(for section: ProgramSection) -> [(slot: SlotIndex?, record: LineInfo)] {
        lineInfo(for: section).map { (section.slotIndex(at: $0.offset), $0) }
    }

    /// The CO-RE relocation records of a section with their slot indices;
    /// the slot is nil when the byte offset is misaligned or past the program.
    ///
    /// - Complexity: O(r), where r is the number of records in the object.
    public func coreRelocationSlots(for section: ProgramSection) -> [(slot: SlotIndex?, record: CORERelocation)] {
        coreRelocations(for: section).map { (section.slotIndex(at: $0.offset), $0) }
    }
}
