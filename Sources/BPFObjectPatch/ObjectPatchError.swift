import BPFInstructions
import BPFObject
import BPFPatch

/// An error that prevents writing a patched object. Nothing is written.
///
/// The location names the section and, where there is one, the patch (its
/// position in the batch) and the original slot.
///
///     section 'xdp' slot 12 (patch 3): relocation R_BPF_64_64 'counters' on a replaced slot is carried by no slot of the replacement
public struct ObjectPatchError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An open set.
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A patch names a section that is not a program section of the object.
        public static let unknownSection = Kind(rawValue: "unknown section")
        /// A patch names a function symbol the section does not define.
        public static let unknownFunction = Kind(rawValue: "unknown function")
        /// A function-relative site lies outside its function.
        public static let siteOutsideFunction = Kind(rawValue: "site outside function")
        /// A relocated slot is replaced or removed and no slot carries its relocation.
        public static let relocationDropped = Kind(rawValue: "relocation dropped")
        /// A CO-RE record's slot is replaced or removed and no slot carries it.
        public static let coreRelocationDropped = Kind(rawValue: "CO-RE relocation dropped")
        /// A carrier position or an added relocation is malformed.
        public static let badCarrier = Kind(rawValue: "bad carrier")
        /// An added relocation names a symbol the object lacks, or its slot cannot take one.
        public static let badRelocation = Kind(rawValue: "bad relocation")
        /// The engine refused the section's batch.
        public static let engine = Kind(rawValue: "patch refused")
        /// The object has a shape this writer cannot rewrite (stated in the message).
        public static let unsupported = Kind(rawValue: "unsupported object")
        /// A value computed for the output does not fit its field.
        public static let overflow = Kind(rawValue: "value out of range")
    }

    public var kind: Kind
    /// The program section, when the error belongs to one.
    public var section: String?
    /// The patch's position in the batch, when one patch is to blame.
    public var patch: Int?
    /// The original slot (absolute, in the section), when known.
    public var slot: SlotIndex?
    /// A one-line explanation.
    public var message: String

    public init(_ kind: Kind, section: String? = nil, patch: Int? = nil, slot: SlotIndex? = nil, _ message: String) {
        self.kind = kind
        self.section = section
        self.patch = patch
        self.slot = slot
        self.message = message
    }

    public var description: String {
        var place: [String] = []
        if let section { place.append("section '\(section)'") }
        if let slot { place.append("slot \(slot.rawValue)") }
        if let patch { place.append("(patch \(patch))") }
        return (place.isEmpty ? "" : place.joined(separator: " ") + ": ") + message
    }
}
