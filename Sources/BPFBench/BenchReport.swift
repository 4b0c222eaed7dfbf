import BPFInstructions
import Foundation

/// The records of one run and the views of them: a plain table, JSON lines
/// and a one-line summary of the headline ratios.
public struct BenchReport: Sendable {
    public var records: [BenchRecord]
    /// True when the run did not reach N = 1M (the headline "large" workload
    /// then falls back to the largest N measured).
    public var quickConfiguration: Bool

    public init(records: [BenchRecord], quickConfiguration: Bool) {
        self.records = records
        self.quickConfiguration = quickConfiguration
    }

    func record(_ workload: String, _ contender: Contender) -> BenchRecord? {
        records.first { $0.workload == workload && $0.contender == contender }
    }

    /// The largest synthetic workload with 20% jumps and P = 10% (N = 1M in a full run).
    var largeWorkload: String? {
        records.filter { $0.jumpDensity == 0.2 && $0.patchDensity == 0.1 }.max { $0.n < $1.n }?.workload
    }

    /// The synthetic workload with N = 100k, 20% jumps and P = 10%.
    var sequentialWorkload: String? {
        records.first { $0.n == 100_000 && $0.jumpDensity == 0.2 && $0.patchDensity == 0.1 }?.workload
    }

    /// The headline ratios and whether they meet issue 10's targets (at
    /// the large workload: batch no slower than the C contender, batch+tables
    /// ≥ 3× faster than draft+tables and ≤ 1.5× batch, batch ≤ 10× memcpy;
    /// at N = 100k, P = 10k: sequential ≥ 1000× batch+tables; extra memory
    /// ≤ 4 bytes per input slot plus O(P), from the a·N + b·P fit).
    public var summary: BenchSummary {
        var s = BenchSummary()
        if let large = largeWorkload, let tables = record(large, .batchTables) {
            s.largeWorkload = large
            s.batchTablesOverFloor = tables.ratioToFloor
            s.batchTablesOverMemcpy = tables.ratioToMemcpy
            s.draftOverBatchTables = tables.draftOverBatch
            s.draftTargetMet = tables.draftOverBatch.map { $0 >= 3 }
            if let batch = record(large, .batch) {
                s.batchExtraBytesPerInputSlot = batch.extraBytesPerInputSlot
                s.batchOverC = batch.ratioToC
                s.batchOverMemcpy = batch.ratioToMemcpy
                s.cTargetMet = batch.ratioToC.map { $0 <= 1 }
                s.memcpyTargetMet = batch.ratioToMemcpy.map { $0 <= 10 }
                if batch.cpuSeconds > 0 {
                    s.batchTablesOverBatch = tables.cpuSeconds / batch.cpuSeconds
                    s.tablesTargetMet = s.batchTablesOverBatch.map { $0 <= 1.5 }
                }
            }
        }
        if let fit = memoryFit(.batch) {
            s.batchExtraBytesPerSlotFit = fit.perSlot
            s.batchExtraBytesPerPatchFit = fit.perPatch
            s.memoryTargetMet = fit.perSlot <= 4
        }
        if let mid = sequentialWorkload, let batch = record(mid, .batchTables) {
            s.sequentialWorkload = mid
            s.sequentialOverBatchTables = batch.sequentialOverBatch
            s.sequentialExtrapolated = record(mid, .sequentialTables).map { $0.status == .skipped }
            s.sequentialTargetMet = batch.sequentialOverBatch.map { $0 >= 1000 }
        }
        return s
    }

    /// Least-squares fit of a contender's measured extra bytes as a·N + b·P
    /// over the workloads of the largest N with 20% jumps (their P differ);
    /// nil with fewer than two distinct P.
    func memoryFit(_ contender: Contender) -> (perSlot: Double, perPatch: Double)? {
        let points = records.filter { $0.contender == contender && $0.jumpDensity == 0.2 && $0.extraBytes != nil }
        guard let n = points.map(\.n).max() else { return nil }
        let chosen = points.filter { $0.n == n }
        guard Set(chosen.map(\.p)).count >= 2 else { return nil }
        // Normal equations of y = a·N + b·P with N fixed: a·N is the intercept.
        let k = Double(chosen.count)
        let xs = chosen.map { Double($0.p) }, ys = chosen.map { Double($0.extraBytes!) }
        let mx = xs.reduce(0, +) / k, my = ys.reduce(0, +) / k
        let sxy = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let b = sxy / sxx
        return ((my - b * mx) / Double(n), b)
    }

    /// The summary as one human line.
    public var summaryLine: String {
        let s = summary
        var parts: [String] = []
        if let large = s.largeWorkload {
            parts.append("\(large): batch = \(Self.ratio(s.batchOverC))× C, \(Self.ratio(s.batchOverMemcpy))× memcpy; batch+tables = \(Self.ratio(s.batchTablesOverBatch))× batch, \(Self.ratio(s.batchTablesOverFloor))× floor; draft+tables = \(Self.ratio(s.draftOverBatchTables))× batch+tables")
        }
        if let mid = s.sequentialWorkload {
            parts.append("\(mid): sequential = \(Self.ratio(s.sequentialOverBatchTables))× batch+tables\(s.sequentialExtrapolated == true ? " (sequential time EXTRAPOLATED)" : "")")
        }
        if let bytes = s.batchExtraBytesPerInputSlot {
            parts.append("batch extra memory (measured) \(String(format: "%.2f", bytes)) B/input slot")
        }
        if let a = s.batchExtraBytesPerSlotFit, let b = s.batchExtraBytesPerPatchFit {
            parts.append("fit \(String(format: "%.2f", a)) B/input slot + \(String(format: "%.1f", b)) B/patch")
        }
        return "summary: " + (parts.isEmpty ? "no headline workload measured" : parts.joined(separator: "; "))
    }

    /// A plain table, one row per (workload, contender), then the summary line.
    public func table() -> String {
        let header = ["workload", "N", "P", "out", "contender", "ns/out-slot", "cpu ns/out-slot", "×floor", "×memcpy", "×C", "reps", "B/in-slot*", "note"]
        var rows: [[String]] = [header]
        for r in records {
            var note = r.note ?? ""
            if let d = r.draftOverBatch { note += "draft/batch \(Self.ratio(d))×" }
            if let q = r.sequentialOverBatch { note += (note.isEmpty ? "" : ", ") + "sequential/batch \(Self.ratio(q))×" }
            rows.append([
                r.workload, String(r.n), String(r.p), String(r.outputSlots), r.contender.rawValue,
                (r.status == .skipped ? "~" : "") + String(format: "%.2f", r.nsPerOutputSlot),
                (r.status == .skipped ? "~" : "") + String(format: "%.2f", r.cpuNsPerOutputSlot),
                Self.ratio(r.ratioToFloor), Self.ratio(r.ratioToMemcpy), Self.ratio(r.ratioToC), String(r.repetitions),
                r.extraBytesPerInputSlot.map { String(format: "%.2f", $0) } ?? "-", note,
            ])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows { for (k, cell) in row.enumerated() { widths[k] = max(widths[k], cell.count) } }
        var lines: [String] = []
        for (index, row) in rows.enumerated() {
            let cells = row.enumerated().map { k, cell -> String in
                let pad = String(repeating: " ", count: widths[k] - cell.count)
                return (k == 0 || k == 4 || k == row.count - 1) ? cell + pad : pad + cell
            }
            lines.append(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            if index == 0 { lines.append(String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))) }
        }
        lines.append("ns = wall-clock median, cpu ns = thread CPU time median (ratios use CPU time); * extra heap bytes beyond the output per input slot, peak measured by a counting allocator in the warm-up run; ~ = estimated, not run")
        lines.append("timed work: batch and batch+tables apply through a PatchWorkspace (output, index map and patch records reused between runs); c includes flattening the batch (as the engine includes its layout) and reuses its output array, its map is malloc'd per run; memcpy, floor and draft+tables allocate their output per run")
        lines.append(summaryLine)
        return lines.joined(separator: "\n")
    }

    /// One JSON object per line per record, then `{"summary": …, "version": …}`
    /// as the last line (`version` is `BPFPatchVersion.string`).
    public func jsonLines() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var lines: [String] = []
        for r in records { lines.append(String(decoding: try encoder.encode(r), as: UTF8.self)) }
        lines.append(String(decoding: try encoder.encode(SummaryLine(summary: summary, version: BPFPatchVersion.string)), as: UTF8.self))
        return lines.joined(separator: "\n")
    }

    static func ratio(_ x: Double?) -> String {
        guard let x else { return "-" }
        if x >= 100 { return String(format: "%.0f", x) }
        if x >= 10 { return String(format: "%.1f", x) }
        return String(format: "%.2f", x)
    }

    static func format(seconds s: Double) -> String {
        if s >= 1 { return String(format: "%.1f s", s) }
        if s >= 1e-3 { return String(format: "%.1f ms", s * 1e3) }
        return String(format: "%.1f µs", s * 1e6)
    }
}

/// The last line of `jsonLines()`.
private struct SummaryLine: Encodable {
    var summary: BenchSummary
    var version: String
}
