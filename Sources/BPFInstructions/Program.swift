/// An eBPF program: a contiguous array of 8-byte slots.
///
/// Indexed by `SlotIndex`. Logical iteration (`instructions`) yields an
/// `ld_imm64` once, as two slots.
///
///     let program = try Program(decoding: bytes, byteOrder: .littleEndian)
///     for insn in program.instructions { print(insn.index, insn.first) }
public struct Program: Hashable, Sendable {
    /// The raw slots.
    public var slots: [Instruction]

    /// Creates a program from its slots, without any checks.
    public init(slots: [Instruction]) { self.slots = slots }

    /// The number of slots.
    @inlinable public var count: Int { slots.count }

    /// The slot at `index`.
    @inlinable
    public subscript(index: SlotIndex) -> Instruction {
        get { slots[index.rawValue] }
        set { slots[index.rawValue] = newValue }
    }

    /// The valid slot indices.
    public var indices: Range<SlotIndex> { SlotIndex(0)..<SlotIndex(slots.count) }
}
