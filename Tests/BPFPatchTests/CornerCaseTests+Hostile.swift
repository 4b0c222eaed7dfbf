import BPFInstructions
import BPFPatch
import Testing

/// Values from a file may be anything: sites and counts near the ends of
/// `Int`, programs and results over the size limit. Both engines refuse
/// them with a typed error, never a trap.
extension CornerCaseTests {
    @Test("sites and removal counts near Int.max and Int.min are refused, not trapped on")
    func extremeSitesAndCounts() {
        let program = [mov(0), mov(1), mov(2), S.exit]
        for site in [Int.max, Int.max - 1, Int.min, -1] {
            var replace = PatchSet()
            replace.replace(SlotIndex(site), with: [mov(9)])
            expectRejected(program, replace, kind: .siteOutOfRange, patch: 0, slot: SlotIndex(site))
            var remove = PatchSet()
            remove.remove(SlotIndex(site), count: Int.max)
            expectRejected(program, remove, kind: .siteOutOfRange, patch: 0, slot: SlotIndex(site))
        }
        // A huge count at a valid site; two of them (their sum overflows Int).
        var huge = PatchSet()
        huge.remove(1, count: Int.max)
        huge.remove(2, count: Int.max)
        expectRejected(program, huge, kind: .siteOutOfRange, patch: 0, slot: 1)
        // The error's message is built without adding site and count.
        do {
            _ = try huge.apply(to: Program(slots: program))
        } catch {
            #expect(error.description.contains("\(Int.max) slots from slot 1"))
        }
        // The conveniences too.
        var insert = PatchSet()
        #expect(throws: PatchError.self) { try insert.insert([mov(1)], before: SlotIndex(Int.max), in: Program(slots: program)) }
        #expect(throws: PatchError.self) { try insert.insert([mov(1)], after: SlotIndex(Int.min), in: Program(slots: program)) }
    }

    @Test("programs and results over the size limit are refused by both engines")
    func sizeLimit() {
        let program = [mov(0), mov(1), mov(2), S.exit]
        var options = PatchOptions()
        options.maximumSlotCount = 3
        expectRejected(program, PatchSet(), options: options, kind: .programTooLarge)
        // 4 slots allowed, the result would have 4 + 2 = 6.
        options.maximumSlotCount = 5
        var grow = PatchSet()
        grow.replace(1, with: [mov(10), mov(11), mov(12)])
        expectRejected(program, grow, options: options, kind: .programTooLarge)
        // Exactly at the limit is fine: 4 + 1 = 5.
        var fits = PatchSet()
        fits.replace(1, with: [mov(10), mov(11)])
        expectPatched(program, fits, options: options, slots: [mov(0), mov(10), mov(11), mov(2), S.exit])
        // The default limit is 2^24 slots.
        #expect(PatchOptions().maximumSlotCount == 1 << 24)
        // A patch both out of range and over the limit: its site is judged
        // first (the model's order), so both name the site.
        var both = PatchSet()
        both.replace(7, with: (0..<6).map { mov(Int32(20 + $0)) })
        expectRejected(program, both, options: options, kind: .siteOutOfRange, patch: 0, slot: 7)
    }
}

extension CornerCaseTests {
    /// The packed table the engine's hot loop classifies with, against the
    /// spec's table of "references that move" read literally (codes as the
    /// spec writes them): every code and source register.
    @Test("referenceTable agrees with the spec on every code and src")
    func referenceTableAgreesWithTheSpec() {
        var checked = 0
        for code in 0...255 {
            let entry = Instruction.referenceTable[code]
            for src in 0...15 {
                let cls = code & 0x07, op = code & 0xf0
                let expected: ReferenceField?
                if cls == 0x05 || cls == 0x06 {
                    if op == 0x80 { expected = src == 1 ? .immediate : nil }   // pseudo call only
                    else if op == 0x90 { expected = nil }                      // exit
                    else { expected = code == 0x06 ? .immediate : .offset }    // gotol, else every jump
                } else {
                    expected = code == 0x18 && src == 4 ? .immediate : nil     // pseudo-func ld_imm64
                }
                let isReference = (entry >> UInt32(src)) & 1 == 1
                let isImmediate = (entry >> UInt32(Instruction.referenceTableImmediateBit)) & 1 == 1
                let decoded: ReferenceField? = isReference ? (isImmediate ? .immediate : .offset) : nil
                #expect(decoded == expected, "code \(code) src \(src)")
                let insn = Instruction(code: UInt8(code), registers: UInt8(src << 4 | 3))
                #expect(insn.referenceField == expected)
                #expect(insn.hasReference == (expected != nil))
                checked += 1
            }
        }
        #expect(checked == 4_096)
    }
}
