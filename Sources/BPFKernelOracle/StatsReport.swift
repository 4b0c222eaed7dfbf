import Foundation

/// All programs of one `bpfpatch stats` run: the per-program table, the
/// aggregate, and the JSON form (`Codable`).
public struct StatsReport: Hashable, Sendable, Codable {
    public var programs: [ProgramStats]
    /// Objects that could not be read.
    public var unreadable: [String]

    public init(programs: [ProgramStats], unreadable: [String] = []) {
        self.programs = programs
        self.unreadable = unreadable
    }

    /// Sums over the loaded programs.
    public struct Totals: Hashable, Sendable, Codable {
        public var programs = 0
        public var loaded = 0
        public var originalSlots = 0
        public var xlatedSlots = 0
        public var expanded = 0
        public var shrunk = 0
        public var removed = 0
        public var rewrittenInPlace: [String: Int] = [:]
        public var untouched = 0
        public var unmappedSites = 0
        public var unmappedRecords = 0
        public var patchSizes = SizeHistogram()
        public var sequentialCopyCost = 0
        public var batchCopyCost = 0
        public var rebuiltChecked = 0
        public var rebuiltIdentical = 0
        public var rebuiltEngineErrors = 0
        public var agree = 0
        public var disagree = 0
        public var sliceExitsAgree = 0
        public var sliceExitsDisagree = 0
        public var sliceExitsNotCompared = 0
        public var positionsAgree = 0
        public var positionsDisagree = 0

        /// Sites the kernel patched: expanded, shrunk, removed or rewritten in place.
        public var sitesPatched: Int { expanded + shrunk + removed + rewrittenInPlace.values.reduce(0, +) }
    }

    public var totals: Totals {
        var t = Totals()
        t.programs = programs.count
        for p in programs where p.loaded {
            t.loaded += 1
            t.originalSlots += p.originalSlots
            t.xlatedSlots += p.xlatedSlots
            t.expanded += p.expanded
            t.shrunk += p.shrunk
            t.removed += p.removed
            for (k, v) in p.rewrittenInPlace { t.rewrittenInPlace[k, default: 0] += v }
            t.untouched += p.untouched
            t.unmappedSites += p.unmappedSites
            t.unmappedRecords += p.unmappedRecords
            for (k, v) in p.patchSizes.counts { t.patchSizes[k] += v }
            t.sequentialCopyCost += p.sequentialCopyCost
            t.batchCopyCost += p.batchCopyCost
            if let r = p.rebuilt {
                t.rebuiltChecked += 1
                if r.programIdentical { t.rebuiltIdentical += 1 }
                if r.engineError != nil { t.rebuiltEngineErrors += 1 }
                t.agree += r.agree
                t.disagree += r.disagree
                t.sliceExitsAgree += r.sliceExitsAgree
                t.sliceExitsDisagree += r.sliceExitsDisagree
                t.sliceExitsNotCompared += r.sliceExitsNotCompared
                t.positionsAgree += r.positionsAgree
                t.positionsDisagree += r.positionsDisagree
            }
        }
        return t
    }

    /// True when the rebuilt-batch check found any disagreement or engine error.
    public var hasDisagreements: Bool {
        let t = totals
        return t.disagree > 0 || t.sliceExitsDisagree > 0 || t.positionsDisagree > 0 || t.rebuiltEngineErrors > 0
            || t.rebuiltChecked != t.rebuiltIdentical
    }

    /// Reasons for programs not loaded, grouped and counted.
    public var notLoadedReasons: [(reason: String, count: Int)] {
        var counts: [String: Int] = [:]
        for p in programs where !p.loaded {
            counts[ReasonText.normalized(p.reason ?? "?"), default: 0] += 1
        }
        return counts.map { ($0.key, $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason }
    }

    /// The aggregate, several lines.
    public var summary: String {
        let t = totals
        var lines: [String] = []
        lines.append("programs: \(t.programs), loaded with synthetic line info: \(t.loaded), not loaded: \(t.programs - t.loaded)")
        lines.append("slots: \(t.originalSlots) original → \(t.xlatedSlots) xlated")
        let inPlace = t.rewrittenInPlace.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append("sites patched: \(t.sitesPatched) (expanded \(t.expanded), shrunk \(t.shrunk), removed \(t.removed), "
                     + "rewritten in place \(t.rewrittenInPlace.values.reduce(0, +)): \(inPlace)); untouched \(t.untouched); "
                     + "unmapped sites \(t.unmappedSites), unmapped records \(t.unmappedRecords)")
        let histogram = t.patchSizes.sorted.map { "\($0.size): \($0.count)" }.joined(separator: ", ")
        lines.append("patch size histogram (slots: sites): \(histogram)")
        let ratio = t.batchCopyCost > 0 ? Double(t.sequentialCopyCost) / Double(t.batchCopyCost) : 0
        lines.append("copying cost: sequential \(t.sequentialCopyCost) slots, batch \(t.batchCopyCost) slots"
                     + " (ratio \(String(format: "%.2f", ratio)))")
        lines.append("rebuilt batch: \(t.rebuiltChecked) programs, \(t.rebuiltIdentical) byte-identical to xlated; "
                     + "kept jumps agree \(t.agree) / disagree \(t.disagree); slice exits agree \(t.sliceExitsAgree) / "
                     + "disagree \(t.sliceExitsDisagree) (not comparable \(t.sliceExitsNotCompared)); positions agree "
                     + "\(t.positionsAgree) / disagree \(t.positionsDisagree); engine errors \(t.rebuiltEngineErrors)")
        return lines.joined(separator: "\n")
    }
}
