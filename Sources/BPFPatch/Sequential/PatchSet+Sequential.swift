import BPFInstructions

extension PatchSet {
    /// Applies the batch with the sequential reference model: one kernel
    /// step per patch, in ascending original site, each at
    /// `site + (sum of Δ of the patches already applied)` — exactly how one
    /// verifier pass walks a program (<doc:Semantics#A-batch>).
    ///
    /// This is the oracle the batch engine (`apply(to:tables:options:)`) is
    /// tested against, and the baseline for benchmarks. It is written for
    /// obviousness, not speed, and shares no adjustment code with the batch
    /// engine.
    ///
    ///     let expected = try patches.applySequentially(to: program, tables: tables)
    ///     let actual = try patches.apply(to: program, tables: tables)
    ///     assert(expected.program == actual.program)
    ///
    /// Order of checks (the first failing one is thrown; the order is not
    /// part of the contract, see `sequentialViolations(in:tables:options:)`):
    /// 1. side tables (`.invalidTable`): line info strictly increasing in
    ///    [0, n); subprogram starts strictly increasing in [0, n], only the
    ///    last (the exit entry) may equal n; pokes and instruction-array
    ///    entries in [0, n);
    /// 2. every patch in `patches` order: `.emptyReplacement` /
    ///    `.emptyRemoval`, then `.siteOutOfRange`, then its fixups
    ///    (`.invalidFixup`: a removal with fixups, a position outside the
    ///    replacement or naming a slot without a reference field or a second
    ///    half, a local target outside 0...L (L = the slot right after the
    ///    patch), an original target outside [0, n), two fixups for one
    ///    position);
    /// 3. `.overlap`, blaming the later of two patches in site order;
    /// 4. the steps, in ascending site: `.rangeOverflow` (only when a
    ///    replacement makes the program longer than 32767 slots),
    ///    `.subprogramCut`, `.pokeRemoved`;
    /// 5. fixups: `.targetInsideRemoval` for an original target strictly
    ///    inside a removed run, `.rangeOverflow` when the displacement does
    ///    not fit;
    /// 6. on the result: `.targetInsideRemoval` for a surviving reference
    ///    whose target was strictly inside a removed run when that run was
    ///    removed; `.targetOutsideProgram` for any reference outside
    ///    [0, new length); then, unless `options.allowSplitWideLoads`,
    ///    `.splitWideLoad` (rules in `checkResult`).
    ///
    /// Wide loads are judged on the result only: every first slot (code
    /// 0x18) immediately followed by a second slot (code 0), every second
    /// slot immediately preceded by a first one, no reference targeting a
    /// second slot. Replacing a first slot by `[probe, that first slot]`
    /// is whole, since the original second slot still follows. Whether a
    /// slot is a reference is decided by its own code.
    ///
    /// Symbolic fixups are resolved after the whole batch: the fixup's slot
    /// gets `target − own final index − 1`, where `.local(k)` is the k-th slot
    /// of the same patch and `.original(x)` is where a reference to original
    /// slot x lands (the first slot of x's replacement; for a removed x at
    /// the start of a removed run, the first surviving slot after it). Until
    /// then a fixup's slot is not a reference: no step adjusts it.
    ///
    /// `options.relaxJumps` is not kernel behaviour and is ignored.
    ///
    /// - Parameters:
    ///   - program: the program in original coordinates.
    ///   - tables: side tables to adjust along; the result has the same shape.
    ///   - options: `allowSplitWideLoads` is honoured.
    /// - Returns: the new program, tables, `orig_idx` and origin of every slot.
    /// - Throws: `PatchError`, naming the patch (index in `patches`) and its
    ///   original site. The input is never modified.
    /// - Complexity: O(p · (n + m)), where n is the slot count, p the number
    ///   of patches and m the total size of the side tables.
    public func applySequentially(to program: Program, tables: SideTables = SideTables(),
                                  options: PatchOptions = PatchOptions()) throws(PatchError) -> SequentialResult {
        try applySequentially(to: program, tables: tables, options: options, stepRangeChecks: true)
    }

    /// `applySequentially(to:tables:options:)`, optionally without the
    /// kernel's per-step range check.
    ///
    /// - Parameters:
    ///   - program: the program in original coordinates.
    ///   - tables: side tables to adjust along.
    ///   - options: `allowSplitWideLoads` is honoured.
    ///   - stepRangeChecks: true (the kernel): every step checks the values
    ///     it adjusts once the program exceeds 32767 slots. false: only the
    ///     final displacements must fit, so a batch with removals may pass
    ///     although a value overflows in between and shrinks back. That is
    ///     not the contract (<doc:Semantics#Range-errors-are-all-or-nothing>:
    ///     the batch fails where the kernel's step would); it is a
    ///     diagnostic for telling the two kinds of failure apart.
    /// - Complexity: as `applySequentially(to:tables:options:)`.
    public func applySequentially(to program: Program, tables: SideTables, options: PatchOptions,
                                  stepRangeChecks: Bool) throws(PatchError) -> SequentialResult {
        var violations: [PatchError]? = nil
        guard let result = try runSequential(program, tables, options, stepRangeChecks: stepRangeChecks,
                                             collecting: &violations) else {
            preconditionFailure("in throwing mode the model either throws or returns a result")
        }
        return result
    }

    /// Every rule the batch breaks, found by running the sequential model
    /// to the end instead of stopping at the first violation (empty for a
    /// valid batch). Static problems (tables, sites, emptiness, fixups,
    /// overlap) are all listed and stop the run before any step; after
    /// that, a step that breaks a rule carries on as the kernel's
    /// arithmetic would. The first element is what
    /// `applySequentially(to:tables:options:)` throws.
    ///
    /// The order in which the checks of one batch are made is not part of
    /// the contract, so tests accept any of these from another engine.
    ///
    /// - Complexity: as `applySequentially(to:tables:options:)`.
    public func sequentialViolations(in program: Program, tables: SideTables = SideTables(),
                                     options: PatchOptions = PatchOptions()) -> [PatchError] {
        var violations: [PatchError]? = []
        do {
            _ = try runSequential(program, tables, options, stepRangeChecks: true, collecting: &violations)
        } catch {
            return [error]
        }
        return violations ?? []
    }

    /// The model. With `collecting == nil` it throws the first violation;
    /// otherwise it appends every violation to `collecting` and returns nil
    /// when there was any.
    func runSequential(_ program: Program, _ tables: SideTables, _ options: PatchOptions, stepRangeChecks: Bool,
                       collecting: inout [PatchError]?) throws(PatchError) -> SequentialResult? {
        let n = program.count
        var staticErrors: [PatchError] = []
        func fail(_ error: PatchError) throws(PatchError) {
            if collecting == nil { throw error }
            staticErrors.append(error)
        }
        let limit = options.slotLimit
        if n > limit {
            try fail(PatchError(.programTooLarge, "the program has \(n) slots, more than the limit of \(limit)"))
            collecting = staticErrors
            return nil
        }
        do throws(PatchError) {
            try Self.sequentialValidate(tables, count: n)
        } catch {
            try fail(error)
        }

        // Per-patch checks, in the order patches were added.
        var symbolicPositions: [Int: Set<Int>] = [:]
        for (number, patch) in patches.enumerated() {
            let site = patch.site.rawValue
            switch patch.operation {
            case .replace(let insns):
                if insns.isEmpty {
                    try fail(PatchError(.emptyReplacement, patch: number, slot: patch.site, "a replacement needs at least one instruction (use a removal)"))
                    continue
                }
                if site < 0 || site >= n {
                    try fail(PatchError(.siteOutOfRange, patch: number, slot: patch.site, "the program has \(n) slots"))
                }
                var positions = Set<Int>()
                for fixup in patch.fixups {
                    let k = fixup.position
                    guard k >= 0, k < insns.count, insns[k].referenceField != nil else {
                        try fail(PatchError(.invalidFixup, patch: number, slot: patch.site, "fixup position \(k) does not name a reference slot of the replacement"))
                        continue
                    }
                    if !positions.insert(k).inserted {
                        try fail(PatchError(.invalidFixup, patch: number, slot: patch.site, "two fixups for position \(k)"))
                    }
                    switch fixup.target {
                    case .local(let j) where j < 0 || j > insns.count:
                        try fail(PatchError(.invalidFixup, patch: number, slot: patch.site, "local fixup target \(j) is outside the replacement"))
                    case .original(let x) where x.rawValue < 0 || x.rawValue >= n:
                        try fail(PatchError(.invalidFixup, patch: number, slot: patch.site, "fixup target original slot \(x) is outside the program"))
                    default: break
                    }
                }
                symbolicPositions[number] = positions
            case .remove(let count):
                if count <= 0 {
                    try fail(PatchError(.emptyRemoval, patch: number, slot: patch.site, "a removal needs a positive count, not \(count)"))
                    continue
                }
                if site < 0 || site >= n || count > n - site {
                    try fail(PatchError(.siteOutOfRange, patch: number, slot: patch.site, "removing \(count) slots does not fit in a program of \(n) slots"))
                }
                if !patch.fixups.isEmpty {
                    try fail(PatchError(.invalidFixup, patch: number, slot: patch.site, "a removal has no slots to fix up"))
                }
            }
        }

        // Ascending original site; equal sites keep the order they were added in.
        let order = patches.indices.sorted { (patches[$0].site, $0) < (patches[$1].site, $1) }
        for (a, b) in zip(order, order.dropFirst()) {
            let first = patches[a], second = patches[b]
            // Sites and counts may be anything here (collecting mode goes on
            // past bad ones): no trap. An end past Int.max covers every
            // later site; one below Int.min (an empty removal's count) none.
            let (end, overflow) = first.site.rawValue.addingReportingOverflow(first.span)
            if overflow ? first.span > 0 : second.site.rawValue < end {
                try fail(PatchError(.overlap, patch: b, slot: second.site, "overlaps patch \(a) at original slot \(first.site)"))
            }
        }
        if !staticErrors.isEmpty {
            collecting = staticErrors
            return nil
        }
        // Valid, non-overlapping patches: every count is bounded by n or by an array's size.
        let newCount = n + patches.reduce(0) { $0 + $1.delta }
        if newCount > limit {
            try fail(PatchError(.programTooLarge, "the result would have \(newCount) slots, more than the limit of \(limit)"))
            collecting = staticErrors
            return nil
        }

        // The steps.
        var state = SequentialPatcher(program: program, tables: tables)
        state.violations = collecting
        state.stepRangeChecks = stepRangeChecks
        var shift = 0
        for number in order {
            let patch = patches[number]
            let site = patch.site.rawValue
            switch patch.operation {
            case .replace(let insns):
                try state.replace(at: site + shift, with: insns, symbolic: symbolicPositions[number] ?? [],
                                  patch: number, site: site)
            case .remove(let count):
                try state.remove(at: site + shift, count: count, patch: number, site: site)
            }
            shift += patch.delta
        }

        try state.resolveFixups(self)
        try state.checkResult(self, original: program, allowSplitWideLoads: options.allowSplitWideLoads)
        if let found = state.violations {
            collecting = found
            if !found.isEmpty { return nil }
        }
        return state.finish(tables: tables)
    }

    /// Checks the side tables against a program of `n` slots.
    static func sequentialValidate(_ tables: SideTables, count n: Int) throws(PatchError) {
        func increasing(_ xs: [Int]) -> Bool { zip(xs, xs.dropFirst()).allSatisfy { $0 < $1 } }
        if let lines = tables.lineInfo?.slots.map(\.rawValue) {
            guard increasing(lines), lines.allSatisfy({ $0 >= 0 && $0 < n }) else {
                throw PatchError(.invalidTable, "line info must be strictly increasing slots inside the program")
            }
        }
        if let starts = tables.subprograms?.starts.map(\.rawValue) {
            guard increasing(starts), starts.allSatisfy({ $0 >= 0 && $0 <= n }),
                  starts.dropLast().allSatisfy({ $0 < n }) else {
                throw PatchError(.invalidTable, "subprogram starts must be strictly increasing slots inside the program (the last may be the exit entry)")
            }
        }
        if let pokes = tables.pokes?.slots, !pokes.allSatisfy({ $0.rawValue >= 0 && $0.rawValue < n }) {
            throw PatchError(.invalidTable, "poke descriptors must be slots inside the program")
        }
        for array in tables.instructionArrays {
            guard array.entries.allSatisfy({ $0 == nil || ($0!.rawValue >= 0 && $0!.rawValue < n) }) else {
                throw PatchError(.invalidTable, "instruction-array entries must be slots inside the program")
            }
        }
    }
}

extension SequentialPatcher {
    /// Where a reference to original slot `x` lands now: the first slot
    /// whose origin is ≥ x (origins never decrease), or the program length.
    func landing(ofOriginal x: Int) -> Int {
        origins.firstIndex { $0 >= x } ?? count
    }

    /// Fills in every symbolic fixup from the final layout.
    ///
    /// - Complexity: O(f · n), where f is the number of fixups.
    mutating func resolveFixups(_ patchSet: PatchSet) throws(PatchError) {
        for (number, patch) in patchSet.patches.enumerated() where !patch.fixups.isEmpty {
            guard let first = patchNumbers.firstIndex(of: number) else { continue }
            for fixup in patch.fixups {
                let own = first + fixup.position
                let target: Int
                switch fixup.target {
                case .local(let k):
                    target = first + k
                case .original(let x):
                    if let hole = patchSet.patches.first(where: {
                        $0.isRemoval && $0.site < x && x.rawValue < $0.site.rawValue + $0.span
                    }) {
                        try report(PatchError(.targetInsideRemoval, patch: number, slot: patch.site,
                                              "fixup target original slot \(x) is strictly inside the run removed at \(hole.site)"))
                    }
                    target = landing(ofOriginal: x.rawValue)
                }
                let value = target - own - 1
                if let field = slots[own].referenceField, !field.range.contains(value) {
                    try report(PatchError(.rangeOverflow, patch: number, slot: patch.site,
                                          "fixup at position \(fixup.position) needs displacement \(value)"))
                }
                displacements[own] = value
            }
        }
    }

    /// The checks made on the result: references that survive must not
    /// have been poisoned by a removal and must land inside the program;
    /// displacements must fit their fields; and unless allowed, `ld_imm64`
    /// pairs must be whole in the result (`WideLoads`): every first slot
    /// (code 0x18) immediately followed by a second slot (code 0), every
    /// second slot immediately preceded by a first, no reference to a
    /// second slot.
    ///
    /// - Complexity: O(n + m + p), where m is the new slot count.
    mutating func checkResult(_ patchSet: PatchSet, original: Program, allowSplitWideLoads: Bool) throws(PatchError) {
        func blame(_ i: Int) -> (Int?, SlotIndex) {
            (patchNumbers[i] >= 0 ? patchNumbers[i] : nil, SlotIndex(origins[i]))
        }
        for i in 0..<count {
            if let error = poisoned[i] { try report(error) }
        }
        for i in 0..<count {
            guard poisoned[i] == nil, let t = target(of: i) else { continue }
            if t < 0 || t >= count {
                var (patch, slot) = blame(i)
                if patch == nil, t >= count, let tail = patchSet.patches.indices.last(where: {
                    patchSet.patches[$0].isRemoval && patchSet.patches[$0].site.rawValue + patchSet.patches[$0].span == original.count
                }) {
                    // An untouched reference pushed off the end: blame the removal of the program's tail.
                    (patch, slot) = (tail, patchSet.patches[tail].site)
                }
                try report(PatchError(.targetOutsideProgram, patch: patch, slot: slot,
                                      "a reference would land at slot \(t) of a \(count)-slot program"))
            }
        }
        for i in 0..<count {
            if let d = displacements[i], let field = slots[i].referenceField, !field.range.contains(d) {
                let (patch, slot) = blame(i)
                try report(PatchError(.rangeOverflow, patch: patch, slot: slot, "displacement \(d) does not fit its field"))
            }
        }
        if allowSplitWideLoads { return }
        // The ld_imm64 pairing, judged on the result as the batch engine judges it.
        let m = count
        try WideLoads.check(count: m, code: { slots[$0].code }, target: { target(of: $0) }) {
            (i: Int, violation: WideLoads.Violation) throws(PatchError) in
            try report(WideLoads.error(violation, at: i, count: m, originalCount: original.count,
                                       origin: { (origins[$0], patchNumbers[$0] >= 0 ? patchNumbers[$0] : nil) },
                                       removal: { x in
                                           patchSet.patches.indices.first {
                                               patchSet.patches[$0].isRemoval && patchSet.patches[$0].site.rawValue <= x
                                                   && x - patchSet.patches[$0].site.rawValue < patchSet.patches[$0].span
                                           }.map { ($0, patchSet.patches[$0].site.rawValue) }
                                       }))
        }
    }

    /// Writes the live displacements back into the slots and packages the
    /// result in the shape of the tables passed in.
    func finish(tables: SideTables) -> SequentialResult {
        var out = slots
        for i in 0..<count {
            guard let d = displacements[i] else { continue }
            switch out[i].referenceField {
            case .offset: out[i].offset = Int16(d)
            case .immediate: out[i].immediate = Int32(d)
            case nil: break
            }
        }
        var newTables = tables
        if let lineInfo { newTables.lineInfo = LineInfoTable(entries: lineInfo) }
        if let subprograms { newTables.subprograms = SubprogramTable(entries: subprograms) }
        if let pokes { newTables.pokes = PokeTable(slots: pokes.map { SlotIndex($0) }) }
        newTables.instructionArrays = instructionArrays.map { InstructionArrayTable(entries: $0.map { $0.map { SlotIndex($0) } }) }
        return SequentialResult(program: Program(slots: out), tables: newTables,
                                originalIndices: originalIndices, origins: origins.map { SlotIndex($0) })
    }
}
