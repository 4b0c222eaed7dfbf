/// Options of `PaddingVerifier`.
public struct VerifyOptions: Hashable, Sendable {
    /// Seeds the choice of no-op sites and the test packets.
    public var seed: UInt64
    /// The fraction of instructions that get a `ja +0` before them.
    public var density: Double
    /// Packet sizes for test runs (empty: no test runs).
    public var packetSizes: [Int]

    public init(seed: UInt64 = 1, density: Double = 0.3, packetSizes: [Int] = TestPackets.defaultSizes) {
        self.seed = seed
        self.density = density
        self.packetSizes = packetSizes
    }
}
