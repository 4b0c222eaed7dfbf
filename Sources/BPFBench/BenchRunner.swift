import BPFInstructions
import BPFPatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs every contender on every workload of a configuration, checks that
/// they agree, and times them.
///
///     var runner = BenchRunner(configuration: .quick(corpusFiles: []))
///     let report = try runner.run()
///     print(report.table())
public struct BenchRunner {
    public var configuration: BenchConfiguration
    /// Receives one line per step of a long run (the CLI sends it to stderr).
    public var progress: (String) -> Void
    /// Seconds per (patch × slot) of the sequential model, from its largest
    /// measured run so far; the basis of its time estimates.
    private(set) var sequentialCost: (work: Double, secondsPerUnit: Double)?

    public init(configuration: BenchConfiguration, progress: @escaping (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.progress = progress
    }

    /// The workloads' recipes in the order they are run: synthetic ones by
    /// ascending N, then the corpus files.
    public func plan() -> [WorkloadRecipe] {
        var recipes: [WorkloadRecipe] = []
        for n in configuration.sizes {
            for j in configuration.jumpDensities {
                for p in configuration.patchDensities {
                    recipes.append(.synthetic(SyntheticParameters(slots: n, jumpDensity: j, patchDensity: p,
                                                                  seed: configuration.seed)))
                }
            }
        }
        recipes += configuration.corpusFiles.map { .corpus(path: $0) }
        return recipes
    }

    /// Runs the whole plan, one workload in memory at a time.
    ///
    /// - Throws: `BenchError` when contenders disagree or reject a workload
    ///   (the run stops there), or the corpus reader's error.
    /// - Complexity: per workload, the contenders' own costs times the
    ///   repetitions; the sequential model's O(N·P) is capped by
    ///   `configuration.sequentialBudget` (estimated, then skipped).
    public mutating func run() throws(BenchError) -> BenchReport {
        var records: [BenchRecord] = []
        let recipes = plan()
        for (k, recipe) in recipes.enumerated() {
            progress("[\(k + 1)/\(recipes.count)] generating \(recipe.name)")
            let workload = try recipe.make()
            records += try measure(workload, label: "[\(k + 1)/\(recipes.count)]")
        }
        return BenchReport(records: records, quickConfiguration: configuration.sizes.max() ?? 0 < 1_000_000)
    }

    /// Median wall time and median thread CPU time of `body` over the
    /// configured repetitions, after one warm-up run whose result is
    /// returned for checking. CPU time leaves out the time the thread was
    /// preempted, which matters on a shared machine. The warm-up runs under
    /// the counting allocator (`AllocationProbe`): its heap peak is the
    /// memory measurement; the timed runs count nothing.
    func time<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> Timing<R> {
        let clock = ContinuousClock()
        let warmCPU = Self.threadCPUTime()
        let warmStart = clock.now
        let (usage, result) = try AllocationProbe.measure(body)
        let warm = (clock.now - warmStart).seconds
        let warmCPUSeconds = Self.threadCPUTime() - warmCPU
        // A run of seconds is its own sample: repeating it buys no precision worth the wait.
        if warm > 2 {
            return Timing(result: result, seconds: warm, cpuSeconds: warmCPUSeconds, repetitions: 1, usage: usage)
        }
        var samples: [Double] = [], cpuSamples: [Double] = []
        var total = 0.0
        while samples.count < configuration.maximumRepetitions {
            if samples.count >= configuration.minimumRepetitions && total >= configuration.minimumTime { break }
            let cpu = Self.threadCPUTime()
            let start = clock.now
            _ = try body()
            let s = (clock.now - start).seconds
            cpuSamples.append(Self.threadCPUTime() - cpu)
            samples.append(s)
            total += s
        }
        samples.sort()
        cpuSamples.sort()
        return Timing(result: result, seconds: samples[samples.count / 2], cpuSeconds: cpuSamples[cpuSamples.count / 2],
                      repetitions: samples.count, usage: usage)
    }

    /// The calling thread's CPU time in seconds (`CLOCK_THREAD_CPUTIME_ID`).
    static func threadCPUTime() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Runs the configured contenders on one workload.
    mutating func measure(_ workload: Workload, label: String) throws(BenchError) -> [BenchRecord] {
        let program = workload.program
        let patchSet = workload.patches
        let tables = workload.tables
        let n = workload.inputSlots, p = workload.patchCount, m = workload.outputSlots
        let tableSize = (tables.lineInfo?.entries.count ?? 0) + (tables.subprograms?.entries.count ?? 0)
            + (tables.pokes?.slots.count ?? 0) + tables.instructionArrays.reduce(0) { $0 + $1.entries.count }
        var seconds: [Contender: Double] = [:]
        var records: [BenchRecord] = []
        var reference: PatchResult? = nil
        var referenceTables: SideTables? = nil
        var extrapolatedSequential = false

        /// `output`: the bytes of what the contender returns that count as
        /// output (the program's slots and the adjusted tables' entries).
        func record<R>(_ contender: Contender, _ run: Timing<R>, output: Int) {
            let extra = run.usage.map { $0.peakBytes - output }
            record(contender, run.seconds, cpu: run.cpuSeconds, reps: run.repetitions,
                   extraBytes: extra, peakBytes: run.usage?.peakBytes)
        }
        func record(_ contender: Contender, _ s: Double, cpu: Double, reps: Int, status: BenchRecord.Status = .measured,
                    extraBytes: Int? = nil, peakBytes: Int? = nil, note: String? = nil) {
            seconds[contender] = cpu
            var jump: Double? = nil, density: Double? = nil
            if case .synthetic(let parameters) = workload.source { jump = parameters.jumpDensity; density = parameters.patchDensity }
            records.append(BenchRecord(workload: workload.name, contender: contender, n: n, p: p, outputSlots: m,
                                       jumpDensity: jump, patchDensity: density, status: status, repetitions: reps,
                                       seconds: s, nsPerOutputSlot: s * 1e9 / Double(max(m, 1)),
                                       cpuSeconds: cpu, cpuNsPerOutputSlot: cpu * 1e9 / Double(max(m, 1)),
                                       peakBytes: peakBytes, extraBytes: extraBytes,
                                       extraBytesPerInputSlot: extraBytes.map { Double($0) / Double(max(n, 1)) },
                                       note: note))
        }
        let programBytes = m * MemoryLayout<Instruction>.stride
        func mismatch(_ what: String) -> BenchError { BenchError(.mismatch, workload: workload.name, what) }
        func engineResult() throws(BenchError) -> PatchResult {
            if let reference { return reference }
            return try Self.engine(workload)
        }
        func engineTables() throws(BenchError) -> SideTables {
            if let referenceTables { return referenceTables }
            return try Self.engine(workload).tables
        }

        // The engine first: it is the reference the others are checked against.
        let order = configuration.contenders.sorted { Self.runOrder($0) < Self.runOrder($1) }
        for contender in order {
            progress("\(label) \(workload.name) (N=\(n), P=\(p)): \(contender.rawValue)")
            switch contender {
            case .cBaseline:
                // Timed: flattening the batch (C's equivalent of the engine's
                // BatchLayout.init, which the engine's time includes) and the C
                // pass, into an output array reused between runs like the engine's.
                var cOutput: [Instruction] = []
                let run = try time { () throws(BenchError) -> Void in
                    do throws(CBaseline.Failure) {
                        let baseline = try CBaseline(patchSet, programCount: n)
                        try baseline.apply(to: program, into: &cOutput)
                    } catch {
                        throw BenchError(.rejected, workload: workload.name, error.description)
                    }
                }
                _ = run.result
                let engine = try engineResult()
                reference = engine
                if cOutput != engine.program.slots {
                    throw mismatch("C contender and batch engine produce different programs (first difference at new slot \(Self.firstDifference(cOutput, engine.program.slots)))")
                }
                record(.cBaseline, run, output: programBytes)
            case .memcpy:
                let run = time { PlainCopy.apply(to: program, outputCount: m) }
                guard run.result.count == m else { throw mismatch("memcpy wrote \(run.result.count) slots, expected \(m)") }
                record(.memcpy, run, output: programBytes)
            case .floor:
                let run = time { LayoutCopy.apply(patchSet.patches, to: program, outputCount: m) }
                let engine = try engineResult()
                reference = engine
                try Self.checkLayout(run.result, against: engine.program.slots, workload: workload.name)
                record(.floor, run, output: programBytes)
            case .batch:
                // Through a PatchWorkspace: the output, index map and patch
                // records are reused between the timed runs (the warm-up,
                // which the memory column counts, allocates them).
                let workspace = PatchWorkspace()
                var slots: [Instruction] = []
                let run = try time { () throws(BenchError) -> Void in try Self.engine(workload, tables: false, into: &slots, workspace: workspace) }
                let result = PatchResult(program: Program(slots: slots), indexMap: workspace.indexMap, tables: SideTables())
                guard result.program.count == m else { throw mismatch("batch produced \(result.program.count) slots, expected \(m)") }
                if let reference, reference.program != result.program { throw mismatch("batch without tables differs from batch with tables") }
                reference = reference ?? result
                record(.batch, run, output: programBytes)
            case .batchTables:
                let workspace = PatchWorkspace()
                var slots: [Instruction] = []
                let run = try time { () throws(BenchError) -> SideTables in try Self.engine(workload, tables: true, into: &slots, workspace: workspace) }
                let result = PatchResult(program: Program(slots: slots), indexMap: workspace.indexMap, tables: run.result)
                if let reference, reference.program != result.program { throw mismatch("batch with tables differs from batch without") }
                // The allocating apply must agree with the workspace one.
                let allocating = try Self.engine(workload)
                if allocating != result { throw mismatch("apply(into:workspace:) and apply(to:) differ") }
                reference = result
                referenceTables = result.tables
                record(.batchTables, run, output: programBytes + Self.payloadBytes(result.tables))
            case .draftTables:
                let run = try time { () throws(BenchError) -> (Program, SideTables) in
                    do {
                        let draft = try DraftPatcher(patches: patchSet, originalCount: n)
                        return (try draft.apply(to: program), try draft.adjust(tables))
                    } catch {
                        throw BenchError(.rejected, workload: workload.name, "draft design: \(error)")
                    }
                }
                let engine = try engineResult()
                reference = engine
                if run.result.0 != engine.program {
                    throw mismatch("draft design and batch engine produce different programs (first difference at new slot \(Self.firstDifference(run.result.0.slots, engine.program.slots)))")
                }
                let expectedTables = try engineTables()
                if run.result.1 != expectedTables { throw mismatch("draft design and batch engine produce different side tables") }
                record(.draftTables, run, output: programBytes + Self.payloadBytes(run.result.1))
            case .sequentialTables:
                let work = Double(p) * Double(n + m + tableSize) / 2
                let budget = Self.isHeadlineSequential(workload) ? configuration.headlineSequentialBudget : configuration.sequentialBudget
                if let cost = sequentialCost, work * cost.secondsPerUnit > budget {
                    let estimate = work * cost.secondsPerUnit
                    record(.sequentialTables, estimate, cpu: estimate, reps: 0, status: .skipped,
                           note: "skipped (too slow: est. \(BenchReport.format(seconds: estimate)), extrapolated from a measured run of \(Int(cost.work)) patch-slot steps)")
                    extrapolatedSequential = true
                    continue
                }
                let run = try time { () throws(BenchError) -> SequentialResult in
                    do { return try patchSet.applySequentially(to: program, tables: tables) } catch {
                        throw BenchError(.rejected, workload: workload.name, "sequential model: \(error)")
                    }
                }
                let engine = try engineResult()
                reference = engine
                if run.result.program != engine.program {
                    throw mismatch("sequential model and batch engine produce different programs (first difference at new slot \(Self.firstDifference(run.result.program.slots, engine.program.slots)))")
                }
                let expectedTables = try engineTables()
                if run.result.tables != expectedTables { throw mismatch("sequential model and batch engine produce different side tables") }
                if run.result.originalIndices != engine.indexMap.originalIndices() {
                    throw mismatch("sequential model and batch engine produce different orig_idx")
                }
                if work > 0 && work >= (sequentialCost?.work ?? 0) {
                    sequentialCost = (work, run.cpuSeconds / work)
                }
                record(.sequentialTables, run, output: programBytes + Self.payloadBytes(run.result.tables))
            }
        }
        _ = extrapolatedSequential

        // Ratios, all against CPU times of this same run.
        for index in records.indices {
            let s = records[index].cpuSeconds
            if let floor = seconds[.floor], floor > 0 { records[index].ratioToFloor = s / floor }
            if let plain = seconds[.memcpy], plain > 0 { records[index].ratioToMemcpy = s / plain }
            if let c = seconds[.cBaseline], c > 0 { records[index].ratioToC = s / c }
            if records[index].contender == .batchTables {
                if let draft = seconds[.draftTables] { records[index].draftOverBatch = draft / s }
                if let sequential = seconds[.sequentialTables] { records[index].sequentialOverBatch = sequential / s }
            }
        }
        return records
    }

    static func runOrder(_ contender: Contender) -> Int {
        switch contender {
        case .batchTables: 0
        case .batch: 1
        case .cBaseline: 2
        case .memcpy: 3
        case .floor: 4
        case .draftTables: 5
        case .sequentialTables: 6
        }
    }

    static func isHeadlineSequential(_ workload: Workload) -> Bool {
        guard case .synthetic(let parameters) = workload.source else { return false }
        return parameters.slots == 100_000 && parameters.jumpDensity == 0.2 && parameters.patchDensity == 0.1
    }

    /// The batch engine on a workload, with or without its tables.
    /// The engine through a reused workspace and output array.
    @discardableResult
    static func engine(_ workload: Workload, tables: Bool, into slots: inout [Instruction],
                       workspace: PatchWorkspace) throws(BenchError) -> SideTables {
        do {
            return try workload.patches.apply(to: workload.program, tables: tables ? workload.tables : SideTables(),
                                              into: &slots, workspace: workspace)
        } catch {
            throw BenchError(.rejected, workload: workload.name, "batch engine: \(error)")
        }
    }

    static func engine(_ workload: Workload, tables: Bool = true) throws(BenchError) -> PatchResult {
        do {
            return try workload.patches.apply(to: workload.program, tables: tables ? workload.tables : SideTables())
        } catch {
            throw BenchError(.rejected, workload: workload.name, "batch engine: \(error)")
        }
    }

    /// The floor's output must equal the engine's on every slot, reference
    /// fields aside.
    static func checkLayout(_ layout: [Instruction], against engine: [Instruction], workload: String) throws(BenchError) {
        guard layout.count == engine.count else {
            throw BenchError(.mismatch, workload: workload, "floor wrote \(layout.count) slots, the engine \(engine.count)")
        }
        let mask = Program(slots: engine).secondHalfMask()
        for i in engine.indices {
            var a = layout[i], b = engine[i]
            if !mask[i], let field = b.referenceField {
                if field == .offset { a.offset = 0; b.offset = 0 } else { a.immediate = 0; b.immediate = 0 }
            }
            if a != b {
                throw BenchError(.mismatch, workload: workload, "floor and engine differ at new slot \(i) outside reference fields")
            }
        }
    }

    static func firstDifference(_ a: [Instruction], _ b: [Instruction]) -> Int {
        zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
    }

    /// The bytes of the adjusted tables' entries: output, not extra memory.
    static func payloadBytes(_ tables: SideTables) -> Int {
        (tables.lineInfo?.entries.count ?? 0) * MemoryLayout<LineInfoTable.Entry>.stride
            + (tables.subprograms?.entries.count ?? 0) * MemoryLayout<SubprogramTable.Entry>.stride
            + (tables.pokes?.slots.count ?? 0) * MemoryLayout<SlotIndex>.stride
            + tables.instructionArrays.reduce(0) { $0 + $1.entries.count * MemoryLayout<SlotIndex?>.stride }
    }
}

/// The outcome of `BenchRunner.time(_:)`.
struct Timing<R> {
    var result: R
    /// Median wall-clock seconds.
    var seconds: Double
    /// Median thread CPU seconds.
    var cpuSeconds: Double
    var repetitions: Int
    /// The warm-up run's heap usage (nil if the counting allocator is not in use).
    var usage: AllocationProbe?
}

/// How to make one workload (so that only one is in memory at a time).
public enum WorkloadRecipe: Sendable {
    case synthetic(SyntheticParameters)
    case corpus(path: String)

    public var name: String {
        switch self {
        case .synthetic(let parameters): parameters.name
        case .corpus(let path): "corpus-" + path.split(separator: "/").suffix(2).joined(separator: "/")
        }
    }

    public func make() throws(BenchError) -> Workload {
        switch self {
        case .synthetic(let parameters): Workload.synthetic(parameters)
        case .corpus(let path): try Workload.corpus(path: path)
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
