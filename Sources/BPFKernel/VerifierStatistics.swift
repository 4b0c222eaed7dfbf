/// The verifier's closing statistics, parsed from a log requested with
/// `VerifierLogLevel.statistics`:
///
///     verification time 26 usec
///     stack depth 0+8
///     processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
public struct VerifierStatistics: Hashable, Sendable {
    /// Instructions the verifier processed (`processed N insns`).
    public var processedInstructions: Int
    /// The complexity limit (`limit N`).
    public var instructionLimit: Int?
    public var maxStatesPerInstruction: Int?
    public var totalStates: Int?
    public var peakStates: Int?
    public var markRead: Int?
    /// Wall time of verification in microseconds.
    public var verificationMicroseconds: Int?
    /// Stack depth per subprogram.
    public var stackDepths: [Int]

    /// Parses the statistics lines of a verifier log; nil when the
    /// `processed N insns` line is absent.
    ///
    /// - Complexity: O(l) in the log length.
    public init?(log: String) {
        var processed: Int? = nil
        var stats = VerifierStatistics(processedInstructions: 0, stackDepths: [])
        for line in log.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            if let at = words.firstIndex(of: "processed"), at + 2 < words.count, words[at + 2] == "insns" {
                processed = Int(words[at + 1])
                var i = at + 3
                while i + 1 < words.count {
                    let key = words[i].trimmingCharacters(in: "()")
                    let value = Int(words[i + 1].trimmingCharacters(in: "()"))
                    switch key {
                    case "limit": stats.instructionLimit = value
                    case "max_states_per_insn": stats.maxStatesPerInstruction = value
                    case "total_states": stats.totalStates = value
                    case "peak_states": stats.peakStates = value
                    case "mark_read": stats.markRead = value
                    default: break
                    }
                    i += 2
                }
            } else if line.hasPrefix("verification time "), words.count >= 3 {
                stats.verificationMicroseconds = Int(words[2])
            } else if line.hasPrefix("stack depth "), words.count >= 3 {
                stats.stackDepths = words[2].split(separator: "+").compactMap { Int($0) }
            }
        }
        guard let processed else { return nil }
        stats.processedInstructions = processed
        self = stats
    }

    private init(processedInstructions: Int, stackDepths: [Int]) {
        self.processedInstructions = processedInstructions
        self.stackDepths = stackDepths
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}

extension KernelProgram {
    /// The verifier statistics from this load's log (requires
    /// `VerifierLogLevel.statistics` or a verbose log), nil otherwise.
    public var statistics: VerifierStatistics? { VerifierStatistics(log: log) }
}
