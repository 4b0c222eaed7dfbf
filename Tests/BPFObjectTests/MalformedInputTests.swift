import BPFTestSupport
import BPFInstructions
import BPFObject
import Testing

/// Hand-made damage to valid objects: each expected kind follows from the
/// ELF64 layout (e_ident[4] class, [5] data, e_machine at 18, e_shoff at 40,
/// e_shentsize at 58, e_shnum at 60, e_shstrndx at 62; 64-byte section
/// headers with sh_size at +32).
@Suite(.needsCorpus) struct MalformedInputTests {
    static let smallPath = Corpus.root.appendingPathComponent("ebpf-samples/build/bpf2bpf.o").path
    static var small: [UInt8] { Corpus.bytes(smallPath) }

    static func kind(_ bytes: [UInt8]) -> ObjectError.Kind? {
        do { _ = try ObjectFile(bytes: bytes); return nil } catch { return error.kind }
    }

    static func put16(_ b: inout [UInt8], _ at: Int, _ v: UInt16) { b[at] = UInt8(v & 0xff); b[at + 1] = UInt8(v >> 8) }
    static func put64(_ b: inout [UInt8], _ at: Int, _ v: UInt64) { for k in 0..<8 { b[at + k] = UInt8((v >> (8 * k)) & 0xff) } }
    static func get64(_ b: [UInt8], _ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(b[at + $1]) << (8 * $1) } }

    @Test func headerErrors() throws {
        #expect(Self.kind([]) == .notELF)
        #expect(Self.kind(Array("# Corpus of real compiled eBPF objects".utf8)) == .notELF)
        #expect(Self.kind([0x7f, 0x45, 0x4c, 0x46]) == .outOfBounds)
        #expect(Self.kind(Array(Self.small.prefix(40))) == .outOfBounds)
        var b = Self.small; b[4] = 1
        #expect(Self.kind(b) == .unsupportedClass)
        b = Self.small; b[4] = 7
        #expect(Self.kind(b) == .unsupportedClass)
        b = Self.small; b[5] = 3
        #expect(Self.kind(b) == .unsupportedEncoding)
        b = Self.small; Self.put16(&b, 18, 62)   // EM_X86_64
        #expect(Self.kind(b) == .unsupportedMachine)
        b = Self.small; Self.put16(&b, 18, 0)    // EM_NONE is accepted
        #expect(Self.kind(b) == nil)
        b = Self.small; Self.put16(&b, 58, 40)
        #expect(Self.kind(b) == .badHeader)
        b = Self.small; Self.put16(&b, 62, 500)
        #expect(Self.kind(b) == .badHeader)
        b = Self.small; Self.put64(&b, 40, UInt64.max - 10)
        #expect(Self.kind(b) == .outOfBounds)
        // Extended numbering: e_shnum 0 takes the count from section 0's sh_size.
        b = Self.small
        let shoff = Int(Self.get64(b, 40))
        Self.put16(&b, 60, 0); Self.put64(&b, shoff + 32, 1 << 40)
        #expect(Self.kind(b) == .outOfBounds)
        // No section header table (e_shoff 0): an empty object, not an error.
        b = Self.small; Self.put64(&b, 40, 0)
        #expect(Self.kind(b) == nil)
        #expect(try ObjectFile(bytes: b).sections.isEmpty)
        // Missing file.
        #expect(throws: ObjectError(.unreadableFile, at: ObjectLocation(), "cannot read '/nonexistent/x.o'")) {
            try ObjectFile(path: "/nonexistent/x.o")
        }
        // Big-endian flag on a little-endian file: e_machine reads as 0xf700.
        b = Self.small; b[5] = 2
        #expect(Self.kind(b) == .unsupportedMachine)
    }

    /// Shrinking `.text` of bpf2bpf.o (section 2, 0xa8 bytes per llvm-readelf)
    /// by 4 bytes: a warning and 20 whole slots, not an error.
    @Test func oddProgramSizeIsAWarning() throws {
        var b = Self.small
        let shoff = Int(Self.get64(b, 40))
        let sizeAt = shoff + 2 * 64 + 32
        #expect(Self.get64(b, sizeAt) == 0xa8)
        Self.put64(&b, sizeAt, 0xa4)
        let object = try ObjectFile(bytes: b)
        #expect(object.warnings.map(\.kind) == [.truncatedSlot, .badFunctionSymbol])
        let text = try #require(object.programSection(named: ".text"))
        #expect(text.program.count == 20 && text.byteCount == 0xa4)
        // add2 spans 0x68..<0xa8 (objdump: slots 13–20), so it no longer fits and is
        // left out with a warning.
        #expect(text.functions.map(\.name) == ["add1"])
        #expect(text.warnings.map(\.kind) == [.truncatedSlot, .badFunctionSymbol])
    }
}
