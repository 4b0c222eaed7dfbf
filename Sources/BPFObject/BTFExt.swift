import BPFInstructions

/// The `.BTF.ext` section parsed into typed records.
///
/// Instruction offsets are byte offsets in the named section, as the
/// compiler writes them; convert with `ProgramSection.slotIndex(at:)`.
public struct BTFExt: Hashable, Sendable {
    /// The fixed `.BTF.ext` header (`struct btf_ext_header`).
    public struct Header: Hashable, Sendable {
        /// `0xeB9F`, read in `byteOrder`.
        public var magic: UInt16
        /// The format version (1).
        public var version: UInt8
        /// Reserved flags (0).
        public var flags: UInt8
        /// The header's length; the info offsets count from its end.
        public var headerLength: UInt32
        /// Where the func_info block starts, after the header.
        public var funcInfoOffset: UInt32
        /// The func_info block's length in bytes.
        public var funcInfoLength: UInt32
        /// Where the line_info block starts, after the header.
        public var lineInfoOffset: UInt32
        /// The line_info block's length in bytes.
        public var lineInfoLength: UInt32
        /// Where the CO-RE block starts; zero when the header is too short to have it.
        public var coreRelocationOffset: UInt32
        /// The CO-RE block's length; zero when absent.
        public var coreRelocationLength: UInt32
    }

    /// The parsed header.
    public var header: Header
    /// The byte order of the data, found from its magic.
    public var byteOrder: ByteOrder
    /// All `bpf_func_info` records, grouped by section in file order.
    public var funcInfo: [FuncInfo]
    /// All `bpf_line_info` records, grouped by section in file order.
    public var lineInfo: [LineInfo]
    /// All `bpf_core_relo` records, grouped by section in file order.
    public var coreRelocations: [CORERelocation]

    /// Parses a `.BTF.ext` section, resolving strings through `btf`.
    ///
    /// Records larger than the known layout (a newer format) are accepted;
    /// the extra bytes are skipped.
    ///
    /// - Parameters:
    ///   - bytes: the section's contents.
    ///   - btf: the object's `.BTF`, whose string table names sections,
    ///     files and source lines.
    ///   - fileOffset: the section's file offset, used in error locations.
    /// - Throws: `ObjectError` (`.badBTFExt`, `.badString`) on a bad magic,
    ///   header, record size, count, or string offset.
    /// - Complexity: O(n), where n is the section size.
    public init(bytes: [UInt8], btf: BTF, fileOffset: Int? = nil) throws(ObjectError) {
        let section = ".BTF.ext"
        func fail(_ at: Int, _ message: String) -> ObjectError {
            ObjectError(.badBTFExt, at: ObjectLocation(section: section, fileOffset: fileOffset.map { $0 + at }), message)
        }
        guard bytes.count >= 24 else { throw fail(0, "\(bytes.count) bytes is too short for a BTF.ext header") }
        let order: ByteOrder
        if bytes[0] == 0x9F && bytes[1] == 0xEB { order = .littleEndian }
        else if bytes[0] == 0xEB && bytes[1] == 0x9F { order = .bigEndian }
        else { throw fail(0, "bad magic \(String(bytes[0], radix: 16)) \(String(bytes[1], radix: 16))") }
        do throws(ObjectError) {
            try self.init(parsing: ByteReader(bytes, byteOrder: order, section: section, errorKind: .badBTFExt), btf: btf)
        } catch {
            // Reads are relative to the section; report file offsets.
            var error = error
            if let base = fileOffset, let at = error.location.fileOffset, error.location.section == section {
                error.location.fileOffset = base + at
            }
            throw error
        }
    }

    private init(parsing whole: ByteReader, btf: BTF) throws(ObjectError) {
        let bytes = whole.bytes
        let order = whole.byteOrder
        let headerLength = try whole.u32(at: 4)
        guard headerLength >= 24, UInt64(headerLength) <= UInt64(bytes.count) else {
            throw whole.error(at: 4, "header length \(headerLength) is outside 24...\(bytes.count)")
        }
        var h = Header(magic: try whole.u16(at: 0), version: try whole.u8(at: 2), flags: try whole.u8(at: 3),
                       headerLength: headerLength,
                       funcInfoOffset: try whole.u32(at: 8), funcInfoLength: try whole.u32(at: 12),
                       lineInfoOffset: try whole.u32(at: 16), lineInfoLength: try whole.u32(at: 20),
                       coreRelocationOffset: 0, coreRelocationLength: 0)
        if headerLength >= 32 {
            h.coreRelocationOffset = try whole.u32(at: 24)
            h.coreRelocationLength = try whole.u32(at: 28)
        }
        let body = try whole.subReader(offset: UInt64(headerLength), count: UInt64(bytes.count) - UInt64(headerLength),
                                       "BTF.ext body")

        // Records repeat file names and lines; resolve each offset once.
        var cache: [UInt32: String] = [:]
        func string(_ offset: UInt32) throws(ObjectError) -> String {
            if let s = cache[offset] { return s }
            let s = try btf.string(at: offset)
            cache[offset] = s
            return s
        }

        /// Walks one info block: a record size, then per section a name
        /// offset, a count and `count` records.
        func walk(_ offset: UInt32, _ length: UInt32, minimumRecordSize: UInt32, _ what: String,
                  _ visit: (_ section: String, _ record: ByteReader) throws(ObjectError) -> Void) throws(ObjectError) {
            guard length > 0 else { return }
            let block = try body.subReader(offset: UInt64(offset), count: UInt64(length), "\(what) block")
            let recordSize = try block.u32(at: 0)
            guard recordSize >= minimumRecordSize, recordSize % 4 == 0 else {
                throw block.error(at: 0, "\(what) record size \(recordSize) is below \(minimumRecordSize) or unaligned")
            }
            var position = 4
            while position < block.count {
                let nameOffset = try block.u32(at: position)
                let count = try block.u32(at: position + 4)
                let sectionName = try string(nameOffset)
                let recordsBytes = UInt64(count) * UInt64(recordSize)
                let records = try block.subReader(offset: UInt64(position + 8), count: recordsBytes,
                                                  "\(count) \(what) records of section '\(sectionName)'")
                for k in 0..<Int(count) {
                    try visit(sectionName, try records.subReader(offset: UInt64(k) * UInt64(recordSize),
                                                                 count: UInt64(recordSize), "\(what) record"))
                }
                position += 8 + Int(recordsBytes)   // strictly increases: no loops
            }
        }

        var funcInfo: [FuncInfo] = []
        try walk(h.funcInfoOffset, h.funcInfoLength, minimumRecordSize: 8, "func_info") { (name, r) throws(ObjectError) in
            funcInfo.append(FuncInfo(section: name, offset: ByteOffset(Int(try r.u32(at: 0))), typeID: try r.u32(at: 4)))
        }
        var lineInfo: [LineInfo] = []
        try walk(h.lineInfoOffset, h.lineInfoLength, minimumRecordSize: 16, "line_info") { (name, r) throws(ObjectError) in
            let lineCol = try r.u32(at: 12)
            lineInfo.append(LineInfo(section: name, offset: ByteOffset(Int(try r.u32(at: 0))),
                                     fileName: try string(try r.u32(at: 4)),
                                     line: try string(try r.u32(at: 8)),
                                     lineNumber: lineCol >> 10, column: lineCol & 0x3ff))
        }
        var core: [CORERelocation] = []
        try walk(h.coreRelocationOffset, h.coreRelocationLength, minimumRecordSize: 16, "CO-RE relocation") { (name, r) throws(ObjectError) in
            core.append(CORERelocation(section: name, offset: ByteOffset(Int(try r.u32(at: 0))), typeID: try r.u32(at: 4),
                                       accessString: try string(try r.u32(at: 8)),
                                       kind: CORERelocationKind(rawValue: try r.u32(at: 12))))
        }
        self.header = h
        self.byteOrder = order
        self.funcInfo = funcInfo
        self.lineInfo = lineInfo
        self.coreRelocations = core
    }
}

/// A `bpf_func_info` record: a function's start and its BTF `FUNC` type.
public struct FuncInfo: Hashable, Sendable {
    /// The program section the function is in.
    public var section: String
    /// The function's start, in bytes from the section start.
    public var offset: ByteOffset
    /// The BTF type id of the function's `FUNC` type.
    public var typeID: UInt32

    public init(section: String, offset: ByteOffset, typeID: UInt32) {
        self.section = section
        self.offset = offset
        self.typeID = typeID
    }
}

/// A `bpf_line_info` record: the source position of an instruction.
public struct LineInfo: Hashable, Sendable {
    /// The program section the instruction is in.
    public var section: String
    /// The instruction's offset in bytes from the section start.
    public var offset: ByteOffset
    /// The source file name.
    public var fileName: String
    /// The source line's text.
    public var line: String
    /// The 1-based line number (`line_col >> 10`).
    public var lineNumber: UInt32
    /// The column (`line_col & 0x3ff`).
    public var column: UInt32

    public init(section: String, offset: ByteOffset, fileName: String, line: String, lineNumber: UInt32, column: UInt32) {
        self.section = section
        self.offset = offset
        self.fileName = fileName
        self.line = line
        self.lineNumber = lineNumber
        self.column = column
    }
}

/// A `bpf_core_relo` record: a CO-RE relocation of one instruction.
public struct CORERelocation: Hashable, Sendable {
    /// The program section the instruction is in.
    public var section: String
    /// The instruction's offset in bytes from the section start.
    public var offset: ByteOffset
    /// The BTF type id of the root type.
    public var typeID: UInt32
    /// The access string, such as `"0:1:2"`.
    public var accessString: String
    /// What the relocation computes.
    public var kind: CORERelocationKind

    public init(section: String, offset: ByteOffset, typeID: UInt32, accessString: String, kind: CORERelocationKind) {
        self.section = section
        self.offset = offset
        self.typeID = typeID
        self.accessString = accessString
        self.kind = kind
    }
}

/// The kind of a CO-RE relocation (`enum bpf_core_relo_kind`). An open set.
public struct CORERelocationKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `BPF_CORE_FIELD_BYTE_OFFSET`.
    public static let fieldByteOffset = CORERelocationKind(rawValue: 0)
    /// `BPF_CORE_FIELD_BYTE_SIZE`.
    public static let fieldByteSize = CORERelocationKind(rawValue: 1)
    /// `BPF_CORE_FIELD_EXISTS`.
    public static let fieldExists = CORERelocationKind(rawValue: 2)
    /// `BPF_CORE_FIELD_SIGNED`.
    public static let fieldSigned = CORERelocationKind(rawValue: 3)
    /// `BPF_CORE_FIELD_LSHIFT_U64`.
    public static let fieldLShiftU64 = CORERelocationKind(rawValue: 4)
    /// `BPF_CORE_FIELD_RSHIFT_U64`.
    public static let fieldRShiftU64 = CORERelocationKind(rawValue: 5)
    /// `BPF_CORE_TYPE_ID_LOCAL`.
    public static let typeIDLocal = CORERelocationKind(rawValue: 6)
    /// `BPF_CORE_TYPE_ID_TARGET`.
    public static let typeIDTarget = CORERelocationKind(rawValue: 7)
    /// `BPF_CORE_TYPE_EXISTS`.
    public static let typeExists = CORERelocationKind(rawValue: 8)
    /// `BPF_CORE_TYPE_SIZE`.
    public static let typeSize = CORERelocationKind(rawValue: 9)
    /// `BPF_CORE_ENUMVAL_EXISTS`.
    public static let enumValueExists = CORERelocationKind(rawValue: 10)
    /// `BPF_CORE_ENUMVAL_VALUE`.
    public static let enumValueValue = CORERelocationKind(rawValue: 11)
    /// `BPF_CORE_TYPE_MATCHES`.
    public static let typeMatches = CORERelocationKind(rawValue: 12)

    public var description: String {
        let names = ["byte_off", "byte_sz", "field_exists", "signed", "lshift_u64", "rshift_u64",
                     "local_type_id", "target_type_id", "type_exists", "type_size",
                     "enumval_exists", "enumval_value", "type_matches"]
        return rawValue < UInt32(names.count) ? names[Int(rawValue)] : "kind \(rawValue)"
    }
}
