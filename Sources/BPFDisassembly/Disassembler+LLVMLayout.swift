import BPFInstructions

extension Disassembler {
    /// One instruction line in llvm-objdump's layout: the slot index
    /// right-aligned in 8 columns, a colon, a tab, the text.
    public static func instructionLine(_ line: DisassembledLine) -> String {
        let number = String(line.index.rawValue)
        let pad = number.count < 8 ? String(repeating: " ", count: 8 - number.count) : ""
        return pad + number + ":\t" + line.text
    }

    /// A label line in llvm-objdump's layout: the byte address as 16 hex
    /// digits and the name in angle brackets.
    public static func labelLine(_ index: SlotIndex, _ name: String) -> String {
        let address = String(index.byteOffset.rawValue, radix: 16)
        return String(repeating: "0", count: max(0, 16 - address.count)) + address + " <" + name + ">:"
    }

    /// Renders a section as `llvm-objdump -d --no-show-raw-insn` does.
    ///
    /// Output: an empty line, `Disassembly of section NAME:`, then for every
    /// label an empty line and `%016x <name>:` before the instruction at that
    /// slot, and one line per instruction. Each line ends with a newline.
    /// Labels are printed in slot order (ties in the given order); a label
    /// that points into the middle of an instruction or past the end is
    /// printed before the next instruction line, or at the end. A source
    /// line is printed as `; text` before its instruction (after the
    /// label), unless it repeats the last source line printed.
    ///
    /// - Parameters:
    ///   - section: the section name.
    ///   - program: the section's slots.
    ///   - labels: function (or other) symbols as slot index and name.
    ///   - sourceLines: source text by the slot it describes (`.BTF.ext` line info).
    /// - Returns: the rendered text.
    /// - Complexity: O(n + l log l), where n is the slot count and l the number of labels.
    public func render(section: String, program: Program, labels: [(SlotIndex, String)] = [],
                       sourceLines: [SlotIndex: String] = [:]) -> String {
        "\nDisassembly of section " + section + ":\n" + layout(program, labels: labels, sourceLines: sourceLines,
                                                             label: { "\n" + Self.labelLine($0, $1) },
                                                             instruction: Self.instructionLine)
    }

    /// The shared walk of `render` and `kernelListing`: labels in slot order,
    /// deduplicated source lines, one line per instruction.
    func layout(_ program: Program, labels: [(SlotIndex, String)], sourceLines: [SlotIndex: String],
                label: (SlotIndex, String) -> String, instruction: (DisassembledLine) -> String) -> String {
        var out = ""
        let sorted = labels.enumerated().sorted { a, b in
            a.element.0 != b.element.0 ? a.element.0 < b.element.0 : a.offset < b.offset
        }.map(\.element)
        var next = 0
        var lastSource: String? = nil
        for line in lines(program) {
            while next < sorted.count && sorted[next].0 <= line.index {
                out += label(sorted[next].0, sorted[next].1) + "\n"
                next += 1
            }
            if let source = sourceLines[line.index], source != lastSource {
                out += "; " + source + "\n"
                lastSource = source
            }
            out += instruction(line) + "\n"
        }
        while next < sorted.count {
            out += label(sorted[next].0, sorted[next].1) + "\n"
            next += 1
        }
        return out
    }
}
