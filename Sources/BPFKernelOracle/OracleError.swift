/// Why an oracle run could not even start (unreadable object, no kernel).
///
/// Per-program problems (a rejected load, a failed test run) are data in
/// the reports, not errors.
public struct OracleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An open set.
    public struct Kind: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The object file could not be read or parsed.
        public static let unreadableObject = Kind(rawValue: "unreadable object")
        /// A path that is neither an object file nor a directory of them.
        public static let badPath = Kind(rawValue: "bad path")
    }

    public var kind: Kind
    /// The file (or directory) the problem is about.
    public var path: String
    /// A one-line explanation.
    public var message: String

    public init(_ kind: Kind, path: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(kind.rawValue): \(message)" }
}
