import ArgumentParser
import BPFKernelOracle
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the batch engine against the live verifier with ja +0 no-op padding.",
        discussion: """
            Loads every program of each object as is, then again with `ja +0` no-ops inserted \
            by the batch engine at random instructions (func/line info remapped). The verifier \
            removes the no-ops, so both must translate to identical code and line info, and \
            behave the same under BPF_PROG_TEST_RUN. Exits 1 on any difference, 2 when nothing \
            was verified (no object files, none readable, no program loaded). --json prints \
            one document with a "programs" array and the tool's "version".

            Example: bpfpatch verify samples/ --seed 7
            """)

    @Argument(help: "BPF object files or directories of them.")
    var paths: [String]

    @Option(help: "Seed for the no-op positions and test packets.")
    var seed: UInt64 = 1

    @Option(help: "Fraction of instructions that get a no-op before them (0...1).")
    var density: Double = 0.3

    @Flag(help: "Print the raw results as JSON.")
    var json = false

    func validate() throws {
        guard (0...1).contains(density) else { throw ValidationError("--density must be between 0 and 1") }
    }

    func run() throws {
        let options = VerifyOptions(seed: seed, density: density)
        let loop = try ObjectFileLoop(paths: paths)
        let (programs, unreadable) = loop.run { file throws(OracleError) in try PaddingVerifier.verify(path: file, options: options) }
        let report = VerifyReport(seed: seed, density: density, programs: programs, unreadable: unreadable)
        if json {
            print(try runJSONText(report))
        } else {
            print(report.table)
            print("")
            for (reason, count) in report.groupedReasons { print("  \(count) × \(reason)") }
            for line in unreadable { print("  unreadable: \(line)") }
            print(report.detailLine)
            print(report.summaryLine)
        }
        if report.hasDifferences { throw ExitCode(1) }
        try loop.requireSomethingChecked(report.count(.identical), programs: programs.count, unreadable: unreadable,
                                         notChecked: "not loaded \(report.count(.notLoaded)), skipped \(report.count(.skipped))")
    }
}
