import ArgumentParser
import BPFKernelOracle
import Foundation

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Measure what the kernel's verifier patches, and re-apply it with the batch engine.",
        discussion: """
            Loads every program with synthetic line info (one record per instruction) and reads \
            back where each instruction ended up: sites expanded, removed, rewritten in place, \
            the size histogram, and the copying cost of sequential patching versus one batch. \
            Then rebuilds the kernel's batch from that mapping, applies it to the original with \
            the batch engine and compares every jump the kernel left in place. Exits 1 on any \
            disagreement, 2 when nothing was measured (no object files, none readable, no program loaded). \
            --json prints one document with a "programs" array and the tool's "version".

            Example: bpfpatch stats samples/
            """)

    @Argument(help: "BPF object files or directories of them.")
    var paths: [String]

    @Flag(help: "Print the raw per-program data as JSON.")
    var json = false

    func run() throws {
        let loop = try ObjectFileLoop(paths: paths)
        let (programs, unreadable) = loop.run { file throws(OracleError) in try KernelPatchStatistics.measure(path: file) }
        let report = StatsReport(programs: programs, unreadable: unreadable)
        if json {
            print(try runJSONText(report))
        } else {
            print(report.table)
            print("")
            print("not loaded:")
            for (reason, count) in report.notLoadedReasons { print("  \(count) × \(reason)") }
            for line in unreadable { print("  unreadable: \(line)") }
            print(report.summary)
        }
        if report.hasDisagreements { throw ExitCode(1) }
        let loaded = report.totals.loaded
        try loop.requireSomethingChecked(loaded, programs: programs.count, unreadable: unreadable,
                                         notChecked: "not loaded \(programs.count - loaded)")
    }
}
