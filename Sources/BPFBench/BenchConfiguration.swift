/// What `BenchRunner` measures and how long it may take.
public struct BenchConfiguration: Sendable {
    /// Synthetic workload sizes (N).
    public var sizes: [Int]
    public var jumpDensities: [Double]
    public var patchDensities: [Double]
    /// Corpus objects to add as workloads (their biggest program section).
    public var corpusFiles: [String]
    public var contenders: [Contender]
    /// The sequential model is skipped where its estimated time exceeds this.
    public var sequentialBudget: Double
    /// A larger budget for the headline sequential workload (N = 100k, P = 10%).
    public var headlineSequentialBudget: Double
    /// Each measurement repeats at least this often and for at least `minimumTime` seconds...
    public var minimumRepetitions: Int
    public var minimumTime: Double
    /// ...but at most this often.
    public var maximumRepetitions: Int
    public var seed: UInt64

    public init(sizes: [Int], jumpDensities: [Double], patchDensities: [Double], corpusFiles: [String],
                contenders: [Contender] = Contender.allCases, sequentialBudget: Double, headlineSequentialBudget: Double,
                minimumRepetitions: Int, minimumTime: Double, maximumRepetitions: Int, seed: UInt64 = 0x5EED) {
        self.sizes = sizes
        self.jumpDensities = jumpDensities
        self.patchDensities = patchDensities
        self.corpusFiles = corpusFiles
        self.contenders = contenders
        self.sequentialBudget = sequentialBudget
        self.headlineSequentialBudget = headlineSequentialBudget
        self.minimumRepetitions = minimumRepetitions
        self.minimumTime = minimumTime
        self.maximumRepetitions = maximumRepetitions
        self.seed = seed
    }

    /// The full matrix: N = 1k…1M, jumps 5/20/50%, patches 0.1/1/10/30%.
    public static func full(corpusFiles: [String]) -> BenchConfiguration {
        BenchConfiguration(sizes: [1_000, 10_000, 100_000, 1_000_000], jumpDensities: [0.05, 0.2, 0.5],
                           patchDensities: [0.001, 0.01, 0.1, 0.3], corpusFiles: corpusFiles,
                           sequentialBudget: 10, headlineSequentialBudget: 120,
                           minimumRepetitions: 7, minimumTime: 0.3, maximumRepetitions: 51)
    }

    /// A few seconds: N = 1k…100k, 20% jumps, patches 1/10/30%; the
    /// sequential model only where it takes under a second.
    public static func quick(corpusFiles: [String]) -> BenchConfiguration {
        BenchConfiguration(sizes: [1_000, 10_000, 100_000], jumpDensities: [0.2],
                           patchDensities: [0.01, 0.1, 0.3], corpusFiles: corpusFiles,
                           sequentialBudget: 1, headlineSequentialBudget: 1,
                           minimumRepetitions: 3, minimumTime: 0.05, maximumRepetitions: 21)
    }
}
