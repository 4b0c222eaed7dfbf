import BPFInstructions

/// What `BPF_OBJ_GET_INFO_BY_FD` reports about a loaded program.
public struct ProgramInfo: Hashable, Sendable {
    public var type: ProgramType
    /// The kernel-wide program id.
    public var id: UInt32
    /// The 8-byte program tag (a hash of the instructions).
    public var tag: [UInt8]
    public var name: String
    /// The instructions after the verifier's rewrites ("xlated"); empty
    /// when the kernel withholds them (needs CAP_SYS_ADMIN / kptr_restrict).
    public var translated: Program
    /// Bytes of JIT-compiled code (0 when the JIT is off).
    public var jitedLength: UInt32
    /// Function starts in xlated slot indices.
    public var funcInfo: [KernelFuncInfo]
    /// Line info in xlated slot indices.
    public var lineInfo: [KernelLineInfo]
    /// Instructions the verifier processed (`verified_insns`, Linux ≥ 5.16).
    public var verifiedInstructions: UInt32
    /// The id of the program's BTF object (0: none).
    public var btfID: UInt32
    /// Ids of the maps the program uses.
    public var mapIDs: [UInt32]
}

extension KernelProgram {
    /// Reads the program's info, including the xlated instructions, func
    /// info and line info.
    ///
    /// Two calls: the first returns the array lengths, the second fills
    /// buffers of those lengths.
    ///
    /// - Throws: `KernelError` when either call fails.
    /// - Complexity: O(x + l + f), the xlated slots and the info records.
    public func info() throws(KernelError) -> ProgramInfo {
        // struct bpf_prog_info offsets (Linux 6.1 layout, 232 bytes):
        // type@0 id@4 tag@8 jited_prog_len@16 xlated_prog_len@20
        // xlated_prog_insns@32 nr_map_ids@52 map_ids@56 name@64 btf_id@128
        // func_info_rec_size@132 func_info@136 nr_func_info@144
        // nr_line_info@148 line_info@152 line_info_rec_size@172
        // verified_insns@216.
        typealias I = AttributeLayout.ProgramInfo
        typealias G = AttributeLayout.GetInfo
        let infoSize = I.size
        func query(_ fill: (AttributeBuffer) -> Void) throws(KernelError) -> AttributeBuffer {
            let info = AttributeBuffer(size: infoSize)
            fill(info)
            let attr = AttributeBuffer()
            attr.set32(UInt32(bitPattern: descriptor.rawValue), at: G.fd)
            attr.set32(UInt32(infoSize), at: G.infoLength)
            attr.pin(info, at: G.info)
            if case .failure(let errno) = attr.call(.objectGetInfo) {
                throw KernelError.from(errno, operation: .objectGetInfo, "cannot read info of program '\(name)'")
            }
            return info
        }
        let first = try query { _ in }
        let xlatedLength = Int(first.get32(at: I.xlatedLength))
        let mapCount = Int(first.get32(at: I.mapIDCount))
        let funcCount = Int(first.get32(at: I.funcInfoCount))
        let funcRecordSize = Int(first.get32(at: I.funcInfoRecordSize))
        let lineCount = Int(first.get32(at: I.lineInfoCount))
        let lineRecordSize = Int(first.get32(at: I.lineInfoRecordSize))

        var xlatedBuffer: UnsafeMutableRawBufferPointer? = nil
        var mapBuffer: UnsafeMutableRawBufferPointer? = nil
        var funcBuffer: UnsafeMutableRawBufferPointer? = nil
        var lineBuffer: UnsafeMutableRawBufferPointer? = nil
        let second = try query { info in
            info.set32(UInt32(xlatedLength), at: I.xlatedLength)
            xlatedBuffer = info.output(count: xlatedLength, at: I.xlatedInstructions)
            info.set32(UInt32(mapCount), at: I.mapIDCount)
            mapBuffer = info.output(count: mapCount * 4, at: I.mapIDs)
            info.set32(UInt32(funcRecordSize), at: I.funcInfoRecordSize)
            info.set32(UInt32(funcCount), at: I.funcInfoCount)
            funcBuffer = info.output(count: funcCount * funcRecordSize, at: I.funcInfo)
            info.set32(UInt32(lineCount), at: I.lineInfoCount)
            info.set32(UInt32(lineRecordSize), at: I.lineInfoRecordSize)
            lineBuffer = info.output(count: lineCount * lineRecordSize, at: I.lineInfo)
        }
        // The buffers belong to `second`'s allocations; copy out before it dies.
        return try withExtendedLifetime(second) { () throws(KernelError) -> ProgramInfo in
            let returnedLength = min(Int(second.get32(at: I.xlatedLength)), xlatedLength)
            var translated = Program(slots: [])
            if let xlatedBuffer, returnedLength > 0 {
                do {
                    translated = try Program(decoding: UnsafeRawBufferPointer(rebasing: xlatedBuffer[0..<returnedLength]),
                                             byteOrder: .littleEndian, allowTruncatedWideLoad: true)
                } catch {
                    throw KernelError(.malformedReply, operation: .objectGetInfo, "xlated program: \(error)")
                }
            }
            var nameBytes = [UInt8](repeating: 0, count: 16)
            for i in 0..<16 { nameBytes[i] = second.bytes[I.name + i] }
            let nameText = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            let mapIDs = mapBuffer.map { buffer in (0..<mapCount).map { buffer.littleEndianUInt32(at: $0 * 4) } } ?? []
            return ProgramInfo(
                type: ProgramType(rawValue: second.get32(at: I.type)),
                id: second.get32(at: I.id),
                tag: (I.tag..<I.tag + 8).map { second.bytes[$0] },
                name: nameText,
                translated: translated,
                jitedLength: second.get32(at: I.jitedLength),
                funcInfo: funcBuffer.map { KernelFuncInfo.decode($0, count: funcCount, recordSize: funcRecordSize) } ?? [],
                lineInfo: lineBuffer.map { KernelLineInfo.decode($0, count: lineCount, recordSize: lineRecordSize) } ?? [],
                verifiedInstructions: second.get32(at: I.verifiedInstructions),
                btfID: second.get32(at: I.btfID),
                mapIDs: mapIDs)
        }
    }
}
