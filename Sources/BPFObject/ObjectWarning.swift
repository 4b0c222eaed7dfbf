/// A problem that does not prevent opening an object file.
///
/// Damaged programs (an odd section size, a final `ld_imm64` without its
/// second slot) and damaged auxiliary data (relocations of debug sections,
/// `.BTF`, `.BTF.ext`) are reported here so that tools can still show what
/// is readable. The same shape as `ObjectError` (`ObjectDiagnostic`);
/// printed with a "warning: " prefix.
public typealias ObjectWarning = ObjectDiagnostic<ObjectWarningKind>

/// What was found (`ObjectWarning.Kind`). An open set.
public struct ObjectWarningKind: ObjectDiagnosticKind {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let descriptionPrefix = "warning: "

    /// A program section's size is not a multiple of 8; the trailing
    /// bytes were dropped.
    public static let truncatedSlot = ObjectWarningKind(rawValue: "truncated slot")
    /// A program section ends with an `ld_imm64` missing its second slot.
    public static let truncatedWideLoad = ObjectWarningKind(rawValue: "truncated ld_imm64")
    /// A function symbol lies outside its section or is misaligned; it
    /// is left out of `ProgramSection.functions`.
    public static let badFunctionSymbol = ObjectWarningKind(rawValue: "bad function symbol")
    /// A relocation section of a non-program section is malformed; its
    /// relocations were dropped.
    public static let relocationsIgnored = ObjectWarningKind(rawValue: "relocations ignored")
    /// `.BTF` is malformed; `ObjectFile.btf` is nil.
    public static let btfIgnored = ObjectWarningKind(rawValue: "BTF ignored")
    /// `.BTF.ext` is malformed (or `.BTF` is missing); `ObjectFile.btfExt` is nil.
    public static let btfExtIgnored = ObjectWarningKind(rawValue: "BTF.ext ignored")
}
