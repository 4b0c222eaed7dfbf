import ArgumentParser
import BPFCoverage
import BPFCoverageKernel
import BPFKernelOracle
import Foundation
import OutputFiles

struct CoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cover",
        abstract: "Measure block and line coverage of BPF programs in the live kernel.",
        discussion: """
            Splits every entry program (with its subprograms and callbacks) into basic blocks, \
            inserts a 64-bit counter increment at each block start in one engine batch, loads \
            the instrumented copy next to the original, test-runs both on each input and \
            compares return value and output data. Any difference fails the command. Reports \
            blocks and source lines hit, and the verifier's processed-instruction count before \
            and after instrumentation. Needs bpf(2) (root or CAP_BPF). --json prints one document \
            with a "programs" array and the tool's "version".

            Example:
              bpfpatch cover samples/ --lcov cover.info && genhtml -o html cover.info
            """)

    @Argument(help: "BPF object files or directories of them.")
    var paths: [String]

    @Option(name: .customLong("program"), help: "Cover only this entry program (function or section name); repeatable.")
    var programs: [String] = []

    @Option(name: .customLong("input"), help: "A file of packet (or context) bytes to test-run on; repeatable. Default: built-in packets.")
    var inputs: [String] = []

    @Option(name: .customLong("repeat"), help: "BPF_PROG_TEST_RUN repeat count per input.")
    var repeatCount: UInt32 = 1

    @Option(help: "Seed of the built-in packets.")
    var seed: UInt64 = 1

    @Option(help: "Write an lcov tracefile here (sources absent on this machine are rebuilt from line info next to it).")
    var lcov: String?

    @Flag(help: "Print the raw counts as JSON.")
    var json = false

    @Flag(help: "Print each program's disassembly with block hit counts and source lines (with --json: an 'annotation' field).")
    var annotate = false

    @Flag(help: "Load instrumented programs with the full verifier log and print the end of it to stderr for each rejection.")
    var verbose = false

    func validate() throws {
        guard repeatCount >= 1 else { throw ValidationError("--repeat must be at least 1") }
    }

    func run() throws {
        if let lcov {
            // Fail before the kernel work, not after it.
            let directory = URL(fileURLWithPath: lcov).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CLIError("\(lcov): cannot write: \(directory) is not a directory")
            }
        }
        var inputBytes: [[UInt8]] = []
        for path in inputs {
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("\(path): cannot read the file") }
            inputBytes.append([UInt8](data))
        }
        let options = CoverageOptions(programs: programs, inputs: inputBytes, repeatCount: repeatCount, seed: seed,
                                      detailedRejections: verbose)
        let loop = try ObjectFileLoop(paths: paths)
        let (results, unreadable) = loop.run { file throws(OracleError) in try CoverageRunner.cover(path: file, options: options) }
        if verbose {
            for run in results {
                guard let log = run.rejectionLog, !log.isEmpty else { continue }
                let tail = log.split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n")
                FileHandle.standardError.write(Data("== \(run.object) \(run.name): verifier log (end)\n\(tail)\n".utf8))
            }
        }
        // Nothing readable at all: fail with the reason, and write no tracefile.
        if results.isEmpty, let first = unreadable.first {
            throw CLIError(unreadable.count == 1 ? first : "\(unreadable.count) objects unreadable; the first: \(first)")
        }
        if !programs.isEmpty && results.isEmpty {
            throw CLIError("no entry program named \(programs.joined(separator: ", "))")
        }
        let report = CoverageReport(runs: results, unreadable: unreadable)
        if let lcov { try writeTracefile(report, to: lcov) }
        if json {
            print(try runJSONText(report.document(annotated: annotate)))
        } else {
            if annotate {
                for run in results {
                    guard let coverage = run.coverage else { continue }
                    print("; \(run.object) \(run.name): \(coverage.blocksHit)/\(coverage.graph.blocks.count) blocks in \(coverage.runs) runs")
                    print(coverage.annotated())
                }
            }
            print(report.table)
            print("")
            for (reason, count) in report.groupedReasons { print("  \(count) × \(reason)") }
            for line in unreadable { print("  unreadable: \(line)") }
            print(report.summaryLine)
        }
        if report.hasDifferences { throw ExitCode(1) }
    }

    /// At most this many lines of sources are rebuilt in all: line info
    /// names the files and their line numbers (up to 2²² − 1 each), so a
    /// hostile object could otherwise ask for gigabytes of empty lines.
    static let rebuiltLineBudget = 1 << 24

    /// Writes the tracefile (atomically) and, for source files not present
    /// here, their reconstruction from line info under `OUT.sources/`. The
    /// file names come from the object: `..` and `.` are dropped, and the
    /// whole set is checked (line budget, a name that is also another's
    /// directory) before anything is written; names that differ only in
    /// `.`/`..` parts get a `~k` suffix.
    private func writeTracefile(_ report: CoverageReport, to path: String) throws {
        var tracefile = CoverageTracefile(testName: "bpfpatch_cover")
        for run in report.runs { if let coverage = run.coverage { tracefile.add(coverage) } }
        let outURL = URL(fileURLWithPath: path)
        let sourceRoot = outURL.deletingPathExtension().path + ".sources"
        var mapped: [String: String] = [:]
        var rebuilt: [(file: String, target: String)] = []
        var used = Set<String>()
        var suffixes: [String: Int] = [:]
        var lineCount = 0
        for file in tracefile.files.keys.sorted() {
            if file.hasPrefix("/") && FileManager.default.fileExists(atPath: file) {
                mapped[file] = file
                continue
            }
            let relative = file.split(separator: "/").filter { $0 != ".." && $0 != "." }.joined(separator: "/")
            let base = URL(fileURLWithPath: sourceRoot).appendingPathComponent(relative.isEmpty ? "unnamed.c" : relative).path
            // Names that differ only in `.` or `..` parts get their own copies.
            var target = base, k = suffixes[base] ?? 1
            while used.contains(target) { k += 1; target = base + "~\(k)" }
            suffixes[base] = k
            used.insert(target)
            lineCount += tracefile.reconstructedLineCount(file)
            guard lineCount <= Self.rebuiltLineBudget else {
                throw CLIError("\(path): the line info asks for more than \(Self.rebuiltLineBudget) lines of rebuilt sources")
            }
            mapped[file] = target
            rebuilt.append((file, target))
        }
        // A rebuilt file may not be another's directory: in byte order, the
        // targets under `T/` follow `T/` directly.
        let sortedTargets = used.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        for (file, target) in rebuilt {
            let directory = Array((target + "/").utf8)
            var low = 0, high = sortedTargets.count
            while low < high {
                let mid = (low + high) / 2
                if sortedTargets[mid].lexicographicallyPrecedes(directory) { low = mid + 1 } else { high = mid }
            }
            if low < sortedTargets.count && sortedTargets[low].starts(with: directory) {
                throw CLIError("\(path): source file '\(file)' would also be the directory of another rebuilt source")
            }
        }
        // The sources and the tracefile, all or nothing.
        var outputs: [(bytes: [UInt8], path: String)] = []
        for (file, target) in rebuilt {
            let directory = URL(fileURLWithPath: target).deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw CLIError("\(directory.path): cannot create the directory: \(error.localizedDescription)")
            }
            outputs.append((Array(tracefile.reconstructedSource(file).utf8), target))
        }
        outputs.append((Array(tracefile.text { mapped[$0] ?? $0 }.utf8), outURL.path))
        do throws(OutputError) {
            try OutputFiles.write(outputs.map { OutputFile(path: $0.path, bytes: $0.bytes) })
        } catch {
            throw CLIError(error.description)
        }
        if tracefile.files.isEmpty {
            FileHandle.standardError.write(Data("note: \(path) has no records: no program that ran has .BTF.ext line info\n".utf8))
        }
    }
}
