/// BTF type information loaded into the kernel (`BPF_BTF_LOAD`), referenced
/// by programs (`prog_btf_fd`) and maps (`btf_fd`).
public struct KernelBTF: Sendable {
    /// The owned BTF object descriptor.
    public let descriptor: FileDescriptor
    /// The kernel's BTF log (empty unless a log level was requested).
    public let log: String

    /// Loads a raw BTF blob (header, type section, string section).
    ///
    ///     let btf = try KernelBTF.load(blob)
    ///
    /// - Parameters:
    ///   - bytes: the `.BTF` section contents.
    ///   - logLevel: the log to request on the first attempt. When the load
    ///     fails without a log, it is retried once with `.basic` so the error
    ///     carries the kernel's reason.
    /// - Throws: `KernelError` of kind `.btfRejected` (with the log) or
    ///   `.permissionDenied` / `.unavailable`.
    /// - Complexity: O(b) in the blob size, plus the kernel's checking.
    public static func load(_ bytes: [UInt8], logLevel: VerifierLogLevel = []) throws(KernelError) -> KernelBTF {
        guard !bytes.isEmpty, bytes.count <= Int(UInt32.max) else {
            throw KernelError(.invalidInput, operation: .btfLoad, "BTF blob of \(bytes.count) bytes")
        }
        func attempt(_ level: VerifierLogLevel) -> (result: Result<Int, SystemErrno>, log: String) {
            // union bpf_attr, BTF_LOAD part: btf@0, btf_log_buf@8, btf_size@16,
            // btf_log_size@20, btf_log_level@24.
            callWithGrowingLog(.btfLoad, level: level, initialSize: 1 << 16, offsets: (AttributeLayout.BTFLoad.logBuffer, AttributeLayout.BTFLoad.logSize, AttributeLayout.BTFLoad.logLevel)) { attr in
                attr.pin(bytes, at: AttributeLayout.BTFLoad.btf)
                attr.set32(UInt32(bytes.count), at: AttributeLayout.BTFLoad.size)
            }
        }
        var (result, log) = attempt(logLevel)
        if case .failure(let errno) = result, logLevel.isEmpty, errno != .notImplemented {
            (result, log) = attempt(.basic)
        }
        switch result {
        case .success(let fd):
            return KernelBTF(descriptor: FileDescriptor(owning: Int32(fd)), log: log)
        case .failure(let errno):
            if errno == .notPermitted || errno == .notImplemented {
                throw KernelError.from(errno, operation: .btfLoad, "cannot load BTF", log: log)
            }
            throw KernelError(.btfRejected, operation: .btfLoad, errno: errno, "kernel rejected BTF", log: log)
        }
    }
}
