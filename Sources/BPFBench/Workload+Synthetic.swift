import BPFInstructions
import BPFPatch

extension Workload {
    /// Generates a valid program and a valid batch for it, deterministically
    /// from `parameters.seed`.
    ///
    /// The program is cut into subprograms of 128–511 slots, each ending with
    /// `exit`. A `jumpDensity` fraction of the other slots carry a reference:
    /// conditional jumps (60%, JMP and JMP32, at most `jumpReach` slots away),
    /// `ja` (15%), `gotol` (5%, anywhere), pseudo calls (10%) and pseudo-func
    /// `ld_imm64` (10%), both to a subprogram start. The rest are ALU, loads,
    /// stores, helper calls (some of them tail calls with a poke descriptor),
    /// divisions by register and map `ld_imm64`s. No reference targets an
    /// `ld_imm64` second half.
    ///
    /// The batch has about `patchDensity · N` patches in ascending site order,
    /// never on an `ld_imm64`. Replacements have 1–8 slots (average 3) shaped
    /// like the verifier's: guard instructions, a local jump over them, and
    /// the original instruction re-emitted last — or first for a backward
    /// reference, with the displacement it has in the layout of that moment
    /// (so it keeps its target, as a kernel patcher copying `*insn` would).
    /// About `removalFraction` of the patches remove 1–3 slots that no
    /// reference, subprogram start or poke names.
    ///
    /// Tables: a line-info record on every other slot, the subprogram starts
    /// plus the exit entry, up to 8 pokes and one 16-entry instruction array.
    ///
    /// - Complexity: O(N + P log P).
    public static func synthetic(_ parameters: SyntheticParameters) -> Workload {
        var generator = SyntheticGenerator(parameters)
        return generator.make()
    }
}

/// The state of one synthetic generation.
struct SyntheticGenerator {
    let parameters: SyntheticParameters
    let n: Int
    var rng: SplitMix64
    var slots: [Instruction] = []
    var isSecondHalf: [Bool] = []
    var isWide: [Bool] = []
    var isStart: [Bool] = []
    var isTarget: [Bool] = []
    var isPoke: [Bool] = []
    var starts: [Int] = []

    /// Replacement lengths: 1–8, average 3.
    static let lengths = [1, 1, 2, 2, 2, 3, 3, 4, 4, 8]

    init(_ parameters: SyntheticParameters) {
        self.parameters = parameters
        n = max(parameters.slots, 16)
        rng = SplitMix64(seed: parameters.seed ^ UInt64(truncatingIfNeeded: parameters.slots) &* 0x100_0000_01B3)
    }

    mutating func make() -> Workload {
        layOutSubprograms()
        fillSlots()
        assignTargets()
        let pokes = choosePokes()
        let patches = makePatches()
        var lineSlots: [SlotIndex] = []
        lineSlots.reserveCapacity(n / 2 + 1)
        var i = 0
        while i < n {
            if !isSecondHalf[i] { lineSlots.append(SlotIndex(i)) }
            i += 2
        }
        var arrayEntries: [SlotIndex?] = []
        for _ in 0..<16 {
            var x = rng.below(n)
            if isSecondHalf[x] { x -= 1 }
            arrayEntries.append(SlotIndex(x))
        }
        let tables = SideTables(
            lineInfo: LineInfoTable(slots: lineSlots),
            subprograms: SubprogramTable(starts: (starts + [n]).map { SlotIndex($0) }),
            pokes: PokeTable(slots: pokes.map { SlotIndex($0) }),
            instructionArrays: [InstructionArrayTable(entries: arrayEntries)]
        )
        return Workload(name: parameters.name, source: .synthetic(parameters),
                        program: Program(slots: slots), patches: patches, tables: tables)
    }

    mutating func layOutSubprograms() {
        isStart = [Bool](repeating: false, count: n)
        var s = 0
        while s < n {
            starts.append(s)
            isStart[s] = true
            s += 128 + rng.below(384)
        }
    }

    /// The conditional jump operations the generator draws from.
    static let conditionalJumps: [JumpOperation] = [.jeq, .jgt, .jge, .jset, .jne, .jsgt, .jsge, .jlt, .jle, .jslt, .jsle]

    /// Lays out instruction kinds; reference displacements are filled in later.
    mutating func fillSlots() {
        slots = [Instruction](repeating: Instruction(code: 0), count: n)
        isSecondHalf = [Bool](repeating: false, count: n)
        isWide = [Bool](repeating: false, count: n)
        var i = 0
        while i < n {
            let last = i + 1 == n || isStart[i + 1]
            if last {
                slots[i] = .exit
                i += 1
                continue
            }
            let roomForWide = i + 2 < n && !isStart[i + 1]
            let reg = Register(rawValue: UInt8(1 + rng.below(9)))!
            let other = Register(rawValue: UInt8(1 + rng.below(9)))!
            if rng.chance(parameters.jumpDensity) {
                let r = rng.below(100)
                if r < 60 {
                    // A conditional jump: JMP32 one time in four, by register one time in two
                    // (the random draws in this order: class, source, operation, immediate).
                    let narrow = rng.below(4) == 0
                    let byRegister = rng.below(2) == 0
                    let operation = Self.conditionalJumps[rng.below(Self.conditionalJumps.count)]
                    switch (narrow, byRegister) {
                    case (false, true): slots[i] = .jump(operation, reg, other, offset: 0)
                    case (true, true): slots[i] = .jump32(operation, reg, other, offset: 0)
                    case (false, false): slots[i] = .jump(operation, reg, Int32(rng.below(100)), offset: 0)
                    case (true, false): slots[i] = .jump32(operation, reg, Int32(rng.below(100)), offset: 0)
                    }
                } else if r < 75 {
                    slots[i] = .ja(0)
                } else if r < 80 {
                    slots[i] = Instruction(code: Instruction.longJumpCode)   // gotol
                } else if r < 90 || !roomForWide {
                    slots[i] = .call(relative: 0)
                } else {
                    let pair = Instruction.loadFunction(reg, relative: 0)
                    slots[i] = pair[0]; slots[i + 1] = pair[1]
                    isWide[i] = true; isWide[i + 1] = true; isSecondHalf[i + 1] = true
                    i += 2
                    continue
                }
                i += 1
                continue
            }
            let r = rng.below(100)
            if r < 5 && roomForWide {
                let pair = Instruction.loadMap(reg, fd: Int32(rng.below(64)))
                slots[i] = pair[0]; slots[i + 1] = pair[1]
                isWide[i] = true; isWide[i + 1] = true; isSecondHalf[i + 1] = true
                i += 2
                continue
            }
            switch r {
            case ..<10: slots[i] = .call(helper: .tailCall)
            case ..<16: slots[i] = .call(helper: HelperID(rawValue: Int32(1 + rng.below(200))))
            case ..<20: slots[i] = rng.below(2) == 0 ? .alu(.div, reg, other) : .alu32(.mod, reg, other)
            case ..<40: slots[i] = .load(.doubleWord, reg, other, offset: Int16(8 * rng.below(16)))
            case ..<55: slots[i] = .store(.doubleWord, .r10, offset: Int16(-8 * (1 + rng.below(64))), reg)
            case ..<75: slots[i] = .mov(reg, other)
            default: slots[i] = .alu(.add, reg, Int32(rng.below(1000)))
            }
            i += 1
        }
    }

    /// A target that is not an `ld_imm64` second half.
    func legal(_ t: Int) -> Int { isSecondHalf[t] ? t - 1 : t }

    mutating func assignTargets() {
        isTarget = [Bool](repeating: false, count: n)
        let reach = parameters.jumpReach
        for i in 0..<n where !isSecondHalf[i] {
            let insn = slots[i]
            guard let field = insn.referenceField else { continue }
            let t: Int
            if insn.code == Instruction.callCode || insn.code == Instruction.loadImmediate64Code {
                t = starts[rng.below(starts.count)]
            } else if insn.code == Instruction.longJumpCode {
                t = legal(rng.below(n))
            } else {
                t = legal(min(max(i + rng.below(2 * reach + 1) - reach, 0), n - 1))
            }
            let d = t - i - 1
            if field == .offset { slots[i].offset = Int16(d) } else { slots[i].immediate = Int32(d) }
            isTarget[t] = true
        }
    }

    mutating func choosePokes() -> [Int] {
        isPoke = [Bool](repeating: false, count: n)
        var pokes: [Int] = []
        var i = rng.below(64)
        while i < n && pokes.count < 8 {
            if slots[i].code == Instruction.callCode && slots[i].callKind == .helper && slots[i].immediate == HelperID.tailCall.rawValue
                && !isSecondHalf[i] {
                pokes.append(i)
                isPoke[i] = true
                i += n / 8 + 1
            } else {
                i += 1
            }
        }
        return pokes
    }

    func removable(_ x: Int) -> Bool {
        !isTarget[x] && !isStart[x] && !isPoke[x] && !isWide[x]
    }

    mutating func makePatches() -> PatchSet {
        let wanted = max(1, Int((Double(n) * parameters.patchDensity).rounded()))
        let probability = min(1.0, Double(wanted) / Double(n) * 1.08)   // ~8% of slots are ld_imm64 halves
        var patches = PatchSet()
        patches.patches.reserveCapacity(wanted + wanted / 8)
        var sites: [Int] = []
        var growthPrefix: [Int] = [0]   // growthPrefix[k]: sum of Δ of the first k patches
        var i = 0
        while i < n {
            if isWide[i] || !rng.chance(probability) { i += 1; continue }
            if rng.chance(parameters.removalFraction) && removable(i) {
                var count = 1
                let limit = 1 + rng.below(3)
                while count < limit && i + count < n && removable(i + count) { count += 1 }
                patches.remove(SlotIndex(i), count: count)
                sites.append(i)
                growthPrefix.append(growthPrefix.last! - count)
                i += count
                continue
            }
            let length = Self.lengths[rng.below(Self.lengths.count)]
            let original = slots[i]
            var body: [Instruction] = []
            body.reserveCapacity(length)
            var backward: Instruction? = nil
            if let d = original.displacement, i + d + 1 <= i {
                // A backward reference re-emitted first carries its displacement
                // of this moment: the growth of the patches between its target
                // and its site is already in it.
                let t = i + d + 1
                var low = 0, high = sites.count
                while low < high {
                    let mid = (low + high) / 2
                    if sites[mid] < t { low = mid + 1 } else { high = mid }
                }
                let current = d - (growthPrefix[sites.count] - growthPrefix[low])
                var copy = original
                if original.referenceField == .offset { copy.offset = Int16(current) } else { copy.immediate = Int32(current) }
                backward = copy
            }
            if let backward {
                body.append(backward)
                if length >= 4 {
                    body.append(.jump(.jeq, .r9, 0, offset: Int16(length - 3)))   // to the last slot
                }
                while body.count < length { body.append(.mov(.r9, Int32(body.count))) }
            } else {
                if length >= 3 {
                    body.append(.jump(.jne, .r9, 0, offset: Int16(length - 2)))   // to the original
                }
                while body.count < length - 1 { body.append(.alu(.add, .r9, Int32(body.count))) }
                body.append(original)
            }
            patches.replace(SlotIndex(i), with: body)
            sites.append(i)
            growthPrefix.append(growthPrefix.last! + length - 1)
            i += 1
        }
        return patches
    }
}
