/// A JSON document (PATCHES.json, TABLES.json) that cannot be read.
///
/// The location is a path into the document in the form the CLI prints,
/// e.g. `patches[3].insns[1]`, or `line 4, column 17` for a syntax error.
///
///     patches[3].insns[1]: expected 16 hex digits
public struct JSONDocumentError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An open set.
    public struct Kind: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Not JSON at all (a syntax error).
        public static let syntax = Kind(rawValue: "malformed JSON")
        /// A value of the wrong type (or an integer out of range).
        public static let wrongType = Kind(rawValue: "wrong type")
        /// A required key is missing, or an unknown key is present.
        public static let badKey = Kind(rawValue: "bad key")
        /// A number outside its field's range (a slot index, a count).
        public static let outOfRange = Kind(rawValue: "out of range")
        /// An instruction that is not 16 hex digits.
        public static let badInstruction = Kind(rawValue: "bad instruction")
    }

    public var kind: Kind
    /// Where in the document, e.g. `patches[3].insns[1]`.
    public var location: String
    /// A one-line explanation.
    public var message: String

    public init(_ kind: Kind, at location: String, _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}
