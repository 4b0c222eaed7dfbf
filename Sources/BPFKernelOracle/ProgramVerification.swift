/// The outcome of `bpfpatch verify` for one program: the original and the
/// no-op-padded copy, both loaded, compared after verification.
public struct ProgramVerification: Hashable, Sendable, Codable {
    /// The verdict.
    public enum Outcome: String, Hashable, Sendable, Codable {
        /// Both loaded; xlated code, line info and test runs match.
        case identical
        /// Both should have matched but did not (or only the original loaded).
        case differed
        /// Loaded, but nothing could be compared (e.g. no xlated dump).
        case skipped
        /// The original program did not load.
        case notLoaded = "not loaded"
    }

    public var object: String
    public var section: String
    public var name: String
    public var programType: String
    public var outcome: Outcome
    /// Why skipped, not loaded or differed.
    public var reason: String?
    /// Slots of the linked original.
    public var originalSlots: Int = 0
    /// No-ops inserted.
    public var nopsInserted: Int = 0
    /// Xlated slots of the original and of the padded program.
    public var xlatedSlots: Int = 0
    public var paddedXlatedSlots: Int = 0
    /// Xlated slots compared under a mask (see `XlatedComparison`).
    public var maskedSlots: Int = 0
    /// Xlated line info records compared (0 when the program has none).
    public var lineInfoRecords: Int = 0
    /// Test runs compared, and why none ran when 0.
    public var testRuns: Int = 0
    public var testRunNote: String?
    /// Test runs not compared because the original gave different results
    /// on two runs of the same input (random numbers, map state).
    public var nondeterministicRuns: Int = 0
    /// Human-readable differences (first few).
    public var differences: [String] = []

    public init(object: String, section: String, name: String, programType: String, outcome: Outcome, reason: String? = nil) {
        self.object = object
        self.section = section
        self.name = name
        self.programType = programType
        self.outcome = outcome
        self.reason = reason
    }
}
