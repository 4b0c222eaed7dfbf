import BPFBench
import BPFInstructions
import BPFPatch
import Benchmark

// The headline workloads of `bpfpatch bench`, measured with the framework's
// clocks and its malloc interposer. One iteration is one application of the
// whole batch (divide by the output's slot count, in the benchmark name's
// workload, for ns per output slot). `mallocBytesCount` is every byte the
// apply allocates: minus the output (8 bytes per output slot, plus the
// adjusted tables) it bounds the engine's extra memory from above;
// `mallocCountTotal` is its number of allocations.

let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .mallocBytesCount, .peakMemoryResidentDelta]

    // N = 1M, P = 10% (avg 3 slots per replacement), 20% jumps: floor, draft and batch ratios.
    // N = 100k, P = 10%: the sequential model's ratio.
    let large = Workload.synthetic(SyntheticParameters(slots: 1_000_000, jumpDensity: 0.2, patchDensity: 0.1))
    let medium = Workload.synthetic(SyntheticParameters(slots: 100_000, jumpDensity: 0.2, patchDensity: 0.1))
    let small = Workload.synthetic(SyntheticParameters(slots: 10_000, jumpDensity: 0.2, patchDensity: 0.1))

    for workload in [large, medium] {
        let configuration = Benchmark.Configuration(metrics: metrics, maxDuration: .seconds(3), maxIterations: 200)
        let outputSlots = workload.outputSlots

        Benchmark("floor \(workload.name)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(LayoutCopy.apply(workload.patches.patches, to: workload.program, outputCount: outputSlots))
            }
        }
        Benchmark("memcpy \(workload.name)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(PlainCopy.apply(to: workload.program, outputCount: outputSlots))
            }
        }
        // The C contender, its batch flattened once outside the measurement.
        let baseline = try! CBaseline(workload.patches, programCount: workload.inputSlots)
        Benchmark("c \(workload.name)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try baseline.apply(to: workload.program))
            }
        }
        Benchmark("apply \(workload.name)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try workload.patches.apply(to: workload.program))
            }
        }
        Benchmark("apply+tables \(workload.name)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try workload.patches.apply(to: workload.program, tables: workload.tables))
            }
        }
        Benchmark("draft+tables \(workload.name)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                let draft = try DraftPatcher(patches: workload.patches, originalCount: workload.inputSlots)
                blackHole(try draft.apply(to: workload.program))
                blackHole(try draft.adjust(workload.tables))
            }
        }
    }

    // The sequential model is O(N·P): only the small workload, a few iterations.
    Benchmark("sequential+tables \(small.name)",
              configuration: .init(metrics: metrics, maxDuration: .seconds(5), maxIterations: 5)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try small.patches.applySequentially(to: small.program, tables: small.tables))
        }
    }
    Benchmark("apply+tables \(small.name)",
              configuration: .init(metrics: metrics, maxDuration: .seconds(2), maxIterations: 200)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try small.patches.apply(to: small.program, tables: small.tables))
        }
    }
}
