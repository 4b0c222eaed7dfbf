import BPFInstructions

/// A syntax's spelling of each instruction class: both formatters conform,
/// so the dispatch on the class is written once. Each method returns nil
/// when the syntax has no spelling for the slot.
protocol ClassSyntax {
    /// `BPF_LD` other than `ld_imm64`: the legacy packet loads.
    func legacyLoad(_ insn: Instruction) -> String?
    /// `BPF_LDX`.
    func load(_ insn: Instruction) -> String?
    /// `BPF_ST`.
    func storeImmediate(_ insn: Instruction) -> String?
    /// `BPF_STX`, atomics included.
    func storeRegister(_ insn: Instruction) -> String?
    /// `BPF_ALU` and `BPF_ALU64`.
    func arithmetic(_ insn: Instruction) -> String?
    /// `BPF_JMP` and `BPF_JMP32`.
    func jump(_ insn: Instruction) -> String?
}

extension ClassSyntax {
    /// The text of a single-slot instruction, by its class.
    ///
    /// - Complexity: O(1).
    func single(_ insn: Instruction) -> String? {
        switch insn.instructionClass {
        case .ld: legacyLoad(insn)
        case .ldx: load(insn)
        case .st: storeImmediate(insn)
        case .stx: storeRegister(insn)
        case .alu, .alu64: arithmetic(insn)
        case .jmp, .jmp32: jump(insn)
        }
    }
}
