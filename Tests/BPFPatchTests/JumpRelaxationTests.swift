import BPFInstructions
import BPFPatch
import Testing

/// `PatchOptions.relaxJumps` (not kernel behaviour): an original 16-bit jump
/// that no longer fits becomes `gotol`, or a negated condition around a
/// `gotol`, until nothing overflows; every other check stays exact.
/// Expected values derived by hand; where the relaxed batch is also a plain
/// batch the kernel would accept, it is checked against the sequential
/// model applied to the relaxation patches written out by hand.
@Suite("Jump relaxation")
struct JumpRelaxationTests {
    typealias S = Slots
    func mov(_ k: Int32) -> Instruction { S.mov(k) }
    var relax: PatchOptions { PatchOptions(relaxJumps: true) }

    /// n slots of `mov i`, the last one `exit`, with `jumps` placed.
    func program(_ n: Int, _ jumps: [Int: Instruction]) -> Program {
        var slots = (0..<n).map { mov(Int32($0)) }
        slots[n - 1] = S.exit
        for (at, jump) in jumps { slots[at] = jump }
        return Program(slots: slots)
    }

    /// Replacement of `count` slots (Δ = count − 1).
    func growth(_ count: Int) -> [Instruction] { (0..<count).map { mov(-1 - Int32($0)) } }

    @Test("a backward ja becomes gotol; its own steps are not range-checked, the rest are")
    func backwardJaBecomesGotol() throws {
        // 32800: ja −32701 (→100). Slot 200 grows by 99 (between target and
        // jump): final −32701 − 99 = −32800 < −32768. Plain: refused, patch 0.
        let input = program(33_000, [32_800: S.ja(-32_701)])
        var patches = PatchSet()
        patches.replace(200, with: growth(100))
        #expect(throws: PatchError.self) { try patches.apply(to: input) }
        // Relaxed: the ja at new 32 899 is gotol to new 100: imm 100 − 32 899 − 1.
        let result = try patches.apply(to: input, options: relax)
        #expect(result.program.count == 33_099)
        #expect(result.program.slots[32_899] == S.gotol(-32_800))
        #expect(result.program.slots[100] == mov(100))
        #expect(result.program.slots[200] == mov(-1))
        #expect(result.program.slots[32_898] == mov(32_799))
        #expect(result.program.slots[32_900] == mov(32_801))
    }

    @Test("conditionals become negated condition + gotol; jset (no negation) gets the three-slot form")
    func conditionals() throws {
        // 0: cond +30000 (→30001); slot 1 grows by 4999: 34 999 > 32 767.
        // jlt32 w1 < 3 (0xa6) → jge32 (0x36) +1; gotol. New: 0 jge32, 1 gotol,
        // 2 = patch's first slot. gotol at 1 → S(30001) = 30001 + 1 + 4999 = 35001: imm 34 999.
        var patches = PatchSet()
        patches.replace(1, with: growth(5000))
        let jlt = program(40_000, [0: S.jlt32(30_000)])
        let relaxed = try patches.apply(to: jlt, options: relax)
        #expect(Array(relaxed.program.slots[0...2]) == [Instruction(code: 0x36, registers: 0x01, offset: 1, immediate: 3), S.gotol(34_999), mov(-1)])
        #expect(relaxed.program.slots[35_001] == mov(30_001))
        // jset r1 & 0x10 (0x45) → [jset +1, ja +1, gotol]: Δ 2, gotol at 2 →
        // S(30001) = 30001 + 2 + 4999 = 35002: imm 34 999.
        let jset = Instruction(code: 0x45, registers: 0x01, offset: 30_000, immediate: 0x10)
        let relaxedSet = try patches.apply(to: program(40_000, [0: jset]), options: relax)
        var taken = jset
        taken.offset = 1
        #expect(Array(relaxedSet.program.slots[0...3]) == [taken, S.ja(1), S.gotol(34_999), mov(-1)])
        #expect(relaxedSet.program.slots[35_002] == mov(30_001))
        #expect(relaxedSet.program.count == 45_001)
    }

    @Test("more than one round to the fixed point, with tables; the model agrees on the relaxed batch written out")
    func cascade() throws {
        // 0: ja +27768 (→27769); 1: jeq +30000 (→30002); slot 2 grows by 4999.
        // Round 1: ja 27768 + 4999 = 32767 fits; jeq 34 999 does not → relaxed (Δ 1).
        // Round 2: ja 27768 + 4999 + 1 = 32768 → relaxed (Δ 0). Round 3: fixed point.
        // Final: 0 gotol → S(27769) = 27769 + 5000 = 32769: imm 32768; 1 jne +1;
        // 2 gotol → S(30002) = 35002: imm 35002 − 2 − 1 = 34999; 3 = patch.
        let input = program(40_000, [0: S.ja(27_768), 1: S.jeqImm(30_000)])
        let tables = SideTables(lineInfo: LineInfoTable(slots: [0, 1, 2, 3, 27_769]),
                                subprograms: SubprogramTable(starts: [0, 30_002, 40_000]))
        var patches = PatchSet()
        patches.replace(2, with: growth(5000))
        let result = try patches.apply(to: input, tables: tables, options: relax)
        let jne = Instruction(code: 0x55, registers: 0x01, offset: 1, immediate: 7)
        #expect(Array(result.program.slots[0...3]) == [S.gotol(32_768), jne, S.gotol(34_999), mov(-1)])
        #expect(result.program.count == 45_000)
        #expect(result.tables.lineInfo == LineInfoTable(slots: [0, 1, 3, 5003, 32_769]))
        #expect(result.tables.subprograms == SubprogramTable(starts: [0, 35_002, 45_000]))

        // The same relaxation written by hand is a batch the kernel accepts.
        var explicit = patches
        explicit.append(Patch(site: 1, operation: .replace([jne, S.gotol(0)]), fixups: [Fixup(position: 1, target: .original(30_002))]))
        explicit.append(Patch(site: 0, operation: .replace([S.gotol(0)]), fixups: [Fixup(position: 0, target: .original(27_769))]))
        let model = try explicit.applySequentially(to: input, tables: tables)
        #expect(model.program == result.program)
        #expect(model.tables == result.tables)
        #expect(model.originalIndices == result.indexMap.originalIndices())
    }

    @Test("refused where it cannot relax: gotox, a jump inside a replacement")
    func refusals() {
        // gotox (0x0d, JMP|JA|X) has no long form: the plain error, patch 0 at 1.
        let gotox = Instruction(code: 0x0d, registers: 0x01, offset: 30_000)
        var patches = PatchSet()
        patches.replace(1, with: growth(5000))
        expectRejected(program(40_000, [0: gotox]).slots, patches, options: relax, kind: .rangeOverflow, patch: 0, slot: 1)
        // A ja inside a replacement at 1 (c = 0 of 5001 slots, off 30000: ahead
        // to original 1 + 1 + 30001 − 5001 = 25002, value 30000); patch 1 at
        // 10000 grows by 2999 inside its span: 32 999. The caller's code is not
        // rewritten: patch 1 (the step it fails at) is blamed, as without relaxation.
        var inside = PatchSet()
        inside.replace(1, with: [S.ja(30_000)] + growth(5000))
        inside.replace(10_000, with: growth(3000))
        let input = program(40_000, [:]).slots
        expectRejected(input, inside, kind: .rangeOverflow, patch: 1, slot: 10_000)
        expectRejected(input, inside, options: relax, kind: .rangeOverflow, patch: 1, slot: 10_000)
    }

    @Test("relaxation keeps the exact per-step range check when nothing is relaxed")
    func keepsStepCheck() {
        // StepRangeTests' case: 30000: ja −29991 (→10) is replaced by patch 1
        // after patch 0 (slot 20) grew by 5000: at step 0 it would need
        // −34991. No final value overflows; the kernel stops at step 0.
        var slots = (0..<30_002).map { mov(Int32($0)) }
        slots[30_000] = S.ja(-29_991)
        slots[30_001] = S.exit
        var patches = PatchSet()
        patches.replace(20, with: growth(5001))
        patches.replace(30_000, with: [mov(7)])
        expectRejected(slots, patches, options: relax, kind: .rangeOverflow, patch: 0, slot: 20)
    }
}
