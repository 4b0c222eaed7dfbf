import BPFKernelOracle

extension StatsReport {
    /// The per-program table (loaded programs).
    var table: String {
        var rows = [["object", "program", "type", "slots", "xlated", "expanded", "removed", "in place", "unmapped",
                     "seq copy", "batch copy", "agree", "disagree"]]
        for p in programs where p.loaded {
            let r = p.rebuilt
            rows.append([p.object, p.section == p.name ? p.name : "\(p.section)/\(p.name)", p.programType,
                         "\(p.originalSlots)", "\(p.xlatedSlots)", "\(p.expanded + p.shrunk)", "\(p.removed)",
                         "\(p.rewrittenInPlaceTotal)", "\(p.unmappedSites)", "\(p.sequentialCopyCost)", "\(p.batchCopyCost)",
                         r.map { "\($0.agree + $0.sliceExitsAgree)" } ?? "-",
                         r.map { $0.engineError != nil ? "error" : "\($0.disagree + $0.sliceExitsDisagree + $0.positionsDisagree)" } ?? "-"])
        }
        return TextTable.render(rows, rightAligned: Set(3...12))
    }
}
