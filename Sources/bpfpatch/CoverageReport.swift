import BPFCoverage
import BPFCoverageKernel
import BPFKernelOracle

/// The table, summary and JSON document of `bpfpatch cover`.
struct CoverageReport {
    var runs: [CoverageRun]
    var unreadable: [String]

    var hasDifferences: Bool { runs.contains { $0.outcome == .differed } }

    var table: String {
        var rows = [["object", "program", "type", "blocks", "lines", "runs", "processed", "outcome"]]
        for run in runs {
            let coverage = run.coverage
            let lineCounts = coverage?.lineCounts
            let blocks = coverage.map { "\($0.blocksHit)/\($0.graph.blocks.count)" } ?? "-"
            let lines = lineCounts.map { counts in "\(counts.values.count { $0 > 0 })/\(counts.count)" } ?? "-"
            let processed = "\(run.processedBefore.map(String.init) ?? "?")→\(run.processedAfter.map(String.init) ?? "-")"
            rows.append([run.object, run.name, run.programType, blocks, lines,
                         coverage.map { String($0.runs) } ?? "-", processed, run.outcome.rawValue])
        }
        return TextTable.render(rows, rightAligned: [3, 4, 5, 6])
    }

    /// Reasons for outcomes other than `covered`, most frequent first.
    var groupedReasons: [(String, Int)] {
        var counts: [String: Int] = [:]
        for run in runs where run.outcome != .covered {
            let reason = "\(run.outcome.rawValue): \(run.reason ?? "?")"
            counts[String(reason.prefix(160)), default: 0] += 1
        }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    var summaryLine: String {
        let loaded = runs.count { $0.outcome != .originalNotLoaded }
        let instrumented = runs.count { $0.slotsAfter != nil }
        let verified = runs.count { [.covered, .verifiedOnly, .differed].contains($0.outcome) }
        let ran = runs.count { $0.coverage != nil && ($0.coverage?.runs ?? 0) > 0 }
        let identical = runs.count { $0.outcome == .covered && $0.inputsCompared > 0 }
        let differed = runs.count { $0.outcome == .differed }
        var blocksHit = 0, blocks = 0, linesHit = 0, lines = 0
        for run in runs {
            guard let coverage = run.coverage, coverage.runs > 0 else { continue }
            blocksHit += coverage.blocksHit
            blocks += coverage.graph.blocks.count
            let counts = coverage.lineCounts
            linesHit += counts.values.count { $0 > 0 }
            lines += counts.count
        }
        return "\(runs.count) programs: \(loaded) loaded, \(instrumented) instrumented, \(verified) instrumented copies verified, "
            + "\(ran) run, \(identical) compared and identical, \(differed) differed; "
            + "blocks hit \(blocksHit)/\(blocks), lines hit \(linesHit)/\(lines) over the programs run"
    }

    /// The JSON document; with `annotated`, each program's annotated listing too.
    func document(annotated: Bool) -> Document {
        Document(programs: runs.map { run in
            let coverage = run.coverage
            return Document.Program(
                object: run.object, section: run.section, name: run.name, type: run.programType,
                outcome: run.outcome.rawValue, reason: run.reason, slotsBefore: run.slotsBefore, slotsAfter: run.slotsAfter,
                processedBefore: run.processedBefore, processedAfter: run.processedAfter, runs: coverage?.runs,
                inputsCompared: run.inputsCompared, inputsNotRepeatable: run.inputsNotRepeatable, inputsRefused: run.inputsRefused,
                differences: run.differences,
                blocks: coverage.map { c in
                    c.graph.blocks.map { Document.Block(index: $0.index, start: $0.slots.lowerBound.rawValue,
                                                        end: $0.slots.upperBound.rawValue, subprogram: $0.subprogram,
                                                        count: c.counts[$0.index]) }
                },
                functions: coverage.map { c in
                    c.graph.subprograms.enumerated().map { s, sub in
                        Document.Function(name: c.functionNames[s], start: sub.slots.lowerBound.rawValue,
                                          count: c.counts[sub.blocks.lowerBound])
                    }
                },
                lines: coverage.map { c in
                    c.lineCounts.sorted { $0.key < $1.key }.map { Document.Line(file: $0.key.file, line: $0.key.line, count: $0.value) }
                },
                annotation: annotated ? coverage?.annotated() : nil)
        }, unreadable: unreadable, summary: summaryLine)
    }

    struct Document: Codable {
        struct Block: Codable { var index, start, end, subprogram: Int; var count: UInt64 }
        struct Function: Codable { var name: String; var start: Int; var count: UInt64 }
        struct Line: Codable { var file: String; var line: Int; var count: UInt64 }
        struct Program: Codable {
            var object, section, name, type, outcome: String
            var reason: String?
            var slotsBefore: Int
            var slotsAfter, processedBefore, processedAfter: Int?
            var runs: UInt64?
            var inputsCompared, inputsNotRepeatable, inputsRefused: Int
            var differences: [String]
            var blocks: [Block]?
            var functions: [Function]?
            var lines: [Line]?
            var annotation: String?
        }
        var programs: [Program]
        var unreadable: [String]
        var summary: String
    }
}
