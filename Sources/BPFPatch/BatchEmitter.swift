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
/// what is left per slot is a bulk copy, a table load and a few bit
/// operations, and per reference one index-map lookup and one range test.
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

    /// Slots per chunk of `copyRun`: the positions of a chunk's
    /// references fit small buffers that stay in the L1 cache.
    static var chunk: Int { 1024 }

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
        /// Scratch for `copyRun`: the positions of one chunk's references.
        let referencePositions: UnsafeMutablePointer<Int>
        /// Scratch for `copyRun`: their targets, then the targets' new starts.
        let referenceTargets: UnsafeMutablePointer<Int>
        /// Scratch for `copyRun`: the first half of each target's lookup
        /// (`StartLookup.prepare`; 32 bits: an event count or a start).
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
            // No chunk is longer than the program.
            let scratch = max(1, min(BatchEmitter.chunk, orig.count))
            referencePositions = .allocate(capacity: scratch)
            referenceTargets = .allocate(capacity: scratch)
            referenceRanks = .allocate(capacity: scratch)
            bitmapWords = (orig.count &+ 63) &>> 6
            zeroCodes = .allocate(capacity: bitmapWords)
            zeroCodes.initialize(repeating: 0, count: bitmapWords)
            targets = .allocate(capacity: bitmapWords)
            targets.initialize(repeating: 0, count: bitmapWords)
        }

        func deallocate() {
            referencePositions.deallocate()
            referenceTargets.deallocate()
            referenceRanks.deallocate()
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
                    try emitReplacement(patch)
                }
                x = patch.site + patch.span
            }
            try copyRun(from: x, to: orig.count)
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
        mutating func noteReplacedBackwardReferences(_ patch: BatchLayout.Placed) {
            guard !findings.needsStepCheck else { return }
            let shiftAtPatch = patch.newStart - patch.site
            for x in patch.site..<(patch.site + patch.span) {
                let entry = referenceTable[Int(orig[x].code)]
                guard (entry &>> UInt32(truncatingIfNeeded: orig[x].registers &>> 4)) & 1 == 1 else { continue }
                let field: ReferenceField = (entry &>> UInt32(Instruction.referenceTableImmediateBit)) & 1 == 1 ? .immediate : .offset
                let d = field == .offset ? Int(orig[x].offset) : Int(orig[x].immediate)
                let t = x + d + 1
                guard d < 0, t >= 0 else { continue }
                let s = map.encodedStart(t)
                guard s >= 0 else { findings.needsStepCheck = true; return }   // a target inside a hole: be exact
                let growthBound = shiftAtPatch - (s - t) + layout.removedCount
                if d - growthBound < field.range.lowerBound {
                    findings.needsStepCheck = true
                    return
                }
            }
        }


        /// Copies untouched original slots `lower..<upper`, re-targeting references.
        ///
        /// The hot loop of the engine, in chunks: the slots are copied in
        /// bulk, then one pass over their codes screens the `ld_imm64`
        /// pairing, notes the code-0 slots and where the references are,
        /// without a branch per slot; then those references are re-targeted,
        /// in short loops whose index-map loads do not depend on each other,
        /// so that their cache misses overlap.
        @inline(__always)
        mutating func copyRun(from lower: Int, to upper: Int) throws(PatchError) {
            guard lower < upper else { return }
            settlePendingRemovals(landingOnSecond: WideLoads.isSecondHalf(orig[lower]))
            let shift = written - lower
            let source = orig.baseAddress!
            let destination = out.baseAddress! + shift   // destination[i]: new slot of original i
            let positions = referencePositions
            let targetSlots = referenceTargets
            let ranks = referenceRanks
            let zeroCodes = zeroCodes
            let table = referenceTable
            let immediateBit = UInt32(Instruction.referenceTableImmediateBit)
            let n = orig.count
            var first = previousWasFirst
            var suspicious = false
            var largest = findings.largestJump
            var chunkStart = lower
            while chunkStart < upper {
                let chunkEnd = min(chunkStart &+ BatchEmitter.chunk, upper)
                var count = 0
                var zeros: UInt64 = 0   // the code-0 bits of word i >> 6, not yet stored
                // The copy in bulk; the loop below only reads two bytes a slot.
                (destination + chunkStart).initialize(from: source + chunkStart, count: chunkEnd &- chunkStart)
                var i = chunkStart
                while i < chunkEnd {
                    let code = source[i].code
                    let isZero = code == Instruction.loadImmediate64SecondCode
                    // The ld_imm64 screen: code 0 exactly after code 0x18.
                    suspicious = suspicious || (isZero != first)
                    first = code == Instruction.loadImmediate64Code
                    zeros |= UInt64(isZero ? 1 : 0) &<< UInt64(truncatingIfNeeded: i & 63)
                    if i & 63 == 63 {
                        zeroCodes[i &>> 6] |= zeros
                        zeros = 0
                    }
                    positions[count] = i
                    let entry = table[Int(code)]
                    count &+= Int(truncatingIfNeeded: (entry &>> UInt32(truncatingIfNeeded: source[i].registers &>> 4)) & 1)
                    i &+= 1
                }
                zeroCodes[(chunkEnd &- 1) &>> 6] |= zeros
                // Three short loops over the chunk's references instead of
                // one long one, so that many of the index map's loads are in
                // flight at once: the targets and their blocks, then the
                // blocks' events, then the new displacements. Branch-free
                // but for errors: both fields are written back, the one that
                // is not the reference unchanged.
                // A target outside the program stops the first loop; the
                // references before it are still checked for holes first,
                // so the error is the one of the first bad slot, as in a
                // single loop.
                var inRange = count
                for j in 0..<count {
                    let insn = destination[positions[j]]
                    let wide = (table[Int(insn.code)] &>> immediateBit) & 1 == 1
                    let d = wide ? Int(insn.immediate) : Int(insn.offset)
                    let t = positions[j] &+ d &+ 1
                    targetSlots[j] = t
                    guard UInt(bitPattern: t) < UInt(bitPattern: n) else { inRange = j; break }
                    ranks[j] = Int32(truncatingIfNeeded: map.prepare(t))
                }
                for j in 0..<inRange {
                    let t = targetSlots[j]
                    let s = map.encodedStart(t, prepared: Int(ranks[j]))
                    guard s >= 0 && s < newCount else { throw hole(at: positions[j], target: t) }
                    noteTarget(t)
                    targetSlots[j] = s
                }
                if inRange < count { throw outside(at: positions[inRange], target: targetSlots[inRange]) }
                var overflow32 = false
                for j in 0..<count {
                    let i = positions[j]
                    var insn = destination[i]
                    let wide = (table[Int(insn.code)] &>> immediateBit) & 1 == 1
                    let value = targetSlots[j] &- (i &+ shift) &- 1
                    let fits32 = value == Int(Int32(truncatingIfNeeded: value))
                    let fits16 = value == Int(Int16(truncatingIfNeeded: value))
                    overflow32 = overflow32 || (wide && !fits32)
                    let magnitude = wide ? 0 : (value < 0 ? 0 &- value : value)
                    largest = magnitude > largest ? magnitude : largest
                    insn.immediate = wide ? Int32(truncatingIfNeeded: value) : insn.immediate
                    insn.offset = wide ? insn.offset : Int16(truncatingIfNeeded: value)
                    destination[i] = insn
                    if !wide && !fits16 { noteOverflow(i) }
                }
                if overflow32 { findings.overflowedElsewhere = true }
                chunkStart = chunkEnd
            }
            previousWasFirst = first
            suspect = suspect || suspicious
            findings.largestJump = largest
            written = upper + shift
        }

        @inline(never)
        mutating func noteOverflow(_ i: Int) { findings.overflowingJumps.append(i) }

        /// The error for an original reference at `i` whose target `t` is
        /// outside the original program.
        @inline(never)
        func outside(at i: Int, target t: Int) -> PatchError {
            PatchError(.targetOutsideProgram, slot: SlotIndex(i),
                       "the reference at original slot \(i) targets slot \(t), outside the \(orig.count)-slot program")
        }

        /// The error for an original reference at `i` whose target `t` lies
        /// strictly inside a removed run or was removed with the program's end.
        @inline(never)
        func hole(at i: Int, target t: Int) -> PatchError {
            landingError(t, map.encodedStart(t), SlotIndex(i), nil)
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
            (out.baseAddress! + start).initialize(from: insns.baseAddress!, count: length)
            let fixups = placed.hasFixups ? layout.patches[placed.number].fixups : []
            // The positions a fixup fills in: no kernel step reads them.
            var symbolic: [Bool] = []
            if placed.hasFixups {
                symbolic = [Bool](repeating: false, count: length)
                for fixup in fixups where fixup.position >= 0 && fixup.position < length {
                    guard !symbolic[fixup.position] else {
                        throw PatchError(.invalidFixup, patch: placed.number, slot: site, "two fixups for position \(fixup.position)")
                    }
                    symbolic[fixup.position] = true
                }
            }
            // The screen's state in locals: it is written back once.
            var suspicious = suspect
            var first = previousWasFirst
            for c in 0..<length {
                let code = insns[c].code
                suspicious = suspicious || (code == Instruction.loadImmediate64SecondCode) != first
                first = code == Instruction.loadImmediate64Code
                let entry = referenceTable[Int(code)]
                guard (entry &>> UInt32(truncatingIfNeeded: insns[c].registers &>> 4)) & 1 == 1,
                      !(placed.hasFixups && symbolic[c]) else { continue }
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
                    suspicious = suspicious || out[current].code == Instruction.loadImmediate64SecondCode
                    target = current
                } else {
                    let x = placed.site &+ 1 &+ (current &- start &- length)
                    guard x < orig.count else {
                        throw PatchError(.targetOutsideProgram, patch: placed.number, slot: site,
                                         "instruction \(c) of the replacement targets original slot \(x), past the end of the program")
                    }
                    target = try landing(ofOriginal: x, from: site, patch: placed.number)
                    noteTarget(x)
                }
                let nd = checked(target &- own &- 1, field)
                if field == .offset { out[own].offset = Int16(truncatingIfNeeded: nd) } else { out[own].immediate = Int32(truncatingIfNeeded: nd) }
            }
            suspect = suspicious
            previousWasFirst = first
            for fixup in fixups {
                try resolve(fixup, in: placed, insns: insns)
            }
            written = start + length
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
