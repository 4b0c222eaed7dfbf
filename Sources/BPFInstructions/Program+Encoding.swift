extension Program {
    /// Decodes a program from raw slot bytes.
    ///
    ///     let program = try Program(decoding: bytes, byteOrder: .littleEndian)
    ///
    /// - Parameters:
    ///   - bytes: the encoded slots, 8 bytes each, no header.
    ///   - byteOrder: the byte order of the encoding.
    ///   - allowTruncatedWideLoad: accept a final `ld_imm64` with no second
    ///     slot (for showing damaged programs); off by default.
    /// - Throws: `DecodingError` when the length is not a multiple of 8
    ///   (`.truncatedSlot`) or the last slot is an `ld_imm64` missing its
    ///   second half (`.truncatedWideLoad`).
    /// - Complexity: O(n), where n is the slot count.
    @inlinable
    public init<Bytes: RandomAccessCollection>(
        decoding bytes: Bytes, byteOrder: ByteOrder = .littleEndian, allowTruncatedWideLoad: Bool = false
    ) throws(DecodingError) where Bytes.Element == UInt8 {
        guard bytes.count % 8 == 0 else {
            throw DecodingError(.truncatedSlot, at: ByteOffset(bytes.count - bytes.count % 8),
                                "\(bytes.count) bytes is not a whole number of 8-byte slots")
        }
        var slots: [Instruction] = []
        slots.reserveCapacity(bytes.count / 8)
        var i = bytes.startIndex
        while i != bytes.endIndex {
            slots.append(Instruction(bytes: bytes, at: i, byteOrder: byteOrder))
            i = bytes.index(i, offsetBy: 8)
        }
        if !allowTruncatedWideLoad {
            // Find the last slot's role by walking pairs from the start.
            var k = 0
            while k < slots.count {
                if slots[k].isLoadImmediate64 {
                    guard k + 1 < slots.count else {
                        throw DecodingError(.truncatedWideLoad, at: SlotIndex(k).byteOffset,
                                            "ld_imm64 at slot \(k) has no second slot")
                    }
                    k += 2
                } else {
                    k += 1
                }
            }
        }
        self.init(slots: slots)
    }

    /// Encodes the program's slots.
    ///
    /// - Complexity: O(n), where n is the slot count.
    public func encoded(byteOrder: ByteOrder = .littleEndian) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(slots.count * 8)
        for slot in slots { slot.encode(into: &bytes, byteOrder: byteOrder) }
        return bytes
    }
}
