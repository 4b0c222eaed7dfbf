import BPFInstructions
import BPFObject
import BPFPatch

/// The side tables of one program section, built from the object: what
/// the engine adjusts, and how its entries map back to `.BTF.ext` records.
///
/// - Subprogram starts: slot 0, every `func_info` record and every function
///   symbol of the section (deduplicated, ascending, second slots of
///   `ld_imm64` skipped), then the "exit" entry equal to the slot count.
/// - Line info: every `line_info` record inside the section, sorted by
///   slot; records at the same slot share one entry.
///
///     let tables = SectionTables(object: object, section: section)
///     let result = try patches.apply(to: section.program, tables: tables.sideTables)
public struct SectionTables: Hashable, Sendable {
    /// The tables to pass to the engine.
    public var sideTables: SideTables
    /// For the k-th `func_info` record of the section (file order), the
    /// index of its subprogram in `sideTables.subprograms`; nil when the
    /// record's offset is not a slot of the section.
    public var funcInfoSubprogram: [Int?]
    /// For the k-th `line_info` record of the section (file order), the
    /// index of its entry in `sideTables.lineInfo`; nil when the record's
    /// offset is not a slot of the section.
    public var lineInfoEntry: [Int?]

    /// Builds the tables of `section`.
    ///
    /// - Complexity: O(n + r log r), n the section's slot count and r the
    ///   number of `.BTF.ext` records and symbols of the object.
    public init(object: ObjectFile, section: ProgramSection) {
        let n = section.program.count
        let secondHalf = section.program.secondHalfMask()
        func slot(_ offset: ByteOffset) -> Int? {
            guard let s = section.slotIndex(at: offset)?.rawValue, !secondHalf[s] else { return nil }
            return s
        }
        let funcSlots = object.funcInfo(for: section).map { slot($0.offset) }
        var starts = Set(funcSlots.compactMap { $0 })
        for function in section.functions { if let s = slot(function.offset) { starts.insert(s) } }
        if n > 0 { starts.insert(0) }
        let sortedStarts = starts.sorted()
        var startIndex: [Int: Int] = [:]
        for (k, s) in sortedStarts.enumerated() { startIndex[s] = k }
        funcInfoSubprogram = funcSlots.map { $0.flatMap { startIndex[$0] } }

        let lineSlots = object.lineInfo(for: section).map { section.slotIndex(at: $0.offset)?.rawValue }
        let distinct = Set(lineSlots.compactMap { $0 }).sorted()
        var lineIndex: [Int: Int] = [:]
        for (k, s) in distinct.enumerated() { lineIndex[s] = k }
        lineInfoEntry = lineSlots.map { $0.flatMap { lineIndex[$0] } }

        sideTables = SideTables(
            lineInfo: distinct.isEmpty ? nil : LineInfoTable(slots: distinct.map { SlotIndex($0) }),
            subprograms: SubprogramTable(starts: (sortedStarts + [n]).map { SlotIndex($0) }))
    }
}
