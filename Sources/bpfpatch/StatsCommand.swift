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
            the batch engine and compares every jump the kernel left in place. Exits non-zero on \
            any disagreement.
            """)

    @Argument(help: "BPF object files or directories of them.")
    var paths: [String]

    @Flag(help: "Print the raw per-program data as JSON.")
    var json = false

    func run() throws {
        let files = try ObjectPaths.expand(paths)
        var programs: [ProgramStats] = []
        var unreadable: [String] = []
        for (i, file) in files.enumerated() {
            if files.count > 1 { ObjectPaths.progress("[\(i + 1)/\(files.count)] \(file)") }
            do {
                programs += try KernelPatchStatistics.measure(path: file)
            } catch {
                unreadable.append("\(error)")
            }
        }
        if files.count > 1 { ObjectPaths.progress(nil) }
        let report = StatsReport(programs: programs, unreadable: unreadable)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.table)
            print("")
            print("not loaded:")
            for (reason, count) in report.notLoadedReasons { print("  \(count) × \(reason)") }
            for line in unreadable { print("  unreadable: \(line)") }
            print(report.summary)
        }
        if report.hasDisagreements { throw ExitCode(1) }
    }
}
