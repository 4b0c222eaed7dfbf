import BPFInstructions
import BPFPatch

/// Deterministic construction of random, structurally valid programs and
/// batches from a seed (so a property test's shrinker can shrink the size
/// parameters and the seed alone reproduces a case).
enum RandomCases {
    /// A random program of about `length` slots with side tables, and a
    /// batch of about `patchCount` patches.
    static func make(seed: UInt64, length: Int, patchCount: Int) -> DiffCase {
        var rng = SplitMix(seed: seed)
        let program = randomProgram(&rng, length: max(2, length))
        let tables = randomTables(&rng, program: program)
        let patches = randomBatch(&rng, program: program, tables: tables, patchCount: patchCount)
        var options = PatchOptions()
        options.allowSplitWideLoads = rng.chance(0.1)
        return DiffCase(program: program, tables: tables, patches: patches, options: options)
    }

    // MARK: Programs

    /// Kinds of reference a generated slot may hold.
    enum RefKind: CaseIterable { case ja, jeqImm, jneReg, jlt32, jeq32Reg, gotol, call, ldFunc }

    static func reference(_ kind: RefKind, displacement d: Int, marker: Int32) -> [Instruction] {
        switch kind {
        case .ja: [Slots.ja(Int16(clamping: d), marker: marker)]
        case .jeqImm: [Slots.jeqImm(Int16(clamping: d), imm: marker)]
        case .jneReg: [Slots.jneReg(Int16(clamping: d), marker: marker)]
        case .jlt32: [Slots.jlt32(Int16(clamping: d), imm: marker)]
        case .jeq32Reg: [Slots.jeq32Reg(Int16(clamping: d), marker: marker)]
        case .gotol: [Slots.gotol(Int32(clamping: d))]
        case .call: [Slots.callLocal(Int32(clamping: d))]
        case .ldFunc: Slots.ldFunc(Int32(clamping: d))
        }
    }

    /// Sets the reference field of `slot` to `d` (clamped to the field).
    static func setDisplacement(_ slot: inout Instruction, _ d: Int) {
        switch slot.referenceField {
        case .offset: slot.offset = Int16(clamping: d)
        case .immediate: slot.immediate = Int32(clamping: d)
        case nil: break
        }
    }

    static func randomProgram(_ rng: inout SplitMix, length n: Int) -> Program {
        var slots: [Instruction] = []
        var refs: [(index: Int, kind: RefKind)] = []
        var marker: Int32 = 1000
        while slots.count < n {
            marker += 1
            let room = n - slots.count
            let r = rng.int(0...99)
            switch r {
            case 0..<35:
                slots.append(Slots.mov(marker))
            case 35..<45 where room >= 2:
                var pair = rng.chance(0.5) ? Slots.ldMap(marker) : Slots.ldImm64(kind: 0, low: marker, high: 7)
                if rng.chance(0.02) {
                    // A second slot whose code is a jump: not a second slot at all
                    // (the result is refused unless splits are allowed, and then
                    // it is a jump like any other).
                    pair[1] = Instruction(code: 0x05, registers: 0, offset: Int16(rng.int(-3...3)), immediate: 0)
                }
                slots += pair
            case 45..<50 where room >= 2:
                refs.append((slots.count, .ldFunc))
                slots += Slots.ldFunc(0)
            case 50..<80:
                let kind: RefKind = [.ja, .jeqImm, .jneReg, .jlt32, .jeq32Reg, .gotol][rng.int(0...5)]
                refs.append((slots.count, kind))
                slots += reference(kind, displacement: 0, marker: marker)
            case 80..<85:
                refs.append((slots.count, .call))
                slots.append(Slots.callLocal(0))
            case 85..<92:
                slots.append(rng.chance(0.7) ? Slots.callHelper(Int32(rng.int(1...200))) : Slots.callKfunc(Int32(rng.int(1000...2000))))
            default:
                slots.append(Slots.exit)
            }
        }
        let program = Program(slots: slots)
        let mask = program.secondHalfMask()
        let valid = (0..<slots.count).filter { !mask[$0] }
        for (i, _) in refs {
            let target: Int
            if rng.chance(0.01) {
                target = rng.chance(0.5) ? rng.int(-2...slots.count + 1) : (mask.firstIndex(of: true) ?? slots.count)
            } else {
                target = valid[rng.int(0...valid.count - 1)]
            }
            setDisplacement(&slots[i], target - i - 1)
        }
        return Program(slots: slots)
    }

    static func randomTables(_ rng: inout SplitMix, program: Program) -> SideTables {
        let n = program.count
        let mask = program.secondHalfMask()
        let valid = (0..<n).filter { !mask[$0] }
        var tables = SideTables()
        if rng.chance(0.8) {
            tables.lineInfo = LineInfoTable(slots: valid.filter { _ in rng.chance(0.4) }.map { SlotIndex($0) })
        }
        if rng.chance(0.8) {
            var starts = [0] + valid.dropFirst().filter { _ in rng.chance(0.12) }
            if rng.chance(0.7) { starts.append(n) }
            tables.subprograms = SubprogramTable(starts: starts.map { SlotIndex($0) })
        }
        if rng.chance(0.4) {
            tables.pokes = PokeTable(slots: (0..<rng.int(0...2)).map { _ in SlotIndex(valid[rng.int(0...valid.count - 1)]) })
        }
        for _ in 0..<rng.int(0...2) {
            tables.instructionArrays.append(InstructionArrayTable(entries: (0..<rng.int(1...4)).map { _ in
                rng.chance(0.05) ? nil : SlotIndex(valid[rng.int(0...valid.count - 1)])
            }))
        }
        return tables
    }

    // MARK: Batches

    /// A patch under construction: its site, span, and replacement length (0 = removal).
    struct Plan { var site: Int; var span: Int; var length: Int }

    static func randomBatch(_ rng: inout SplitMix, program: Program, tables: SideTables, patchCount: Int) -> PatchSet {
        let n = program.count
        let mask = program.secondHalfMask()
        var plans: [Plan] = []
        var covered = Set<Int>()
        for _ in 0..<patchCount {
            var site = rng.int(0...n - 1)
            if mask[site] && rng.chance(0.9) { site -= 1 }   // mostly keep ld_imm64 pairs whole
            if covered.contains(site) { continue }
            // Patching one half of an ld_imm64 is a split: only now and then.
            let wide = program.slots[site].isLoadImmediate64
            if rng.chance(0.3) || (wide && rng.chance(0.5)) {
                var count = rng.chance(0.7) ? 1 : rng.int(2...3)
                if wide && rng.chance(0.9) { count = max(count, 2) }
                count = min(count, n - site)
                if site + count < n && mask[site + count] && rng.chance(0.9) { count += 1 }
                while count > 1 && covered.contains(site + count - 1) { count -= 1 }
                if (site..<site + count).contains(where: covered.contains) { continue }
                plans.append(Plan(site: site, span: count, length: 0))
                covered.formUnion(site..<site + count)
            } else {
                plans.append(Plan(site: site, span: 1, length: rng.int(1...8)))
                covered.insert(site)
            }
        }
        let sorted = plans.sorted { $0.site < $1.site }
        func shift(before x: Int) -> Int {
            sorted.filter { $0.site < x }.reduce(0) { $0 + $1.length - $1.span }
        }
        func strictlyRemoved(_ x: Int) -> Bool {
            sorted.contains { $0.length == 0 && $0.site < x && x < $0.site + $0.span }
        }
        let valid = (0..<n).filter { !mask[$0] }

        var patches: [Patch] = []
        for plan in plans {
            if plan.length == 0 {
                patches.append(Patch(site: SlotIndex(plan.site), operation: .remove(count: plan.span)))
                continue
            }
            let L = plan.length
            let delta = L - 1
            let first = plan.site + shift(before: plan.site)
            var insns: [Instruction] = []
            var fixups: [Fixup] = []
            let reemit = rng.int(0...9)   // 0–2: original slot first, 3–5: last
            let original = program.slots[plan.site]
            // At an ld_imm64's first slot, mostly re-emit it last ([probe, first]:
            // the original second slot follows it, the pair stays whole).
            let reemitLast = (reemit >= 3 && reemit <= 5) || (original.isLoadImmediate64 && rng.chance(0.8))
            while insns.count < L {
                let k = insns.count
                if (reemit <= 2 && k == 0 && !original.isLoadImmediate64) || (reemitLast && k == L - 1) {
                    insns.append(original)
                    continue
                }
                let r = rng.int(0...99)
                if r < 45 {
                    insns.append(Slots.mov(Int32(100_000 + plan.site * 10 + k)))
                } else if r < 85 {
                    var kind = RefKind.allCases[rng.int(0...RefKind.allCases.count - 1)]
                    if kind == .ldFunc && k + 2 > L { kind = .ja }
                    let d: Int
                    switch rng.int(0...19) {
                    case 0..<6:   // inside the patch
                        d = rng.int(0...L - 1) - k - 1
                    case 6..<11:  // behind: already final
                        let behind = valid.filter { $0 < plan.site && !strictlyRemoved($0) }
                        if let y = behind.randomElement(using: &rng) {
                            d = (y + shift(before: y)) - (first + k) - 1
                        } else { d = 0 }
                    case 11..<18: // ahead: original spacing
                        let ahead = valid.filter { $0 > plan.site && !strictlyRemoved($0) }
                        if let y = ahead.randomElement(using: &rng) {
                            d = y + delta - plan.site - k - 1
                        } else { d = 0 }
                    default:      // anything small (may be rejected)
                        d = rng.int(-4...4)
                    }
                    var slots = reference(kind, displacement: d, marker: Int32(200_000 + k))
                    if rng.chance(0.1) {
                        setDisplacement(&slots[0], 0)
                        let target: Fixup.Target = rng.chance(0.5)
                            ? .local(rng.int(0...L - 1))
                            : .original(SlotIndex(valid.filter { !strictlyRemoved($0) }.randomElement(using: &rng) ?? 0))
                        fixups.append(Fixup(position: k, target: target))
                    }
                    insns += slots
                } else if r < 90 && k + 2 <= L {
                    insns += Slots.ldMap(Int32(300_000 + k))
                } else if r < 95 {
                    insns.append(Slots.callHelper(Int32(rng.int(1...100))))
                } else {
                    insns.append(Slots.exit)
                }
            }
            patches.append(Patch(site: SlotIndex(plan.site), operation: .replace(insns), fixups: fixups))
        }

        // A few deliberately invalid batches.
        if rng.chance(0.04) {
            switch rng.int(0...4) {
            case 0: patches.append(Patch(site: SlotIndex(n), operation: .replace([Slots.mov(1)])))
            case 1: patches.append(Patch(site: SlotIndex(rng.int(0...n - 1)), operation: .replace([])))
            case 2: patches.append(Patch(site: SlotIndex(rng.int(0...n - 1)), operation: .remove(count: 0)))
            case 3: if let p = patches.first { patches.append(p) }
            default: patches.append(Patch(site: SlotIndex(n - 1), operation: .remove(count: 2)))
            }
        }
        patches.shuffle(using: &rng)
        return PatchSet(patches)
    }

    // MARK: Large programs

    /// A program of more than 32767 slots (mostly movs) with long references
    /// close to the s16 limit, and a batch growing some of them.
    static func makeLarge(seed: UInt64) -> DiffCase {
        var rng = SplitMix(seed: seed)
        let n = rng.chance(0.5) ? rng.int(32_740...32_790) : rng.int(32_768...33_400)
        var slots = (0..<n).map { Slots.mov(Int32($0)) }
        var longRefs: [Int] = []
        for _ in 0..<rng.int(1...6) {
            let kind = rng.int(0...5)
            if kind <= 2 {
                // Forward jump near +32767 (or as far as the program allows).
                let from = rng.int(0...60)
                let to = min(n - 1, from + 1 + 32_767 - rng.int(0...12))
                slots[from] = kind == 0 ? Slots.ja(Int16(to - from - 1)) : Slots.jeqImm(Int16(to - from - 1))
                longRefs.append(from)
            } else if kind == 3 {
                // Backward jump near −32768.
                let from = rng.int(max(0, n - 60)...n - 1)
                let to = max(0, from + 1 - 32_768 + rng.int(0...12))
                slots[from] = Slots.jlt32(Int16(to - from - 1))
                longRefs.append(from)
            } else {
                // gotol / pseudo call spanning the program: s32, never overflows.
                let from = rng.int(0...n - 1)
                let to = rng.int(0...n - 1)
                slots[from] = kind == 4 ? Slots.gotol(Int32(to - from - 1)) : Slots.callLocal(Int32(to - from - 1))
            }
        }
        slots[n - 1] = Slots.exit
        let program = Program(slots: slots)
        var tables = SideTables()
        tables.subprograms = SubprogramTable(starts: [0, SlotIndex(n / 2), SlotIndex(n)])
        tables.lineInfo = LineInfoTable(slots: stride(from: 0, to: n, by: 97).map { SlotIndex($0) })
        var patches = PatchSet()
        var used = Set<Int>()
        for _ in 0..<rng.int(1...6) {
            // Sometimes patch the slot of a long reference itself: earlier
            // steps still move it before its own step replaces or removes it.
            let site = !longRefs.isEmpty && rng.chance(0.2) ? longRefs[rng.int(0...longRefs.count - 1)]
                : rng.chance(0.7) ? rng.int(70...n - 70) : rng.int(0...n - 1)
            guard used.insert(site).inserted, site != n / 2 else { continue }
            if rng.chance(0.15) {
                patches.remove(SlotIndex(site))
            } else {
                let L = rng.int(1...8)
                var insns = (0..<L - 1).map { Slots.mov(Int32(-$0 - 1)) }
                insns.append(program.slots[site])
                patches.replace(SlotIndex(site), with: insns)
            }
        }
        patches.patches.shuffle(using: &rng)
        return DiffCase(program: program, tables: tables, patches: patches)
    }
}
