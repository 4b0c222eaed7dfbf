/// Why a program of an object did not load.
public struct LoadFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The reason's family. An open set.
    public struct Category: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static func < (a: Category, b: Category) -> Bool { a.rawValue < b.rawValue }
        public var description: String { rawValue }

        /// The section name matches no known program type.
        public static let unknownProgramType = Category(rawValue: "unknown program type")
        /// Needs a vmlinux BTF attach target (fentry, tp_btf, lsm, iter, struct_ops, freplace).
        public static let attachTarget = Category(rawValue: "needs attach target")
        /// Calls or references an extern (kfunc, ksym, kconfig, libc function).
        public static let unsupportedExtern = Category(rawValue: "unsupported extern")
        /// A relocation the loader does not understand.
        public static let relocation = Category(rawValue: "unsupported relocation")
        /// A map it references could not be created.
        public static let mapCreation = Category(rawValue: "map creation failed")
        /// The kernel (verifier) refused the program.
        public static let kernelRejected = Category(rawValue: "kernel rejected")
        /// The object cannot be loaded at all (big-endian, unreadable).
        public static let object = Category(rawValue: "object not loadable")
    }

    public var category: Category
    /// The errno of the failing bpf(2) call, if any.
    public var errno: SystemErrno?
    /// The most telling line of the verifier log, if any.
    public var lastLogLine: String?
    /// A one-line explanation.
    public var message: String
    /// The full verifier log of the failed load (empty when none).
    public var log: String

    public init(_ category: Category, errno: SystemErrno? = nil, lastLogLine: String? = nil, _ message: String, log: String = "") {
        self.category = category
        self.errno = errno
        self.lastLogLine = lastLogLine
        self.message = message
        self.log = log
    }

    init(_ error: KernelError, category: Category = .kernelRejected) {
        self.init(category, errno: error.errno, lastLogLine: error.lastLogLine, error.message, log: error.log)
    }

    public var description: String {
        var text = "\(category)"
        if let errno { text += " (\(errno.name))" }
        text += ": " + message
        if let lastLogLine { text += ": " + lastLogLine }
        return text
    }
}
