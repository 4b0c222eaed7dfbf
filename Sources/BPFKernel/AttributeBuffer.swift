import CBPFSyscall

/// The zero-filled `union bpf_attr` (or `struct bpf_prog_info`) bytes for one
/// call, plus the buffers its pointer fields point to.
///
/// Why bytes rather than the C union: the installed UAPI header may be older
/// than the running kernel (Debian's is 6.1), Swift imports the union's
/// anonymous structs poorly, and the field offsets are stable ABI. The
/// offsets used are checked against the installed header by the tests.
/// All raw pointers of the module live here; every allocation is released in
/// `deinit`, so a pointer handed to the kernel stays valid for the whole call.
final class AttributeBuffer {
    /// `sizeof(union bpf_attr)` as of Linux 6.1; newer fields stay zero.
    static let attrSize = 144

    let bytes: UnsafeMutableRawBufferPointer
    private var pinned: [UnsafeMutableRawBufferPointer] = []
    private var retained: [AttributeBuffer] = []

    init(size: Int = AttributeBuffer.attrSize) {
        bytes = .allocate(byteCount: size, alignment: 8)
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        bytes.deallocate()
        for buffer in pinned { buffer.deallocate() }
    }

    func set32(_ value: UInt32, at offset: Int) {
        bytes.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
    }

    func set64(_ value: UInt64, at offset: Int) {
        bytes.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self)
    }

    func get32(at offset: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    func get64(at offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Copies a NUL-padded name of at most `capacity - 1` bytes into the field.
    func setName(_ name: String, at offset: Int, capacity: Int = 16) {
        for (i, byte) in name.utf8.prefix(capacity - 1).enumerated() {
            bytes[offset + i] = byte
        }
    }

    /// Copies `source` into a buffer that lives as long as `self`, and stores
    /// its address at `offset` (0 for an empty source).
    @discardableResult
    func pin(_ source: [UInt8], at offset: Int) -> UnsafeMutableRawBufferPointer? {
        guard !source.isEmpty else { set64(0, at: offset); return nil }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: source.count, alignment: 8)
        source.withUnsafeBytes { buffer.copyMemory(from: $0) }
        pinned.append(buffer)
        set64(UInt64(UInt(bitPattern: buffer.baseAddress)), at: offset)
        return buffer
    }

    /// Allocates a zeroed output buffer of `count` bytes and stores its address at `offset`.
    @discardableResult
    func output(count: Int, at offset: Int) -> UnsafeMutableRawBufferPointer? {
        guard count > 0 else { set64(0, at: offset); return nil }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 8)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        pinned.append(buffer)
        set64(UInt64(UInt(bitPattern: buffer.baseAddress)), at: offset)
        return buffer
    }

    /// Pins another attribute buffer (e.g. `bpf_prog_info`) and stores its address.
    func pin(_ other: AttributeBuffer, at offset: Int) {
        retained.append(other)
        set64(UInt64(UInt(bitPattern: other.bytes.baseAddress)), at: offset)
    }

    /// Calls `bpf(command, self, attrSize)`.
    ///
    /// - Returns: the non-negative result, or the errno on failure.
    func call(_ command: BPFCommand) -> Result<Int, SystemErrno> {
        var error: Int32 = 0
        let result = cbpf_bpf(command.rawValue, bytes.baseAddress, UInt32(bytes.count), &error)
        if result < 0 { return .failure(SystemErrno(rawValue: error)) }
        return .success(result)
    }
}

extension UnsafeMutableRawBufferPointer {
    /// The little-endian `UInt32` at `offset`.
    func littleEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// The bytes up to the first NUL (or all of them) as UTF-8 text.
    func cString() -> String {
        let end = firstIndex(of: 0) ?? count
        return String(decoding: self[0..<end], as: UTF8.self)
    }
}
