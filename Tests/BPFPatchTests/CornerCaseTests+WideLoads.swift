import BPFInstructions
import BPFObject
import Foundation
import BPFPatch
import BPFTestSupport
import Testing

/// The `ld_imm64` rule is judged on the result (spec, "Checks the engine
/// makes"): every first slot (code 0x18) immediately followed by a second
/// slot (code 0), every second slot immediately preceded by a first one, no
/// reference to a second slot. Hand-derived, both engines.
extension CornerCaseTests {
    /// 0: ja +2 (→3); 1–2: ld_imm64 map 7; 3: exit.
    var wideProgram: [Instruction] { [S.ja(2)] + S.ldMap(7) + [S.exit] }

    @Test("replacing a first slot by [probe, that first slot] keeps the pair whole")
    func probeBeforeFirstSlot() {
        // Step at p = 1 by [mov 10, first] (Δ = 1): ja at 0 is before p with
        // target 3 > 1: +1 → off 3, still the exit (new 4). The original
        // second slot follows the re-emitted first slot. orig_idx: the
        // patched slot's record moves to the patch's last slot (1 at new 2).
        var p = PatchSet()
        p.replace(1, with: [mov(10), S.ldMap(7)[0]])
        let tables = SideTables(lineInfo: LineInfoTable(slots: [0, 1, 3]))
        expectPatched(wideProgram, p, tables: tables,
                      slots: [S.ja(3), mov(10)] + S.ldMap(7) + [S.exit],
                      tables: SideTables(lineInfo: LineInfoTable(slots: [0, 1, 4])),
                      origIdx: [0, 0, 1, 2, 3])
        // A reference to the patched first slot (ja +0 → 1 == p) is left
        // alone and lands on the probe, the first slot of the patch.
        expectPatched([S.ja(0)] + S.ldMap(7) + [S.exit], p,
                      slots: [S.ja(0), mov(10)] + S.ldMap(7) + [S.exit])
    }

    @Test("replacing a second slot by a sequence that starts with a second slot keeps the pair whole")
    func secondSlotFollowedByProbe() {
        // Step at p = 2 by [second, mov 20] (Δ = 1): ja at 0 targets 3 > 2:
        // +1 → off 3 (exit, new 4).
        var p = PatchSet()
        p.replace(2, with: [S.ldMap(7)[1], mov(20)])
        expectPatched(wideProgram, p,
                      slots: [S.ja(3)] + S.ldMap(7) + [mov(20), S.exit],
                      origIdx: [0, 1, 0, 2, 3])
        // But a reference to original slot 2 lands on the first slot of its
        // replacement, which is a second slot: refused, blaming the jump.
        expectRejected([S.ja(1)] + S.ldMap(7) + [S.exit], p, kind: .splitWideLoad, patch: nil, slot: 0)
    }

    @Test("a result with a first slot not followed by its second slot is refused, naming the patch")
    func unfollowedFirstSlot() {
        // [first, mov] at 1: result 0: ja, 1: first, 2: mov, 3: second, 4: exit.
        // New 1 is followed by the patch's mov: patch 0 at slot 1.
        var p = PatchSet()
        p.replace(1, with: [S.ldMap(7)[0], mov(10)])
        expectRejected(wideProgram, p, kind: .splitWideLoad, patch: 0, slot: 1)
        // [mov, second] at 2: the original first slot is followed by a mov.
        var q = PatchSet()
        q.replace(2, with: [mov(20), S.ldMap(7)[1]])
        expectRejected(wideProgram, q, kind: .splitWideLoad, patch: 0, slot: 2)
        // Removing the second slot: the first is followed by exit; neither
        // neighbour is a patch's, the removal between them is blamed.
        var r = PatchSet()
        r.remove(2)
        expectRejected(wideProgram, r, kind: .splitWideLoad, patch: 0, slot: 2)
        // Removing the first slot leaves the second slot alone after ja.
        var s = PatchSet()
        s.remove(1)
        expectRejected(wideProgram, s, kind: .splitWideLoad, patch: 0, slot: 1)
        // Allowed by option, the same removal gives the kernel's arithmetic:
        // ja at 0 targets 3 ≥ p + cnt = 2: −1 → off 1.
        var options = PatchOptions()
        options.allowSplitWideLoads = true
        expectPatched(wideProgram, s, options: options, slots: [S.ja(1), S.ldMap(7)[1], S.exit])
    }

    @Test("a truncated program (ending with a first slot) is refused by both engines, with or without patches")
    func truncatedProgram() {
        // 0: mov, 1: ja −2 (→0), 2: ld_imm64 first slot, and nothing after it.
        let program = [mov(0), S.ja(-2), S.ldMap(7)[0]]
        expectRejected(program, PatchSet(), kind: .splitWideLoad, patch: nil, slot: 2)
        var p = PatchSet()
        p.replace(0, with: [mov(1), mov(2)])
        expectRejected(program, p, kind: .splitWideLoad, patch: nil, slot: 2)
        // A second slot standing alone at the start is refused too.
        expectRejected([S.ldMap(7)[1], S.exit], PatchSet(), kind: .splitWideLoad, patch: nil, slot: 0)
    }

    @Test("the truncated ld_imm64 of the corpus's invalid-lddw.o is refused by both engines", .needsCorpus)
    func corpusTruncatedProgram() throws {
        let path = TestCorpus.path("ebpf-samples/invalid/invalid-lddw.o")
        try #require(FileManager.default.fileExists(atPath: path), "no \(path)")
        let object = try ObjectFile(path: path)
        let section = try #require(object.programSections.first { $0.name == ".text" })
        // Independently of the engine: the section's last slot is a first slot.
        try #require(section.program.slots.last?.code == 0x18)
        expectRejected(section.program.slots, PatchSet(), kind: .splitWideLoad)
    }

    @Test("long runs of 0x18 codes are decided locally, in linear time", .timeLimit(.minutes(1)))
    func longRunsOfFirstSlots() throws {
        // 1,000,000 slots of code 0x18 (src 0: no references). A backward
        // scan over runs would need ~5·10^11 steps; the local rule needs one
        // look at a neighbour per slot. Refused at new slot 0 (a first slot
        // followed by a first slot), by both engines.
        let n = 1_000_000
        let first = Instruction(code: 0x18, registers: 0x01, offset: 0, immediate: 3)
        let slots = [Instruction](repeating: first, count: n)
        var p = PatchSet()
        p.replace(SlotIndex(n / 2), with: [mov(1), mov(2)])
        expectRejected(slots, p, kind: .splitWideLoad, patch: nil, slot: 0)
        // Splits allowed: nothing is a reference, the patch is the only change.
        var options = PatchOptions()
        options.allowSplitWideLoads = true
        let result = try p.apply(to: Program(slots: slots), options: options)
        #expect(result.program.count == n + 1)
        #expect(Array(result.program.slots[(n / 2)...(n / 2 + 1)]) == [mov(1), mov(2)])
        #expect(result.program.slots.filter { $0 == first }.count == n - 1)
        let model = try p.applySequentially(to: Program(slots: slots), options: options)
        #expect(model.program == result.program)
    }
}
