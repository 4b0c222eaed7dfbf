/// A problem that does not prevent opening an object file.
///
/// Damaged programs (an odd section size, a final `ld_imm64` without its
/// second slot) and damaged auxiliary data (relocations of debug sections,
/// `.BTF`, `.BTF.ext`) are reported here so that tools can still show what
/// is readable.
public struct ObjectWarning: Hashable, Sendable, CustomStringConvertible {
    /// What was found. An open set.
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A program section's size is not a multiple of 8; the trailing
        /// bytes were dropped.
        public static let truncatedSlot = Kind(rawValue: "truncated slot")
        /// A program section ends with an `ld_imm64` missing its second slot.
        public static let truncatedWideLoad = Kind(rawValue: "truncated ld_imm64")
        /// A function symbol lies outside its section or is misaligned; it
        /// is left out of `ProgramSection.functions`.
        public static let badFunctionSymbol = Kind(rawValue: "bad function symbol")
        /// A relocation section of a non-program section is malformed; its
        /// relocations were dropped.
        public static let relocationsIgnored = Kind(rawValue: "relocations ignored")
        /// `.BTF` is malformed; `ObjectFile.btf` is nil.
        public static let btfIgnored = Kind(rawValue: "BTF ignored")
        /// `.BTF.ext` is malformed (or `.BTF` is missing); `ObjectFile.btfExt` is nil.
        public static let btfExtIgnored = Kind(rawValue: "BTF.ext ignored")
    }

    public var kind: Kind
    /// Where the problem is.
    public var location: ObjectLocation
    /// A one-line explanation.
    public var message: String

    public init(_ kind: Kind, at location: ObjectLocation, _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    public var description: String { "warning: \(kind.rawValue) in \(location): \(message)" }
}
