/// One raw 8-byte eBPF instruction slot (`struct bpf_insn`).
///
/// The stored representation is exactly the kernel's little-endian layout:
/// `code`, a register byte whose low nibble is the destination and high
/// nibble the source register, a signed 16-bit offset and a signed 32-bit
/// immediate. `MemoryLayout<Instruction>.size == 8`.
///
/// An `ld_imm64` (code `0x18`) occupies two slots; each slot is one
/// `Instruction` value. Typed views of the fields live in
/// `Instruction+Fields.swift`; the encoding in `Instruction+Encoding.swift`.
///
///     let mov = Instruction(code: 0xb7, dst: .r1, immediate: 5)   // r1 = 5, from raw fields
///     let same: Instruction = .mov(.r1, 5)                        // the builder (Instruction+Builders.swift)
@frozen
public struct Instruction: Hashable, Sendable {
    /// The opcode byte.
    public var code: UInt8
    /// Destination register in the low nibble, source register in the high nibble.
    public var registers: UInt8
    /// The signed 16-bit offset field (`off`).
    public var offset: Int16
    /// The signed 32-bit immediate field (`imm`).
    public var immediate: Int32

    /// Creates a slot from its raw fields.
    @inlinable
    public init(code: UInt8, registers: UInt8 = 0, offset: Int16 = 0, immediate: Int32 = 0) {
        self.code = code
        self.registers = registers
        self.offset = offset
        self.immediate = immediate
    }

    /// Creates a slot from its opcode, registers and fields.
    @inlinable
    public init(code: UInt8, dst: Register = .r0, src: Register = .r0, offset: Int16 = 0, immediate: Int32 = 0) {
        self.init(code: code, registers: dst.rawValue | (src.rawValue << 4), offset: offset, immediate: immediate)
    }

    /// The destination register number (0–15; only 0–10 are valid registers).
    @inlinable
    public var dstNumber: UInt8 {
        get { registers & 0x0f }
        set { registers = (registers & 0xf0) | (newValue & 0x0f) }
    }

    /// The source register number (0–15). For `ld_imm64` and calls this
    /// nibble selects the pseudo kind instead of a register.
    @inlinable
    public var srcNumber: UInt8 {
        get { registers >> 4 }
        set { registers = (registers & 0x0f) | ((newValue & 0x0f) << 4) }
    }
}
