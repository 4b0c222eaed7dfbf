import BPFInstructions
import BPFKernel
import BPFPatch
import Testing
@testable import BPFKernelOracle

/// Checks that need no kernel: the expected values are derived by hand.
@Suite struct OfflineTests {
    /// Program: 0 r0 = 0; 1–2 ld_imm64; 3 if r0 > 1 goto +1; 4 r0 = 1; 5 exit.
    static let program = Program(slots: [Instruction.mov(.r0, 0)] + Instruction.loadMap(.r1, fd: 3)
                                 + [Instruction.jump(.jgt, .r0, 1, offset: 1), Instruction.mov(.r0, 1), Instruction.exit])

    @Test func nopInsertionAtFullDensityPadsEveryInstructionAndKeepsTargets() throws {
        let insertion = try NopInsertion(program: Self.program, seed: 1, density: 1)
        // Five logical instructions: 0, 1 (ld_imm64), 3, 4, 5.
        #expect(insertion.sites == [0, 1, 3, 4, 5].map { SlotIndex($0) })
        let result = try insertion.patches.apply(to: Self.program)
        let nop = Instruction.ja(0)
        // Hand layout: nop r0=0 nop ld ld nop jgt nop r0=1 nop exit.
        #expect(result.program.slots == [nop, Instruction.mov(.r0, 0), nop] + Instruction.loadMap(.r1, fd: 3)
                + [nop, Instruction.jump(.jgt, .r0, 1, offset: 2), nop, Instruction.mov(.r0, 1), nop, Instruction.exit])
    }

    @Test func nopInsertionAtZeroDensityIsEmpty() throws {
        let insertion = try NopInsertion(program: Self.program, seed: 9, density: 0)
        #expect(insertion.sites.isEmpty)
        #expect(insertion.patches.count == 0)
    }

    @Test func nopInsertionIsReproducibleFromItsSeed() throws {
        let slots = (0..<200).map { Instruction.mov(.r0, Int32($0)) } + [Instruction.exit]
        let program = Program(slots: slots)
        let a = try NopInsertion(program: program, seed: 42, density: 0.3)
        let b = try NopInsertion(program: program, seed: 42, density: 0.3)
        let c = try NopInsertion(program: program, seed: 43, density: 0.3)
        #expect(a.sites == b.sites)
        #expect(a.sites != c.sites)
        // 0.3 of 201 instructions is about 60; far from 0 and from 201.
        #expect((30...90).contains(a.sites.count))
    }

    @Test func patchMapReadsSizesFromRecordDistances() {
        // Records come back for original slots 0, 1, 4, 5 (line = slot) at
        // xlated 0, 3, 5, 6 of 7: by hand, slot 0 grew to 3 slots, the
        // ld_imm64 kept its 2, slot 3 was removed (no record), 4 and 5 kept 1.
        let records = [(0, 0), (1, 3), (4, 5), (5, 6)].map { slot, offset in
            KernelLineInfo(instruction: SlotIndex(offset), fileNameOffset: 0, lineOffset: 0, lineColumn: UInt32(slot) << 10)
        }
        let map = KernelPatchMap(original: Self.program, xlatedCount: 7, lineInfo: records)
        #expect(map.sites.map(\.slot) == [0, 1, 3, 4, 5].map { SlotIndex($0) })
        #expect(map.sites.map(\.width) == [1, 2, 1, 1, 1])
        #expect(map.sites.map(\.xlated) == [0..<3, 3..<5, 5..<5, 5..<6, 6..<7])
        #expect(map.unmappedRecords == 0)
    }

    @Test func patchMapCountsRecordsNamingSecondHalvesAsUnmapped() {
        // Line 2 names the second slot of the ld_imm64: not an instruction.
        let records = [(0, 0), (2, 1), (1, 2)].map { slot, offset in
            KernelLineInfo(instruction: SlotIndex(offset), fileNameOffset: 0, lineOffset: 0, lineColumn: UInt32(slot) << 10)
        }
        let map = KernelPatchMap(original: Self.program, xlatedCount: 6, lineInfo: records)
        #expect(map.unmappedRecords == 1)
        #expect(map.sites[1].xlated == 2..<6)
    }

    @Test func inPlaceKindsSeparateRewritesFromMovedJumps() {
        #expect(InPlaceRewrite.kind(original: [Instruction.jump(.jgt, .r0, 1, offset: 1)], xlated: [Instruction.jump(.jgt, .r0, 1, offset: 7)]) == nil)
        #expect(InPlaceRewrite.kind(original: [Instruction.call(helper: HelperID(rawValue: 7))], xlated: [Instruction.call(helper: HelperID(rawValue: 0x1234))]) == "helper call")
        #expect(InPlaceRewrite.kind(original: Instruction.loadMap(.r1, fd: 3), xlated: Instruction.loadMap(.r1, fd: 99)) == "map load")
        #expect(InPlaceRewrite.kind(original: [Instruction.mov(.r0, 1)], xlated: [Instruction.mov(.r0, 2)]) == "other")
        #expect(InPlaceRewrite.kind(original: [Instruction.mov(.r0, 1)], xlated: [Instruction.mov(.r0, 1)]) == nil)
    }

    @Test func rebuiltBatchAgreesWithAHandDerivedKernelLayout() {
        // Original: 0 if r0 > 1 goto +2 (→ 3); 1 r0 /= r1; 2 r0 = 1; 3 exit.
        // A "kernel" that guards the division with two slots (a local jump
        // over one slot, like a div-by-zero guard) and a jump to the exit
        // that leaves the slice. By hand: site 1 → xlated 1..<4, site 2 → 4,
        // site 3 → 5; the kept jump at 0 must become +4 (0 + 4 + 1 = 5).
        let original = Program(slots: [Instruction.jump(.jgt, .r0, 1, offset: 2), Instruction.alu(.div, .r0, .r1), Instruction.mov(.r0, 1), Instruction.exit])
        let xlated = Program(slots: [
            Instruction.jump(.jgt, .r0, 1, offset: 4),
            Instruction.jump(.jne, .r1, 0, offset: 1),  // if r1 != 0 goto +1 (inside the slice)
            Instruction.ja(2),                                     // goto exit at 5: leaves the slice
            Instruction.alu(.div, .r0, .r1),
            Instruction.mov(.r0, 1),
            Instruction.exit,
        ])
        let records = [(0, 0), (1, 1), (2, 4), (3, 5)].map { slot, offset in
            KernelLineInfo(instruction: SlotIndex(offset), fileNameOffset: 0, lineOffset: 0, lineColumn: UInt32(slot) << 10)
        }
        let map = KernelPatchMap(original: original, xlatedCount: xlated.count, lineInfo: records)
        let check = RebuiltBatch.check(map, original: original, xlated: xlated, isJITed: false)
        #expect(check.engineError == nil)
        #expect(check.agree == 1 && check.disagree == 0)
        #expect(check.sliceExitsAgree == 1 && check.sliceExitsDisagree == 0)
        #expect(check.positionsAgree == 4 && check.positionsDisagree == 0)
        #expect(check.programIdentical)
    }

    @Test func rebuiltBatchNoticesAWrongKernelDisplacement() {
        // Same as above, but the "kernel" left the jump at 0 pointing one
        // slot short: the check must disagree.
        let original = Program(slots: [Instruction.jump(.jgt, .r0, 1, offset: 2), Instruction.alu(.div, .r0, .r1), Instruction.mov(.r0, 1), Instruction.exit])
        let xlated = Program(slots: [Instruction.jump(.jgt, .r0, 1, offset: 3), Instruction.jump(.jne, .r1, 0, offset: 1), Instruction.ja(2),
                                     Instruction.alu(.div, .r0, .r1), Instruction.mov(.r0, 1), Instruction.exit])
        let records = [(0, 0), (1, 1), (2, 4), (3, 5)].map { slot, offset in
            KernelLineInfo(instruction: SlotIndex(offset), fileNameOffset: 0, lineOffset: 0, lineColumn: UInt32(slot) << 10)
        }
        let map = KernelPatchMap(original: original, xlatedCount: xlated.count, lineInfo: records)
        let check = RebuiltBatch.check(map, original: original, xlated: xlated, isJITed: false)
        #expect(check.disagree == 1)
        #expect(!check.programIdentical)
    }

    @Test func testPacketsCarryAValidIPv4Header() {
        let packet = TestPackets.packet(size: 64, seed: 3)
        #expect(packet.count == 64)
        #expect(packet[12] == 0x08 && packet[13] == 0x00 && packet[14] == 0x45)
        #expect(Int(packet[16]) << 8 | Int(packet[17]) == 50)  // IPv4 total length = 64 − 14
        // RFC 1071: the one's-complement sum over a valid header is 0xffff.
        var sum: UInt32 = 0
        for i in stride(from: 14, to: 34, by: 2) { sum += UInt32(packet[i]) << 8 | UInt32(packet[i + 1]) }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        #expect(sum == 0xffff)
        #expect(TestPackets.packet(size: 64, seed: 3) == packet)
    }

    @Test func minimalBTFHasOneFunctionPerSubprogram() {
        let (table, functions) = SyntheticLineInfo.minimalBTF(functionCount: 3)
        #expect(functions == [3, 4, 5])  // int = 1, proto = 2, then the FUNCs
        #expect(table.types.map(\.kind) == [.int, .functionPrototype, .function, .function, .function])
        #expect(table.name(of: 4) == "f1")
    }

    @Test func subprogramStartsFollowPseudoCalls() {
        // 0 call +2 (pseudo, → 3); 1 r0 = 0; 2 exit; 3 r0 = 1; 4 exit.
        let program = Program(slots: [Instruction.call(relative: 2), Instruction.mov(.r0, 0), Instruction.exit,
                                      Instruction.mov(.r0, 1), Instruction.exit])
        #expect(SyntheticLineInfo.subprogramStarts(of: program) == [0, 3].map { SlotIndex($0) })
    }
}
