import BPFInstructions
import BPFObject
import BPFPatch

/// The side tables of one program (an object's program section, or a
/// loader's linked program), and how their entries map back to func_info
/// and line_info records.
///
/// - Subprogram starts: slot 0, every func_info record and every function
///   symbol (deduplicated, ascending, second slots of `ld_imm64` skipped),
///   then the "exit" entry equal to the slot count.
/// - Line info: every record inside the program, sorted by slot; records
///   at the same slot share one entry.
///
///     let tables = SectionTables(object: object, section: section)
///     let result = try patches.apply(to: section.program, tables: tables.sideTables)
///     let newStarts = tables.funcInfoStarts(in: result.tables)
public struct SectionTables: Hashable, Sendable {
    /// The tables to pass to the engine.
    public var sideTables: SideTables
    /// For the k-th func_info record, the index of its subprogram in
    /// `sideTables.subprograms`; nil when its slot is not in the program.
    public var funcInfoSubprogram: [Int?]
    /// For the k-th line_info record, the index of its entry in
    /// `sideTables.lineInfo`; nil when its slot is not in the program.
    public var lineInfoEntry: [Int?]

    /// Builds the tables of an object's program section from `.BTF.ext`
    /// and the section's function symbols.
    ///
    /// - Complexity: O(n + r log r), n the section's slot count and r the
    ///   number of `.BTF.ext` records and symbols of the object.
    public init(object: ObjectFile, section: ProgramSection) {
        let slots = { (offset: ByteOffset) in section.slotIndex(at: offset) }
        self.init(program: section.program,
                  funcInfo: object.funcInfo(for: section).map { slots($0.offset) },
                  functions: section.functions.compactMap { slots($0.offset) },
                  lineInfo: object.lineInfo(for: section).map { slots($0.offset) })
    }

    /// Builds the tables from record slots (nil for a record that is not
    /// at a slot of the program).
    ///
    /// - Complexity: O(n + r log r).
    public init(program: Program, funcInfo: [SlotIndex?], functions: [SlotIndex] = [], lineInfo: [SlotIndex?]) {
        let n = program.count
        let secondHalf = program.secondHalfMask()
        func slot(_ s: SlotIndex?) -> Int? {
            guard let x = s?.rawValue, x >= 0, x < n, !secondHalf[x] else { return nil }
            return x
        }
        let funcSlots = funcInfo.map(slot)
        var starts = Set(funcSlots.compactMap { $0 })
        for f in functions { if let s = slot(f) { starts.insert(s) } }
        if n > 0 { starts.insert(0) }
        let sortedStarts = starts.sorted()
        var startIndex: [Int: Int] = [:]
        for (k, s) in sortedStarts.enumerated() { startIndex[s] = k }
        funcInfoSubprogram = funcSlots.map { $0.flatMap { startIndex[$0] } }

        let lineSlots = lineInfo.map { s -> Int? in
            guard let x = s?.rawValue, x >= 0, x < n else { return nil }
            return x
        }
        let distinct = Set(lineSlots.compactMap { $0 }).sorted()
        var lineIndex: [Int: Int] = [:]
        for (k, s) in distinct.enumerated() { lineIndex[s] = k }
        lineInfoEntry = lineSlots.map { $0.flatMap { lineIndex[$0] } }

        sideTables = SideTables(
            lineInfo: distinct.isEmpty ? nil : LineInfoTable(slots: distinct.map { SlotIndex($0) }),
            subprograms: SubprogramTable(starts: (sortedStarts + [n]).map { SlotIndex($0) }))
    }

    /// The new slot of every func_info record after patching: its
    /// subprogram's new start; nil when the subprogram was deleted or the
    /// record was not at a slot.
    ///
    /// - Complexity: O(r + s).
    public func funcInfoStarts(in adjusted: SideTables) -> [SlotIndex?] {
        var starts: [Int: SlotIndex] = [:]
        for entry in adjusted.subprograms?.entries ?? [] { starts[entry.subprogram] = entry.start }
        return funcInfoSubprogram.map { $0.flatMap { starts[$0] } }
    }

    /// The new slot of every line_info record after patching; nil when the
    /// record was deleted or was not at a slot.
    ///
    /// - Complexity: O(r + l).
    public func lineInfoSlots(in adjusted: SideTables) -> [SlotIndex?] {
        var slots: [Int: SlotIndex] = [:]
        for entry in adjusted.lineInfo?.entries ?? [] { slots[entry.record] = entry.slot }
        return lineInfoEntry.map { $0.flatMap { slots[$0] } }
    }
}
