import BPFInstructions

/// The raw `.BTF` section: its header and string table.
///
/// Type records are kept as bytes (`typeBytes`); strings are resolved on
/// demand with `string(at:)`, which `.BTF.ext` records use.
public struct BTF: Hashable, Sendable {
    /// The fixed `.BTF` header (`struct btf_header`).
    public struct Header: Hashable, Sendable {
        /// `0xeB9F`, read in `byteOrder`.
        public var magic: UInt16
        /// The format version (1).
        public var version: UInt8
        /// Reserved flags (0).
        public var flags: UInt8
        /// The header's length in bytes; the type and string offsets count from its end.
        public var headerLength: UInt32
        /// Where the type records start, after the header.
        public var typeOffset: UInt32
        /// The type records' length in bytes.
        public var typeLength: UInt32
        /// Where the string table starts, after the header.
        public var stringOffset: UInt32
        /// The string table's length in bytes.
        public var stringLength: UInt32
    }

    /// The BTF magic number.
    public static let magic: UInt16 = 0xEB9F

    /// The whole section's bytes.
    public let bytes: [UInt8]
    /// The byte order of the BTF data, found from its magic.
    public let byteOrder: ByteOrder
    /// The parsed header.
    public let header: Header
    /// The section's file offset, when known; added to error locations.
    public let fileOffset: Int?

    /// The type records' bytes.
    public var typeBytes: ArraySlice<UInt8> {
        let start = Int(header.headerLength) + Int(header.typeOffset)
        return bytes[start..<(start + Int(header.typeLength))]
    }

    /// The string table's bytes.
    public var stringBytes: ArraySlice<UInt8> {
        let start = Int(header.headerLength) + Int(header.stringOffset)
        return bytes[start..<(start + Int(header.stringLength))]
    }

    /// Parses a `.BTF` section.
    ///
    /// - Parameters:
    ///   - bytes: the section's contents.
    ///   - section: the name used in error locations.
    ///   - fileOffset: the section's file offset, used in error locations.
    /// - Throws: `ObjectError` of kind `.badBTF` when the magic, header
    ///   length or type/string ranges are invalid.
    /// - Complexity: O(n), where n is the section size (the copy).
    public init(bytes: [UInt8], section: String = ".BTF", fileOffset: Int? = nil) throws(ObjectError) {
        func fail(_ at: Int, _ message: String) -> ObjectError {
            ObjectError(.badBTF, at: ObjectLocation(section: section, fileOffset: fileOffset.map { $0 + at }), message)
        }
        guard bytes.count >= 24 else { throw fail(0, "\(bytes.count) bytes is too short for a BTF header") }
        let order: ByteOrder
        if bytes[0] == 0x9F && bytes[1] == 0xEB { order = .littleEndian }
        else if bytes[0] == 0xEB && bytes[1] == 0x9F { order = .bigEndian }
        else { throw fail(0, "bad magic \(String(bytes[0], radix: 16)) \(String(bytes[1], radix: 16))") }
        let r = ByteReader(bytes, byteOrder: order, section: section, errorKind: .badBTF)
        let h = Header(magic: try r.u16(at: 0), version: try r.u8(at: 2), flags: try r.u8(at: 3),
                       headerLength: try r.u32(at: 4), typeOffset: try r.u32(at: 8), typeLength: try r.u32(at: 12),
                       stringOffset: try r.u32(at: 16), stringLength: try r.u32(at: 20))
        guard h.headerLength >= 24, UInt64(h.headerLength) <= UInt64(bytes.count) else {
            throw fail(4, "header length \(h.headerLength) is outside 24...\(bytes.count)")
        }
        let body = UInt64(bytes.count) - UInt64(h.headerLength)
        guard UInt64(h.typeOffset) + UInt64(h.typeLength) <= body else {
            throw fail(8, "type section \(h.typeOffset)+\(h.typeLength) goes past the end (\(body) bytes)")
        }
        guard UInt64(h.stringOffset) + UInt64(h.stringLength) <= body else {
            throw fail(16, "string section \(h.stringOffset)+\(h.stringLength) goes past the end (\(body) bytes)")
        }
        self.bytes = bytes
        self.byteOrder = order
        self.header = h
        self.fileOffset = fileOffset
    }

    /// The longest string `string(at:)` accepts (source lines can be long).
    public static let stringLimit = 16384

    /// The NUL-terminated string at `offset` in the string table.
    ///
    /// - Throws: `ObjectError` of kind `.badString` when the offset is past
    ///   the table or the string is not terminated inside it.
    /// - Complexity: O(k), where k is the string's length.
    public func string(at offset: UInt32) throws(ObjectError) -> String {
        let r = ByteReader(bytes: bytes, window: (Int(header.headerLength) + Int(header.stringOffset))
                               ..< (Int(header.headerLength) + Int(header.stringOffset) + Int(header.stringLength)),
                           byteOrder: byteOrder, section: ".BTF", errorKind: .badString)
        do throws(ObjectError) {
            return try r.cString(at: UInt64(offset), limit: Self.stringLimit)
        } catch {
            var error = error
            if let base = fileOffset, let at = error.location.fileOffset { error.location.fileOffset = base + at }
            throw error
        }
    }
}
