import BPFInstructions

/// The batch in ascending site order plus the old→new index map. Built in
/// O(n / 64 + p), plus O(p log p) when patches were not added in ascending
/// order (and O(n) for the debug build's invariant check); everything the emitter and the table adjusters look up is here.
struct BatchLayout {
    /// A patch in ascending order, with where its replacement starts.
    ///
    /// Stored in 32 bits per field (28 bytes instead of 56: the layout's
    /// O(p) memory and cache footprint), read as `Int`. Every value is
    /// bounded by the slot limit (below 2^31) or by the patch count (checked).
    struct Placed {
        private var _site, _span, _length, _newStart, _number, _contentStart: Int32
        /// True when it has symbolic references to resolve.
        var hasFixups: Bool

        init(site: Int, span: Int, length: Int, newStart: Int, number: Int, contentStart: Int, hasFixups: Bool) {
            _site = Int32(truncatingIfNeeded: site)
            _span = Int32(truncatingIfNeeded: span)
            _length = Int32(truncatingIfNeeded: length)
            _newStart = Int32(truncatingIfNeeded: newStart)
            _number = Int32(truncatingIfNeeded: number)
            _contentStart = Int32(truncatingIfNeeded: contentStart)
            self.hasFixups = hasFixups
        }

        var site: Int { Int(_site) }
        var span: Int { Int(_span) }
        var length: Int { Int(_length) }
        /// The new index of its first slot (for a removal: the first
        /// surviving slot after it).
        var newStart: Int {
            get { Int(_newStart) }
            set { _newStart = Int32(truncatingIfNeeded: newValue) }
        }
        /// Its number in the order patches were added.
        var number: Int { Int(_number) }
        /// Where its replacement starts in `contents`.
        var contentStart: Int { Int(_contentStart) }
    }

    let originalCount: Int
    let newCount: Int
    let patches: [Patch]
    /// Every replacement's slots, back to back, so the emitter reads them
    /// without touching the `Patch` values again.
    let contents: [Instruction]
    /// The number of slots all removals take out.
    let removedCount: Int
    /// The number of slots all replacements add.
    let grownCount: Int
    /// Patches numbered from here on were added by jump relaxation: the
    /// jump each replaces is rewritten with a symbolic target, so its value
    /// at the steps before its own is not checked (not kernel behaviour,
    /// like relaxation itself).
    var firstRelaxation = Int.max
    private(set) var placed: [Placed]
    /// Where every original slot goes: the engine's lookups of reference
    /// targets and the table adjusters read it.
    let map: IndexMap

    /// Sorts and places the batch.
    ///
    /// - Parameter limit: the largest program, before or after, accepted.
    /// - Throws: `PatchError` for empty or out-of-range patches, overlaps and
    ///   programs over `limit`. No arithmetic here can overflow: a site and
    ///   a count are compared with the program's length before they are
    ///   added.
    /// - Parameter workspace: buffers from an earlier apply to fill again
    ///   instead of allocating (their pages are already mapped); taken out
    ///   of it, handed back by `PatchWorkspace.keep(_:)`.
    init(patches: [Patch], programCount n: Int, limit: Int, workspace: PatchWorkspace? = nil) throws(PatchError) {
        guard n <= limit else {
            throw PatchError(.programTooLarge, "the program has \(n) slots, more than the limit of \(limit)")
        }
        guard patches.count < Int(Int32.max) else {
            throw PatchError(.programTooLarge, "\(patches.count) patches, more than 2^31 - 1")
        }
        self.patches = patches
        originalCount = n
        var placed: [Placed] = workspace?.takePlaced() ?? []
        placed.reserveCapacity(patches.count)
        var contents: [Instruction] = workspace?.takeContents() ?? []
        var removed = 0
        var grown = 0
        var ascending = true
        var lastSite = Int.min
        // One read of every patch: later passes use `placed` and `contents`.
        // Through a buffer: one retain per replacement instead of two.
        try patches.withUnsafeBufferPointer { (patches) throws(PatchError) in
            for number in patches.indices {
                let site = patches[number].site.rawValue
                let span: Int, length: Int
                let contentStart = contents.count
                switch patches[number].operation {
                case .replace(let insns):
                    guard !insns.isEmpty else {
                        throw PatchError(.emptyReplacement, patch: number, slot: SlotIndex(site), "a replacement needs at least one instruction (use a removal)")
                    }
                    span = 1
                    length = insns.count
                case .remove(let count):
                    guard count >= 1 else {
                        throw PatchError(.emptyRemoval, patch: number, slot: SlotIndex(site), "a removal needs a count of at least 1, got \(count)")
                    }
                    span = count
                    length = 0
                }
                guard site >= 0, site < n, span <= n - site else {
                    throw PatchError(.siteOutOfRange, patch: number, slot: SlotIndex(site),
                                     "covers \(span) slot\(span == 1 ? "" : "s") from slot \(site) of a \(n)-slot program")
                }
                // Bounded now: span ≤ n, and a replacement's length is an array's count.
                if length > 0 {
                    // Every replacement's slots end up in the result: their sum bounds it.
                    guard length <= limit - contentStart else {
                        throw PatchError(.programTooLarge, patch: number, slot: SlotIndex(site),
                                         "the replacements add up to more than the limit of \(limit) slots")
                    }
                    grown += length - 1
                    if case .replace(let insns) = patches[number].operation { contents.append(contentsOf: insns) }
                } else {
                    removed += span
                }
                if site <= lastSite { ascending = false }
                lastSite = site
                placed.append(Placed(site: site, span: span, length: length, newStart: 0, number: number,
                                     contentStart: contentStart, hasFixups: !patches[number].fixups.isEmpty))
            }
        }
        if !ascending {
            placed.sort { ($0.site, $0.number) < ($1.site, $1.number) }
        }
        var delta = 0
        var previousEnd = 0
        for k in placed.indices {
            let site = placed[k].site
            if k > 0 && site < previousEnd {
                let other = placed[k - 1]
                throw PatchError(.overlap, patch: placed[k].number, slot: SlotIndex(site),
                                 "overlaps patch \(other.number) (slots \(other.site)..<\(other.site + other.span))")
            }
            placed[k].newStart = site + delta
            delta += placed[k].length - placed[k].span
            previousEnd = site + placed[k].span
        }
        newCount = n + delta
        guard newCount <= limit else {
            throw PatchError(.programTooLarge, "the result would have \(newCount) slots, more than the limit of \(limit)")
        }
        self.placed = placed
        self.contents = contents
        self.removedCount = removed
        self.grownCount = grown
        map = IndexMap(originalCount: n, placed: placed, reusing: workspace?.takeMapStorage() ?? IndexMap.Storage())
        assert(map.newCount == newCount, "the map's growth is the layout's")
        #if DEBUG
        _checkInvariants()
        #endif
    }

    /// Traps when the layout breaks its own invariants: patches sorted by
    /// site and not overlapping, every `newStart` where the growth before it
    /// puts it, the map's S non-decreasing once decoded, complemented exactly
    /// strictly inside removed runs, S(site) == newStart, and S(n) == newCount. Runs in
    /// debug builds (so in the debug test run) after every layout.
    ///
    /// - Complexity: O(n + p).
    func _checkInvariants() {
        var delta = 0
        var previousEnd = 0
        for (k, patch) in placed.enumerated() {
            precondition(patch.site >= previousEnd, "placed[\(k)] overlaps or is out of order")
            precondition(patch.newStart == patch.site + delta, "placed[\(k)].newStart")
            precondition(patch.span >= 1 && (patch.length == 0 || patch.span == 1), "placed[\(k)] shape")
            delta += patch.length - patch.span
            previousEnd = patch.site + patch.span
        }
        precondition(newCount == originalCount + delta, "newCount")
        precondition(map.originalCount == originalCount && map.newCount == newCount, "map counts")
        precondition(map.encodedStart(originalCount) == newCount, "S(n) == newCount")
        var insideHole = [Bool](repeating: false, count: originalCount + 1)
        for patch in placed where patch.length == 0 {
            for x in (patch.site + 1)..<(patch.site + patch.span) { insideHole[x] = true }
        }
        var previous = 0
        for x in 0...originalCount {
            let s = map.encodedStart(x)
            precondition((s < 0) == insideHole[x], "S(\(x)) complemented exactly inside removed runs")
            let decoded = s >= 0 ? s : ~s
            precondition(decoded >= previous && decoded <= newCount, "S non-decreasing at \(x)")
            previous = decoded
        }
        for patch in placed {
            precondition(map.decodedStart(patch.site) == patch.newStart, "S(site) == newStart")
        }
    }

    // MARK: Lookups used on error paths and by the table adjusters

    /// True when original slot `x` lies in a removed run.
    @inline(__always)
    func isRemoved(_ x: Int) -> Bool {
        map.decodedStart(x) == map.decodedStart(x + 1)
    }

    /// The original slot new slot `i` came from (for a patch's slots, its
    /// site) and the replacement it belongs to, if any. Error paths only.
    ///
    /// - Complexity: O(log n + log p).
    func origin(ofNew i: Int) -> (slot: Int, patch: Int?) {
        // The last x whose decoded start is ≤ i: its range contains i
        // (removed slots have empty ranges and a later x with the same start).
        var low = 0, high = originalCount
        while low < high {
            let mid = (low + high) / 2
            if map.decodedStart(mid + 1) <= i { low = mid + 1 } else { high = mid }
        }
        if let patch = patchCovering(low), patch.length > 0 { return (patch.site, patch.number) }
        return (low, nil)
    }

    /// The replacement whose new slots contain new slot `o`, if any. Error paths only.
    ///
    /// - Complexity: O(log p).
    func replacement(containingNew o: Int) -> Placed? {
        // A removal landing on the same new slot comes before the replacement.
        guard let candidate = lastPlaced({ $0.newStart }, atMost: o) else { return nil }
        return o < candidate.newStart + candidate.length ? candidate : nil
    }

    /// The placed patch whose covered slots contain original slot `x`, if any.
    ///
    /// - Complexity: O(log p).
    func patchCovering(_ x: Int) -> Placed? {
        guard let candidate = lastPlaced({ $0.site }, atMost: x) else { return nil }
        return x < candidate.site + candidate.span ? candidate : nil
    }

    /// The last placed patch whose `key` (ascending in placed order) is at
    /// most `value`: a binary search.
    private func lastPlaced(_ key: (Placed) -> Int, atMost value: Int) -> Placed? {
        var low = 0, high = placed.count
        while low < high {
            let mid = (low + high) / 2
            if key(placed[mid]) <= value { low = mid + 1 } else { high = mid }
        }
        return low > 0 ? placed[low - 1] : nil
    }
}
