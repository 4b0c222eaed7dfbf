extension Instruction {
    /// Decodes one slot from 8 bytes in the given byte order.
    ///
    /// In big-endian objects the register byte holds `dst` in the high
    /// nibble; the result is normalized to the little-endian layout.
    ///
    /// - Precondition: `bytes` has at least `start + 8` elements.
    @inlinable
    public init<Bytes: RandomAccessCollection>(bytes: Bytes, at start: Bytes.Index, byteOrder: ByteOrder)
    where Bytes.Element == UInt8 {
        @inline(__always) func b(_ k: Int) -> UInt8 { bytes[bytes.index(start, offsetBy: k)] }
        switch byteOrder {
        case .littleEndian:
            self.init(
                code: b(0), registers: b(1),
                offset: Int16(bitPattern: UInt16(b(2)) | UInt16(b(3)) << 8),
                immediate: Int32(bitPattern: UInt32(b(4)) | UInt32(b(5)) << 8 | UInt32(b(6)) << 16 | UInt32(b(7)) << 24))
        case .bigEndian:
            let r = b(1)
            self.init(
                code: b(0), registers: (r >> 4) | (r << 4),
                offset: Int16(bitPattern: UInt16(b(2)) << 8 | UInt16(b(3))),
                immediate: Int32(bitPattern: UInt32(b(4)) << 24 | UInt32(b(5)) << 16 | UInt32(b(6)) << 8 | UInt32(b(7))))
        }
    }

    /// Appends the 8 encoded bytes of this slot.
    @inlinable
    public func encode(into bytes: inout [UInt8], byteOrder: ByteOrder = .littleEndian) {
        let off = UInt16(bitPattern: offset)
        let imm = UInt32(bitPattern: immediate)
        switch byteOrder {
        case .littleEndian:
            bytes.append(contentsOf: [code, registers, UInt8(truncatingIfNeeded: off), UInt8(off >> 8),
                                      UInt8(truncatingIfNeeded: imm), UInt8(truncatingIfNeeded: imm >> 8),
                                      UInt8(truncatingIfNeeded: imm >> 16), UInt8(imm >> 24)])
        case .bigEndian:
            bytes.append(contentsOf: [code, (registers >> 4) | (registers << 4), UInt8(off >> 8), UInt8(truncatingIfNeeded: off),
                                      UInt8(imm >> 24), UInt8(truncatingIfNeeded: imm >> 16),
                                      UInt8(truncatingIfNeeded: imm >> 8), UInt8(truncatingIfNeeded: imm)])
        }
    }

    /// The 8 encoded bytes of this slot.
    public func encoded(byteOrder: ByteOrder = .littleEndian) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8)
        encode(into: &bytes, byteOrder: byteOrder)
        return bytes
    }

    /// Parses 16 hex digits as the 8 little-endian bytes of one slot (the
    /// `PATCHES.json` form, e.g. `"b701000005000000"`), or nil when malformed.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 16 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 8)
        for k in 0..<8 {
            guard let hi = Self.hexValue(utf8[2 * k]), let lo = Self.hexValue(utf8[2 * k + 1]) else { return nil }
            bytes[k] = hi << 4 | lo
        }
        self.init(bytes: bytes, at: 0, byteOrder: .littleEndian)
    }

    /// The 16 hex digits of this slot's little-endian bytes.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(16)
        for byte in encoded() {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
