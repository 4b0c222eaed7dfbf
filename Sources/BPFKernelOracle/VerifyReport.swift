/// All programs of one `bpfpatch verify` run, with the summary and the
/// printed table.
public struct VerifyReport: Hashable, Sendable, Codable {
    public var seed: UInt64
    public var density: Double
    public var programs: [ProgramVerification]
    /// Objects that could not be read.
    public var unreadable: [String]

    public init(seed: UInt64, density: Double, programs: [ProgramVerification], unreadable: [String] = []) {
        self.seed = seed
        self.density = density
        self.programs = programs
        self.unreadable = unreadable
    }

    public func count(_ outcome: ProgramVerification.Outcome) -> Int { programs.filter { $0.outcome == outcome }.count }

    /// Programs whose original loaded.
    public var loaded: Int { programs.count - count(.notLoaded) }

    /// True when some program differed.
    public var hasDifferences: Bool { count(.differed) > 0 }

    /// "loaded L / identical I / differed D / skipped S (not loaded N)", then the skip reasons.
    public var summaryLine: String {
        "loaded \(loaded) / identical \(count(.identical)) / differed \(count(.differed)) / skipped \(count(.skipped))"
            + " (not loaded \(count(.notLoaded)))"
    }

    /// What was compared: no-ops inserted, xlated slots (masked), line info
    /// records and test runs.
    public var detailLine: String {
        let compared = programs.filter { $0.outcome == .identical || $0.outcome == .differed }
        func sum(_ key: KeyPath<ProgramVerification, Int>) -> Int { compared.reduce(0) { $0 + $1[keyPath: key] } }
        return "no-ops inserted \(sum(\.nopsInserted)); xlated slots compared \(sum(\.xlatedSlots)) (masked \(sum(\.maskedSlots))); "
            + "xlated line info records compared \(sum(\.lineInfoRecords)); test runs compared \(sum(\.testRuns)) "
            + "in \(compared.filter { $0.testRuns > 0 }.count) programs"
    }

    /// Reasons for skips and failed loads, grouped and counted.
    public var groupedReasons: [(reason: String, count: Int)] {
        var counts: [String: Int] = [:]
        for program in programs where program.outcome == .notLoaded || program.outcome == .skipped {
            counts["\(program.outcome.rawValue): " + ReasonText.normalized(program.reason ?? "?"), default: 0] += 1
        }
        return counts.map { ($0.key, $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason }
    }
}
