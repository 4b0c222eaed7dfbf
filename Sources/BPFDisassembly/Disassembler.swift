import BPFInstructions

/// Disassembles whole programs: walks the slots the way llvm-objdump does
/// and renders a section in its layout.
///
///     let disassembler = Disassembler()
///     print(disassembler.render(section: "xdp", program: program, labels: [(0, "xdp_prog")]))
///     //
///     // Disassembly of section xdp:
///     //
///     // 0000000000000000 <xdp_prog>:
///     //        0:	r0 = 0x2
///     //        1:	exit
public struct Disassembler: Sendable {
    /// The syntax used for each instruction.
    public var formatter: any InstructionFormatter

    /// Creates a disassembler; llvm-objdump syntax by default.
    public init(formatter: any InstructionFormatter = LLVMFormatter()) {
        self.formatter = formatter
    }

    /// The program's instructions as the formatter decodes them.
    ///
    /// A valid `ld_imm64` yields one line for two slots; a slot the formatter
    /// rejects yields one line and the walk resumes at the next slot, so the
    /// second half of a broken wide load gets its own line (llvm does this too).
    ///
    /// - Complexity: O(n), where n is the program's slot count.
    public func lines(_ program: Program) -> [DisassembledLine] {
        lines(program.slots)
    }

    /// The lines of raw slots; see `lines(_:)`.
    ///
    /// - Complexity: O(n), where n is the slot count.
    public func lines(_ slots: [Instruction]) -> [DisassembledLine] {
        var result: [DisassembledLine] = []
        result.reserveCapacity(slots.count)
        var position = 0
        while position < slots.count {
            let next = position + 1 < slots.count ? slots[position + 1] : nil
            let formatted = formatter.format(slots[position], next: next)
            let count = max(1, min(formatted.slotCount, slots.count - position))
            result.append(DisassembledLine(index: SlotIndex(position), slotCount: count,
                                           text: formatted.text, isValid: formatted.isValid))
            position += count
        }
        return result
    }
}
