import BPFInstructions

/// A replacement written with symbolic references: patch-local labels and
/// original slots, resolved by the engine after layout, so nobody computes
/// displacements by hand.
///
///     var code = PatchSequence()
///     let done = code.makeLabel()
///     code.append(Instruction(code: 0x55, dst: .r1), to: .label(done))  // if r1 != 0 goto done
///     code.append(Instruction(code: 0xb7, dst: .r0))                    // r0 = 0
///     code.append(Instruction(code: 0x05), to: .original(SlotIndex(90))) // goto original 90
///     code.bind(done)
///     code.append(original)
///     try patches.replace(SlotIndex(12), with: code)
///
/// Slots appended without a target keep kernel semantics (their
/// displacement is read in the layout right after their step).
public struct PatchSequence: Hashable, Sendable {
    /// A position in the sequence, bound with `bind(_:)`.
    public struct Label: Hashable, Sendable {
        fileprivate let id: Int
    }

    /// Where a symbolic reference points.
    public enum Target: Hashable, Sendable {
        /// A label of this sequence (may be bound at the end: the slot after the patch).
        case label(Label)
        /// Original slot: lands on the first slot of its replacement.
        case original(SlotIndex)
    }

    /// The slots appended so far.
    public private(set) var instructions: [Instruction] = []
    private var references: [(position: Int, target: Target)] = []
    private var labelPositions: [Int?] = []

    public init() {}

    /// A new, unbound label.
    public mutating func makeLabel() -> Label {
        labelPositions.append(nil)
        return Label(id: labelPositions.count - 1)
    }

    /// Binds `label` to the position of the next appended slot.
    ///
    /// A label made by another sequence is ignored here and reported as
    /// unbound by `resolved()`.
    public mutating func bind(_ label: Label) {
        guard labelPositions.indices.contains(label.id) else { return }
        labelPositions[label.id] = instructions.count
    }

    /// Appends one slot with kernel semantics.
    public mutating func append(_ instruction: Instruction) {
        instructions.append(instruction)
    }

    /// Appends slots with kernel semantics.
    public mutating func append(contentsOf slots: [Instruction]) {
        instructions.append(contentsOf: slots)
    }

    /// Appends a jump, call or pseudo-func `ld_imm64` (first slot) whose
    /// displacement the engine fills in from `target`.
    public mutating func append(_ instruction: Instruction, to target: Target) {
        references.append((instructions.count, target))
        instructions.append(instruction)
    }

    /// The raw slots and the fixups, with labels resolved to positions.
    ///
    /// - Throws: `PatchError.Kind.invalidFixup` for an unbound label.
    public func resolved() throws(PatchError) -> (instructions: [Instruction], fixups: [Fixup]) {
        var fixups: [Fixup] = []
        fixups.reserveCapacity(references.count)
        for reference in references {
            switch reference.target {
            case .original(let slot):
                fixups.append(Fixup(position: reference.position, target: .original(slot)))
            case .label(let label):
                guard labelPositions.indices.contains(label.id), let position = labelPositions[label.id] else {
                    throw PatchError(.invalidFixup, "label \(label.id) used at position \(reference.position) is never bound")
                }
                fixups.append(Fixup(position: reference.position, target: .local(position)))
            }
        }
        return (instructions, fixups)
    }

    public static func == (a: PatchSequence, b: PatchSequence) -> Bool {
        a.instructions == b.instructions && a.labelPositions == b.labelPositions
            && a.references.elementsEqual(b.references) { $0.position == $1.position && $0.target == $1.target }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(instructions)
        hasher.combine(labelPositions)
    }
}
