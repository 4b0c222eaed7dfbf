/// How `CoverageRunner` picks programs and runs them.
public struct CoverageOptions: Hashable, Sendable {
    /// Entry programs to cover, by function or section name; empty: all.
    public var programs: [String]
    /// Inputs for `BPF_PROG_TEST_RUN` (packet or context bytes); empty: the
    /// built-in packets of `TestPackets`.
    public var inputs: [[UInt8]]
    /// `repeat` of `BPF_PROG_TEST_RUN`: runs per input.
    public var repeatCount: UInt32
    /// Seed of the built-in packets.
    public var seed: UInt64
    /// Ask for the verifier's full log (level 1) when loading the
    /// instrumented program, so a rejection shows the path to it.
    public var detailedRejections: Bool

    public init(programs: [String] = [], inputs: [[UInt8]] = [], repeatCount: UInt32 = 1, seed: UInt64 = 1,
                detailedRejections: Bool = false) {
        self.programs = programs
        self.inputs = inputs
        self.repeatCount = repeatCount
        self.seed = seed
        self.detailedRejections = detailedRejections
    }
}
