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
    /// CPU time over the C contender's (`Contender.cBaseline`) in the same run.
    public var ratioToC: Double?
    /// For `batch+tables`: draft+tables CPU time over batch+tables CPU time.
    public var draftOverBatch: Double?
    /// For `batch+tables`: sequential time over batch+tables time
    /// (from the estimate when the sequential run was skipped).
    public var sequentialOverBatch: Double?
    /// Heap peak of one apply (the warm-up run), measured by the counting
    /// allocator (`AllocationProbe`): bytes allocated minus bytes freed at
    /// their high-water mark, `malloc_usable_size` per block. Nil when the
    /// counting allocator is not the process's malloc.
    public var peakBytes: Int?
    /// `peakBytes` minus the output: the program's slots (8 bytes each)
    /// and, for the table contenders, the adjusted tables' entries. The
    /// engine's index map, returned with its result, counts as extra.
    public var extraBytes: Int?
    /// `extraBytes` per input slot.
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
    /// Measured extra bytes of the batch engine (instructions only) beyond
    /// the output, per input slot, on the large workload.
    public var batchExtraBytesPerInputSlot: Double?
    /// The batch engine's measured extra memory split as a·N + b·P by a
    /// least-squares fit over the patch densities at the largest N (20%
    /// jumps): a in bytes per input slot, b in bytes per patch.
    public var batchExtraBytesPerSlotFit: Double?
    public var batchExtraBytesPerPatchFit: Double?
    /// batch (instructions only) CPU time over the C contender's, and over
    /// memcpy's; batch+tables over batch; draft+tables over batch+tables.
    public var batchOverC: Double?
    public var batchOverMemcpy: Double?
    public var batchTablesOverBatch: Double?
    /// Whether each target of issue 10 is met: batch ≤ C; batch+tables ≥
    /// 3× faster than draft+tables and ≤ 1.5× batch; batch ≤ 10× memcpy;
    /// sequential ≥ 1000× batch+tables at N = 100k; extra memory fit a ≤ 4.
    public var cTargetMet: Bool?
    public var draftTargetMet: Bool?
    public var tablesTargetMet: Bool?
    public var memcpyTargetMet: Bool?
    public var sequentialTargetMet: Bool?
    public var memoryTargetMet: Bool?
}
