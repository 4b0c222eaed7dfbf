/// An `errno` value returned by `bpf(2)`, with names for the ones the
/// loader meets (the model is swift-system's `Errno`).
public struct SystemErrno: RawRepresentable, Hashable, Sendable, Error, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `EPERM`: operation not permitted (no CAP_BPF / CAP_SYS_ADMIN).
    public static let notPermitted = SystemErrno(rawValue: 1)
    /// `ENOENT`: no such object (e.g. a missing attach target or kernel BTF id).
    public static let noEntry = SystemErrno(rawValue: 2)
    /// `E2BIG`: argument list (program, attribute) too big.
    public static let tooBig = SystemErrno(rawValue: 7)
    /// `EBADF`: bad file descriptor.
    public static let badFileDescriptor = SystemErrno(rawValue: 9)
    /// `EAGAIN`: try again.
    public static let tryAgain = SystemErrno(rawValue: 11)
    /// `ENOMEM`: out of memory.
    public static let noMemory = SystemErrno(rawValue: 12)
    /// `EACCES`: the verifier rejected the program, or permission denied.
    public static let accessDenied = SystemErrno(rawValue: 13)
    /// `EFAULT`: bad address.
    public static let fault = SystemErrno(rawValue: 14)
    /// `EBUSY`: resource busy.
    public static let busy = SystemErrno(rawValue: 16)
    /// `EEXIST`: exists.
    public static let exists = SystemErrno(rawValue: 17)
    /// `EINVAL`: invalid argument (also many verifier rejections).
    public static let invalidArgument = SystemErrno(rawValue: 22)
    /// `ENOSPC`: the log buffer was too small.
    public static let noSpace = SystemErrno(rawValue: 28)
    /// `ERANGE`: result out of range.
    public static let range = SystemErrno(rawValue: 34)
    /// `ENOSYS`: bpf(2) not implemented.
    public static let notImplemented = SystemErrno(rawValue: 38)
    /// `EOPNOTSUPP`: operation not supported.
    public static let notSupported = SystemErrno(rawValue: 95)
    /// `ENOTSUPP` (kernel-internal 524): operation not supported.
    public static let kernelNotSupported = SystemErrno(rawValue: 524)

    /// The C name, or `errno N`.
    public var name: String {
        switch rawValue {
        case 1: "EPERM"
        case 2: "ENOENT"
        case 7: "E2BIG"
        case 9: "EBADF"
        case 11: "EAGAIN"
        case 12: "ENOMEM"
        case 13: "EACCES"
        case 14: "EFAULT"
        case 16: "EBUSY"
        case 17: "EEXIST"
        case 22: "EINVAL"
        case 28: "ENOSPC"
        case 34: "ERANGE"
        case 38: "ENOSYS"
        case 95: "EOPNOTSUPP"
        case 524: "ENOTSUPP"
        default: "errno \(rawValue)"
        }
    }

    public var description: String { name }
}
