import BPFInstructions

/// Hand-written slot constructors for tests, spelled from RFC 9669's opcode
/// table (not from the code under test).
enum Slots {
    /// `r<dst> = imm` (ALU64 MOV K, 0xb7). Used as a marker carrier.
    static func mov(_ imm: Int32, dst: UInt8 = 1) -> Instruction {
        Instruction(code: 0xb7, registers: dst, offset: 0, immediate: imm)
    }
    /// `goto +off` (JMP JA, 0x05). `imm` is unused by the kernel: a marker.
    static func ja(_ off: Int16, marker: Int32 = 0) -> Instruction {
        Instruction(code: 0x05, registers: 0, offset: off, immediate: marker)
    }
    /// `if r1 == imm goto +off` (JMP JEQ K, 0x15).
    static func jeqImm(_ off: Int16, imm: Int32 = 7) -> Instruction {
        Instruction(code: 0x15, registers: 0x01, offset: off, immediate: imm)
    }
    /// `if r1 != r2 goto +off` (JMP JNE X, 0x5d); `imm` free for a marker.
    static func jneReg(_ off: Int16, marker: Int32 = 0) -> Instruction {
        Instruction(code: 0x5d, registers: 0x21, offset: off, immediate: marker)
    }
    /// `if w1 < imm goto +off` (JMP32 JLT K, 0xa6).
    static func jlt32(_ off: Int16, imm: Int32 = 3) -> Instruction {
        Instruction(code: 0xa6, registers: 0x01, offset: off, immediate: imm)
    }
    /// `if w1 == w3 goto +off` (JMP32 JEQ X, 0x1e); `imm` free for a marker.
    static func jeq32Reg(_ off: Int16, marker: Int32 = 0) -> Instruction {
        Instruction(code: 0x1e, registers: 0x31, offset: off, immediate: marker)
    }
    /// `gotol +imm` (JMP32 JA, 0x06).
    static func gotol(_ imm: Int32) -> Instruction {
        Instruction(code: 0x06, registers: 0, offset: 0, immediate: imm)
    }
    /// bpf-to-bpf call (0x85, src 1), displacement in `imm`.
    static func callLocal(_ imm: Int32) -> Instruction {
        Instruction(code: 0x85, registers: 0x10, offset: 0, immediate: imm)
    }
    /// Helper call (0x85, src 0).
    static func callHelper(_ id: Int32) -> Instruction {
        Instruction(code: 0x85, registers: 0x00, offset: 0, immediate: id)
    }
    /// kfunc call (0x85, src 2), `imm` = BTF id.
    static func callKfunc(_ id: Int32) -> Instruction {
        Instruction(code: 0x85, registers: 0x20, offset: 0, immediate: id)
    }
    /// `exit` (0x95).
    static var exit: Instruction { Instruction(code: 0x95) }
    /// Both slots of an `ld_imm64` of the given kind (src nibble).
    static func ldImm64(kind: UInt8, dst: UInt8 = 1, low: Int32, high: Int32 = 0) -> [Instruction] {
        [Instruction(code: 0x18, registers: dst | (kind << 4), offset: 0, immediate: low),
         Instruction(code: 0x00, registers: 0, offset: 0, immediate: high)]
    }
    /// Pseudo-func `ld_imm64` (src 4): `imm` of the first slot is a displacement.
    static func ldFunc(_ imm: Int32, dst: UInt8 = 2) -> [Instruction] { ldImm64(kind: 4, dst: dst, low: imm) }
    /// Map-fd `ld_imm64` (src 1).
    static func ldMap(_ fd: Int32) -> [Instruction] { ldImm64(kind: 1, low: fd) }
}
