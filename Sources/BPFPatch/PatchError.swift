import BPFInstructions

/// A batch that cannot be applied. The input is never modified.
///
/// The message names the patch (its number in the order patches were added)
/// and the original slot.
public struct PatchError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An open set.
    public struct Kind: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A patch site (or removed run) outside the program.
        public static let siteOutOfRange = Kind(rawValue: "site out of range")
        /// Two patches cover the same original slot.
        public static let overlap = Kind(rawValue: "overlapping patches")
        /// A replacement with no instructions (use a removal).
        public static let emptyReplacement = Kind(rawValue: "empty replacement")
        /// A removal of zero or fewer slots.
        public static let emptyRemoval = Kind(rawValue: "empty removal")
        /// A program or result larger than `PatchOptions.maximumSlotCount`.
        public static let programTooLarge = Kind(rawValue: "program too large")
        /// A displacement that does not fit its field after the batch.
        public static let rangeOverflow = Kind(rawValue: "displacement out of range")
        /// A reference that would land outside the program.
        public static let targetOutsideProgram = Kind(rawValue: "target outside program")
        /// A reference to a slot strictly inside a removed run.
        public static let targetInsideRemoval = Kind(rawValue: "target inside removed run")
        /// The result splits an `ld_imm64` or a reference targets its second slot.
        public static let splitWideLoad = Kind(rawValue: "split ld_imm64")
        /// A removal that cuts a subprogram's entry without removing its body.
        public static let subprogramCut = Kind(rawValue: "removal cuts subprogram entry")
        /// A removal of a tail-call poke descriptor's slot.
        public static let pokeRemoved = Kind(rawValue: "removal of poke slot")
        /// A side table that is malformed (unsorted, out of range).
        public static let invalidTable = Kind(rawValue: "invalid side table")
        /// A symbolic fixup that does not name a reference slot or a valid target.
        public static let invalidFixup = Kind(rawValue: "invalid fixup")
    }

    public var kind: Kind
    /// The patch's number in the order patches were added, if one is to blame.
    public var patch: Int?
    /// The original slot index the problem is at.
    public var slot: SlotIndex?
    /// A one-line explanation.
    public var message: String

    public init(_ kind: Kind, patch: Int? = nil, slot: SlotIndex? = nil, _ message: String) {
        self.kind = kind
        self.patch = patch
        self.slot = slot
        self.message = message
    }

    public var description: String {
        var s = kind.rawValue
        if let patch { s += " in patch \(patch)" }
        if let slot { s += " at original slot \(slot)" }
        return s + ": " + message
    }
}
