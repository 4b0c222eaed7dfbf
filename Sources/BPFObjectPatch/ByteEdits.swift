import BPFInstructions

/// Fixed-width reads and writes in one byte order, on byte arrays whose
/// ranges the caller has already checked (the object was parsed first).
struct ByteEdits {
    let byteOrder: ByteOrder

    /// Reads `width` bytes at `at`.
    func read(_ bytes: [UInt8], at: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for k in 0..<width {
            let b = UInt64(bytes[at + k])
            switch byteOrder {
            case .littleEndian: value |= b << (8 * UInt64(k))
            case .bigEndian: value = value << 8 | b
            }
        }
        return value
    }

    /// Writes the low `width` bytes of `value` at `at`.
    func write(_ value: UInt64, into bytes: inout [UInt8], at: Int, width: Int) {
        for k in 0..<width {
            let shift = byteOrder == .littleEndian ? 8 * k : 8 * (width - 1 - k)
            bytes[at + k] = UInt8(truncatingIfNeeded: value >> UInt64(shift))
        }
    }

    /// Appends the low `width` bytes of `value`.
    func append(_ value: UInt64, to bytes: inout [UInt8], width: Int) {
        let at = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: width))
        write(value, into: &bytes, at: at, width: width)
    }
}
