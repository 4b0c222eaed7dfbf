import CBPFBenchBaseline

/// Heap bytes measured by the counting allocator of `CBPFBenchBaseline`
/// (malloc, calloc, realloc, free and the aligned allocators interposed,
/// each block counted by `malloc_usable_size`).
///
///     let usage = AllocationProbe.measure { try engine() }
///     usage?.peakBytes   // the high-water mark of live bytes allocated inside
///
/// Only the calling thread's allocations and frees are counted, so that
/// other threads do not blur the number; `body` must not hand its
/// allocations to other threads.
public struct AllocationProbe: Sendable, Hashable {
    /// The peak of (bytes allocated − bytes freed) while `body` ran,
    /// including whatever `body` returns.
    public var peakBytes: Int
    /// Bytes allocated inside and still live when `body` returned: its
    /// result (and anything it leaked).
    public var liveBytes: Int

    /// Runs `body` once with the counter on.
    ///
    /// - Returns: the usage, or nil when the counting allocator is not the
    ///   process's malloc (for example under another interposer), and
    ///   `body`'s result.
    /// - Complexity: `body`'s, plus O(1) per allocation.
    public static func measure<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> (usage: AllocationProbe?, result: R) {
        cbb_alloc_window_begin()
        let result: R
        do {
            result = try body()
        } catch {
            var ignored: Int64 = 0
            _ = cbb_alloc_window_end(&ignored)
            throw error
        }
        var live: Int64 = 0
        let peak = cbb_alloc_window_end(&live)
        return (peak < 0 ? nil : AllocationProbe(peakBytes: Int(peak), liveBytes: Int(live)), result)
    }
}
