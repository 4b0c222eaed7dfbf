import BPFInstructions

/// Where every original slot went.
///
/// For original slot x, `newRange(of: x)` is the range of new slots that
/// replaced it (one slot when untouched, empty when removed). The inverse,
/// `originalSlots()`, names for every new slot the original slot it came from.
///
/// The map is a step function: S(x), the new index of the first slot of
/// x's replacement, is x plus the growth of the patches before x. Only the
/// patches that change the length ("events": removals, and replacements by
/// more than one slot) are stored, in site order, with a rank index over
/// the original slots:
/// - `blocks[b]`, for original slots 64b ..< 64b + 64: one bit per event
///   site, and the number of events before slot 64b;
/// - `events[r]`, after the first r events: their total growth `shift`,
///   and when event r − 1 is a removal the end of its run (`holeEnd`,
///   else 0).
///
/// With r events before x (a rank: one popcount), S(x) = x + events[r].shift,
/// and x lies strictly inside a removed run exactly when x < events[r].holeEnd;
/// such a slot is not a valid reference target, and its range is empty at
/// the first surviving slot after the run.
///
/// About 0.25 bytes per original slot plus 8 bytes per event, so that the
/// batch engine's lookups of far reference targets stay in cache where a
/// 4-byte-per-slot table would not. Equal maps have equal storage: a
/// one-slot replacement is not an event.
public struct IndexMap: Hashable, Sendable {
    /// 64 original slots: which are event sites, and the events before them.
    struct Block: Hashable, Sendable {
        var sites: UInt64
        var rank: UInt32
    }

    /// The state after a number of events.
    struct Event: Hashable, Sendable {
        /// Their total growth (negative when they remove more than they add).
        var shift: Int32
        /// The end of the last one's removed run, if it is a removal; else 0.
        var holeEnd: Int32
    }

    private(set) var blocks: [Block]
    private(set) var events: [Event]
    /// The number of original slots.
    public let originalCount: Int
    /// The number of new slots.
    public let newCount: Int

    /// Builds the map of a sorted, non-overlapping batch on an
    /// `originalCount`-slot program (every value below 2^31, as the layout
    /// guarantees).
    ///
    /// - Complexity: O(n / 64 + p).
    /// - Parameter storage: the arrays of an earlier map to fill again
    ///   (`takeStorage()`), so that their pages are not mapped anew.
    init(originalCount n: Int, placed: [BatchLayout.Placed], reusing storage: consuming Storage = Storage()) {
        var blocks = storage.blocks
        var events = storage.events
        // The spare lets go of its arrays, so that they are unique when
        // nothing else holds them (else the next lines allocate anew).
        storage = Storage()
        blocks.removeAll(keepingCapacity: true)
        blocks.append(contentsOf: repeatElement(Block(sites: 0, rank: 0), count: n >> 6 + 1))
        events.removeAll(keepingCapacity: true)
        events.reserveCapacity(placed.count + 1)
        events.append(Event(shift: 0, holeEnd: 0))
        var shift = 0
        for patch in placed {
            let delta = patch.length - patch.span
            guard delta != 0 else { continue }
            let site = patch.site
            blocks[site >> 6].sites |= 1 << UInt64(site & 63)
            shift += delta
            events.append(Event(shift: Int32(truncatingIfNeeded: shift),
                                holeEnd: patch.length == 0 ? Int32(truncatingIfNeeded: site + patch.span) : 0))
        }
        var rank: UInt32 = 0
        for b in blocks.indices {
            blocks[b].rank = rank
            rank += UInt32(blocks[b].sites.nonzeroBitCount)
        }
        self.blocks = blocks
        self.events = events
        originalCount = n
        newCount = n + shift
    }

    /// The arrays of a map, to be filled again by another.
    struct Storage {
        var blocks: [Block] = []
        var events: [Event] = []
    }

    /// Gives up this map's arrays (it is left empty), so that the next map
    /// fills them in place when nothing else holds them.
    mutating func takeStorage() -> Storage {
        defer { blocks = []; events = [] }
        return Storage(blocks: blocks, events: events)
    }

    /// An identity map for a program of `count` slots.
    public init(identity count: Int) {
        self.init(originalCount: count, placed: [])
    }

    /// S(x) for `x` in `0...originalCount`; for a slot strictly inside a
    /// removed run, the complement of the first surviving slot after it.
    ///
    /// - Complexity: O(1).
    @inline(__always)
    func encodedStart(_ x: Int) -> Int { lookUp(x) { $0.encodedStart(x) } }

    /// S(x); for a slot strictly inside a removed run, the first surviving
    /// slot after it.
    ///
    /// - Complexity: O(1).
    @inline(__always)
    func decodedStart(_ x: Int) -> Int { lookUp(x) { $0.decodedStart(x) } }

    /// `body` on a lookup, once `x` is checked to be in `0...originalCount`.
    @inline(__always)
    private func lookUp(_ x: Int, _ body: (Lookup) -> Int) -> Int {
        precondition(x >= 0 && x <= originalCount, "slot \(x) outside 0...\(originalCount)")
        return withLookup(body)
    }

    /// The lookup over raw storage, for the engine's hot loops: valid only
    /// inside `withLookup`, for `x` in `0...originalCount`. Its stages
    /// (`StartLookup`: the block load, the rank, the event load) let loops
    /// issue the block loads of many lookups before their event loads.
    struct Lookup: StartLookup {
        let blocks: UnsafePointer<Block>
        let events: UnsafePointer<Event>

        /// The block of slot `x`: one load.
        @inline(__always)
        func probe(_ x: Int) -> Block { blocks[x &>> 6] }

        /// The number of events before slot `x`, from its block: a popcount.
        @inline(__always)
        func prepare(_ x: Int, probe block: Block) -> Int {
            let below = block.sites & ((1 &<< UInt64(truncatingIfNeeded: x & 63)) &- 1)
            return Int(block.rank) &+ below.nonzeroBitCount
        }

        /// S(x) encoded, given the events before x: one event load.
        @inline(__always)
        func encodedStart(_ x: Int, prepared r: Int) -> Int {
            let event = events[r]
            let holeEnd = Int(event.holeEnd)
            let shift = Int(event.shift)
            return x < holeEnd ? ~(holeEnd &+ shift) : x &+ shift
        }
    }

    /// Calls `body` with a lookup over this map's storage.
    @inline(__always)
    func withLookup<R>(_ body: (Lookup) -> R) -> R {
        blocks.withUnsafeBufferPointer { blocks in
            events.withUnsafeBufferPointer { events in
                body(Lookup(blocks: blocks.baseAddress!, events: events.baseAddress!))
            }
        }
    }

    /// The new slots that replaced original slot `x` (empty when removed;
    /// its lower bound is then the first surviving slot after the removal).
    ///
    /// - Complexity: O(1).
    public func newRange(of x: SlotIndex) -> Range<SlotIndex> {
        precondition(x.rawValue >= 0 && x.rawValue < originalCount, "slot \(x) outside the \(originalCount)-slot program")
        return SlotIndex(decodedStart(x.rawValue))..<SlotIndex(decodedStart(x.rawValue + 1))
    }

    /// True when original slot `x` was removed.
    ///
    /// - Complexity: O(1).
    public func isRemoved(_ x: SlotIndex) -> Bool { newRange(of: x).isEmpty }

    /// Where a reference to original slot `x` lands: the first slot of its
    /// replacement, or for a removed `x` at the start of a removed run the
    /// first surviving slot after it; nil for a slot strictly inside a
    /// removed run. `x` may equal `originalCount` (one past the end).
    ///
    /// - Complexity: O(1).
    public func referenceTarget(of x: SlotIndex) -> SlotIndex? {
        precondition(x.rawValue >= 0 && x.rawValue <= originalCount, "slot \(x) outside 0...\(originalCount)")
        let s = encodedStart(x.rawValue)
        return s >= 0 ? SlotIndex(s) : nil
    }

    /// For every new slot, the original slot it came from.
    ///
    /// - Complexity: O(n + m), where n and m are the original and new slot counts.
    public func originalSlots() -> [SlotIndex] {
        var result: [SlotIndex] = []
        result.reserveCapacity(newCount)
        for x in 0..<originalCount {
            let count = decodedStart(x + 1) - decodedStart(x)
            for _ in 0..<count { result.append(SlotIndex(x)) }
        }
        return result
    }

    /// Remaps per-instruction data (the verifier's aux records) the way the
    /// kernel does: a replaced slot's record moves to the last slot of its
    /// replacement; the leading slots get `fresh(record)`; records of
    /// removed slots disappear.
    ///
    ///     let origIdx = map.remapPerInstruction(Array(0..<n)) { _ in 0 }
    ///
    /// - Parameters:
    ///   - data: one record per original slot.
    ///   - fresh: the record of a slot the patch added, given the patched slot's record.
    /// - Returns: one record per new slot.
    /// - Complexity: O(n + m).
    public func remapPerInstruction<T>(_ data: [T], fresh: (T) -> T) -> [T] {
        precondition(data.count == originalCount, "one record per original slot")
        var result: [T] = []
        result.reserveCapacity(newCount)
        for x in 0..<originalCount {
            let count = decodedStart(x + 1) - decodedStart(x)
            if count == 0 { continue }
            if count > 1 {
                let leading = fresh(data[x])
                for _ in 1..<count { result.append(leading) }
            }
            result.append(data[x])
        }
        return result
    }

    /// The `orig_idx` of every new slot: its original index on the last slot
    /// of each replacement, 0 on slots a patch added.
    ///
    /// - Complexity: O(n + m).
    public func originalIndices() -> [Int] {
        remapPerInstruction(Array(0..<originalCount)) { _ in 0 }
    }
}
