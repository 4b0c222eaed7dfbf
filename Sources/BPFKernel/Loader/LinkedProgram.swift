import BPFInstructions

/// One entry program of an object after relocation and linking: map
/// references hold fds, bpf-to-bpf callees are appended, and func/line
/// info is in the kernel's slot form. Ready for `BPF_PROG_LOAD`, and the
/// place to swap in patched instructions and info before loading.
///
///     var linked = try loader.link(candidate)
///     linked.program = patched
///     linked.lineInfo = patchedLineInfo
///     let report = loader.load(linked)
public struct LinkedProgram: Sendable {
    /// The function (or section) name.
    public var name: String
    /// The ELF section of the entry function.
    public var section: String
    public var type: ProgramType
    public var expectedAttachType: AttachType?
    /// `prog_flags` implied by the section name.
    public var flags: UInt32
    public var license: String
    /// The linked slots: the entry function, then each callee once.
    public var program: Program
    /// Function starts (slot indices in `program`), from `.BTF.ext`.
    public var funcInfo: [KernelFuncInfo]
    /// Line info (slot indices in `program`), from `.BTF.ext`.
    public var lineInfo: [KernelLineInfo]
    /// Where each piece of `program` came from.
    public var pieces: [Piece]
    /// CO-RE relocation records in the linked functions.
    public var coreRelocationCount: Int
    /// Those that could not be applied (left with the compiler's values).
    public var unresolvedCORECount: Int
    /// Things worth knowing that did not stop linking.
    public var notes: [String]
    /// The maps the instructions refer to (kept open until loaded).
    public var maps: [FileDescriptor]
    /// `attach_btf_id` (a vmlinux type id) for tracing and LSM programs, else 0.
    public var attachBTFID: UInt32

    /// A function copied into the linked program.
    public struct Piece: Hashable, Sendable {
        /// The section it came from.
        public var section: String
        /// Its slots in that section.
        public var sourceSlots: Range<SlotIndex>
        /// Its first slot in the linked program.
        public var start: SlotIndex
    }
}

extension LinkedProgram {
    /// A program built by hand rather than linked from an object: no
    /// func/line info, no maps, GPL, no attach target.
    ///
    ///     var input = LinkedProgram(type: .socketFilter, program: program, name: "probe")
    ///     input.maps = [map.descriptor]
    public init(type: ProgramType, program: Program, name: String, section: String? = nil) {
        self.init(name: name, section: section ?? name, type: type, expectedAttachType: nil, flags: 0, license: "GPL",
                  program: program, funcInfo: [], lineInfo: [], pieces: [], coreRelocationCount: 0,
                  unresolvedCORECount: 0, notes: [], maps: [], attachBTFID: 0)
    }
}
