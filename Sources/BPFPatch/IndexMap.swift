import BPFInstructions

/// Where every original slot went.
///
/// For original slot x, `newRange(of: x)` is the range of new slots that
/// replaced it (one slot when untouched, empty when removed). The inverse,
/// `originalSlots()`, names for every new slot the original slot it came from.
///
/// Stored as one 32-bit entry per original slot plus one (4 bytes per slot):
/// the new index of the first slot of x's replacement; for slots strictly
/// inside a removed run the bitwise complement of that index, which marks
/// them as invalid reference targets.
public struct IndexMap: Hashable, Sendable {
    @usableFromInline var starts: [Int32]

    /// Creates a map from the encoded starts (N + 1 entries; the last is the
    /// new program length).
    init(encodedStarts: [Int32]) { self.starts = encodedStarts }

    /// An identity map for a program of `count` slots.
    public init(identity count: Int) { starts = (0...count).map { Int32($0) } }

    /// The number of original slots.
    public var originalCount: Int { starts.count - 1 }
    /// The number of new slots.
    public var newCount: Int { Int(starts[starts.count - 1]) }

    @inlinable
    func decodedStart(_ x: Int) -> Int {
        let v = starts[x]
        return Int(v >= 0 ? v : ~v)
    }

    /// The new slots that replaced original slot `x` (empty when removed;
    /// its lower bound is then the first surviving slot after the removal).
    ///
    /// - Complexity: O(1).
    public func newRange(of x: SlotIndex) -> Range<SlotIndex> {
        SlotIndex(decodedStart(x.rawValue))..<SlotIndex(decodedStart(x.rawValue + 1))
    }

    /// True when original slot `x` was removed.
    public func isRemoved(_ x: SlotIndex) -> Bool { newRange(of: x).isEmpty }

    /// Where a reference to original slot `x` lands: the first slot of its
    /// replacement, or for a removed `x` at the start of a removed run the
    /// first surviving slot after it; nil for a slot strictly inside a
    /// removed run. `x` may equal `originalCount` (one past the end).
    ///
    /// - Complexity: O(1).
    public func referenceTarget(of x: SlotIndex) -> SlotIndex? {
        let v = starts[x.rawValue]
        return v >= 0 ? SlotIndex(Int(v)) : nil
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
