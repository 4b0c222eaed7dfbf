/// Where in an object file something was found: a section name, a file
/// byte offset, or both.
public struct ObjectLocation: Hashable, Sendable, CustomStringConvertible {
    /// The section the problem is in, when known.
    public var section: String?
    /// The absolute byte offset in the file, when known.
    public var fileOffset: Int?

    public init(section: String? = nil, fileOffset: Int? = nil) {
        self.section = section
        self.fileOffset = fileOffset
    }

    public var description: String {
        switch (section, fileOffset) {
        case let (s?, o?): "section '\(s)' at file offset 0x\(String(o, radix: 16))"
        case let (s?, nil): "section '\(s)'"
        case let (nil, o?): "file offset 0x\(String(o, radix: 16))"
        case (nil, nil): "object"
        }
    }
}

/// An error that prevents reading an object file.
///
/// Thrown with typed throws by every parsing entry point. Damage confined to
/// a program's bytes is reported as an `ObjectWarning` instead, so a broken
/// program can still be shown.
///
///     do { _ = try ObjectFile(bytes: bytes) }
///     catch { print(error.kind, error.location, error.message) }
public struct ObjectError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An open set.
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file could not be read from disk.
        public static let unreadableFile = Kind(rawValue: "unreadable file")
        /// The file does not start with the ELF magic `7f 45 4c 46`.
        public static let notELF = Kind(rawValue: "not ELF")
        /// `EI_CLASS` is not `ELFCLASS64` (ELF32 objects are not BPF objects).
        public static let unsupportedClass = Kind(rawValue: "unsupported ELF class")
        /// `EI_DATA` is neither little nor big endian.
        public static let unsupportedEncoding = Kind(rawValue: "unsupported data encoding")
        /// `e_machine` is neither `EM_BPF` (247) nor `EM_NONE` (0).
        public static let unsupportedMachine = Kind(rawValue: "unsupported machine")
        /// A header field is malformed (sizes, versions, indices).
        public static let badHeader = Kind(rawValue: "bad ELF header")
        /// A read would go past the end of the file or of its section.
        public static let outOfBounds = Kind(rawValue: "out of bounds")
        /// A section header is malformed (bad link, entry size, type).
        public static let badSection = Kind(rawValue: "bad section")
        /// A string table offset is out of range or the string is unterminated.
        public static let badString = Kind(rawValue: "bad string")
        /// The symbol table is malformed.
        public static let badSymbol = Kind(rawValue: "bad symbol")
        /// A relocation of a program section names a missing symbol or an
        /// offset outside its section.
        public static let badRelocation = Kind(rawValue: "bad relocation")
        /// `.BTF` is malformed.
        public static let badBTF = Kind(rawValue: "bad BTF")
        /// `.BTF.ext` is malformed.
        public static let badBTFExt = Kind(rawValue: "bad BTF.ext")
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

    public var description: String { "\(kind.rawValue) in \(location): \(message)" }
}
