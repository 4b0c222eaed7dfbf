import BPFInstructions
import BPFKernel

/// A program to measure with `KernelPatchStatistics`: what `BPF_PROG_LOAD`
/// needs, minus the line info, which is synthesised.
public struct StatsInput: Sendable {
    public var name: String
    public var section: String
    public var type: ProgramType
    public var expectedAttachType: AttachType?
    public var flags: UInt32
    public var license: String
    /// The linked slots (maps already hold fds).
    public var program: Program
    /// The object's BTF and func info, used first when present.
    public var btf: KernelBTF?
    public var funcInfo: [KernelFuncInfo]
    /// Descriptors the instructions refer to, kept open for the load.
    public var keepAlive: [FileDescriptor]

    public init(type: ProgramType, program: Program, name: String, section: String? = nil) {
        self.name = name
        self.section = section ?? name
        self.type = type
        self.expectedAttachType = nil
        self.flags = 0
        self.license = "GPL"
        self.program = program
        self.btf = nil
        self.funcInfo = []
        self.keepAlive = []
    }

    /// The input for a program linked by the object loader.
    public init(_ linked: LinkedProgram, btf: KernelBTF?) {
        self.init(type: linked.type, program: linked.program, name: linked.name, section: linked.section)
        expectedAttachType = linked.expectedAttachType
        flags = linked.flags
        license = linked.license
        self.btf = btf
        funcInfo = linked.funcInfo
        keepAlive = linked.maps
    }
}
