import BPFInstructions

/// The state of the sequential reference model between two steps: the
/// program in the layout of that moment plus everything that travels with
/// its slots.
///
/// This is a deliberately simple, independent implementation of the
/// kernel's one-patch-at-a-time algorithm (<doc:Semantics>, the two
/// "One step" sections). Every step copies the whole program, so a batch of p
/// patches costs O(p · n); it exists to be obviously correct, as the oracle
/// for tests and the baseline for benchmarks. It shares no adjustment code
/// with the batch engine.
///
/// Displacements are kept as unbounded `Int`s between steps (written back
/// into the slots at the end), so a value that leaves its field below the
/// 32768-slot threshold, where the kernel does not check, is still seen
/// for what it is: a reference outside the program.
struct SequentialPatcher {
    /// The slots in the current layout. Reference fields are stale until
    /// `finish()`; the live values are in `displacements`.
    var slots: [Instruction]
    /// The live displacement of every reference slot, nil for slots that
    /// are not references (by their code: `ld_imm64` second slots never
    /// are) and for the slots a symbolic fixup fills in at the end.
    var displacements: [Int?]
    /// The kernel's `orig_idx` of every slot (<doc:Semantics#Side-tables>, per-instruction data).
    var originalIndices: [Int]
    /// The original slot every slot came from.
    var origins: [Int]
    /// The patch number (index in `PatchSet.patches`) a slot came from, or -1.
    var patchNumbers: [Int]
    /// For a reference whose target fell strictly inside a removed run: the
    /// error to report if the reference survives the batch (the kernel's
    /// arithmetic is undefined for it, but harmless when a later step
    /// removes the reference itself).
    var poisoned: [PatchError?]
    /// nil: throw the first violation. Otherwise: collect every violation
    /// and carry on (see `PatchSet.sequentialViolations`).
    var violations: [PatchError]?
    /// False: skip the per-step range check (only the final values must fit).
    var stepRangeChecks = true

    var lineInfo: [LineInfoTable.Entry]?
    var subprograms: [SubprogramTable.Entry]?
    /// True when the last subprogram entry is the verifier's fake exit entry.
    var hasExitEntry: Bool
    var pokes: [Int]?
    var instructionArrays: [[Int?]]

    /// The current program length.
    var count: Int { slots.count }

    /// Starts from the original program and tables (already validated).
    init(program: Program, tables: SideTables) {
        slots = program.slots
        // A slot is a reference by its own code; an ld_imm64's code-0 second slot never is.
        displacements = program.slots.map(\.displacement)
        originalIndices = Array(0..<program.count)
        origins = Array(0..<program.count)
        patchNumbers = Array(repeating: -1, count: program.count)
        poisoned = Array(repeating: nil, count: program.count)
        violations = nil
        lineInfo = tables.lineInfo?.entries
        subprograms = tables.subprograms?.entries
        hasExitEntry = tables.subprograms?.entries.last.map { $0.start.rawValue == program.count } ?? false
        pokes = tables.pokes?.slots.map(\.rawValue)
        instructionArrays = tables.instructionArrays.map { $0.entries.map { $0?.rawValue } }
    }

    /// Throws `error`, or in collecting mode records it and returns.
    mutating func report(_ error: PatchError) throws(PatchError) {
        if violations == nil { throw error }
        violations!.append(error)
    }

    /// The target of the reference at slot `i` in the current layout.
    func target(of i: Int) -> Int? {
        displacements[i].map { i + $0 + 1 }
    }
}
