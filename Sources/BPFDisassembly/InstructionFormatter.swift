import BPFInstructions

/// Turns raw slots into one line of assembly text in some syntax.
///
/// A formatter decides, like a disassembler's decoder, how many slots the
/// instruction at a position occupies: an `ld_imm64` that the syntax
/// accepts takes two, anything it rejects takes one (so a broken wide load
/// shows its second half as a separate line, as llvm-objdump does).
///
///     let formatter = LLVMFormatter()
///     formatter.text(LogicalInstruction(index: 0, first: .mov(.r1, 5)))
///     // "r1 = 0x5"
public protocol InstructionFormatter: Sendable {
    /// Formats the instruction that starts with `first`.
    ///
    /// - Parameters:
    ///   - first: the slot at the current position.
    ///   - next: the following slot, if any (the second half of an `ld_imm64`).
    /// - Returns: the text and how many slots it consumed (1 or 2).
    func format(_ first: Instruction, next: Instruction?) -> FormattedInstruction
}

extension InstructionFormatter {
    /// The text of one logical instruction.
    ///
    /// An `ld_imm64` without its second slot, or one the syntax rejects,
    /// renders as the syntax's placeholder for an undecodable slot.
    public func text(_ insn: LogicalInstruction) -> String {
        format(insn.first, next: insn.second).text
    }

    /// The text of a single slot with an optional following slot.
    public func text(_ first: Instruction, next: Instruction? = nil) -> String {
        format(first, next: next).text
    }
}
