/// An error that prevents reading an object file.
///
/// Thrown with typed throws by every parsing entry point. Damage confined to
/// a program's bytes is reported as an `ObjectWarning` instead, so a broken
/// program can still be shown. Both are `ObjectDiagnostic`s: a kind, a
/// location and a one-line message.
///
///     do { _ = try ObjectFile(bytes: bytes) }
///     catch { print(error.kind, error.location, error.message) }
public typealias ObjectError = ObjectDiagnostic<ObjectErrorKind>

extension ObjectDiagnostic: Error where K == ObjectErrorKind {}

/// What went wrong reading an object (`ObjectError.Kind`). An open set.
public struct ObjectErrorKind: ObjectDiagnosticKind {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let descriptionPrefix = ""

    /// The file could not be read from disk.
    public static let unreadableFile = ObjectErrorKind(rawValue: "unreadable file")
    /// The file does not start with the ELF magic `7f 45 4c 46`.
    public static let notELF = ObjectErrorKind(rawValue: "not ELF")
    /// `EI_CLASS` is not `ELFCLASS64` (ELF32 objects are not BPF objects).
    public static let unsupportedClass = ObjectErrorKind(rawValue: "unsupported ELF class")
    /// `EI_DATA` is neither little nor big endian.
    public static let unsupportedEncoding = ObjectErrorKind(rawValue: "unsupported data encoding")
    /// `e_machine` is neither `EM_BPF` (247) nor `EM_NONE` (0).
    public static let unsupportedMachine = ObjectErrorKind(rawValue: "unsupported machine")
    /// A header field is malformed (sizes, versions, indices).
    public static let badHeader = ObjectErrorKind(rawValue: "bad ELF header")
    /// A read would go past the end of the file or of its section.
    public static let outOfBounds = ObjectErrorKind(rawValue: "out of bounds")
    /// A section header is malformed (bad link, entry size, type).
    public static let badSection = ObjectErrorKind(rawValue: "bad section")
    /// A string table offset is out of range or the string is unterminated.
    public static let badString = ObjectErrorKind(rawValue: "bad string")
    /// The symbol table is malformed.
    public static let badSymbol = ObjectErrorKind(rawValue: "bad symbol")
    /// A relocation of a program section names a missing symbol or an
    /// offset outside its section.
    public static let badRelocation = ObjectErrorKind(rawValue: "bad relocation")
    /// `.BTF` is malformed.
    public static let badBTF = ObjectErrorKind(rawValue: "bad BTF")
    /// `.BTF.ext` is malformed.
    public static let badBTFExt = ObjectErrorKind(rawValue: "bad BTF.ext")
}
