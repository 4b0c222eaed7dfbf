/// A benchmark run that must stop: contenders disagree, or a workload is
/// not valid for a contender that should accept it.
public struct BenchError: Error, CustomStringConvertible, Sendable {
    /// What went wrong. An open set.
    public struct Kind: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Two contenders produced different results for one workload.
        public static let mismatch = Kind(rawValue: "RESULT MISMATCH")
        /// A contender rejected a workload.
        public static let rejected = Kind(rawValue: "workload rejected")
        /// A corpus object that cannot be read or has no program section.
        public static let unreadableCorpus = Kind(rawValue: "unreadable corpus object")
    }

    public var kind: Kind
    /// The workload (or the corpus file) the problem is at.
    public var workload: String
    public var message: String

    public init(_ kind: Kind, workload: String, _ message: String) {
        self.kind = kind
        self.workload = workload
        self.message = message
    }

    public var description: String { "\(kind.rawValue) on \(workload): \(message)" }
}
