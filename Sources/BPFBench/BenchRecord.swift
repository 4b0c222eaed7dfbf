/// The outcome of one (workload, contender) pair.
public struct BenchRecord: Codable, Hashable, Sendable {
    /// How a time was obtained.
    public enum Status: String, Codable, Sendable {
        /// Timed in this run (median of `repetitions` runs after a warm-up).
        case measured
        /// Not run: estimated from the per-slot-step cost of the largest
        /// sequential run measured before it.
        case skipped
    }

    public var workload: String
    public var contender: Contender
    /// N, P and the output's slot count.
    public var n: Int
    public var p: Int
    public var outputSlots: Int
    public var jumpDensity: Double?
    public var patchDensity: Double?
    public var status: Status
    public var repetitions: Int
    /// Median wall-clock seconds per apply (the estimate when skipped).
    public var seconds: Double
    public var nsPerOutputSlot: Double
    /// Median thread CPU seconds per apply (the estimate when skipped):
    /// the basis of every ratio, since it leaves out preemption.
    public var cpuSeconds: Double
    public var cpuNsPerOutputSlot: Double
    /// CPU time over the floor's (`Contender.floor`) in the same run.
    public var ratioToFloor: Double?
    /// CPU time over one plain memcpy's in the same run.
    public var ratioToMemcpy: Double?
    /// For `batch+tables`: draft+tables CPU time over batch+tables CPU time.
    public var draftOverBatch: Double?
    /// For `batch+tables`: sequential time over batch+tables time
    /// (from the estimate when the sequential run was skipped).
    public var sequentialOverBatch: Double?
    /// Extra memory beyond the output, modelled from the contender's data
    /// structures (see `BenchRunner.modelledExtraBytes`), per input slot.
    public var extraBytesPerInputSlot: Double?
    public var note: String?
}

/// The headline numbers of a run, printed as its last line.
public struct BenchSummary: Codable, Hashable, Sendable {
    /// The workload for the floor and draft ratios (N = 1M, P = 10%, 20% jumps in a full run).
    public var largeWorkload: String?
    public var batchTablesOverFloor: Double?
    public var batchTablesOverMemcpy: Double?
    public var draftOverBatchTables: Double?
    /// The workload for the sequential ratio (N = 100k, P = 10%, 20% jumps).
    public var sequentialWorkload: String?
    public var sequentialOverBatchTables: Double?
    /// True when the sequential time behind that ratio is an extrapolation.
    public var sequentialExtrapolated: Bool?
    /// Modelled extra bytes of the batch engine beyond the output, per input
    /// slot, on the large workload.
    public var batchExtraBytesPerInputSlot: Double?
    /// Whether each target of the issue is met.
    public var floorTargetMet: Bool?
    public var draftTargetMet: Bool?
    public var sequentialTargetMet: Bool?
    public var memoryTargetMet: Bool?
}
