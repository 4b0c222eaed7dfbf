import ArgumentParser
import BPFBench
import Foundation
import OutputFiles

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the batch engine against a C loop, memcpy, the floor, the 2022 draft design and the sequential model.",
        discussion: """
            Every contender's result is checked against the batch engine's; a mismatch stops the run. \
            Use a release build (swift build -c release). Progress goes to stderr. --json prints \
            one JSON record per (workload, contender), then a last line with the summary and the \
            tool's "version".

            Example:
              swift build -c release && .build/release/bpfpatch bench --quick --no-corpus
            """
    )

    @Flag(help: "Smaller sizes (N ≤ 100k), same contenders; under 30 s in a release build.")
    var quick = false

    @Flag(help: "One JSON record per (workload, contender), then a summary line.")
    var json = false

    @Option(help: "Also write an SVG plot (ns per output slot against N) to this file.")
    var svg: String?

    @Option(help: "Also write the JSON lines to this file (whichever format goes to stdout).")
    var jsonOutput: String?

    @Option(help: "The corpus directory (default: $BPFPATCH_CORPUS, else the package's ../shared/corpus, if present).")
    var corpus: String?

    @Flag(help: "Leave out the corpus workloads.")
    var noCorpus = false

    @Option(help: "Skip the sequential model where its estimated time exceeds this many seconds.")
    var sequentialBudget: Double?

    @Option(parsing: .upToNextOption, help: "Synthetic sizes N to run instead of the default matrix.")
    var sizes: [Int] = []

    @Option(parsing: .upToNextOption, help: "Jump densities (fractions, e.g. 0.2) instead of the default.")
    var jumpDensities: [Double] = []

    @Option(parsing: .upToNextOption, help: "Patch densities P/N (fractions, e.g. 0.1) instead of the default.")
    var patchDensities: [Double] = []

    @Option(parsing: .upToNextOption,
            help: "Contenders to run (\(Contender.allCases.map(\.rawValue).joined(separator: ", "))).")
    var contenders: [String] = []

    func run() throws {
        let files = noCorpus ? [] : try BenchConfiguration.corpusFiles(explicitDirectory: corpus, quick: quick)
        var configuration = quick ? BenchConfiguration.quick(corpusFiles: files) : .full(corpusFiles: files)
        if !sizes.isEmpty { configuration.sizes = sizes }
        if !jumpDensities.isEmpty { configuration.jumpDensities = jumpDensities }
        if !patchDensities.isEmpty { configuration.patchDensities = patchDensities }
        if !contenders.isEmpty {
            configuration.contenders = try contenders.map { name in
                guard let contender = Contender(rawValue: name) else {
                    throw ValidationError("unknown contender '\(name)'; known: \(Contender.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return contender
            }
        }
        if let sequentialBudget {
            configuration.sequentialBudget = sequentialBudget
            configuration.headlineSequentialBudget = max(configuration.headlineSequentialBudget, sequentialBudget)
        }
        var runner = BenchRunner(configuration: configuration) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        let report = try runner.run()
        print(json ? try report.jsonLines() : report.table())
        if let jsonOutput {
            try report.jsonLines().appending("\n").write(toFile: jsonOutput, atomically: true, encoding: .utf8)
        }
        if let svg {
            try writeOutputs([OutputFile(path: svg, bytes: Array(report.svg().utf8))])
        }
    }
}
