import Testing
@testable import BPFInstructions

@Suite struct InstructionTests {
    @Test func slotIsEightBytes() {
        #expect(MemoryLayout<Instruction>.size == 8)
        #expect(MemoryLayout<Instruction>.stride == 8)
    }

    @Test func littleEndianLayout() {
        // r1 = 5 (BPF_ALU64 | BPF_MOV | BPF_K), RFC 9669 section 4.
        let bytes: [UInt8] = [0xb7, 0x01, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00]
        let insn = Instruction(bytes: bytes, at: 0, byteOrder: .littleEndian)
        #expect(insn.code == 0xb7)
        #expect(insn.dst == .r1 && insn.src == .r0)
        #expect(insn.immediate == 5)
        #expect(insn.instructionClass == .alu64)
        #expect(insn.aluOperation == .mov)
        #expect(insn.operandSource == .immediate)
        #expect(insn.encoded() == bytes)
        #expect(insn.hex == "b701000005000000")
        #expect(Instruction(hex: "b701000005000000") == insn)
    }

    @Test func bigEndianSwapsRegisterNibblesAndFields() {
        // if r2 > r3 goto +0x102 in big endian: dst in the high nibble.
        let bytes: [UInt8] = [0x2d, 0x23, 0x01, 0x02, 0x00, 0x00, 0x00, 0x07]
        let insn = Instruction(bytes: bytes, at: 0, byteOrder: .bigEndian)
        #expect(insn.dst == .r2 && insn.src == .r3)
        #expect(insn.offset == 0x102 && insn.immediate == 7)
        #expect(insn.encoded(byteOrder: .bigEndian) == bytes)
        #expect(insn.encoded(byteOrder: .littleEndian) == [0x2d, 0x32, 0x02, 0x01, 0x07, 0x00, 0x00, 0x00])
    }

    @Test func malformedHexIsRejected() {
        #expect(Instruction(hex: "b70100000500000") == nil)
        #expect(Instruction(hex: "b70100000500000g") == nil)
        #expect(Instruction(hex: "") == nil)
    }

    /// The spec's table of references that move, case by case.
    @Test(arguments: [
        (UInt8(0x05), UInt8(0x00), ReferenceField?.some(.offset)),     // ja
        (0x15, 0x00, .some(.offset)),   // jeq K
        (0x1d, 0x00, .some(.offset)),   // jeq X
        (0x16, 0x00, .some(.offset)),   // jmp32 jeq
        (0xe5, 0x00, .some(.offset)),   // may_goto
        (0x0d, 0x00, .some(.offset)),   // gotox
        (0x06, 0x00, .some(.immediate)),  // gotol
        (0x85, 0x10, .some(.immediate)),  // pseudo call (src 1)
        (0x85, 0x00, nil),              // helper call
        (0x85, 0x20, nil),              // kfunc call
        (0x95, 0x00, nil),              // exit
        (0x18, 0x40, .some(.immediate)),  // ld_imm64 pseudo-func (src 4)
        (0x18, 0x10, nil),              // ld_imm64 map fd
        (0x18, 0x00, nil),              // ld_imm64 constant
        (0x00, 0x00, nil),              // second slot
        (0xb7, 0x00, nil),              // mov
        (0x61, 0x00, nil),              // ldxw
    ])
    func referenceFields(code: UInt8, registers: UInt8, expected: ReferenceField?) {
        #expect(Instruction(code: code, registers: registers).referenceField == expected)
    }

    @Test func decodeRejectsTruncatedInput() {
        let ok: [UInt8] = Instruction(code: 0x95).encoded()
        #expect(throws: DecodingError.self) { try Program(decoding: ok + [0x00], byteOrder: .littleEndian) }
        do {
            _ = try Program(decoding: ok + [1, 2, 3], byteOrder: .littleEndian)
            Issue.record("accepted 11 bytes")
        } catch {
            #expect(error.kind == .truncatedSlot)
            #expect(error.location == ByteOffset(8))
        }
        let wideFirst = Instruction(code: 0x18, dst: .r1).encoded()
        do {
            _ = try Program(decoding: ok + wideFirst, byteOrder: .littleEndian)
            Issue.record("accepted a truncated ld_imm64")
        } catch {
            #expect(error.kind == .truncatedWideLoad)
            #expect(error.location == ByteOffset(8))
        }
        #expect((try? Program(decoding: ok + wideFirst, allowTruncatedWideLoad: true))?.count == 2)
    }

    @Test func logicalIterationPairsWideLoads() throws {
        let slots: [Instruction] = [
            Instruction(code: 0x18, dst: .r1, immediate: 1), Instruction(code: 0, immediate: 2),
            Instruction(code: 0x18, dst: .r2), Instruction(code: 0),
            Instruction(code: 0x95),
        ]
        let program = Program(slots: slots)
        let logical = Array(program.instructions)
        #expect(logical.map(\.index) == [0, 2, 4])
        #expect(logical.map(\.slotCount) == [2, 2, 1])
        #expect(logical[0].first.wideImmediate(second: logical[0].second!) == 0x2_0000_0001)
        #expect(program.secondHalfMask() == [false, true, false, true, false])
    }

    @Test func roundTripIsByteIdenticalForEveryCodeByte() throws {
        // Every opcode byte with varied other fields, both byte orders.
        var bytes: [UInt8] = []
        for code in 0...255 {
            bytes += [UInt8(code), UInt8((code * 37) & 0xff), UInt8(code), 0x80, 0xde, 0xad, 0xbe, UInt8(code ^ 0x5a)]
        }
        bytes += [0, 0, 0, 0, 0, 0, 0, 0]   // second half for the final ld_imm64-like slot if any
        for order in [ByteOrder.littleEndian, .bigEndian] {
            let program = try Program(decoding: bytes, byteOrder: order, allowTruncatedWideLoad: true)
            #expect(program.encoded(byteOrder: order) == bytes)
        }
    }

    @Test func slotAndByteOffsetsAreDistinct() {
        #expect(SlotIndex(3).byteOffset == ByteOffset(24))
        #expect(ByteOffset(24).slotIndex == SlotIndex(3))
        #expect(ByteOffset(25).slotIndex == nil)
    }
}
