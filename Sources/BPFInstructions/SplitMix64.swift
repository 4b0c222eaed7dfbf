/// SplitMix64: a tiny, seedable random number generator, so that a seed
/// reproduces a synthetic workload, an oracle run's padding or a test case
/// on every machine (the standard library's generator cannot be seeded).
///
/// The one copy for the whole package. It lives in `BPFInstructions`, the
/// lowest module that both of its library users (`BPFBench`,
/// `BPFKernelOracle`) depend on; its only job there is making instruction
/// sequences reproducible.
///
///     var random = SplitMix64(seed: 42)
///     let slot = random.below(100)
@frozen
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The generator's whole state; the next output is a function of it.
    public var state: UInt64

    /// A generator whose outputs depend only on `seed`.
    @inlinable public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (`bound > 0`) by reduction modulo `bound`:
    /// fast, with a bias below 2⁻⁴⁰ for the bounds used here.
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next() % UInt64(bound))
    }

    /// A uniform value in [0, 1) with 53 random bits (the same value
    /// `Double.random(in: 0..<1, using:)` draws).
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// True with probability `p`.
    ///
    /// - Complexity: O(1).
    @inlinable
    public mutating func chance(_ p: Double) -> Bool { unit() < p }
}
