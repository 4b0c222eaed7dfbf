/// The ranges numbers of the patch documents must lie in. The engine's
/// index map stores 32-bit slot indices, so no program (and no site or
/// count) is larger; bounding values when they are read keeps every later
/// sum such as `site + count` far from `Int` overflow.
package enum JSONLimits {
    /// A slot index.
    package static let slot: ClosedRange<Int> = 0...Int(Int32.max)
    /// A number of slots (a removal; 0 is left for the engine to name as an empty removal).
    package static let count: ClosedRange<Int> = 0...Int(Int32.max)
}
