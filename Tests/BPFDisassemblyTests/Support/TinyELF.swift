import BPFInstructions

/// Writes a minimal relocatable ELF64 object for `EM_BPF` holding one
/// executable section, so llvm-objdump can disassemble hand-made slots.
enum TinyELF {
    static func object(text: [UInt8], sectionName: String = ".text", byteOrder: ByteOrder) -> [UInt8] {
        var out: [UInt8] = []
        func u16(_ v: UInt16) { append(UInt64(v), 2) }
        func u32(_ v: UInt32) { append(UInt64(v), 4) }
        func u64(_ v: UInt64) { append(v, 8) }
        func append(_ v: UInt64, _ n: Int) {
            for k in 0..<n {
                let shift = byteOrder == .littleEndian ? 8 * k : 8 * (n - 1 - k)
                out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift)))
            }
        }
        let names: [UInt8] = [0] + Array(sectionName.utf8) + [0] + Array(".shstrtab".utf8) + [0]
        let textOffset = 64
        let namesOffset = textOffset + text.count
        var headerOffset = namesOffset + names.count
        headerOffset = (headerOffset + 7) & ~7

        out += [0x7f, 0x45, 0x4c, 0x46, 2, byteOrder == .littleEndian ? 1 : 2, 1, 0]
        out += [UInt8](repeating: 0, count: 8)
        u16(1); u16(247); u32(1); u64(0); u64(0); u64(UInt64(headerOffset))
        u32(0); u16(64); u16(0); u16(0); u16(64); u16(3); u16(2)
        out += text
        out += names
        out += [UInt8](repeating: 0, count: headerOffset - out.count)
        // null section
        out += [UInt8](repeating: 0, count: 64)
        // the code section: PROGBITS, ALLOC | EXECINSTR
        u32(1); u32(1); u64(6); u64(0); u64(UInt64(textOffset)); u64(UInt64(text.count)); u32(0); u32(0); u64(8); u64(0)
        // .shstrtab
        u32(UInt32(sectionName.utf8.count + 2)); u32(3); u64(0); u64(0); u64(UInt64(namesOffset)); u64(UInt64(names.count))
        u32(0); u32(0); u64(1); u64(0)
        return out
    }
}
