/// An error decoding raw instruction bytes.
public struct DecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An open set.
    public struct Kind: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The byte count is not a multiple of 8.
        public static let truncatedSlot = Kind(rawValue: "truncated slot")
        /// The last slot is an `ld_imm64` without its second half.
        public static let truncatedWideLoad = Kind(rawValue: "truncated ld_imm64")
    }

    public var kind: Kind
    /// The byte offset of the problem.
    public var location: ByteOffset
    /// A one-line explanation.
    public var message: String

    public init(_ kind: Kind, at location: ByteOffset, _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    public var description: String { "\(kind.rawValue) at byte \(location): \(message)" }
}
