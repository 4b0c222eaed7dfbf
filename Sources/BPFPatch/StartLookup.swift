import BPFInstructions

/// How the emitter finds S(x), the encoded start of original slot x (as
/// `IndexMap` encodes it: complemented strictly inside a removed run), in
/// stages, so that a loop can issue one stage's loads for many targets
/// before anything waits on them: a load (`probe`), arithmetic on it
/// (`prepare`), and a second load (`encodedStart(_:prepared:)`). Far
/// targets miss the cache; a loop whose every iteration is one load and a
/// store keeps many of those misses in flight at once.
protocol StartLookup {
    /// What the first load of a lookup reads.
    associatedtype Probe
    /// The first load of a lookup of `x` in `0...n`, nothing computed on it.
    func probe(_ x: Int) -> Probe
    /// The index of the second load, from `probe(x)`: arithmetic only.
    func prepare(_ x: Int, probe: Probe) -> Int
    /// S(x) encoded, given `prepare(x, probe: probe(x))`.
    func encodedStart(_ x: Int, prepared: Int) -> Int
}

extension StartLookup {
    /// S(x) encoded, in one call.
    @inline(__always)
    func encodedStart(_ x: Int) -> Int { encodedStart(x, prepared: prepare(x, probe: probe(x))) }

    /// S(x), for a slot strictly inside a removed run the first surviving
    /// slot after it.
    @inline(__always)
    func decodedStart(_ x: Int) -> Int {
        let s = encodedStart(x)
        return s >= 0 ? s : ~s
    }
}

/// S(x) for every x in `0...n` in one 32-bit entry each: for programs small
/// enough that the table stays in cache, one load instead of the compact
/// map's rank. Built for one pass and deallocated by its owner.
struct DenseStarts: StartLookup {
    let starts: UnsafeMutablePointer<Int32>

    /// Fills the table from the sorted, placed batch: untouched runs
    /// `x + growth`, a patch site its new start, the rest of a removed run
    /// the complement of the first surviving slot after it.
    ///
    /// - Complexity: O(n + p).
    init(placed: [BatchLayout.Placed], originalCount n: Int, newCount: Int) {
        starts = .allocate(capacity: n + 1)
        var x = 0
        var delta: Int32 = 0
        for patch in placed {
            while x < patch.site {
                starts[x] = Int32(truncatingIfNeeded: x) &+ delta
                x += 1
            }
            let start = Int32(truncatingIfNeeded: patch.newStart)
            starts[x] = start
            x += 1
            if patch.length == 0 {
                while x < patch.site + patch.span {
                    starts[x] = ~start
                    x += 1
                }
            }
            delta = Int32(truncatingIfNeeded: patch.newStart + patch.length - x)
        }
        while x < n {
            starts[x] = Int32(truncatingIfNeeded: x) &+ delta
            x += 1
        }
        starts[n] = Int32(truncatingIfNeeded: newCount)
    }

    func deallocate() { starts.deallocate() }

    @inline(__always)
    func probe(_ x: Int) -> Int32 { starts[x] }

    @inline(__always)
    func prepare(_ x: Int, probe s: Int32) -> Int { Int(s) }

    @inline(__always)
    func encodedStart(_ x: Int, prepared s: Int) -> Int { s }
}
