import BPFInstructions
import BPFPatch

/// One patch of an object: a `Patch` addressed by program section and,
/// optionally, by function symbol with a site relative to the function's
/// first slot.
///
/// A replacement may say which of its slots re-emits the original
/// instruction (`original`): that slot carries the relocation and the
/// CO-RE record of the replaced slot, if any. Replacing or removing a
/// relocated slot without a carrier is an error, never a silent drop.
///
///     var patch = ObjectPatch(section: "xdp", function: "xdp_prog", site: 4,
///                             operation: .replace([probe, original]))
///     patch.original = 1
public struct ObjectPatch: Hashable, Sendable {
    /// The program section's name.
    public var section: String
    /// A function symbol of the section; when set, `site` counts from its first slot.
    public var function: String?
    /// The site: absolute in the section, or relative to `function`.
    public var site: SlotIndex
    /// What the patch does.
    public var operation: Patch.Operation
    /// Symbolic references inside a replacement (see `Fixup`).
    public var fixups: [Fixup]
    /// The position inside a replacement of the slot that re-emits the
    /// original instruction (its relocation and CO-RE record follow it).
    public var original: Int?
    /// Relocations for inserted slots (an `ld_imm64` naming a map, a call
    /// naming a function).
    public var relocations: [AddedRelocation]

    public init(section: String, function: String? = nil, site: SlotIndex, operation: Patch.Operation,
                fixups: [Fixup] = [], original: Int? = nil, relocations: [AddedRelocation] = []) {
        self.section = section
        self.function = function
        self.site = site
        self.operation = operation
        self.fixups = fixups
        self.original = original
        self.relocations = relocations
    }
}

extension Patch.Operation {
    /// The original slots the operation covers (1 for a replacement).
    var span: Int {
        switch self {
        case .replace: 1
        case .remove(let count): count
        }
    }
}
