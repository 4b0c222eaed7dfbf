/// The `log_level` bits of `BPF_PROG_LOAD` and `BPF_BTF_LOAD`.
public struct VerifierLogLevel: OptionSet, Hashable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Level 1: the path to the error (and, on success, little or nothing).
    public static let basic = VerifierLogLevel(rawValue: 1)
    /// Level 2: every instruction of every explored state.
    public static let verbose = VerifierLogLevel(rawValue: 2)
    /// `BPF_LOG_STATS` (4): the closing statistics line.
    public static let statistics = VerifierLogLevel(rawValue: 4)
}

/// Runs a load-style command with a log buffer, growing the buffer and
/// retrying while the kernel reports ENOSPC (log truncated).
///
/// - Parameters:
///   - command: the command to issue.
///   - level: the log level; empty means no log buffer.
///   - initialSize: the first buffer size in bytes.
///   - offsets: where the command keeps `log_buf`, `log_size`, `log_level`.
///   - configure: fills the other attribute fields (called once per attempt).
/// - Returns: the call result and the log text.
/// - Complexity: O(k) attempts, k ≤ log₄(maxLogSize / initialSize) + 1.
func callWithGrowingLog(
    _ command: BPFCommand, level: VerifierLogLevel, initialSize: Int,
    offsets: (buffer: Int, size: Int, level: Int),
    configure: (AttributeBuffer) -> Void
) -> (result: Result<Int, SystemErrno>, log: String) {
    /// The kernel caps log_size at UINT32_MAX >> 2 (older kernels: 16 MiB − 1).
    let maxLogSize = 1 << 30 - 1
    var size = max(256, min(initialSize, maxLogSize))
    while true {
        let attr = AttributeBuffer()
        configure(attr)
        var logBuffer: UnsafeMutableRawBufferPointer? = nil
        if !level.isEmpty {
            logBuffer = attr.output(count: size, at: offsets.buffer)
            attr.set32(UInt32(size), at: offsets.size)
            attr.set32(level.rawValue, at: offsets.level)
        }
        let result = attr.call(command)
        let log = logBuffer?.cString() ?? ""
        if case .failure(.noSpace) = result, !level.isEmpty, size < maxLogSize {
            size = min(size * 4, maxLogSize)
            continue
        }
        return (result, log)
    }
}
