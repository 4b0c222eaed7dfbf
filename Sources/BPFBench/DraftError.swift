/// A batch the draft design cannot apply.
public struct DraftError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An open set.
    public struct Kind: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Overlapping, empty or out-of-range patches.
        public static let invalidBatch = Kind(rawValue: "invalid batch")
        /// A reference outside the program or strictly inside a removed run.
        public static let badReference = Kind(rawValue: "bad reference")
        /// A displacement that does not fit its field.
        public static let rangeOverflow = Kind(rawValue: "displacement out of range")
        /// A side-table entry that cannot be moved (removed poke, cut subprogram).
        public static let badTable = Kind(rawValue: "bad side table")
    }

    public var kind: Kind
    /// The original slot the problem is at.
    public var slot: Int
    public var message: String

    public init(_ kind: Kind, slot: Int, _ message: String) {
        self.kind = kind
        self.slot = slot
        self.message = message
    }

    public var description: String { "\(kind.rawValue) at original slot \(slot): \(message)" }
}
