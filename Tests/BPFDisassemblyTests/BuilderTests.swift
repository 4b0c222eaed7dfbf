import BPFDisassembly
import BPFInstructions
import BPFTestSupport
import Foundation
import Testing

/// Every instruction builder: its slots encode to bytes derived by hand from
/// RFC 9669's opcode table (class | source | operation, registers `src<<4 |
/// dst`, `off` and `imm` little-endian), decode back to the same slots, and
/// print the text llvm-objdump 21 prints for those bytes. The texts were
/// written by hand from llvm's BPF syntax (hex immediates; `w` registers for
/// 32-bit ALU and for the u8/u16/u32 loads and register stores, which llvm
/// prints in their alu32 spelling; `ld_pseudo` for a wide load with a
/// pseudo kind), and `assemblerAgrees` below checks them against clang's
/// assembler.
@Suite struct BuilderTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var slots: [Instruction]
        var hex: [String]
        var text: String
        var testDescription: String { text }
        init(_ slots: [Instruction], _ hex: [String], _ text: String) {
            self.slots = slots
            self.hex = hex
            self.text = text
        }
        init(_ slot: Instruction, _ hex: String, _ text: String) { self.init([slot], [hex], text) }
    }

    static let cases: [Case] = [
        // Moves and arithmetic: ALU64 = 0x07, ALU = 0x04, X = 0x08, op in the high nibble.
        Case(.mov(.r1, 5), "b701000005000000", "r1 = 0x5"),
        Case(.mov(.r1, .r2), "bf21000000000000", "r1 = r2"),
        Case(.mov32(.r1, -1), "b4010000ffffffff", "w1 = -0x1"),
        Case(.mov32(.r3, .r4), "bc43000000000000", "w3 = w4"),
        Case(.alu(.add, .r1, 5), "0701000005000000", "r1 += 0x5"),
        Case(.alu(.sub, .r1, .r2), "1f21000000000000", "r1 -= r2"),
        Case(.alu32(.mul, .r2, 3), "2402000003000000", "w2 *= 0x3"),
        Case(.alu32(.xor, .r2, .r3), "ac32000000000000", "w2 ^= w3"),
        Case(.alu(.arsh, .r4, 7), "c704000007000000", "r4 s>>= 0x7"),
        Case(.alu(.lsh, .r4, .r5), "6f54000000000000", "r4 <<= r5"),
        Case(.alu32(.rsh, .r0, 1), "7400000001000000", "w0 >>= 0x1"),
        Case(.alu(.and, .r1, 0xff), "57010000ff000000", "r1 &= 0xff"),
        Case(.alu(.or, .r1, .r2), "4f21000000000000", "r1 |= r2"),
        Case(.alu(.div, .r1, 10), "370100000a000000", "r1 /= 0xa"),
        Case(.alu32(.mod, .r1, .r2), "9c21000000000000", "w1 %= w2"),
        Case(.neg(.r1), "8701000000000000", "r1 = -r1"),
        Case(.neg32(.r2), "8402000000000000", "w2 = -w2"),
        // ISA v4: signed div/mod have off = 1; movsx has off = 8/16/32.
        Case(.sdiv(.r1, 3), "3701010003000000", "r1 s/= 0x3"),
        Case(.sdiv(.r1, .r2), "3f21010000000000", "r1 s/= r2"),
        Case(.sdiv32(.r1, .r2), "3c21010000000000", "w1 s/= w2"),
        Case(.sdiv32(.r1, 7), "3401010007000000", "w1 s/= 0x7"),
        Case(.smod(.r3, .r4), "9f43010000000000", "r3 s%= r4"),
        Case(.smod(.r3, 2), "9703010002000000", "r3 s%= 0x2"),
        Case(.smod32(.r3, 5), "9403010005000000", "w3 s%= 0x5"),
        Case(.smod32(.r3, .r4), "9c43010000000000", "w3 s%= w4"),
        Case(.movsx(.r1, .r2, from: .byte), "bf21080000000000", "r1 = (s8)r2"),
        Case(.movsx(.r1, .r2, from: .halfWord), "bf21100000000000", "r1 = (s16)r2"),
        Case(.movsx(.r1, .r2, from: .word), "bf21200000000000", "r1 = (s32)r2"),
        Case(.movsx32(.r1, .r2, from: .halfWord), "bc21100000000000", "w1 = (s16)w2"),
        Case(.movsx32(.r1, .r2, from: .byte), "bc21080000000000", "w1 = (s8)w2"),
        // Byte order: ALU | END = 0xd4 (to little), 0xdc (to big); ALU64 | END = 0xd7 (bswap).
        Case(.endian(.little, .r1, bits: 16), "d401000010000000", "r1 = le16 r1"),
        Case(.endian(.big, .r1, bits: 32), "dc01000020000000", "r1 = be32 r1"),
        Case(.endian(.big, .r3, bits: 64), "dc03000040000000", "r3 = be64 r3"),
        Case(.bswap(.r2, bits: 64), "d702000040000000", "r2 = bswap64 r2"),
        Case(.bswap(.r2, bits: 16), "d702000010000000", "r2 = bswap16 r2"),
        // Jumps: JMP = 0x05, JMP32 = 0x06.
        Case(.jump(.jne, .r1, 0, offset: 3), "5501030000000000", "if r1 != 0x0 goto +0x3"),
        Case(.jump(.jsgt, .r1, .r2, offset: -2), "6d21feff00000000", "if r1 s> r2 goto -0x2"),
        Case(.jump(.jset, .r1, .r2, offset: 0), "4d21000000000000", "if r1 & r2 goto +0x0"),
        Case(.jump(.jge, .r1, 5, offset: 1), "3501010005000000", "if r1 >= 0x5 goto +0x1"),
        Case(.jump(.jsle, .r1, -1, offset: 2), "d5010200ffffffff", "if r1 s<= -0x1 goto +0x2"),
        Case(.jump(.jeq, .r9, 7, offset: 1), "1509010007000000", "if r9 == 0x7 goto +0x1"),
        Case(.jump32(.jlt, .r1, 3, offset: 1), "a601010003000000", "if w1 < 0x3 goto +0x1"),
        Case(.jump32(.jeq, .r1, .r3, offset: 0), "1e31000000000000", "if w1 == w3 goto +0x0"),
        Case(.jump32(.jslt, .r1, 5, offset: 1), "c601010005000000", "if w1 s< 0x5 goto +0x1"),
        Case(.ja(1), "0500010000000000", "goto +0x1"),
        Case(.ja(-1), "0500ffff00000000", "goto -0x1"),
        Case(.gotol(1), "0600000001000000", "gotol +0x1"),
        Case(.gotol(-70000), "0600000090eefeff", "gotol -0x11170"),
        Case(.mayGoto(1), "e500010000000000", "may_goto +0x1"),
        Case(.call(helper: .mapLookupElem), "8500000001000000", "call 0x1"),
        Case(.call(helper: .tailCall), "850000000c000000", "call 0xc"),
        Case(.call(relative: -5), "85100000fbffffff", "call -0x5"),
        Case(.call(kfunc: 1234), "85200000d2040000", "call 0x4d2"),
        Case(.exit, "9500000000000000", "exit"),
        // ld_imm64: LD | IMM | DW = 0x18; the kind goes to src_reg; the second slot has code 0.
        Case(Instruction.loadImm64(.r1, 0x2_0000_0001), ["1801000001000000", "0000000002000000"], "r1 = 0x200000001 ll"),
        Case(Instruction.loadImm64(.r0, UInt64.max), ["18000000ffffffff", "00000000ffffffff"], "r0 = -0x1 ll"),
        Case(Instruction.loadMap(.r1, fd: 3), ["1811000003000000", "0000000000000000"], "ld_pseudo\tr1, 0x1, 0x3"),
        Case(Instruction.loadMapValue(.r2, fd: 3, offset: 8), ["1822000003000000", "0000000008000000"], "ld_pseudo\tr2, 0x2, 0x3"),
        Case(Instruction.loadFunction(.r2, relative: 4), ["1842000004000000", "0000000000000000"], "ld_pseudo\tr2, 0x4, 0x4"),
        // Memory: LDX = 0x01, ST = 0x02, STX = 0x03; MEM = 0x60, MEMSX = 0x80; W 0x00, H 0x08, B 0x10, DW 0x18.
        Case(.load(.word, .r0, .r1, offset: 4), "6110040000000000", "w0 = *(u32 *)(r1 + 0x4)"),
        Case(.load(.doubleWord, .r1, .r2, offset: 8), "7921080000000000", "r1 = *(u64 *)(r2 + 0x8)"),
        Case(.load(.byte, .r1, .r2, offset: -1), "7121ffff00000000", "w1 = *(u8 *)(r2 - 0x1)"),
        Case(.load(.halfWord, .r1, .r2, offset: 2), "6921020000000000", "w1 = *(u16 *)(r2 + 0x2)"),
        Case(.loadSignExtending(.word, .r1, .r2, offset: -8), "8121f8ff00000000", "r1 = *(s32 *)(r2 - 0x8)"),
        Case(.loadSignExtending(.halfWord, .r1, .r2), "8921000000000000", "r1 = *(s16 *)(r2 + 0x0)"),
        Case(.loadSignExtending(.byte, .r1, .r2), "9121000000000000", "r1 = *(s8 *)(r2 + 0x0)"),
        Case(.store(.doubleWord, .r10, offset: -8, .r1), "7b1af8ff00000000", "*(u64 *)(r10 - 0x8) = r1"),
        Case(.store(.word, .r1, .r2), "6321000000000000", "*(u32 *)(r1 + 0x0) = w2"),
        Case(.store(.byte, .r1, offset: 1, .r2), "7321010000000000", "*(u8 *)(r1 + 0x1) = w2"),
        Case(.store(.halfWord, .r10, offset: -4, 7), "6a0afcff07000000", "*(u16 *)(r10 - 0x4) = 0x7"),
        Case(.store(.doubleWord, .r10, offset: -16, -1), "7a0af0ffffffffff", "*(u64 *)(r10 - 0x10) = -0x1"),
        // Legacy packet loads: LD | ABS = 0x20, LD | IND = 0x40 (llvm prints no offset for IND).
        Case(.loadPacket(.byte, offset: 0x17), "3000000017000000", "r0 = *(u8 *)skb[0x17]"),
        Case(.loadPacket(.word, .r3), "4030000000000000", "r0 = *(u32 *)skb[r3]"),
        // Atomics: STX | ATOMIC = 0xc3 (W), 0xdb (DW); the operation in imm, BPF_FETCH = 0x01.
        Case(.atomic(.add, .doubleWord, .r1, offset: 8, .r2), "db21080000000000", "lock *(u64 *)(r1 + 0x8) += r2"),
        Case(.atomic(.add, .word, .r1, .r2), "c321000000000000", "lock *(u32 *)(r1 + 0x0) += w2"),
        Case(.atomic(.add.fetching, .word, .r1, .r2), "c321000001000000", "w2 = atomic_fetch_add((u32 *)(r1 + 0x0), w2)"),
        Case(.atomic(.or.fetching, .doubleWord, .r1, .r2), "db21000041000000", "r2 = atomic_fetch_or((u64 *)(r1 + 0x0), r2)"),
        Case(.atomic(.xor, .doubleWord, .r1, offset: 8, .r2), "db210800a0000000", "lock *(u64 *)(r1 + 0x8) ^= r2"),
        Case(.atomic(.and, .word, .r1, .r2), "c321000050000000", "lock *(u32 *)(r1 + 0x0) &= w2"),
        Case(.atomic(.and.fetching, .doubleWord, .r1, .r2), "db21000051000000", "r2 = atomic_fetch_and((u64 *)(r1 + 0x0), r2)"),
        Case(.atomic(.xor.fetching, .word, .r1, .r2), "c3210000a1000000", "w2 = atomic_fetch_xor((u32 *)(r1 + 0x0), w2)"),
        Case(.atomic(.xchg, .doubleWord, .r1, .r2), "db210000e1000000", "r2 = xchg_64(r1 + 0x0, r2)"),
        Case(.atomic(.cmpxchg, .doubleWord, .r1, .r2), "db210000f1000000", "r0 = cmpxchg_64(r1 + 0x0, r0, r2)"),
        Case(.atomic(.xchg, .word, .r1, .r2), "c3210000e1000000", "w2 = xchg32_32(r1 + 0x0, w2)"),
        Case(.atomic(.cmpxchg, .word, .r1, .r2), "c3210000f1000000", "w0 = cmpxchg32_32(r1 + 0x0, w0, w2)"),
        // Load-acquire / store-release: BPF_LOAD_ACQ = 0x100, BPF_STORE_REL = 0x110 in imm; B = 0xd3, W = 0xc3, DW = 0xdb.
        Case(.loadAcquire(.byte, .r1, .r2), "d321000000010000", "w1 = load_acquire((u8 *)(r2 + 0x0))"),
        Case(.loadAcquire(.doubleWord, .r1, .r2, offset: 8), "db21080000010000", "r1 = load_acquire((u64 *)(r2 + 0x8))"),
        Case(.storeRelease(.word, .r1, offset: 4, .r2), "c321040010010000", "store_release((u32 *)(r1 + 0x4), w2)"),
    ]

    @Test(arguments: cases)
    func encodesDecodesAndPrints(_ c: Case) throws {
        #expect(c.slots.map(\.hex) == c.hex, "encoding")
        // Through the byte encoder and the program decoder and back.
        let bytes = Program(slots: c.slots).encoded(byteOrder: .littleEndian)
        #expect(try Program(decoding: bytes, byteOrder: .littleEndian).slots == c.slots)
        let bigEndian = Program(slots: c.slots).encoded(byteOrder: .bigEndian)
        #expect(try Program(decoding: bigEndian, byteOrder: .bigEndian).slots == c.slots)
        // One logical instruction, printed in llvm's syntax.
        let lines = Disassembler().lines(Program(slots: c.slots))
        try #require(lines.count == 1)
        #expect(lines[0].slotCount == c.slots.count)
        #expect(lines[0].isValid)
        #expect(lines[0].text == c.text)
    }

    /// The builders name the operation their opcode fields carry.
    @Test func typedViewsAgree() {
        #expect(Instruction.alu32(.xor, .r2, .r3).instructionClass == .alu)
        #expect(Instruction.alu32(.xor, .r2, .r3).aluOperation == .xor)
        #expect(Instruction.alu(.xor, .r2, .r3).operandSource == .register)
        #expect(Instruction.jump32(.jslt, .r1, 5, offset: 1).jumpOperation == .jslt)
        #expect(Instruction.jump32(.jslt, .r1, 5, offset: 1).instructionClass == .jmp32)
        #expect(Instruction.exit.isExit)
        #expect(Instruction.call(relative: 3).callKind == .pseudoCall)
        #expect(Instruction.call(relative: 3).referenceField == .immediate)
        #expect(Instruction.call(kfunc: 3).callKind == .kfunc)
        #expect(Instruction.call(helper: .ktimeGetNs).referenceField == nil)
        #expect(Instruction.gotol(9).referenceField == .immediate)
        #expect(Instruction.ja(9).referenceField == .offset)
        #expect(Instruction.mayGoto(9).referenceField == .offset)
        #expect(Instruction.loadFunction(.r1, relative: 2)[0].referenceField == .immediate)
        #expect(Instruction.loadFunction(.r1, relative: 2)[0].loadImmediateKind == .function)
        #expect(Instruction.loadMap(.r1, fd: 2)[0].referenceField == nil)
        #expect(Instruction.loadImm64(.r1, 0x1_0000_0002)[0].wideImmediate(second: Instruction.loadImm64(.r1, 0x1_0000_0002)[1])
                == 0x1_0000_0002)
        #expect(Instruction.load(.halfWord, .r1, .r2).accessSize == .halfWord)
        #expect(Instruction.loadSignExtending(.byte, .r1, .r2).accessMode == .memsx)
        #expect(Instruction.atomic(.cmpxchg, .word, .r1, .r2).atomicOperation == .cmpxchg)
        #expect(AtomicOperation.add.fetching.fetches && !AtomicOperation.add.fetches)
        #expect(Instruction.call(kfunc: 7, module: 2).offset == 2)
    }

    /// The program builder concatenates statements, wide loads as two
    /// slots, with `if` and `for`; the same program written as an array.
    @Test func programBuilderConcatenates() {
        let withMap = true
        let built = Program {
            Instruction.mov(.r0, 0)
            Instruction.loadMap(.r1, fd: 3)
            if withMap { Instruction.call(helper: .mapLookupElem) } else { Instruction.mov(.r0, 1) }
            for k in 1...2 { Instruction.alu(.add, .r0, Int32(k)) }
            Instruction.exit
        }
        let written = Program(slots: [.mov(.r0, 0)] + Instruction.loadMap(.r1, fd: 3)
                              + [.call(helper: .mapLookupElem), .alu(.add, .r0, 1), .alu(.add, .r0, 2), .exit])
        #expect(built == written)
        #expect(built.count == 7)
        #expect(built.slots.map(\.hex) == ["b700000000000000", "1811000003000000", "0000000000000000", "8500000001000000",
                                           "0700000001000000", "0700000002000000", "9500000000000000"])
    }

    /// clang's BPF assembler turns each expected text back into the bytes
    /// the builder made: an oracle independent of our formatter. The wide
    /// loads with a pseudo kind are left out (llvm prints `ld_pseudo` but
    /// does not assemble it), and so are the calls, whose `src_reg` the
    /// text does not show, and a `gotol` beyond 16 bits (clang 21's
    /// assembler accepts only 16-bit `gotol` operands).
    @Test(.enabled(if: ExternalTools.clang != nil && ExternalTools.objcopy != nil, "needs the toolchain's clang and llvm-objcopy"))
    func assemblerAgrees() throws {
        let checked = Self.cases.filter {
            !$0.text.hasPrefix("ld_pseudo") && !$0.text.hasPrefix("call")
                && !($0.text.hasPrefix("gotol") && Int16(exactly: $0.slots[0].immediate) == nil)
        }
        let scratch = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let source = scratch.appendingPathComponent("builders.s")
        let object = scratch.appendingPathComponent("builders.o")
        try checked.map { $0.text.replacingOccurrences(of: "\t", with: " ") + "\n" }.joined()
            .write(to: source, atomically: true, encoding: .utf8)
        _ = try Subprocess.output(ExternalTools.clang!, ["-target", "bpf", "-mcpu=v4", "-c", source.path, "-o", object.path])
        _ = try Subprocess.output(ExternalTools.objcopy!, ["-O", "binary", "--only-section=.text", object.path,
                                                   scratch.appendingPathComponent("text.bin").path])
        let bytes = try [UInt8](Data(contentsOf: scratch.appendingPathComponent("text.bin")))
        let expected = checked.flatMap(\.slots)
        #expect(checked.count == 80)
        #expect(try Program(decoding: bytes, byteOrder: .littleEndian).slots == expected)
    }
}
