/// A problem found in an object file: its kind, where it is, and a
/// one-line explanation. `ObjectError` (reading stops) and `ObjectWarning`
/// (a part is left out) are its two instances.
public struct ObjectDiagnostic<K: ObjectDiagnosticKind>: Hashable, Sendable, CustomStringConvertible {
    /// The family's kinds (`ObjectError.Kind`, `ObjectWarning.Kind`).
    public typealias Kind = K

    /// What went wrong.
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

    /// "[warning: ]kind in location: message".
    public var description: String { "\(Kind.descriptionPrefix)\(kind.rawValue) in \(location): \(message)" }
}

/// The kinds of one family of `ObjectDiagnostic`: an open set of names.
public protocol ObjectDiagnosticKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible where RawValue == String {
    /// What `ObjectDiagnostic.description` starts with.
    static var descriptionPrefix: String { get }
}

extension ObjectDiagnosticKind {
    public var description: String { rawValue }
}
