import BPFKernelOracle

extension VerifyReport {
    /// The per-program table.
    var table: String {
        var rows = [["object", "program", "type", "slots", "nops", "xlated", "masked", "lines", "runs", "result"]]
        for p in programs {
            var verdict = p.outcome.rawValue
            if let reason = p.reason, p.outcome != .identical { verdict += ": " + ReasonText.clipped(reason, 90) }
            rows.append([p.object, p.section == p.name ? p.name : "\(p.section)/\(p.name)", p.programType,
                         "\(p.originalSlots)", "\(p.nopsInserted)", "\(p.xlatedSlots)", "\(p.maskedSlots)",
                         "\(p.lineInfoRecords)", "\(p.testRuns)", verdict])
        }
        return TextTable.render(rows, rightAligned: [3, 4, 5, 6, 7, 8])
    }
}
