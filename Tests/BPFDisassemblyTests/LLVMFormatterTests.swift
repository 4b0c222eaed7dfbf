import BPFDisassembly
import BPFInstructions
import BPFTestSupport
import Foundation
import Testing

@Suite struct LLVMFormatterTests {
    /// Kernel-internal modes: `<unknown>` by default (as llvm prints them, see
    /// the opcode sweep), a documented made-up form on request. Expected
    /// strings are hand-derived from the documented scheme.
    @Test(arguments: [
        ("7921080000000000", "r1 = *(u64 *)(r2 + 0x8)"),
        ("3921080000000000", "r1 = *(u64 *)(r2 + 0x8) /* probe_mem */"),
        ("2121f8ff00000000", "w1 = *(u32 *)(r2 - 0x8) /* probe_mem */"),
        ("5121000000000000", "r1 = *(s8 *)(r2 + 0x0) /* probe_memsx */"),
        ("a121000000000000", "w1 = *(u32 *)(r2 + 0x0) /* probe_mem32 */"),
        ("ba01040005000000", "*(u64 *)(r1 + 0x4) = 0x5 /* probe_mem32 */"),
        ("bb21040000000000", "*(u64 *)(r1 + 0x4) = r2 /* probe_mem32 */"),
        ("fb21000000000000", "lock *(u64 *)(r1 + 0x0) += r2 /* probe_atomic */"),
        ("e321000001000000", "w2 = atomic_fetch_add((u32 *)(r1 + 0x0), w2) /* probe_atomic */"),
        ("c200000000000000", "nospec"),
        ("bf21ffff00000000", "r1 = percpu_addr(r2)"),
        ("f500000000000000", "tail_call"),
        ("0d01000000000000", "gotox r1"),
    ])
    func kernelExtensions(hex: String, expected: String) throws {
        let insn = try #require(Instruction(hex: hex))
        let extended = LLVMFormatter(options: .init(kernelExtensions: true))
        #expect(extended.text(insn) == expected)
        if insn.accessMode != .mem || insn.instructionClass.isArithmetic || insn.instructionClass.isJump {
            let plain = LLVMFormatter().text(insn)
            #expect(plain == expected || plain == "<unknown>")
        }
    }

    @Test func logicalInstructionText() throws {
        let program = try Program(decoding: [0x18, 0x01, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0,
                                             0x95, 0, 0, 0, 0, 0, 0, 0], byteOrder: .littleEndian)
        let texts = program.instructions.map { LLVMFormatter().text($0) }
        #expect(texts == ["r1 = 0x200000001 ll", "exit"])
        // A wide load cut off by the end of the program.
        let cut = try Program(decoding: [0x18, 0x01, 0, 0, 0x01, 0, 0, 0], byteOrder: .littleEndian,
                              allowTruncatedWideLoad: true)
        #expect(cut.instructions.map { LLVMFormatter().text($0) } == ["<unknown>"])
    }

    /// The whole section layout equals llvm-objdump's, label line included.
    @Test(.enabled(if: ExternalTools.objdump != nil, "needs llvm-objdump (LLVM 21)"), arguments: [ByteOrder.littleEndian, .bigEndian])
    func sectionRenderingMatchesLLVM(byteOrder: ByteOrder) throws {
        let objdump = try #require(ExternalTools.objdump)
        // No jumps or calls: llvm would annotate those with ` <.text+0x..>`.
        var slots: [Instruction] = []
        for k in 0..<1200 {
            slots.append(Instruction(code: [0xb7, 0x61, 0x7b, 0x0f, 0xc3, 0xdc, 0x18, 0x00][k % 8],
                                     registers: UInt8(k % 11) | UInt8((k / 11) % 11) << 4,
                                     offset: Int16(k % 3 == 0 ? -k : k), immediate: Int32(k % 5 == 0 ? 16 : k * 7919)))
        }
        let scratch = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("render.o")
        try Data(TinyELF.object(text: Program(slots: slots).encoded(byteOrder: byteOrder), sectionName: "xdp/prog",
                                byteOrder: byteOrder)).write(to: file)
        let output = String(decoding: try Subprocess.output(objdump, ["-d", "-z", "--no-show-raw-insn", file.path]), as: UTF8.self)
        let start = try #require(output.range(of: "\nDisassembly of section "))
        let llvm = String(output[start.lowerBound...])
        let ours = Disassembler().render(section: "xdp/prog", program: Program(slots: slots), labels: [(0, "xdp/prog")])
        #expect(ours == llvm)
        if ours != llvm {
            let a = ours.split(separator: "\n", omittingEmptySubsequences: false)
            let b = llvm.split(separator: "\n", omittingEmptySubsequences: false)
            for (x, y) in zip(a, b) where x != y { print("ours: \(x)\nllvm: \(y)"); break }
        }
    }

    @Test func labelsInsideAndAfterInstructions() {
        let program = Program(slots: [Instruction(code: 0x18, dst: .r1, immediate: 1), Instruction(code: 0),
                                      Instruction(code: 0x95)])
        let text = Disassembler().render(section: "s", program: program, labels: [(2, "b"), (0, "a"), (1, "mid"), (9, "end")])
        #expect(text == """

            Disassembly of section s:

            0000000000000000 <a>:
                   0:\tr1 = 0x1 ll

            0000000000000008 <mid>:

            0000000000000010 <b>:
                   2:\texit

            0000000000000048 <end>:

            """)
    }

    /// Source lines go after a label and before their instruction; a line
    /// that repeats the previous one is not printed again.
    @Test func sourceLinesAreInterleavedOnce() {
        let program = Program(slots: [.mov(.r1, 1), .mov(.r2, 2), .exit])
        let text = Disassembler().render(section: "s", program: program, labels: [(0, "f")],
                                         sourceLines: [0: "a = 1;", 1: "a = 1;", 2: "return a;"])
        #expect(text == """

            Disassembly of section s:

            0000000000000000 <f>:
            ; a = 1;
                   0:\tr1 = 0x1
                   1:\tr2 = 0x2
            ; return a;
                   2:\texit

            """)
    }

    /// Records: one per instruction, both slots' hex for a wide load, the
    /// first label given for a slot, the source line.
    @Test func recordsCarryLabelsAndSource() {
        let program = Program(slots: Instruction.loadImm64(.r1, 1) + [.exit])
        let records = Disassembler().records(program, labels: [(0, "f"), (0, "alias")], sourceLines: [2: "return;"])
        #expect(records == [
            ListingRecord(index: 0, text: "r1 = 0x1 ll", hex: ["1801000001000000", "0000000000000000"], valid: true,
                          function: "f"),
            ListingRecord(index: 2, text: "exit", hex: ["9500000000000000"], valid: true, source: "return;"),
        ])
    }
}
