/// An error from the kernel interface: which operation failed, the errno,
/// and, for loads, the tail of the verifier (or BTF) log.
///
///     do { _ = try KernelProgram.load(request) }
///     catch { print(error) }   // "BPF_PROG_LOAD: EACCES: verifier rejected program: R0 !read_ok"
public struct KernelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An open set.
    public struct Kind: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// bpf(2) failed; see `errno`.
        public static let systemCall = Kind(rawValue: "system call failed")
        /// The verifier rejected the program; `log` says why.
        public static let verifierRejected = Kind(rawValue: "verifier rejected program")
        /// The kernel rejected BTF; `log` says why.
        public static let btfRejected = Kind(rawValue: "kernel rejected BTF")
        /// No permission (EPERM/EACCES outside a verifier verdict).
        public static let permissionDenied = Kind(rawValue: "permission denied")
        /// bpf(2) is unavailable (ENOSYS, or not Linux).
        public static let unavailable = Kind(rawValue: "bpf(2) unavailable")
        /// Our own input was unusable before any system call.
        public static let invalidInput = Kind(rawValue: "invalid input")
        /// The kernel returned data we cannot interpret.
        public static let malformedReply = Kind(rawValue: "malformed kernel reply")
    }

    public var kind: Kind
    /// The errno, or nil when no system call failed.
    public var errno: SystemErrno?
    /// The bpf(2) command that failed (the "location" of the error).
    public var operation: BPFCommand
    /// A one-line explanation.
    public var message: String
    /// The full log the kernel returned with the failure (may be empty).
    public var log: String

    public init(_ kind: Kind, operation: BPFCommand, errno: SystemErrno? = nil, _ message: String, log: String = "") {
        self.kind = kind
        self.operation = operation
        self.errno = errno
        self.message = message
        self.log = log
    }

    /// The last `count` non-empty lines of the log.
    public func logTail(_ count: Int = 5) -> [String] {
        Self.tail(of: log, count: count)
    }

    static func tail(of log: String, count: Int) -> [String] {
        let lines = log.split(separator: "\n", omittingEmptySubsequences: true)
            .map { String($0) }
            .filter { !$0.allSatisfy(\.isWhitespace) }
        return Array(lines.suffix(count))
    }

    /// The most telling log line: the last one that is not the verifier's
    /// closing statistics ("processed N insns ...", "verification time ..."),
    /// or nil when the log holds nothing else.
    public var lastLogLine: String? {
        // The kernel sometimes appends the statistics without a newline.
        let lines = logTail(8).map { line in
            guard let range = line.range(of: "processed "), range.lowerBound != line.startIndex else { return line }
            return String(line[..<range.lowerBound])
        }
        return lines.last { line in
            !line.hasPrefix("processed ") && !line.hasPrefix("verification time")
                && !line.hasPrefix("stack depth") && !line.hasPrefix("mark_precise") && !line.isEmpty
        }
    }

    public var description: String {
        var text = "\(operation): "
        if let errno { text += "\(errno.name): " }
        text += message
        if let line = lastLogLine { text += ": " + line }
        return text
    }

    /// Classifies a failed call: permission, unavailability, or plain failure.
    static func from(_ errno: SystemErrno, operation: BPFCommand, _ message: String, log: String = "") -> KernelError {
        let kind: Kind = switch errno {
        case .notPermitted: .permissionDenied
        case .notImplemented: .unavailable
        default: .systemCall
        }
        return KernelError(kind, operation: operation, errno: errno, message, log: log)
    }
}
