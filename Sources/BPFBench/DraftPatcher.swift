import BPFInstructions
import BPFPatch

/// The 2022 draft design of batched patching, kept as a benchmark contender
/// and as an independent differential check of the batch engine.
///
/// The patches are sorted into an array that carries, for each patch, the
/// new index of its first slot and the cumulative length change after it.
/// Every reference in the program — and every side-table entry — then finds
/// where its target went with a binary search over that array, so the whole
/// batch costs O(N log P) instead of the engine's O(N + P).
///
/// It implements the batch semantics (BPFPatch's Semantics article, "A
/// batch") on its own: it shares no code with `PatchSet.apply` beyond the
/// instruction model. It checks only what a valid batch needs (ranges,
/// holes); it is not an error-reporting engine.
public struct DraftPatcher: Sendable {
    /// One patch in ascending site order.
    struct Entry {
        var site: Int
        var end: Int           // site + span
        var length: Int
        var newStart: Int      // new index of its first slot (removal: first surviving slot)
        var shiftAfter: Int    // new index − old index for slots after it (before the next patch)
        var number: Int
    }

    let entries: [Entry]
    let patches: [Patch]
    let originalCount: Int
    let newCount: Int

    /// Sorts the batch and computes the cumulative deltas.
    ///
    /// - Complexity: O(P log P).
    public init(patches patchSet: PatchSet, originalCount n: Int) throws(DraftError) {
        let patches = patchSet.patches
        self.patches = patches
        originalCount = n
        let order = patches.indices.sorted { patches[$0].site < patches[$1].site }
        var entries: [Entry] = []
        entries.reserveCapacity(order.count)
        var shift = 0
        var previousEnd = 0
        for number in order {
            let patch = patches[number]
            let site = patch.site.rawValue
            let span = patch.span, length = patch.length
            guard site >= previousEnd, span >= 1, site + span <= n else {
                throw DraftError(.invalidBatch, slot: site, "patch \(number) overlaps or leaves the program")
            }
            if case .replace(let insns) = patch.operation, insns.isEmpty {
                throw DraftError(.invalidBatch, slot: site, "patch \(number) is an empty replacement")
            }
            let newStart = site + shift
            shift += length - span
            entries.append(Entry(site: site, end: site + span, length: length, newStart: newStart,
                                 shiftAfter: shift, number: number))
            previousEnd = site + span
        }
        self.entries = entries
        newCount = n + shift
    }

    /// The index of the last patch whose site is ≤ x, or -1.
    ///
    /// - Complexity: O(log P).
    @inline(__always)
    func lastPatch(atOrBefore x: Int) -> Int {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low &+ high) >> 1
            if entries[mid].site <= x { low = mid &+ 1 } else { high = mid }
        }
        return low - 1
    }

    /// Where a reference to original slot `x` lands, or nil when `x` lies
    /// strictly inside a removed run.
    ///
    /// - Complexity: O(log P).
    @inline(__always)
    func landing(_ x: Int) -> Int? {
        let k = lastPatch(atOrBefore: x)
        if k < 0 { return x }
        let e = entries[k]
        if x < e.end {
            return e.length == 0 && x != e.site ? nil : e.newStart
        }
        return x + e.shiftAfter
    }

    /// The new index of a surviving original slot `x`, or nil when it was removed.
    @inline(__always)
    func survivor(_ x: Int) -> Int? {
        let k = lastPatch(atOrBefore: x)
        if k < 0 { return x }
        let e = entries[k]
        if x < e.end { return e.length == 0 ? nil : e.newStart }
        return x + e.shiftAfter
    }

    /// Applies the batch to `program`.
    ///
    /// - Complexity: O(N log P + P log P).
    public func apply(to program: Program) throws(DraftError) -> Program {
        let orig = program.slots
        guard orig.count == originalCount else {
            throw DraftError(.invalidBatch, slot: 0, "the batch was sorted for \(originalCount) slots, not \(orig.count)")
        }
        var out: [Instruction] = []
        out.reserveCapacity(newCount)
        var x = 0
        var secondHalf = false
        for e in entries {
            while x < e.site {
                out.append(try moved(orig[x], at: x, newIndex: out.count, secondHalf: &secondHalf))
                x += 1
            }
            if case .replace(let insns) = patches[e.number].operation {
                var half = false
                for (c, insn) in insns.enumerated() {
                    out.append(try placed(insn, position: c, of: e, length: insns.count, secondHalf: &half))
                }
            }
            secondHalf = false
            x = e.end
        }
        while x < orig.count {
            out.append(try moved(orig[x], at: x, newIndex: out.count, secondHalf: &secondHalf))
            x += 1
        }
        return Program(slots: out)
    }

    /// An untouched original slot at its new index.
    @inline(__always)
    func moved(_ insn: Instruction, at x: Int, newIndex: Int, secondHalf: inout Bool) throws(DraftError) -> Instruction {
        if secondHalf { secondHalf = false; return insn }
        if insn.code == Instruction.loadImmediate64Code { secondHalf = true }
        guard let field = insn.referenceField else { return insn }
        let d = field == .offset ? Int(insn.offset) : Int(insn.immediate)
        let t = x + d + 1
        guard t >= 0, t < originalCount, let target = landing(t) else {
            throw DraftError(.badReference, slot: x, "the reference at slot \(x) targets \(t), outside the program or inside a removed run")
        }
        return try Self.with(insn, field, displacement: target - newIndex - 1, slot: x)
    }

    /// A slot of a replacement: its displacement is read in the layout right
    /// after its step, so a target inside or behind the patch is final, one
    /// ahead of it is in original spacing.
    @inline(__always)
    func placed(_ insn: Instruction, position c: Int, of e: Entry, length: Int, secondHalf: inout Bool) throws(DraftError) -> Instruction {
        if secondHalf { secondHalf = false; return insn }
        if insn.code == Instruction.loadImmediate64Code { secondHalf = true }
        guard let field = insn.referenceField else { return insn }
        let d = field == .offset ? Int(insn.offset) : Int(insn.immediate)
        let own = e.newStart + c
        let current = own + d + 1
        var target = current
        if current >= e.newStart + length {
            let x = e.site + 1 + (current - e.newStart - length)
            guard x < originalCount, let landed = landing(x) else {
                throw DraftError(.badReference, slot: e.site, "patch \(e.number) position \(c) targets original slot \(x), outside the program or inside a removed run")
            }
            target = landed
        } else if current < 0 {
            throw DraftError(.badReference, slot: e.site, "patch \(e.number) position \(c) jumps before the program")
        }
        return try Self.with(insn, field, displacement: target - own - 1, slot: e.site)
    }

    @inline(__always)
    static func with(_ insn: Instruction, _ field: ReferenceField, displacement d: Int, slot: Int) throws(DraftError) -> Instruction {
        var copy = insn
        if field == .offset {
            guard let v = Int16(exactly: d) else { throw DraftError(.rangeOverflow, slot: slot, "displacement \(d) does not fit off") }
            copy.offset = v
        } else {
            guard let v = Int32(exactly: d) else { throw DraftError(.rangeOverflow, slot: slot, "displacement \(d) does not fit imm") }
            copy.immediate = v
        }
        return copy
    }
}
