import BPFInstructions

/// Writes the new program in one pass: untouched runs are copied with their
/// references re-targeted through the index map; replacements are copied
/// with their displacements read the way the sequential kernel reads them.
///
/// Which slots are references is decided by each slot's own code
/// (`Instruction.referenceField`), never by a walk: a code-0 second half of
/// an `ld_imm64` is no reference, and whether the result pairs its halves
/// is judged afterwards, on the result (`WideLoads`).
///
/// With `BatchLayout.buildStarts`, the engine's only unsafe-pointer code;
/// covered by the differential tests and by an AddressSanitizer run.
struct BatchEmitter {
    let layout: BatchLayout
    let original: [Instruction]
    let options: PatchOptions
    /// What the pass found about displacement ranges.
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

        /// Some displacement did not fit its field; the caller then finds
        /// the first failing patch.
        var overflowed: Bool { !overflowingJumps.isEmpty || overflowedElsewhere }
    }
    private(set) var findings = Findings()
    var overflowed: Bool { findings.overflowed }
    var overflowingJumps: [Int] { findings.overflowingJumps }
    var overflowedElsewhere: Bool { findings.overflowedElsewhere }
    var overflowingFixupPatch: Int? { findings.overflowingFixupPatch }
    var largestJump: Int { findings.largestJump }
    var needsStepCheck: Bool { findings.needsStepCheck }

    init(layout: BatchLayout, original: [Instruction], options: PatchOptions) {
        self.layout = layout
        self.original = original
        self.options = options
    }

    mutating func emit() throws(PatchError) -> [Instruction] {
        let total = layout.newCount
        var failure: PatchError?
        var found = Findings()
        let output = [Instruction](unsafeUninitializedCapacity: total) { out, initialized in
            original.withUnsafeBufferPointer { orig in
                layout.starts.withUnsafeBufferPointer { starts in
                  layout.contents.withUnsafeBufferPointer { contents in
                    var pass = Pass(orig: orig, starts: starts, contents: contents, out: out, layout: layout)
                    do throws(PatchError) {
                        try pass.run()
                    } catch {
                        failure = error
                    }
                    found = pass.findings
                    initialized = pass.written
                  }
                }
            }
        }
        if let failure { throw failure }
        findings = found
        return output
    }

    /// The state of one emission pass over raw buffers.
    private struct Pass {
        let orig: UnsafeBufferPointer<Instruction>
        let starts: UnsafeBufferPointer<Int32>
        let contents: UnsafeBufferPointer<Instruction>
        let out: UnsafeMutableBufferPointer<Instruction>
        let layout: BatchLayout
        var written = 0
        var findings = Findings()

        init(orig: UnsafeBufferPointer<Instruction>, starts: UnsafeBufferPointer<Int32>,
             contents: UnsafeBufferPointer<Instruction>,
             out: UnsafeMutableBufferPointer<Instruction>, layout: BatchLayout) {
            self.orig = orig
            self.starts = starts
            self.contents = contents
            self.out = out
            self.layout = layout
        }

        mutating func run() throws(PatchError) {
            var x = 0
            for patch in layout.placed {
                try copyRun(from: x, to: patch.site)
                noteReplacedBackwardReferences(patch)
                if patch.length > 0 {
                    try emitReplacement(patch)
                }
                x = patch.site + patch.span
            }
            try copyRun(from: x, to: orig.count)
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
                guard let field = orig[x].referenceField, let d = orig[x].displacement, d < 0 else { continue }
                let t = x + d + 1
                guard t >= 0 else { continue }
                let s = Int(starts[t])
                guard s >= 0 else { findings.needsStepCheck = true; return }   // a target inside a hole: be exact
                let growthBound = shiftAtPatch - (s - t) + layout.removedCount
                if d - growthBound < field.range.lowerBound {
                    findings.needsStepCheck = true
                    return
                }
            }
        }

        /// Copies untouched original slots `lower..<upper`, re-targeting references.
        @inline(__always)
        mutating func copyRun(from lower: Int, to upper: Int) throws(PatchError) {
            guard lower < upper else { return }
            let shift = written - lower
            var i = lower
            while i < upper {
                var insn = orig[i]
                switch insn.referenceField {
                case .offset?:
                    insn.offset = Int16(truncatingIfNeeded: try retarget(
                        displacement: Int(insn.offset), field: .offset, at: i, newIndex: i + shift))
                case .immediate?:
                    insn.immediate = Int32(truncatingIfNeeded: try retarget(
                        displacement: Int(insn.immediate), field: .immediate, at: i, newIndex: i + shift))
                case nil:
                    break
                }
                out[i + shift] = insn
                i += 1
            }
            written = upper + shift
        }

        /// The new displacement of an original reference at original slot `i`.
        @inline(__always)
        mutating func retarget(displacement d: Int, field: ReferenceField, at i: Int, newIndex: Int) throws(PatchError) -> Int {
            let t = i + d + 1
            guard t >= 0 && t < orig.count else {
                throw PatchError(.targetOutsideProgram, slot: SlotIndex(i),
                                 "the reference at original slot \(i) targets slot \(t), outside the \(orig.count)-slot program")
            }
            let target = try landing(ofOriginal: t, from: SlotIndex(i), patch: nil)
            let value = target - newIndex - 1
            if field == .offset {
                let magnitude = value < 0 ? -value : value
                if magnitude > findings.largestJump { findings.largestJump = magnitude }
                if value < Int(Int16.min) || value > Int(Int16.max) {
                    findings.overflowingJumps.append(i)
                }
            }
            return field == .offset ? value : checked(value, field)
        }

        /// Where a reference to original slot `t` lands, with the hole check
        /// (a target on a second half is judged on the result).
        @inline(__always)
        func landing(ofOriginal t: Int, from site: SlotIndex, patch: Int?) throws(PatchError) -> Int {
            let s = starts[t]
            // Errors name a patch and that patch's site: the reference's own
            // patch, or else the removal that swallowed its target.
            guard s >= 0 else {
                let hole = layout.patchCovering(t)!
                throw PatchError(.targetInsideRemoval, patch: patch ?? hole.number, slot: patch == nil ? SlotIndex(hole.site) : site,
                                 "the reference at original slot \(site) targets original slot \(t), strictly inside the run \(hole.site)..<\(hole.site + hole.span) removed by patch \(hole.number)")
            }
            guard Int(s) < layout.newCount else {
                let hole = layout.patchCovering(t)
                throw PatchError(.targetOutsideProgram, patch: patch ?? hole?.number, slot: patch == nil ? hole.map { SlotIndex($0.site) } ?? site : site,
                                 "the reference at original slot \(site) targets original slot \(t), removed with everything after it: it would land past the end of the program")
            }
            return Int(s)
        }

        @inline(__always)
        mutating func checked(_ value: Int, _ field: ReferenceField) -> Int {
            if field == .offset {
                let magnitude = value < 0 ? -value : value
                if magnitude > findings.largestJump { findings.largestJump = magnitude }
            }
            let fits = field == .offset ? (value >= Int(Int16.min) && value <= Int(Int16.max))
                                        : (value >= Int(Int32.min) && value <= Int(Int32.max))
            if !fits { findings.overflowedElsewhere = true }
            return value
        }

        /// Copies one replacement, reading each displacement in the layout
        /// right after its step: a target inside or behind the patch is
        /// final; one ahead is in original spacing and lands like a
        /// pre-existing reference to that original slot.
        mutating func emitReplacement(_ placed: BatchLayout.Placed) throws(PatchError) {
            let insns = UnsafeBufferPointer(rebasing: contents[placed.contentStart..<(placed.contentStart + placed.length)])
            let start = placed.newStart
            let length = placed.length
            let site = SlotIndex(placed.site)
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
            for c in 0..<length {
                var insn = insns[c]
                let own = start + c
                if let field = insn.referenceField, !(placed.hasFixups && symbolic[c]) {
                    let d = field == .offset ? Int(insn.offset) : Int(insn.immediate)
                    let current = own + d + 1
                    let target: Int
                    if current < start + length {
                        // Behind or inside the patch: already final.
                        guard current >= 0 else {
                            throw PatchError(.targetOutsideProgram, patch: placed.number, slot: site,
                                             "instruction \(c) of the replacement jumps before the start of the program")
                        }
                        target = current
                    } else {
                        let x = placed.site + 1 + (current - start - length)
                        guard x < orig.count else {
                            throw PatchError(.targetOutsideProgram, patch: placed.number, slot: site,
                                             "instruction \(c) of the replacement targets original slot \(x), past the end of the program")
                        }
                        target = try landing(ofOriginal: x, from: site, patch: placed.number)
                    }
                    let nd = checked(target - own - 1, field)
                    if field == .offset { insn.offset = Int16(truncatingIfNeeded: nd) } else { insn.immediate = Int32(truncatingIfNeeded: nd) }
                }
                out[own] = insn
            }
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
                guard k >= 0 && k <= insns.count, placed.newStart + k < layout.newCount else {
                    throw PatchError(.invalidFixup, patch: placed.number, slot: patch.site,
                                     "fixup label \(k) is outside the \(insns.count)-slot replacement or past the program's end")
                }
                target = placed.newStart + k
            case .original(let x):
                guard x.rawValue >= 0 && x.rawValue < orig.count else {
                    throw PatchError(.invalidFixup, patch: placed.number, slot: patch.site,
                                     "fixup targets original slot \(x), outside the \(orig.count)-slot program")
                }
                target = try landing(ofOriginal: x.rawValue, from: patch.site, patch: placed.number)
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
