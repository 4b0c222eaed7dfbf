/// Where `ObjectPatchSet.padding(for:spacing:)` puts its no-ops.
public enum PaddingSpacing: Hashable, Sendable {
    /// Before every k-th instruction of each section (the 1st, the k+1-th, …).
    case every(Int)
    /// Before each instruction with this probability, from a seeded generator.
    case random(probability: Double, seed: UInt64)
}
