import BPFInstructions
@testable import BPFKernel

/// True when bpf(2) works here; otherwise prints why, so the caller can
/// return early (a visible skip, never a silent pass).
func kernelAvailable(_ test: String = #function) -> Bool {
    let support = KernelSupport.probe()
    if !support.isAvailable { print("SKIPPED \(test): \(support.reason)") }
    return support.isAvailable
}

/// Instructions built by hand from RFC 9669's encoding.
enum Asm {
    /// `r<dst> = imm` (BPF_ALU64 | BPF_MOV | BPF_K = 0xb7).
    static func mov(_ dst: Register, _ imm: Int32) -> Instruction { Instruction(code: 0xb7, dst: dst, immediate: imm) }
    /// `r<dst> = r<src>` (0xbf).
    static func movReg(_ dst: Register, _ src: Register) -> Instruction { Instruction(code: 0xbf, dst: dst, src: src) }
    /// `r<dst> -= r<src>` (BPF_ALU64 | BPF_SUB | BPF_X = 0x1f).
    static func subReg(_ dst: Register, _ src: Register) -> Instruction { Instruction(code: 0x1f, dst: dst, src: src) }
    /// `r<dst> += imm` (0x07).
    static func add(_ dst: Register, _ imm: Int32) -> Instruction { Instruction(code: 0x07, dst: dst, immediate: imm) }
    /// `r<dst> = *(u32 *)(r<src> + off)` (BPF_LDX | BPF_MEM | BPF_W = 0x61).
    static func loadWord(_ dst: Register, _ src: Register, _ off: Int16) -> Instruction {
        Instruction(code: 0x61, dst: dst, src: src, offset: off)
    }
    /// `exit` (0x95).
    static let exit = Instruction(code: 0x95)
    /// `call helper` (0x85).
    static func call(_ helper: Int32) -> Instruction { Instruction(code: 0x85, immediate: helper) }
    /// `if r<dst> == imm goto +off` (0x15).
    static func jeq(_ dst: Register, _ imm: Int32, _ off: Int16) -> Instruction {
        Instruction(code: 0x15, dst: dst, offset: off, immediate: imm)
    }
}
