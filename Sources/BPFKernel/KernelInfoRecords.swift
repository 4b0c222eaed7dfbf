import BPFInstructions

/// One `struct bpf_func_info` as the kernel takes and returns it: the slot
/// where a function starts and its BTF `FUNC` type id.
///
/// `.BTF.ext` stores byte offsets within a section; the kernel wants slot
/// indices within the loaded program, hence `SlotIndex` here.
public struct KernelFuncInfo: Hashable, Sendable {
    public var instruction: SlotIndex
    public var typeID: UInt32
    public init(instruction: SlotIndex, typeID: UInt32) {
        self.instruction = instruction
        self.typeID = typeID
    }
    /// `sizeof(struct bpf_func_info)`.
    public static let recordSize = 8
}

/// One `struct bpf_line_info`: the slot, and the source position as string
/// table offsets plus a packed line/column.
public struct KernelLineInfo: Hashable, Sendable {
    public var instruction: SlotIndex
    public var fileNameOffset: UInt32
    public var lineOffset: UInt32
    /// `line << 10 | column`, as in `.BTF.ext`.
    public var lineColumn: UInt32
    public init(instruction: SlotIndex, fileNameOffset: UInt32, lineOffset: UInt32, lineColumn: UInt32) {
        self.instruction = instruction
        self.fileNameOffset = fileNameOffset
        self.lineOffset = lineOffset
        self.lineColumn = lineColumn
    }
    /// The source line number.
    public var line: UInt32 { lineColumn >> 10 }
    /// The source column.
    public var column: UInt32 { lineColumn & 0x3ff }
    /// `sizeof(struct bpf_line_info)`.
    public static let recordSize = 16
}

extension KernelFuncInfo {
    static func encode(_ records: [KernelFuncInfo]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(records.count * recordSize)
        for record in records {
            bytes.appendLittleEndian(UInt32(truncatingIfNeeded: record.instruction.rawValue))
            bytes.appendLittleEndian(record.typeID)
        }
        return bytes
    }

    static func decode(_ buffer: UnsafeMutableRawBufferPointer, count: Int, recordSize: Int) -> [KernelFuncInfo] {
        guard recordSize >= 8 else { return [] }
        return (0..<count).map { i in
            let base = i * recordSize
            return KernelFuncInfo(instruction: SlotIndex(Int(buffer.littleEndianUInt32(at: base))),
                                  typeID: buffer.littleEndianUInt32(at: base + 4))
        }
    }
}

extension KernelLineInfo {
    static func encode(_ records: [KernelLineInfo]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(records.count * recordSize)
        for record in records {
            bytes.appendLittleEndian(UInt32(truncatingIfNeeded: record.instruction.rawValue))
            bytes.appendLittleEndian(record.fileNameOffset)
            bytes.appendLittleEndian(record.lineOffset)
            bytes.appendLittleEndian(record.lineColumn)
        }
        return bytes
    }

    static func decode(_ buffer: UnsafeMutableRawBufferPointer, count: Int, recordSize: Int) -> [KernelLineInfo] {
        guard recordSize >= 16 else { return [] }
        return (0..<count).map { i in
            let base = i * recordSize
            return KernelLineInfo(instruction: SlotIndex(Int(buffer.littleEndianUInt32(at: base))),
                                  fileNameOffset: buffer.littleEndianUInt32(at: base + 4),
                                  lineOffset: buffer.littleEndianUInt32(at: base + 8),
                                  lineColumn: buffer.littleEndianUInt32(at: base + 12))
        }
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 24))
    }

    mutating func appendLittleEndian(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func appendLittleEndian(_ value: UInt64) {
        appendLittleEndian(UInt32(truncatingIfNeeded: value))
        appendLittleEndian(UInt32(truncatingIfNeeded: value >> 32))
    }
}
