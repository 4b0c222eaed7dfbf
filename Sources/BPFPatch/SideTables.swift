import BPFInstructions

/// The verifier's side tables that patching keeps in step with the program.
/// Each is optional: pass what you have, get it back adjusted.
public struct SideTables: Hashable, Sendable {
    public var lineInfo: LineInfoTable?
    public var subprograms: SubprogramTable?
    public var pokes: PokeTable?
    public var instructionArrays: [InstructionArrayTable]

    public init(lineInfo: LineInfoTable? = nil, subprograms: SubprogramTable? = nil,
                pokes: PokeTable? = nil, instructionArrays: [InstructionArrayTable] = []) {
        self.lineInfo = lineInfo
        self.subprograms = subprograms
        self.pokes = pokes
        self.instructionArrays = instructionArrays
    }
}

/// Line info records (`bpf_line_info.insn_off`, in slots), strictly increasing.
///
/// Rule: a replaced slot's record covers the whole replacement; records in a
/// removed run are deleted, except that when the run is not at the program's
/// end and the first surviving slot has no record of its own, the last
/// deleted record moves to it.
public struct LineInfoTable: Hashable, Sendable {
    /// One record: which original record it is, and the slot it is at.
    public struct Entry: Hashable, Sendable {
        /// The record's index in the original table.
        public var record: Int
        public var slot: SlotIndex
        public init(record: Int, slot: SlotIndex) { self.record = record; self.slot = slot }
    }
    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }
    /// A table whose k-th record is at `slots[k]`.
    public init(slots: [SlotIndex]) {
        entries = slots.enumerated().map { Entry(record: $0.offset, slot: $0.element) }
    }
    public var slots: [SlotIndex] { entries.map(\.slot) }
}

/// Subprogram starts (ascending), optionally ending with the verifier's
/// fake "exit" entry equal to the program length.
///
/// Rule: a start after a replaced slot moves with it; a start at the
/// replaced slot stays on the first slot of the replacement. A subprogram
/// whose whole body lies in a removed run is deleted (with its func_info
/// record); a start exactly at a removal's first slot keeps its position;
/// a removal that contains any other start but not its whole body is an
/// error. `func_info[k].insn_off` equals subprogram k's start at the end.
public struct SubprogramTable: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        /// The subprogram's index in the original table (and its func_info record).
        public var subprogram: Int
        public var start: SlotIndex
        public init(subprogram: Int, start: SlotIndex) { self.subprogram = subprogram; self.start = start }
    }
    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }
    public init(starts: [SlotIndex]) {
        entries = starts.enumerated().map { Entry(subprogram: $0.offset, start: $0.element) }
    }
    public var starts: [SlotIndex] { entries.map(\.start) }
}

/// Tail-call poke descriptors (`insn_idx` of each), in any order.
///
/// Rule: moves like a subprogram start; removing a poke's slot is an error.
public struct PokeTable: Hashable, Sendable {
    public var slots: [SlotIndex]
    public init(slots: [SlotIndex]) { self.slots = slots }
}

/// One instruction array (jump table) map: slot entries, nil once deleted.
///
/// Rule: moves like a subprogram start; an entry inside a removed run
/// becomes deleted (nil; -1 in JSON).
public struct InstructionArrayTable: Hashable, Sendable {
    public var entries: [SlotIndex?]
    public init(entries: [SlotIndex?]) { self.entries = entries }
}
