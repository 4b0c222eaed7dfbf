import BPFTestSupport
import BPFInstructions
import BPFObject
import Testing

/// The six hand-broken objects of `ebpf-samples/invalid`. Each expected
/// outcome agrees with what `llvm-readelf`/`llvm-objdump` report for the file.
@Suite(.needsCorpus) struct InvalidObjectTests {
    static func open(_ name: String) -> Result<ObjectFile, ObjectError> {
        let bytes = Corpus.bytes(Corpus.root.appendingPathComponent("ebpf-samples/invalid/\(name)").path)
        do { return .success(try ObjectFile(bytes: bytes)) } catch { return .failure(error) }
    }

    static func error(_ name: String) -> ObjectError? {
        if case .failure(let e) = open(name) { return e }
        return nil
    }

    @Test func allSixAreCovered() {
        #expect(Corpus.invalidObjects.map { Corpus.short($0) }.sorted() == [
            "ebpf-samples/invalid/58087ea4ff41695f3186d628a3250b26dc8d237a",
            "ebpf-samples/invalid/806cc077e56f0ec32236c99055714f63649e7a38",
            "ebpf-samples/invalid/af99e766f6ba44fd7f2135c3e325c817224b99a3",
            "ebpf-samples/invalid/badsymsize.o",
            "ebpf-samples/invalid/c049438cf649269921736e7306231385350dea58",
            "ebpf-samples/invalid/invalid-lddw.o",
        ])
    }

    /// llvm-readelf: "st_name (0x200) is past the end of the string table of size 0x1c1" (symbol 4).
    @Test func symbolNamePastStringTable() throws {
        let e = try #require(Self.error("58087ea4ff41695f3186d628a3250b26dc8d237a"))
        #expect(e.kind == .badString)
        #expect(e.location.section == ".symtab")
        #expect(e.message.contains("symbol 4"))
        // .symtab is at 0x2890; entry 4 at 0x2890 + 4 * 24.
        #expect(e.location.fileOffset == 0x2890 + 4 * 24)
    }

    /// llvm-readelf: "section table goes past the end of file" (16 headers at 0x510 in 1748 bytes).
    @Test func sectionTablePastEndOfFile() throws {
        let e = try #require(Self.error("806cc077e56f0ec32236c99055714f63649e7a38"))
        #expect(e.kind == .outOfBounds)
        #expect(e.location.fileOffset == 0x510)
    }

    /// llvm-readelf: "a section [index 17] has an invalid sh_name (0x20008c)".
    @Test func sectionNameOffsetOutOfRangeAt17() throws {
        let e = try #require(Self.error("af99e766f6ba44fd7f2135c3e325c817224b99a3"))
        #expect(e.kind == .badString)
        #expect(e.message.contains("section [17]") && e.message.contains("0x20008c"))
        #expect(e.location.fileOffset == 0x26a0 + 17 * 64)   // e_shoff 9888 = 0x26a0
    }

    /// llvm-readelf: "section [index 10] has invalid sh_entsize: expected 24, but got 8".
    @Test func symbolTableEntrySize() throws {
        let e = try #require(Self.error("badsymsize.o"))
        #expect(e.kind == .badSymbol)
        #expect(e.location.section == ".symtab")
        #expect(e.message.contains("sh_entsize 8"))
    }

    /// llvm-readelf: "a section [index 3] has an invalid sh_name (0x80001)".
    @Test func sectionNameOffsetOutOfRangeAt3() throws {
        let e = try #require(Self.error("c049438cf649269921736e7306231385350dea58"))
        #expect(e.kind == .badString)
        #expect(e.message.contains("section [3]") && e.message.contains("0x80001"))
    }

    /// llvm-objdump: `.text` is 16 bytes; slot 1 is `18 ff ff ff ff ff ff 0a`
    /// (`<unknown>`), an ld_imm64 cut off by the end of the section.
    @Test func truncatedWideLoadOpensWithWarning() throws {
        guard case .success(let object) = Self.open("invalid-lddw.o") else {
            Issue.record("invalid-lddw.o should open with a warning")
            return  // recorded as a failure above
        }
        #expect(object.warnings.map(\.kind) == [.truncatedWideLoad])
        #expect(object.warnings.first?.location.section == ".text")
        let text = try #require(object.programSection(named: ".text"))
        #expect(text.program.count == 2)
        #expect(text.program.slots[1].code == 0x18)
        #expect(text.warnings.map(\.kind) == [.truncatedWideLoad])
        #expect(text.program.encoded() == Array(object.contents(of: object.sections[text.sectionIndex])))
    }
}
