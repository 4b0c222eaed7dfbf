import BPFInstructions

extension Disassembler {
    /// Renders a program as `bpftool prog dump xlated` lists it: the slot
    /// index right-aligned in 4 columns, a colon, a space, the text (use a
    /// `KernelFormatter` for bpftool's syntax). Each line ends with a newline.
    ///
    ///     Disassembler(formatter: KernelFormatter()).kernelListing(program)
    ///     // "   0: (b7) r0 = 2\n   1: (95) exit\n"
    ///
    /// - Complexity: O(n), where n is the program's slot count.
    public func kernelListing(_ program: Program) -> String {
        var out = ""
        for line in lines(program) {
            let number = String(line.index.rawValue)
            out += String(repeating: " ", count: max(0, 4 - number.count)) + number + ": " + line.text + "\n"
        }
        return out
    }
}
