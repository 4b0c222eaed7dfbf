import BPFInstructions

/// A program the verifier accepted (`BPF_PROG_LOAD`).
public struct KernelProgram: Sendable {
    /// The owned program descriptor.
    public let descriptor: FileDescriptor
    public let type: ProgramType
    public let name: String
    /// The verifier log of the successful load (empty unless requested).
    public let log: String

    /// Loads a program.
    ///
    ///     let program = Program(slots: [.mov(.r0, 0), .exit])
    ///     let loaded = try KernelProgram.load(ProgramLoadRequest(type: .socketFilter, program: program))
    ///
    /// - Parameter request: the program and its attributes.
    /// - Throws: `KernelError` of kind `.verifierRejected` with the log when
    ///   the verifier (or the BTF/func-info checks) refuse it;
    ///   `.permissionDenied` for EPERM; `.unavailable` for ENOSYS.
    /// - Complexity: O(n) to marshal n slots, plus the verifier's work; each
    ///   ENOSPC retry re-runs the verifier.
    public static func load(_ request: ProgramLoadRequest) throws(KernelError) -> KernelProgram {
        guard !request.program.slots.isEmpty, request.program.count <= Int(UInt32.max) else {
            throw KernelError(.invalidInput, operation: .programLoad, "empty program")
        }
        guard request.btf != nil || (request.funcInfo.isEmpty && request.lineInfo.isEmpty) else {
            throw KernelError(.invalidInput, operation: .programLoad, "func/line info given without BTF")
        }
        let insns = request.program.encoded(byteOrder: .littleEndian)
        var license = Array(request.license.utf8)
        license.append(0)
        let funcInfo = KernelFuncInfo.encode(request.funcInfo)
        let lineInfo = KernelLineInfo.encode(request.lineInfo)
        var fdArray: [UInt8] = []
        for fd in request.fdArray { fdArray.appendLittleEndian(UInt32(bitPattern: fd)) }

        typealias P = AttributeLayout.ProgramLoad
        func attempt(_ level: VerifierLogLevel) -> (result: Result<Int, SystemErrno>, log: String) {
            // union bpf_attr, PROG_LOAD part: prog_type@0 insn_cnt@4 insns@8
            // license@16 log_level@24 log_size@28 log_buf@32 kern_version@40
            // prog_flags@44 prog_name@48 expected_attach_type@68
            // prog_btf_fd@72 func_info_rec_size@76 func_info@80
            // func_info_cnt@88 line_info_rec_size@92 line_info@96
            // line_info_cnt@104 attach_btf_id@108 fd_array@120.
            callWithGrowingLog(.programLoad, level: level, initialSize: request.initialLogSize,
                               offsets: (P.logBuffer, P.logSize, P.logLevel)) { attr in
                attr.set32(request.type.rawValue, at: P.programType)
                attr.set32(UInt32(request.program.count), at: P.instructionCount)
                attr.pin(insns, at: P.instructions)
                attr.pin(license, at: P.license)
                attr.set32(request.kernelVersion, at: P.kernelVersion)
                attr.set32(request.flags, at: P.programFlags)
                attr.setName(sanitizedObjectName(request.name), at: P.programName)
                attr.set32(request.expectedAttachType?.rawValue ?? 0, at: P.expectedAttachType)
                if let btf = request.btf {
                    attr.set32(UInt32(bitPattern: btf.descriptor.rawValue), at: P.programBTFFD)
                    if !request.funcInfo.isEmpty {
                        attr.set32(UInt32(KernelFuncInfo.recordSize), at: P.funcInfoRecordSize)
                        attr.pin(funcInfo, at: P.funcInfo)
                        attr.set32(UInt32(request.funcInfo.count), at: P.funcInfoCount)
                    }
                    if !request.lineInfo.isEmpty {
                        attr.set32(UInt32(KernelLineInfo.recordSize), at: P.lineInfoRecordSize)
                        attr.pin(lineInfo, at: P.lineInfo)
                        attr.set32(UInt32(request.lineInfo.count), at: P.lineInfoCount)
                    }
                }
                attr.set32(request.attachBTFID, at: P.attachBTFID)
                attr.pin(fdArray, at: P.fdArray)
            }
        }

        var (result, log) = withExtendedLifetime(request.keepAlive) { attempt(request.logLevel) }
        if case .failure(let errno) = result, request.logLevel.isEmpty,
           errno != .notImplemented {
            (result, log) = withExtendedLifetime(request.keepAlive) { attempt(.basic) }
        }
        switch result {
        case .success(let fd):
            return KernelProgram(descriptor: FileDescriptor(owning: Int32(fd)), type: request.type,
                                 name: request.name, log: log)
        case .failure(let errno):
            if errno == .notPermitted || errno == .notImplemented {
                throw KernelError.from(errno, operation: .programLoad, "cannot load \(request.type) program '\(request.name)'", log: log)
            }
            throw KernelError(.verifierRejected, operation: .programLoad, errno: errno,
                              "kernel rejected \(request.type) program '\(request.name)'", log: log)
        }
    }
}
