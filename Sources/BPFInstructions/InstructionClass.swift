/// The eight instruction classes (low three bits of the opcode).
public enum InstructionClass: UInt8, CaseIterable, Sendable, Hashable {
    /// `BPF_LD`: `ld_imm64` and the legacy packet loads.
    case ld = 0x00
    /// `BPF_LDX`: loads into a register.
    case ldx = 0x01
    /// `BPF_ST`: stores of an immediate.
    case st = 0x02
    /// `BPF_STX`: stores of a register, atomics.
    case stx = 0x03
    /// `BPF_ALU`: 32-bit arithmetic.
    case alu = 0x04
    /// `BPF_JMP`: 64-bit jumps, calls, exit.
    case jmp = 0x05
    /// `BPF_JMP32`: 32-bit conditional jumps and `gotol`.
    case jmp32 = 0x06
    /// `BPF_ALU64`: 64-bit arithmetic.
    case alu64 = 0x07

    /// True for `ld`, `ldx`, `st`, `stx`.
    public var isLoadStore: Bool { rawValue < 4 }
    /// True for `alu` and `alu64`.
    public var isArithmetic: Bool { self == .alu || self == .alu64 }
    /// True for `jmp` and `jmp32`.
    public var isJump: Bool { self == .jmp || self == .jmp32 }
}

/// The operand source bit of arithmetic and jump opcodes (`BPF_K`/`BPF_X`).
/// For `ALU|END` it selects the byte order instead (`BPF_TO_LE`/`BPF_TO_BE`).
public enum OperandSource: UInt8, Sendable, Hashable {
    /// `BPF_K`: the immediate.
    case immediate = 0x00
    /// `BPF_X`: the source register.
    case register = 0x08
}

/// The size field of load/store opcodes.
public enum AccessSize: UInt8, CaseIterable, Sendable, Hashable {
    /// `BPF_W`: 4 bytes.
    case word = 0x00
    /// `BPF_H`: 2 bytes.
    case halfWord = 0x08
    /// `BPF_B`: 1 byte.
    case byte = 0x10
    /// `BPF_DW`: 8 bytes.
    case doubleWord = 0x18

    /// The access width in bytes.
    public var byteCount: Int {
        switch self {
        case .word: 4
        case .halfWord: 2
        case .byte: 1
        case .doubleWord: 8
        }
    }
}
