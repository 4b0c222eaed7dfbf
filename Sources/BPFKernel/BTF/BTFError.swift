/// An error reading a BTF blob.
public struct BTFError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An open set.
    public struct Kind: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let truncated = Kind(rawValue: "truncated BTF")
        public static let badHeader = Kind(rawValue: "bad BTF header")
        public static let unsupported = Kind(rawValue: "unsupported BTF")
        public static let badType = Kind(rawValue: "bad BTF type")
    }

    public var kind: Kind
    /// Byte offset in the blob (or type id, for `.badType`).
    public var location: Int
    public var message: String

    public init(_ kind: Kind, at location: Int, _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    public var description: String { "\(kind.rawValue) at \(location): \(message)" }
}
