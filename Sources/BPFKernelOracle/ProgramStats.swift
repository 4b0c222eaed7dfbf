/// What the verifier patched in one program (`bpfpatch stats`).
public struct ProgramStats: Hashable, Sendable, Codable {
    public var object: String
    public var section: String
    public var name: String
    public var programType: String
    /// True when the program loaded with the synthetic line info.
    public var loaded: Bool
    /// Why not loaded (or why the mapping is missing).
    public var reason: String?

    /// Slots and logical instructions of the linked original.
    public var originalSlots: Int = 0
    public var originalInstructions: Int = 0
    /// Slots after verification.
    public var xlatedSlots: Int = 0
    /// Sites the kernel replaced by more slots than they had.
    public var expanded: Int = 0
    /// Sites replaced by fewer (non-zero) slots, e.g. an `ld_imm64` turned into one slot.
    public var shrunk: Int = 0
    /// Sites removed (dead code, no-ops).
    public var removed: Int = 0
    /// Same size but different bytes, by kind ("helper call", "map load", "other").
    public var rewrittenInPlace: [String: Int] = [:]
    /// Same size and same bytes (jumps whose displacement moved count here).
    public var untouched: Int = 0
    /// Sites whose place is unknown, and xlated records that named nothing.
    public var unmappedSites: Int = 0
    public var unmappedRecords: Int = 0
    /// Replacement sizes (slots) of the sites the kernel resized → count
    /// (0 = removed; otherwise the size of the expansion). In-place
    /// rewrites are not patches of the program's length and are counted
    /// in `rewrittenInPlace` only.
    public var patchSizes = SizeHistogram()
    /// Slots copied by the kernel's one-step-per-patch strategy, and by one batch.
    public var sequentialCopyCost: Int = 0
    public var batchCopyCost: Int = 0
    /// A few sites of each kind ("removed", "expanded", "helper call", ...):
    /// "slot: original hex → xlated hex".
    public var examples: [String: [String]] = [:]
    /// The rebuilt batch check (nil when not run).
    public var rebuilt: RebuiltBatchCheck?

    public init(object: String, section: String, name: String, programType: String, loaded: Bool, reason: String? = nil) {
        self.object = object
        self.section = section
        self.name = name
        self.programType = programType
        self.loaded = loaded
        self.reason = reason
    }

    /// Sites rewritten in place, all kinds.
    public var rewrittenInPlaceTotal: Int { rewrittenInPlace.values.reduce(0, +) }
}
