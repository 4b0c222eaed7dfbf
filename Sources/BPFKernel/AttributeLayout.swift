/// Byte offsets of the `union bpf_attr` and `struct bpf_prog_info` fields
/// this module writes or reads, from the UAPI documentation (stable ABI).
/// The tests compare every entry with the installed `<linux/bpf.h>`.
enum AttributeLayout {
    enum MapCreate {
        static let mapType = 0, keySize = 4, valueSize = 8, maxEntries = 12, mapFlags = 16
        static let innerMapFD = 20, mapName = 28, btfFD = 48, btfKeyTypeID = 52, btfValueTypeID = 56
        static let mapExtra = 64
    }
    enum MapElement {
        static let mapFD = 0, key = 8, value = 16, flags = 24
    }
    enum ProgramLoad {
        static let programType = 0, instructionCount = 4, instructions = 8, license = 16
        static let logLevel = 24, logSize = 28, logBuffer = 32, kernelVersion = 40, programFlags = 44
        static let programName = 48, expectedAttachType = 68, programBTFFD = 72
        static let funcInfoRecordSize = 76, funcInfo = 80, funcInfoCount = 88
        static let lineInfoRecordSize = 92, lineInfo = 96, lineInfoCount = 104
        static let attachBTFID = 108, fdArray = 120
    }
    enum TestRun {
        static let programFD = 0, returnValue = 4, dataSizeIn = 8, dataSizeOut = 12
        static let dataIn = 16, dataOut = 24, repeatCount = 32, duration = 36
        static let contextSizeIn = 40, contextSizeOut = 44, contextIn = 48, contextOut = 56, flags = 64
    }
    enum GetInfo {
        static let fd = 0, infoLength = 4, info = 8
    }
    enum BTFLoad {
        static let btf = 0, logBuffer = 8, size = 16, logSize = 20, logLevel = 24
    }
    /// `struct bpf_prog_info` (232 bytes as of Linux 6.1).
    enum ProgramInfo {
        static let size = 232
        static let type = 0, id = 4, tag = 8, jitedLength = 16, xlatedLength = 20, xlatedInstructions = 32
        static let mapIDCount = 52, mapIDs = 56, name = 64, btfID = 128
        static let funcInfoRecordSize = 132, funcInfo = 136, funcInfoCount = 144, lineInfoCount = 148
        static let lineInfo = 152, lineInfoRecordSize = 172, verifiedInstructions = 216
    }

    /// Every (header field name, offset used here) pair, for the layout test.
    static let all: [(String, Int)] = [
        ("attr.map_type", MapCreate.mapType), ("attr.key_size", MapCreate.keySize),
        ("attr.value_size", MapCreate.valueSize), ("attr.max_entries", MapCreate.maxEntries),
        ("attr.map_flags", MapCreate.mapFlags), ("attr.inner_map_fd", MapCreate.innerMapFD),
        ("attr.map_name", MapCreate.mapName), ("attr.btf_fd", MapCreate.btfFD),
        ("attr.btf_key_type_id", MapCreate.btfKeyTypeID), ("attr.btf_value_type_id", MapCreate.btfValueTypeID),
        ("attr.map_fd", MapElement.mapFD), ("attr.key", MapElement.key), ("attr.value", MapElement.value),
        ("attr.flags", MapElement.flags),
        ("attr.prog_type", ProgramLoad.programType), ("attr.insn_cnt", ProgramLoad.instructionCount),
        ("attr.insns", ProgramLoad.instructions), ("attr.license", ProgramLoad.license),
        ("attr.log_level", ProgramLoad.logLevel), ("attr.log_size", ProgramLoad.logSize),
        ("attr.log_buf", ProgramLoad.logBuffer), ("attr.kern_version", ProgramLoad.kernelVersion),
        ("attr.prog_flags", ProgramLoad.programFlags), ("attr.prog_name", ProgramLoad.programName),
        ("attr.expected_attach_type", ProgramLoad.expectedAttachType),
        ("attr.prog_btf_fd", ProgramLoad.programBTFFD),
        ("attr.func_info_rec_size", ProgramLoad.funcInfoRecordSize), ("attr.func_info", ProgramLoad.funcInfo),
        ("attr.func_info_cnt", ProgramLoad.funcInfoCount),
        ("attr.line_info_rec_size", ProgramLoad.lineInfoRecordSize), ("attr.line_info", ProgramLoad.lineInfo),
        ("attr.line_info_cnt", ProgramLoad.lineInfoCount), ("attr.attach_btf_id", ProgramLoad.attachBTFID),
        ("attr.fd_array", ProgramLoad.fdArray),
        ("attr.test.prog_fd", TestRun.programFD), ("attr.test.retval", TestRun.returnValue),
        ("attr.test.data_size_in", TestRun.dataSizeIn), ("attr.test.data_size_out", TestRun.dataSizeOut),
        ("attr.test.data_in", TestRun.dataIn), ("attr.test.data_out", TestRun.dataOut),
        ("attr.test.repeat", TestRun.repeatCount), ("attr.test.duration", TestRun.duration),
        ("attr.test.ctx_size_in", TestRun.contextSizeIn), ("attr.test.ctx_size_out", TestRun.contextSizeOut),
        ("attr.test.ctx_in", TestRun.contextIn), ("attr.test.ctx_out", TestRun.contextOut),
        ("attr.test.flags", TestRun.flags),
        ("attr.info.bpf_fd", GetInfo.fd), ("attr.info.info_len", GetInfo.infoLength), ("attr.info.info", GetInfo.info),
        ("attr.btf", BTFLoad.btf), ("attr.btf_log_buf", BTFLoad.logBuffer), ("attr.btf_size", BTFLoad.size),
        ("attr.btf_log_size", BTFLoad.logSize), ("attr.btf_log_level", BTFLoad.logLevel),
        ("info.type", ProgramInfo.type), ("info.id", ProgramInfo.id), ("info.tag", ProgramInfo.tag),
        ("info.jited_prog_len", ProgramInfo.jitedLength), ("info.xlated_prog_len", ProgramInfo.xlatedLength),
        ("info.xlated_prog_insns", ProgramInfo.xlatedInstructions), ("info.nr_map_ids", ProgramInfo.mapIDCount),
        ("info.map_ids", ProgramInfo.mapIDs), ("info.name", ProgramInfo.name), ("info.btf_id", ProgramInfo.btfID),
        ("info.func_info_rec_size", ProgramInfo.funcInfoRecordSize), ("info.func_info", ProgramInfo.funcInfo),
        ("info.nr_func_info", ProgramInfo.funcInfoCount), ("info.nr_line_info", ProgramInfo.lineInfoCount),
        ("info.line_info", ProgramInfo.lineInfo), ("info.line_info_rec_size", ProgramInfo.lineInfoRecordSize),
        ("info.verified_insns", ProgramInfo.verifiedInstructions),
    ]
}

import CBPFSyscall

extension AttributeLayout {
    /// The offset the installed `<linux/bpf.h>` gives for `field` (e.g.
    /// "attr.prog_type", "info.verified_insns"), or nil without the header.
    static func headerOffset(_ field: String) -> Int? {
        let offset = cbpf_header_offset(field)
        return offset < 0 ? nil : offset
    }
}
