import BPFDisassembly
import BPFInstructions

extension ProgramCoverage {
    /// The program's disassembly in llvm-objdump's layout with each
    /// block's count and the source lines interleaved, as
    /// `llvm-objdump -d -S` prints them:
    ///
    ///     0000000000000000 <xdp_prog>:
    ///     ; block 0: 4 hits
    ///     ; int xdp_prog(struct xdp_md *ctx) {
    ///            0:	r0 = 0x2
    ///
    /// A never-run block is marked `; block 3: 0 hits  <<<<< not run`.
    ///
    /// - Complexity: O(n + l).
    public func annotated(disassembler: Disassembler = Disassembler()) -> String {
        var out = ""
        var blockAt: [SlotIndex: Int] = [:]
        for block in graph.blocks { blockAt[block.slots.lowerBound] = block.index }
        var subprogramAt: [SlotIndex: Int] = [:]
        for (s, sub) in graph.subprograms.enumerated() { subprogramAt[sub.slots.lowerBound] = s }
        var lineAt: [SlotIndex: SourceLine] = [:]
        for record in lines { lineAt[record.slot] = record }
        var lastLine: SourceLine? = nil
        for line in disassembler.lines(graph.program) {
            if let s = subprogramAt[line.index] {
                out += "\n" + Disassembler.labelLine(line.index, functionNames[s]) + "\n"
            }
            if let b = blockAt[line.index] {
                let count = counts[b]
                out += "; block \(b): \(count) hit\(count == 1 ? "" : "s")" + (count == 0 ? "  <<<<< not run" : "") + "\n"
            }
            if let record = lineAt[line.index], record.line > 0,
               record.file != lastLine?.file || record.line != lastLine?.line {
                out += "; " + (record.text.isEmpty ? "\(record.file):\(record.line)" : record.text) + "\n"
                lastLine = record
            }
            out += Disassembler.instructionLine(line) + "\n"
        }
        return out
    }
}
