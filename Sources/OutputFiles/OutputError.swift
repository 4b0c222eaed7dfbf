/// An output file that could not be written. Nothing was replaced.
public struct OutputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An open set.
    public struct Kind: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The destination exists and is not a regular file, FIFO or character device.
        public static let notRegularFile = Kind(rawValue: "not a regular file")
        /// Two outputs name the same file.
        public static let samePath = Kind(rawValue: "same path twice")
        /// A system call failed (the message holds `strerror`).
        public static let system = Kind(rawValue: "write failed")
    }

    public var kind: Kind
    /// The destination path.
    public var path: String
    /// A one-line explanation.
    public var message: String

    public init(_ kind: Kind, path: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
