import BPFInstructions

/// Writes the new program in one pass: untouched runs are copied with their
/// references re-targeted through the index map; replacements are copied
/// with their displacements read the way the sequential kernel reads them.
///
/// Which slots are references is decided by each slot's own code
/// (`Instruction.referenceTable`, derived from `referenceField`), never by
/// a walk. The `ld_imm64` rule (`WideLoads`) is screened on the way: a
/// code-0 slot exactly after a code-0x18 slot, and no reference whose
/// original target has code 0. The second is decided at the end of the
/// pass, not per reference: the pass sets one bit per original slot with
/// code 0 as it copies (and per patch site), one per re-targeted reference's
/// target, and the two bitmaps (n/8 bytes each, cache-resident) must not
/// meet; so a reference costs no load of its target's far-away code.
/// Anything the screen cannot clear sends the result to the exact check,
/// which judges it and names the culprit; so does a batch where some patch
/// site's original code and the code of what a reference to it lands on
/// differ in being 0.
///
/// The hot loop (`copyRun`) keeps its error paths out of line, so that
/// what is left per slot is an 8-byte copy, a table load and a few bit
/// operations; references are queued and re-targeted by `flush`, one
/// index-map lookup (in stages) and one range test each.
///
/// With `IndexMap.Lookup` and `DenseStarts`, the engine's only
/// unsafe-pointer code; covered by the differential tests (every case
/// through both lookups) and by an AddressSanitizer run.
struct BatchEmitter {
    let layout: BatchLayout
    let original: [Instruction]
    let options: PatchOptions
    /// What the pass found about displacement ranges and wide loads.
    struct Findings {
        /// Original slots whose re-targeted 16-bit displacement overflowed.
        var overflowingJumps: [Int] = []
        /// True when a displacement inside a replacement, or a 32-bit one, overflowed.
        var overflowedElsewhere = false
        /// The patch of the first symbolic reference found overflowing while
        /// nothing else had overflowed yet, if any.
        var overflowingFixupPatch: Int?
        /// The largest magnitude of a final 16-bit displacement: with the
        /// removed slot count it bounds every intermediate value.
        var largestJump = 0
        /// True when a replaced or removed slot held a backward reference that
        /// earlier steps may push past its field before its own step.
        var needsStepCheck = false
        /// True when the screen could not clear the `ld_imm64` rule: the
        /// exact check (`BatchLayout.checkWideLoads`) must judge the result.
        var wideLoadsSuspect = false

        /// Some displacement did not fit its field; the caller then finds
        /// the first failing patch.
        var overflowed: Bool { !overflowingJumps.isEmpty || overflowedElsewhere }
    }
    private(set) var findings = Findings()

    /// References queued before `flush` re-targets them: enough for many
    /// far targets' loads to be in flight, few enough for the scratch
    /// buffers to stay in the L1 cache (measured: 256 and 4,096 ran at the
    /// same speed at N = 100k and 1M).
    static var queueCapacity: Int { 1024 }

    init(layout: BatchLayout, original: [Instruction], options: PatchOptions) {
        self.layout = layout
        self.original = original
        self.options = options
    }

    /// - Complexity: O(n + m + p).
    mutating func emit() throws(PatchError) -> [Instruction] {
        var failure: PatchError?
        let output = [Instruction](unsafeUninitializedCapacity: layout.newCount) { out, initialized in
            do throws(PatchError) {
                try emit(into: out)
                initialized = out.count
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return output
    }

    /// Writes the new program into `output`, which the caller keeps: its
    /// `count` becomes the new slot count, its storage is reused when it
    /// is unique and large enough. On a throw, `output` is emptied.
    ///
    /// - Complexity: O(n + m + p).
    mutating func emit(into output: inout [Instruction]) throws(PatchError) {
        let total = layout.newCount
        if output.count > total {
            output.removeLast(output.count - total)
        } else if output.count < total {
            output.append(contentsOf: repeatElement(Instruction(code: 0), count: total - output.count))
        }
        var failure: PatchError?
        output.withUnsafeMutableBufferPointer { out in
            do throws(PatchError) { try emit(into: out) } catch { failure = error }
        }
        if let failure {
            output.removeAll(keepingCapacity: true)
            throw failure
        }
    }

    /// Writes all `layout.newCount` slots of `out`; sets `findings`.
    ///
    /// Programs of at most `options.denseLookupLimit` slots look targets up
    /// in a 4-byte-per-slot table built for the pass (it stays in cache
    /// there, and one load beats the compact map's rank); larger ones in
    /// the compact index map, which stays in cache where such a table would
    /// not.
    private mutating func emit(into out: UnsafeMutableBufferPointer<Instruction>) throws(PatchError) {
        let found: Findings
        if original.count <= options.denseLookupLimit {
            let dense = DenseStarts(placed: layout.placed, originalCount: original.count, newCount: layout.newCount)
            defer { dense.deallocate() }
            found = try pass(into: out, lookup: dense)
        } else {
            var result: Findings?
            var failure: PatchError?
            let map = layout.map
            map.withLookup { lookup in
                do throws(PatchError) { result = try pass(into: out, lookup: lookup) } catch { failure = error }
            }
            if let failure { throw failure }
            found = result!
        }
        findings = found
    }

    /// One emission pass with `lookup` for S(x).
    private func pass<Lookup: StartLookup>(into out: UnsafeMutableBufferPointer<Instruction>,
                                           lookup: Lookup) throws(PatchError) -> Findings {
        var failure: PatchError?
        var found = Findings()
        var written = 0
        original.withUnsafeBufferPointer { orig in
            Instruction.referenceTable.withUnsafeBufferPointer { referenceTable in
                layout.contents.withUnsafeBufferPointer { contents in
                    var pass = Pass(orig: orig, map: lookup, referenceTable: referenceTable.baseAddress!,
                                    contents: contents, out: out, layout: layout)
                    do throws(PatchError) {
                        try pass.run()
                    } catch {
                        failure = error
                    }
                    let targetsMeetZeroCodes = pass.targetsMeetZeroCodes()
                    pass.deallocate()
                    found = pass.findings
                    found.wideLoadsSuspect = pass.suspect || pass.previousWasFirst || targetsMeetZeroCodes
                    written = pass.written
                }
            }
        }
        if let failure { throw failure }
        assert(written == layout.newCount, "the pass writes every new slot")
        return found
    }

    /// The state of one emission pass over raw buffers.
    private struct Pass<Lookup: StartLookup> {
        let orig: UnsafeBufferPointer<Instruction>
        let map: Lookup
        /// `Instruction.referenceTable`: a reference is found by a load, not a branch.
        let referenceTable: UnsafePointer<UInt32>
        let contents: UnsafeBufferPointer<Instruction>
        let out: UnsafeMutableBufferPointer<Instruction>
        let layout: BatchLayout
        let newCount: Int
        var written = 0
        var findings = Findings()
        /// The screen of the `ld_imm64` rule found something (see the type's comment).
        var suspect = false
        /// The last slot written has code 0x18: the next must have code 0.
        var previousWasFirst = false
        /// The queue of references copied but not yet re-targeted: their
        /// original and new slots (32 bits: below the slot limit). For a
        /// replacement's reference ahead of it, the "original slot" is the
        /// one from which its displacement reaches its target in original
        /// spacing.
        let queuedOriginal: UnsafeMutablePointer<Int32>
        let queuedNew: UnsafeMutablePointer<Int32>
        var queued = 0
        let queueCapacity: Int
        /// New slots behind a replacement that its references target: their
        /// codes are read together (`screenBehind`), so that the far loads
        /// overlap.
        let queuedBehind: UnsafeMutablePointer<Int32>
        var behindCount = 0
        /// Scratch for `flush`: the targets, then their new starts.
        let referenceTargets: UnsafeMutablePointer<Int>
        /// Scratch for `flush`: each target's first load (`StartLookup.probe`).
        let referenceProbes: UnsafeMutablePointer<Lookup.Probe>
        /// Scratch for `flush`: each target's second stage
        /// (`StartLookup.prepare`, then S(x) encoded; 32 bits: below the slot limit).
        let referenceRanks: UnsafeMutablePointer<Int32>
        /// One bit per original slot: its code is 0 (set for every slot
        /// copied and every patch site).
        let zeroCodes: UnsafeMutablePointer<UInt64>
        /// One bit per original slot: a reference to it was re-targeted.
        let targets: UnsafeMutablePointer<UInt64>
        let bitmapWords: Int
        /// Removals whose landing slot (the next slot written) is not known
        /// yet: whether one of their sites has code 0, whether one has not.
        var pendingRemovalOfSecond = false
        var pendingRemovalOfOther = false

        init(orig: UnsafeBufferPointer<Instruction>, map: Lookup, referenceTable: UnsafePointer<UInt32>,
             contents: UnsafeBufferPointer<Instruction>,
             out: UnsafeMutableBufferPointer<Instruction>, layout: BatchLayout) {
            self.orig = orig
            self.map = map
            self.referenceTable = referenceTable
            self.contents = contents
            self.out = out
            self.layout = layout
            self.newCount = layout.newCount
            // No queue is longer than the program.
            let scratch = max(1, min(BatchEmitter.queueCapacity, orig.count))
            queueCapacity = scratch
            queuedOriginal = .allocate(capacity: scratch)
            queuedNew = .allocate(capacity: scratch)
            queuedBehind = .allocate(capacity: scratch)
            referenceTargets = .allocate(capacity: scratch)
            referenceRanks = .allocate(capacity: scratch)
            referenceProbes = .allocate(capacity: scratch)
            bitmapWords = (orig.count &+ 63) &>> 6
            zeroCodes = .allocate(capacity: bitmapWords)
            zeroCodes.initialize(repeating: 0, count: bitmapWords)
            targets = .allocate(capacity: bitmapWords)
            targets.initialize(repeating: 0, count: bitmapWords)
        }

        func deallocate() {
            queuedOriginal.deallocate()
            queuedNew.deallocate()
            queuedBehind.deallocate()
            referenceTargets.deallocate()
            referenceRanks.deallocate()
            referenceProbes.deallocate()
            zeroCodes.deallocate()
            targets.deallocate()
        }

        /// True when some re-targeted reference lands on an original slot
        /// with code 0: the exact check must judge the result.
        ///
        /// - Complexity: O(n / 64).
        func targetsMeetZeroCodes() -> Bool {
            var meet: UInt64 = 0
            for w in 0..<bitmapWords { meet |= zeroCodes[w] & targets[w] }
            return meet != 0
        }

        /// Notes a reference to original slot `x`, which the pass copies or
        /// patches: its code is judged with every other target's at the end.
        @inline(__always)
        func noteTarget(_ x: Int) {
            targets[x &>> 6] |= 1 &<< UInt64(truncatingIfNeeded: x & 63)
        }

        mutating func run() throws(PatchError) {
            var x = 0
            for patch in layout.placed {
                try copyRun(from: x, to: patch.site)
                screenLanding(patch)
                noteReplacedBackwardReferences(patch)
                if patch.length > 0 {
                    // The queued references come first in slot order: their errors too.
                    do throws(PatchError) { try emitReplacement(patch) } catch { try flush(); throw error }
                }
                x = patch.site + patch.span
            }
            try copyRun(from: x, to: orig.count)
            try flush()
            suspect = screenBehind() || suspect
        }

        /// True when a queued target behind its replacement is a second
        /// slot; empties that queue.
        mutating func screenBehind() -> Bool {
            var zero = false
            for j in 0..<behindCount {
                zero = zero || out[Int(queuedBehind[j])].code == Instruction.loadImmediate64SecondCode
            }
            behindCount = 0
            return zero
        }

        /// The screen judges a reference by its target's original code (the
        /// bitmaps); for a patch site the slot it lands on is another (the
        /// replacement's first slot; for a removal, the next slot written).
        /// When the two differ in being a second slot, the screen cannot be trusted and
        /// the exact check must run. Checked here, forwards, for the patch
        /// and for the removals still waiting for their landing slot.
        ///
        /// - Complexity: O(1).
        @inline(__always)
        mutating func screenLanding(_ patch: BatchLayout.Placed) {
            let siteIsSecond = WideLoads.isSecondHalf(orig[patch.site])
            // The site's code bit: the copy loop does not see patch sites.
            if siteIsSecond { zeroCodes[patch.site &>> 6] |= 1 &<< UInt64(truncatingIfNeeded: patch.site & 63) }
            if patch.length > 0 {
                let landsOnSecond = WideLoads.isSecondHalf(contents[patch.contentStart])
                settlePendingRemovals(landingOnSecond: landsOnSecond)
                suspect = suspect || landsOnSecond != siteIsSecond
            } else if siteIsSecond {
                pendingRemovalOfSecond = true
            } else {
                pendingRemovalOfOther = true
            }
        }

        /// The next slot written is where the pending removals land.
        @inline(__always)
        mutating func settlePendingRemovals(landingOnSecond: Bool) {
            suspect = suspect || (landingOnSecond ? pendingRemovalOfOther : pendingRemovalOfSecond)
            pendingRemovalOfSecond = false
            pendingRemovalOfOther = false
        }

        /// A backward reference in a slot that a patch replaces or removes is
        /// still moved by the earlier steps between its target and its site,
        /// and the kernel checks it there. Flag the batch for the exact
        /// per-step check when such a reference could pass its field's limit:
        /// the growth inside its span is at most the change of the index
        /// map's shift across the span plus every removed slot.
        @inline(__always)
        mutating func noteReplacedBackwardReferences(_ patch: BatchLayout.Placed) {
            guard !findings.needsStepCheck else { return }
            let shiftAtPatch = patch.newStart - patch.site
            for x in patch.site..<(patch.site + patch.span) {
                let entry = referenceTable[Int(orig[x].code)]
                guard (entry &>> UInt32(truncatingIfNeeded: orig[x].registers &>> 4)) & 1 == 1 else { continue }
                let field: ReferenceField = (entry &>> UInt32(Instruction.referenceTableImmediateBit)) & 1 == 1 ? .immediate : .offset
                let d = field == .offset ? Int(orig[x].offset) : Int(orig[x].immediate)
                let t = x + d + 1
                // The shift at t is at least −removedCount: without a lookup,
                // most references (every 32-bit one) are clear.
                guard d < 0, t >= 0, d - (shiftAtPatch + 2 * layout.removedCount) < field.range.lowerBound else { continue }
                let s = map.encodedStart(t)
                guard s >= 0 else { findings.needsStepCheck = true; return }   // a target inside a hole: be exact
                let growthBound = shiftAtPatch - (s - t) + layout.removedCount
                if d - growthBound < field.range.lowerBound {
                    findings.needsStepCheck = true
                    return
                }
            }
        }


        /// Copies untouched original slots `lower..<upper`; their references
        /// are queued for `flush`.
        ///
        /// The hot loop of the engine, in chunks that fit the queue: one
        /// pass copies the slots and screens their codes a 64-slot word at
        /// a time (the `ld_imm64` pairing, the code-0 slots, where the
        /// references are, which it queues), without a branch per slot.
        @inline(__always)
        mutating func copyRun(from lower: Int, to upper: Int) throws(PatchError) {
            guard lower < upper else { return }
            settlePendingRemovals(landingOnSecond: WideLoads.isSecondHalf(orig[lower]))
            let shift = written - lower
            let source = orig.baseAddress!
            let destination = out.baseAddress! + shift   // destination[i]: new slot of original i
            let rawSource = UnsafeRawPointer(source)
            let rawDestination = UnsafeMutableRawPointer(destination)
            let zeroCodes = zeroCodes
            let table = referenceTable
            let queuedOriginal = queuedOriginal
            let queuedNew = queuedNew
            var first = previousWasFirst
            var mismatch: UInt64 = 0   // slots where the ld_imm64 screen failed
            var chunkStart = lower
            while chunkStart < upper {
                if queued == queueCapacity { try flush() }
                let chunkEnd = min(chunkStart &+ (queueCapacity &- queued), upper)
                var count = queued
                // Per slot: the copy (one 8-byte load and store: runs are
                // short, a memcpy call per run cost more) and a word of bits
                // per 64 original slots (code 0, code 0x18, reference); then
                // word operations: the ld_imm64 screen (code 0 exactly after
                // code 0x18) and the queue, from the reference bits.
                var i = chunkStart
                while i < chunkEnd {
                    let wordBase = i & ~63
                    let wordEnd = min(wordBase &+ 64, chunkEnd)
                    let low = UInt64(truncatingIfNeeded: i & 63)
                    var zeros: UInt64 = 0, firsts: UInt64 = 0, references: UInt64 = 0
                    while i < wordEnd {
                        rawDestination.storeBytes(of: rawSource.loadUnaligned(fromByteOffset: i &<< 3, as: UInt64.self),
                                                  toByteOffset: i &<< 3, as: UInt64.self)
                        let code = source[i].code
                        let bit = UInt64(truncatingIfNeeded: i & 63)
                        zeros |= UInt64(truncatingIfNeeded: code == Instruction.loadImmediate64SecondCode ? 1 : 0) &<< bit
                        firsts |= UInt64(truncatingIfNeeded: code == Instruction.loadImmediate64Code ? 1 : 0) &<< bit
                        let entry = table[Int(code)]
                        references |= UInt64(truncatingIfNeeded: (entry &>> UInt32(truncatingIfNeeded: source[i].registers &>> 4)) & 1) &<< bit
                        i &+= 1
                    }
                    let high = UInt64(truncatingIfNeeded: (wordEnd &- 1) & 63)
                    let valid = (UInt64.max &>> (63 &- high)) & (UInt64.max &<< low)
                    let expected = (firsts &<< 1) | (first ? 1 &<< low : 0)
                    mismatch |= (zeros ^ expected) & valid
                    first = (firsts &>> high) & 1 == 1
                    zeroCodes[wordBase &>> 6] |= zeros
                    while references != 0 {
                        let x = wordBase &+ references.trailingZeroBitCount
                        queuedOriginal[count] = Int32(truncatingIfNeeded: x)
                        queuedNew[count] = Int32(truncatingIfNeeded: x &+ shift)
                        count &+= 1
                        references &= references &- 1
                    }
                }
                queued = count
                chunkStart = chunkEnd
            }
            let suspicious = mismatch != 0
            previousWasFirst = first
            suspect = suspect || suspicious
            written = upper + shift
        }

        /// Re-targets the queued references (already copied to their new
        /// slots), in short loops whose index-map loads do not depend on
        /// each other, so that the cache misses of far targets overlap:
        /// the targets and their blocks, then the blocks' events, then the
        /// new displacements. The queue spans many runs, so that a loop
        /// sees many far targets even when patches are dense.
        ///
        /// Branch-free but for errors: both fields are written back, the one
        /// that is not the reference unchanged. A target outside the program
        /// stops the first loop; the references before it are still checked
        /// for holes first, so the error is the one of the first bad slot,
        /// as in a single loop. Whatever is thrown after a reference was
        /// queued flushes the queue first, for the same reason.
        mutating func flush() throws(PatchError) {
            let count = queued
            guard count > 0 else { return }
            queued = 0
            let base = out.baseAddress!
            let table = referenceTable
            let immediateBit = UInt32(Instruction.referenceTableImmediateBit)
            let queuedOriginal = queuedOriginal
            let queuedNew = queuedNew
            let targetSlots = referenceTargets
            let ranks = referenceRanks
            let n = orig.count
            let probes = referenceProbes
            // The targets, stopping at one outside the program.
            var inRange = count
            for j in 0..<count {
                let insn = base[Int(queuedNew[j])]
                let wide = (table[Int(insn.code)] &>> immediateBit) & 1 == 1
                let d = wide ? Int(insn.immediate) : Int(insn.offset)
                let t = Int(queuedOriginal[j]) &+ d &+ 1
                targetSlots[j] = t
                guard UInt(bitPattern: t) < UInt(bitPattern: n) else { inRange = j; break }
            }
            // The lookups' stages, each loop nothing but independent loads
            // or arithmetic on what the previous loop loaded.
            for j in 0..<inRange { probes[j] = map.probe(targetSlots[j]) }
            for j in 0..<inRange { ranks[j] = Int32(truncatingIfNeeded: map.prepare(targetSlots[j], probe: probes[j])) }
            for j in 0..<inRange {
                ranks[j] = Int32(truncatingIfNeeded: map.encodedStart(targetSlots[j], prepared: Int(ranks[j])))
            }
            if inRange < count {
                // The references before it are checked for holes first.
                for j in 0..<inRange where !(0..<newCount).contains(Int(ranks[j])) {
                    throw hole(at: Int(queuedOriginal[j]), new: Int(queuedNew[j]), target: targetSlots[j])
                }
                throw outside(at: Int(queuedOriginal[inRange]), new: Int(queuedNew[inRange]), target: targetSlots[inRange])
            }
            // The hole check, the target's bit and the new displacement.
            var largest = findings.largestJump
            var overflow32 = false
            for j in 0..<count {
                let t = targetSlots[j]
                let s = Int(ranks[j])
                guard s >= 0 && s < newCount else { throw hole(at: Int(queuedOriginal[j]), new: Int(queuedNew[j]), target: t) }
                noteTarget(t)
                let o = Int(queuedNew[j])
                var insn = base[o]
                let wide = (table[Int(insn.code)] &>> immediateBit) & 1 == 1
                let value = s &- o &- 1
                let fits32 = value == Int(Int32(truncatingIfNeeded: value))
                let fits16 = value == Int(Int16(truncatingIfNeeded: value))
                overflow32 = overflow32 || (wide && !fits32)
                let magnitude = wide ? 0 : (value < 0 ? 0 &- value : value)
                largest = magnitude > largest ? magnitude : largest
                insn.immediate = wide ? Int32(truncatingIfNeeded: value) : insn.immediate
                insn.offset = wide ? insn.offset : Int16(truncatingIfNeeded: value)
                base[o] = insn
                if !wide && !fits16 { noteOverflow(Int(queuedOriginal[j]), new: o) }
            }
            if overflow32 { findings.overflowedElsewhere = true }
            findings.largestJump = largest
        }

        /// A queued 16-bit displacement at new slot `o` does not fit: an
        /// original jump (relaxable) or one of a replacement.
        @inline(never)
        mutating func noteOverflow(_ i: Int, new o: Int) {
            if layout.replacement(containingNew: o) == nil {
                findings.overflowingJumps.append(i)
            } else {
                findings.overflowedElsewhere = true
            }
        }

        /// The error for the queued reference at new slot `o` (original slot
        /// `i`) whose target `t` is outside the original program.
        @inline(never)
        func outside(at i: Int, new o: Int, target t: Int) -> PatchError {
            if let placed = layout.replacement(containingNew: o) {
                return PatchError(.targetOutsideProgram, patch: placed.number, slot: SlotIndex(placed.site),
                                  "instruction \(o - placed.newStart) of the replacement targets original slot \(t), past the end of the program")
            }
            return PatchError(.targetOutsideProgram, slot: SlotIndex(i),
                              "the reference at original slot \(i) targets slot \(t), outside the \(orig.count)-slot program")
        }

        /// The error for the queued reference at new slot `o` (original slot
        /// `i`) whose target `t` lies strictly inside a removed run or was
        /// removed with the program's end.
        @inline(never)
        func hole(at i: Int, new o: Int, target t: Int) -> PatchError {
            if let placed = layout.replacement(containingNew: o) {
                return landingError(t, map.encodedStart(t), SlotIndex(placed.site), placed.number)
            }
            return landingError(t, map.encodedStart(t), SlotIndex(i), nil)
        }

        /// Where a reference to original slot `t` lands, with the hole check
        /// (whether it lands on a second slot is judged with the other
        /// targets at the end of the pass).
        @inline(__always)
        func landing(ofOriginal t: Int, from site: SlotIndex, patch: Int?) throws(PatchError) -> Int {
            let s = map.encodedStart(t)
            guard s >= 0 && s < newCount else { throw landingError(t, s, site, patch) }
            return s
        }

        /// Errors name a patch and that patch's site: the reference's own
        /// patch, or else the removal that swallowed its target.
        @inline(never)
        func landingError(_ t: Int, _ s: Int, _ site: SlotIndex, _ patch: Int?) -> PatchError {
            if s < 0 {
                let hole = layout.patchCovering(t)!
                return PatchError(.targetInsideRemoval, patch: patch ?? hole.number, slot: patch == nil ? SlotIndex(hole.site) : site,
                                  "the reference at original slot \(site) targets original slot \(t), strictly inside the run \(hole.site)..<\(hole.site + hole.span) removed by patch \(hole.number)")
            }
            let hole = layout.patchCovering(t)
            return PatchError(.targetOutsideProgram, patch: patch ?? hole?.number, slot: patch == nil ? hole.map { SlotIndex($0.site) } ?? site : site,
                              "the reference at original slot \(site) targets original slot \(t), removed with everything after it: it would land past the end of the program")
        }

        @inline(__always)
        mutating func checked(_ value: Int, _ field: ReferenceField) -> Int {
            if field == .offset {
                let magnitude = value < 0 ? -value : value
                if magnitude > findings.largestJump { findings.largestJump = magnitude }
            }
            if !field.range.contains(value) { findings.overflowedElsewhere = true }
            return value
        }

        /// Copies one replacement, reading each displacement in the layout
        /// right after its step: a target inside or behind the patch is
        /// final; one ahead is in original spacing and lands like a
        /// pre-existing reference to that original slot.
        mutating func emitReplacement(_ placed: BatchLayout.Placed) throws(PatchError) {
            let start = placed.newStart
            let length = placed.length
            let insns = UnsafeBufferPointer(start: contents.baseAddress! + placed.contentStart, count: length)
            let site = SlotIndex(placed.site)
            guard placed.hasFixups else {
                try copyReferences(placed, insns, symbolic: nil)
                written = start + length
                return
            }
            let fixups = layout.patches[placed.number].fixups
            // The positions a fixup fills in: no kernel step reads them.
            var symbolic = [Bool](repeating: false, count: length)
            for fixup in fixups where fixup.position >= 0 && fixup.position < length {
                guard !symbolic[fixup.position] else {
                    throw PatchError(.invalidFixup, patch: placed.number, slot: site, "two fixups for position \(fixup.position)")
                }
                symbolic[fixup.position] = true
            }
            try symbolic.withUnsafeBufferPointer { symbolic throws(PatchError) in
                try copyReferences(placed, insns, symbolic: symbolic)
            }
            // Whether something overflowed before a fixup is decided in slot order.
            try flush()
            for fixup in fixups {
                try resolve(fixup, in: placed, insns: insns)
            }
            written = start + length
        }

        /// Screens the copied replacement `insns` and re-targets its
        /// references, but those at the `symbolic` positions (fixups).
        @inline(__always)
        mutating func copyReferences(_ placed: BatchLayout.Placed, _ insns: UnsafeBufferPointer<Instruction>,
                                     symbolic: UnsafeBufferPointer<Bool>?) throws(PatchError) {
            let start = placed.newStart
            let length = placed.length
            let site = SlotIndex(placed.site)
            // The screen's state in locals: it is written back once.
            var suspicious = suspect
            var first = previousWasFirst
            // Copied slot by slot with the screen (replacements are short: a
            // memcpy call cost more than the copy).
            let rawInsns = UnsafeRawPointer(insns.baseAddress!)
            let rawOut = UnsafeMutableRawPointer(out.baseAddress! + start)
            for c in 0..<length {
                rawOut.storeBytes(of: rawInsns.loadUnaligned(fromByteOffset: c &<< 3, as: UInt64.self),
                                  toByteOffset: c &<< 3, as: UInt64.self)
                let code = insns[c].code
                suspicious = suspicious || (code == Instruction.loadImmediate64SecondCode) != first
                first = code == Instruction.loadImmediate64Code
                let entry = referenceTable[Int(code)]
                guard (entry &>> UInt32(truncatingIfNeeded: insns[c].registers &>> 4)) & 1 == 1,
                      !(symbolic?[c] ?? false) else { continue }
                let field: ReferenceField = (entry &>> UInt32(Instruction.referenceTableImmediateBit)) & 1 == 1 ? .immediate : .offset
                let own = start &+ c
                let d = field == .offset ? Int(insns[c].offset) : Int(insns[c].immediate)
                let current = own &+ d &+ 1
                let target: Int
                if current < start &+ length {
                    // Behind or inside the patch: already final.
                    guard current >= 0 else {
                        throw PatchError(.targetOutsideProgram, patch: placed.number, slot: site,
                                         "instruction \(c) of the replacement jumps before the start of the program")
                    }
                    if current < start {
                        // Behind: its code is read later with others' (a far load).
                        if behindCount == queueCapacity { suspicious = screenBehind() || suspicious }
                        queuedBehind[behindCount] = Int32(truncatingIfNeeded: current)
                        behindCount &+= 1
                    } else {
                        // Inside: read from the replacement (a later slot is not copied yet).
                        suspicious = suspicious || insns[current &- start].code == Instruction.loadImmediate64SecondCode
                    }
                    target = current
                } else {
                    // Ahead: in original spacing, it lands like an original
                    // reference to slot site + 1 + (current − start − length),
                    // so it is queued as one at that base: `flush` finds the
                    // same target from the same displacement.
                    if queued == queueCapacity { try flush() }
                    queuedOriginal[queued] = Int32(truncatingIfNeeded: placed.site &+ 1 &- (start &+ length &- own))
                    queuedNew[queued] = Int32(truncatingIfNeeded: own)
                    queued &+= 1
                    continue
                }
                let nd = checked(target &- own &- 1, field)
                if field == .offset { out[own].offset = Int16(truncatingIfNeeded: nd) } else { out[own].immediate = Int32(truncatingIfNeeded: nd) }
            }
            suspect = suspicious
            previousWasFirst = first
        }

        /// Resolves one symbolic reference against the final layout.
        mutating func resolve(_ fixup: Fixup, in placed: BatchLayout.Placed, insns: UnsafeBufferPointer<Instruction>) throws(PatchError) {
            let patch = layout.patches[placed.number]
            let p = fixup.position
            guard p >= 0 && p < insns.count, let field = insns[p].referenceField else {
                throw PatchError(.invalidFixup, patch: placed.number, slot: patch.site,
                                 "fixup position \(p) is not a jump, call or pseudo-func ld_imm64 of the replacement")
            }
            let target: Int
            switch fixup.target {
            case .local(let k):
                guard k >= 0 && k <= insns.count else {
                    throw PatchError(.invalidFixup, patch: placed.number, slot: patch.site,
                                     "fixup label \(k) is outside the \(insns.count)-slot replacement")
                }
                // k == count is a valid label (the slot after the patch); with
                // nothing after the patch it is a target past the end, as in the model.
                guard placed.newStart + k < layout.newCount else {
                    throw PatchError(.targetOutsideProgram, patch: placed.number, slot: patch.site,
                                     "fixup label \(k) is the slot after the replacement, past the end of the \(layout.newCount)-slot result")
                }
                // Label k == count is the slot after the patch: a reference to original site + 1.
                let landsOn = k < insns.count ? insns[k] : orig[placed.site + 1]
                suspect = suspect || WideLoads.isSecondHalf(landsOn)
                target = placed.newStart + k
            case .original(let x):
                guard x.rawValue >= 0 && x.rawValue < orig.count else {
                    throw PatchError(.invalidFixup, patch: placed.number, slot: patch.site,
                                     "fixup targets original slot \(x), outside the \(orig.count)-slot program")
                }
                target = try landing(ofOriginal: x.rawValue, from: patch.site, patch: placed.number)
                noteTarget(x.rawValue)
            }
            let own = placed.newStart + p
            let wasOverflowed = findings.overflowed
            let nd = checked(target - own - 1, field)
            if findings.overflowed && !wasOverflowed && findings.overflowingFixupPatch == nil {
                findings.overflowingFixupPatch = placed.number
            }
            if field == .offset { out[own].offset = Int16(truncatingIfNeeded: nd) } else { out[own].immediate = Int32(truncatingIfNeeded: nd) }
        }
    }
}
