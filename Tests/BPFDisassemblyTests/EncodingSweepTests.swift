import BPFDisassembly
import BPFInstructions
import BPFTestSupport
import Foundation
import Testing

/// Exhaustive sweeps over the encoding space, each compared with
/// llvm-objdump's reading of the same slots wrapped in a tiny EM_BPF object.
@Suite struct EncodingSweepTests {
    /// Register pairs (dst, src): ordinary, frame pointer, r11 (llvm accepts
    /// it), and the invalid nibbles 12 and 15 in either position.
    static let registerPairs: [(UInt8, UInt8)] = [(1, 2), (10, 0), (11, 11), (12, 3), (3, 12), (15, 15)]
    /// Offsets: zero, the sdiv/addr_space_cast marker 1, the movsx widths, extremes.
    static let offsets: [Int16] = [0, 1, -1, 8, 16, 32, -8, .max, .min]
    /// Immediates: zero, small, the byte-swap widths, extremes, an atomic ordering value.
    static let immediates: [Int32] = [0, 1, -1, 16, 32, 64, .max, .min, 0x100]

    /// Every opcode byte except `ld_imm64` × registers × offsets × immediates.
    static func singleSlotSweep() -> [Instruction] {
        var slots: [Instruction] = []
        for code in 0...255 where code != 0x18 {
            for (dst, src) in registerPairs {
                for offset in offsets {
                    for immediate in immediates {
                        slots.append(Instruction(code: UInt8(code), registers: dst | src << 4, offset: offset, immediate: immediate))
                    }
                }
            }
        }
        return slots
    }

    /// Every store-class opcode with atomic-like modes × imm 0…0x3ff and high bits.
    static func atomicSweep() -> [Instruction] {
        var slots: [Instruction] = []
        let immediates = Array(0...0x3ff) + [0x1000, 0x1_0000, 0x100_0000, -1, Int(Int32.min), 0x1e1, 0x2f1, 0x1101]
        for code: UInt8 in [0xc3, 0xcb, 0xd3, 0xdb, 0xe3, 0xeb, 0xf3, 0xfb, 0xc2, 0xda] {
            for immediate in immediates {
                for (dst, src, offset) in [(UInt8(1), UInt8(2), Int16(-8)), (0, 10, 0x7fff), (12, 1, 0), (1, 12, 0)] {
                    slots.append(Instruction(code: code, registers: dst | src << 4, offset: offset, immediate: Int32(truncatingIfNeeded: immediate)))
                }
            }
        }
        return slots
    }

    /// `ld_imm64` with every src kind, several values, broken offsets and
    /// registers, and second slots with non-zero reserved fields.
    static func wideLoadSweep() -> [Instruction] {
        var slots: [Instruction] = []
        let seconds = [Instruction(code: 0, immediate: 0x7), Instruction(code: 0, immediate: -1),
                       Instruction(code: 0x18, immediate: 0), Instruction(code: 0xff, registers: 0xff, offset: -1, immediate: 5),
                       Instruction(code: 0x95), Instruction(code: 0, registers: 0x21, offset: 3, immediate: Int32.min)]
        for src: UInt8 in 0...15 {
            for dst: UInt8 in [0, 1, 10, 11, 12, 15] {
                for offset: Int16 in [0, 1, -1] {
                    for first: Int32 in [0, -1, 0x1234_5678, Int32.min] {
                        for second in seconds {
                            slots.append(Instruction(code: 0x18, registers: dst | src << 4, offset: offset, immediate: first))
                            slots.append(second)
                            slots.append(Instruction(code: 0xb7, dst: .r1, immediate: 1))
                        }
                    }
                }
            }
        }
        // A wide load cut off by the end of the section.
        slots.append(Instruction(code: 0x18, dst: .r1, immediate: 5))
        return slots
    }

    static let needsObjdump = Testing.ConditionTrait.enabled(if: ExternalTools.objdump != nil, "needs llvm-objdump (LLVM 21)")

    static func compareWithLLVM(_ slots: [Instruction], byteOrder: ByteOrder, name: String) throws -> Comparison {
        let objdump = try #require(ExternalTools.objdump)
        let scratch = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("sweep.o")
        let object = TinyELF.object(text: Program(slots: slots).encoded(byteOrder: byteOrder), byteOrder: byteOrder)
        try Data(object).write(to: file)
        // -z: llvm would otherwise skip runs of zero bytes instead of decoding them.
        let output = try Subprocess.output(objdump, ["-d", "-z", "--no-show-raw-insn", file.path])
        let listing = ObjdumpListing(String(decoding: output, as: UTF8.self))
        var comparison = Comparison()
        guard let section = listing.sections.first else {
            comparison.mismatches.append("\(name): llvm listed no section")
            return comparison
        }
        comparison.compare(name, expected: section.lines, slots: slots)
        let valid = Disassembler().lines(slots).filter(\.isValid).count
        print("\(name) (\(byteOrder == .littleEndian ? "LE" : "BE")): \(slots.count) slots, \(comparison.instructions) lines compared (\(valid) decodable), \(comparison.mismatches.count) mismatches")
        for mismatch in comparison.mismatches.prefix(30) { print("  mismatch: \(mismatch)") }
        return comparison
    }

    @Test(needsObjdump, arguments: [ByteOrder.littleEndian, .bigEndian])
    func everyOpcodeMatchesLLVM(byteOrder: ByteOrder) throws {
        let result = try Self.compareWithLLVM(Self.singleSlotSweep(), byteOrder: byteOrder, name: "opcode sweep")
        #expect(result.instructions > 100_000)
        #expect(result.mismatches.isEmpty)
    }

    @Test(needsObjdump, arguments: [ByteOrder.littleEndian, .bigEndian])
    func atomicsMatchLLVM(byteOrder: ByteOrder) throws {
        let result = try Self.compareWithLLVM(Self.atomicSweep(), byteOrder: byteOrder, name: "atomic sweep")
        #expect(result.instructions > 0)
        #expect(result.mismatches.isEmpty)
    }

    @Test(needsObjdump, arguments: [ByteOrder.littleEndian, .bigEndian])
    func wideLoadsMatchLLVM(byteOrder: ByteOrder) throws {
        let result = try Self.compareWithLLVM(Self.wideLoadSweep(), byteOrder: byteOrder, name: "ld_imm64 sweep")
        #expect(result.instructions > 0)
        #expect(result.mismatches.isEmpty)
    }
}
