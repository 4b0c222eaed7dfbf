import BPFPatch

/// A patched object: the new file and, per patched section, what the
/// engine did.
public struct PatchedObject: Sendable {
    /// The new ELF object.
    public var bytes: [UInt8]
    /// The engine's result per patched program section (by name), with
    /// relocated calls and function references as written to the file.
    public var sections: [String: PatchResult]
    /// One-line notices for the user (e.g. DWARF removed).
    public var notices: [String]

    public init(bytes: [UInt8], sections: [String: PatchResult], notices: [String]) {
        self.bytes = bytes
        self.sections = sections
        self.notices = notices
    }
}
