import BPFInstructions

extension Disassembler {
    /// Renders a program as `bpftool prog dump xlated` lists it: the slot
    /// index right-aligned in 4 columns, a colon, a space, the text (use a
    /// `KernelFormatter` for bpftool's syntax). A function starts with its
    /// name and a colon on a line of its own (bpftool prints the prototype
    /// there when it has BTF), and a source line is printed as `; text`
    /// before its first instruction, as bpftool does with line info. Each
    /// line ends with a newline.
    ///
    ///     Disassembler(formatter: KernelFormatter()).kernelListing(program)
    ///     // "   0: (b7) r0 = 2\n   1: (95) exit\n"
    ///
    /// - Parameters:
    ///   - program: the slots.
    ///   - labels: function names by their first slot.
    ///   - sourceLines: source text by the slot it describes.
    /// - Complexity: O(n + l log l), where n is the slot count and l the number of labels.
    public func kernelListing(_ program: Program, labels: [(SlotIndex, String)] = [],
                              sourceLines: [SlotIndex: String] = [:]) -> String {
        layout(program, labels: labels, sourceLines: sourceLines, label: { _, name in name + ":" }) { line in
            let number = String(line.index.rawValue)
            return String(repeating: " ", count: max(0, 4 - number.count)) + number + ": " + line.text
        }
    }
}
