import BPFInstructions

/// Everything `BPF_PROG_LOAD` takes, in Swift terms.
///
///     var request = ProgramLoadRequest(type: .socketFilter, program: program)
///     request.logLevel = .basic
///     let loaded = try KernelProgram.load(request)
public struct ProgramLoadRequest: Sendable {
    public var type: ProgramType
    /// `expected_attach_type`; nil sends 0.
    public var expectedAttachType: AttachType?
    /// The instructions, with map `ld_imm64`s already holding fds or values.
    public var program: Program
    public var license: String
    /// Shown by `bpftool`; sanitised to the kernel's 15-byte alphabet.
    public var name: String
    /// `kern_version` (needed only by very old kernels for kprobes).
    public var kernelVersion: UInt32
    /// `prog_flags` (e.g. `BPF_F_ANY_ALIGNMENT` = 2, `BPF_F_SLEEPABLE` = 16, `BPF_F_XDP_HAS_FRAGS` = 32).
    public var flags: UInt32
    /// The program's BTF, required when func or line info is given.
    public var btf: KernelBTF?
    /// `func_info`: one record per function, the first at slot 0.
    public var funcInfo: [KernelFuncInfo]
    /// `line_info`: sorted by slot, the first at slot 0.
    public var lineInfo: [KernelLineInfo]
    /// `fd_array`, for `BPF_PSEUDO_MAP_IDX` loads and kfunc module BTFs.
    public var fdArray: [Int32]
    /// `attach_btf_id` for tracing, LSM and struct_ops programs.
    public var attachBTFID: UInt32
    /// The log requested on the first attempt. When empty and the load
    /// fails, it is retried with `.basic` so the error carries the reason.
    public var logLevel: VerifierLogLevel
    /// The first log buffer size; it grows ×4 on ENOSPC.
    public var initialLogSize: Int
    /// Descriptors the instructions refer to, kept open for the call.
    public var keepAlive: [FileDescriptor]

    public init(type: ProgramType, expectedAttachType: AttachType? = nil, program: Program,
                license: String = "GPL", name: String = "") {
        self.type = type
        self.expectedAttachType = expectedAttachType
        self.program = program
        self.license = license
        self.name = name
        self.kernelVersion = 0
        self.flags = 0
        self.btf = nil
        self.funcInfo = []
        self.lineInfo = []
        self.fdArray = []
        self.attachBTFID = 0
        self.logLevel = []
        self.initialLogSize = 1 << 16
        self.keepAlive = []
    }
}
