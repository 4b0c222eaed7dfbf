import BPFInstructions

/// A bounds-checked reader of fixed-width integers and C strings over a
/// window of a byte array.
///
/// Every read checks its range explicitly and throws an `ObjectError`
/// naming the absolute file offset, so no input can crash the parser.
/// Offsets passed to the reader are relative to the window's start.
///
///     let reader = ByteReader(bytes, byteOrder: .littleEndian)
///     let machine = try reader.u16(at: 18)
public struct ByteReader: Sendable {
    /// The whole underlying byte array (usually the entire file).
    public let bytes: [UInt8]
    /// The part of `bytes` this reader may read.
    public let window: Range<Int>
    /// The byte order of multi-byte integers.
    public let byteOrder: ByteOrder
    /// The section name reported in errors, if any.
    public let section: String?
    /// The kind of error thrown when a read leaves the window.
    public let errorKind: ObjectError.Kind

    /// Creates a reader over all of `bytes`.
    public init(_ bytes: [UInt8], byteOrder: ByteOrder, section: String? = nil,
                errorKind: ObjectError.Kind = .outOfBounds) {
        self.bytes = bytes
        self.window = 0..<bytes.count
        self.byteOrder = byteOrder
        self.section = section
        self.errorKind = errorKind
    }

    init(bytes: [UInt8], window: Range<Int>, byteOrder: ByteOrder, section: String?, errorKind: ObjectError.Kind) {
        self.bytes = bytes
        self.window = window
        self.byteOrder = byteOrder
        self.section = section
        self.errorKind = errorKind
    }

    /// The number of bytes in the window.
    public var count: Int { window.count }

    /// An error located at `offset` (relative to the window).
    func error(_ kind: ObjectError.Kind? = nil, at offset: Int, _ message: String) -> ObjectError {
        let absolute = offset >= 0 && offset <= window.count ? window.lowerBound + offset : nil
        return ObjectError(kind ?? errorKind, at: ObjectLocation(section: section, fileOffset: absolute), message)
    }

    /// Checks that `count` bytes at `offset` lie inside the window and
    /// returns their relative range. Accepts 64-bit file values without
    /// overflowing.
    ///
    /// - Throws: `ObjectError` of this reader's `errorKind` when the range
    ///   leaves the window.
    public func checkedRange(offset: UInt64, count: UInt64, _ what: @autoclosure () -> String) throws(ObjectError) -> Range<Int> {
        let size = UInt64(window.count)
        guard offset <= size, count <= size - offset else {
            throw error(at: offset <= size ? Int(offset) : window.count,
                        "\(what()) (offset \(offset), \(count) bytes) goes past the end (\(size) bytes)")
        }
        return Int(offset)..<Int(offset + count)
    }

    /// A reader over a sub-range of this one (relative offsets).
    ///
    /// - Throws: `ObjectError` when the range leaves the window.
    public func subReader(offset: UInt64, count: UInt64, section: String? = nil,
                          errorKind: ObjectError.Kind? = nil, _ what: @autoclosure () -> String) throws(ObjectError) -> ByteReader {
        let r = try checkedRange(offset: offset, count: count, what())
        return ByteReader(bytes: bytes, window: (window.lowerBound + r.lowerBound)..<(window.lowerBound + r.upperBound),
                          byteOrder: byteOrder, section: section ?? self.section, errorKind: errorKind ?? self.errorKind)
    }

    /// The same window read with another byte order.
    public func with(byteOrder: ByteOrder) -> ByteReader {
        ByteReader(bytes: bytes, window: window, byteOrder: byteOrder, section: section, errorKind: errorKind)
    }

    /// The bytes of the whole window.
    public var slice: ArraySlice<UInt8> { bytes[window] }

    /// Copies `count` bytes at `offset`.
    public func bytes(at offset: Int, count: Int) throws(ObjectError) -> ArraySlice<UInt8> {
        guard offset >= 0, count >= 0 else { throw error(at: 0, "negative range") }
        let r = try checkedRange(offset: UInt64(offset), count: UInt64(count), "read")
        return bytes[(window.lowerBound + r.lowerBound)..<(window.lowerBound + r.upperBound)]
    }

    private func unsigned(at offset: Int, width: Int) throws(ObjectError) -> UInt64 {
        guard offset >= 0, offset <= window.count, width <= window.count - offset else {
            throw error(at: max(0, min(offset, window.count)),
                        "\(width)-byte read at offset \(offset) goes past the end (\(window.count) bytes)")
        }
        let base = window.lowerBound + offset
        var value: UInt64 = 0
        var k = 0
        switch byteOrder {
        case .littleEndian:
            while k < width { value |= UInt64(bytes[base + k]) << (8 * k); k += 1 }
        case .bigEndian:
            while k < width { value = value << 8 | UInt64(bytes[base + k]); k += 1 }
        }
        return value
    }

    /// Reads one byte.
    public func u8(at offset: Int) throws(ObjectError) -> UInt8 { UInt8(try unsigned(at: offset, width: 1)) }
    /// Reads a 16-bit integer in the reader's byte order.
    public func u16(at offset: Int) throws(ObjectError) -> UInt16 { UInt16(try unsigned(at: offset, width: 2)) }
    /// Reads a 32-bit integer in the reader's byte order.
    public func u32(at offset: Int) throws(ObjectError) -> UInt32 { UInt32(try unsigned(at: offset, width: 4)) }
    /// Reads a 64-bit integer in the reader's byte order.
    public func u64(at offset: Int) throws(ObjectError) -> UInt64 { try unsigned(at: offset, width: 8) }

    /// Reads the NUL-terminated string starting at `offset` (relative).
    ///
    /// The length limit bounds the work a hostile file can cause (many
    /// symbols pointing into one huge unterminated run).
    ///
    /// - Parameters:
    ///   - offset: the string's start, relative to the window.
    ///   - limit: the longest accepted string, in bytes.
    /// - Throws: `ObjectError` of kind `.badString` when the offset is out
    ///   of range, no NUL byte follows inside the window, or the string is
    ///   longer than `limit`.
    /// - Complexity: O(min(k, limit)), where k is the string's length.
    public func cString(at offset: UInt64, limit: Int = 4096) throws(ObjectError) -> String {
        guard offset < UInt64(window.count) else {
            throw error(.badString, at: window.count, "string offset \(offset) is outside the \(window.count)-byte string table")
        }
        let start = window.lowerBound + Int(offset)
        let stop = start + min(window.upperBound - start, limit + 1)
        var end = start
        while end < stop && bytes[end] != 0 { end += 1 }
        guard end < window.upperBound else {
            throw error(.badString, at: Int(offset), "string at offset \(offset) is not NUL-terminated")
        }
        guard end < stop else {
            throw error(.badString, at: Int(offset), "string at offset \(offset) is longer than \(limit) bytes")
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
