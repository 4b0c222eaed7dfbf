import BPFInstructions

/// Why a program cannot be split into blocks or instrumented. The program
/// is never modified.
public struct CoverageError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An open set.
    public struct Kind: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The program has no instructions.
        public static let emptyProgram = Kind(rawValue: "empty program")
        /// A jump, call or function reference lands outside the program or on an `ld_imm64`'s second slot.
        public static let badTarget = Kind(rawValue: "bad target")
        /// Control falls off the end of a subprogram (or of the program).
        public static let fallsOffEnd = Kind(rawValue: "falls off end")
        /// A frame has fewer than 16 bytes of stack left below its deepest use.
        public static let stackFull = Kind(rawValue: "stack full")
        /// A frame's stack use could not be bounded (a variable offset from `r10`).
        public static let unknownStackDepth = Kind(rawValue: "unknown stack depth")
        /// At a block start fewer than two registers have a definite initialisation state.
        public static let noScratchRegister = Kind(rawValue: "no scratch register")
        /// The counter offsets do not fit the instruction's 32-bit field.
        public static let tooManyBlocks = Kind(rawValue: "too many blocks")
        /// The patch engine refused the batch.
        public static let patch = Kind(rawValue: "patch engine")
        /// Counter bytes do not match the block count.
        public static let badCounters = Kind(rawValue: "bad counters")
    }

    public var kind: Kind
    /// The slot the problem is at, when one is to blame.
    public var slot: SlotIndex?
    /// A one-line explanation.
    public var message: String

    public init(_ kind: Kind, slot: SlotIndex? = nil, _ message: String) {
        self.kind = kind
        self.slot = slot
        self.message = message
    }

    public var description: String {
        (slot.map { "slot \($0): " } ?? "") + message
    }
}
