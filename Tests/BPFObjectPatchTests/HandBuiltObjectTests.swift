import BPFInstructions
import BPFObject
import BPFObjectPatch
import BPFPatch
import Testing

/// Hand-built objects: two functions in `.text`, a map load and a call
/// with relocations, func_info, line_info and a CO-RE record; every
/// expected offset below is derived by hand in the comments.
@Suite("Object patching on hand-built objects")
struct HandBuiltObjectTests {
    static let movR0 = Instruction.mov(.r0, 0)
    static let movR0One = Instruction.mov(.r0, 1)
    static let addR0 = Instruction.alu(.add, .r0, 1)
    static let movR2 = Instruction.mov(.r2, 7)
    static let exit = Instruction.exit
    /// `r1 = <map> ll`: the imm is filled by the relocation.
    static let ldMap = Instruction.loadImm64(.r1, 0)[0]
    static let ldSecond = Instruction.loadImm64(.r1, 0)[1]
    /// `call -1`, resolved by relocation.
    static let callRelocated = Instruction.call(relative: -1)

    /// `.text`: f = slots 0..<5, g = slots 5..<8.
    ///
    ///     0: r1 = counters ll   (R_BPF_64_64 counters)   line 0x0
    ///     2: call g             (R_BPF_64_32 g)          line 0x10
    ///     3: r0 = 0
    ///     4: exit
    ///     5: r0 = 1             (CO-RE "0:1")            line 0x28   <g>
    ///     6: r0 += 1                                     line 0x30
    ///     7: exit                                        line 0x38
    static func builder(_ order: ByteOrder = .littleEndian, debug: Bool = false) -> ObjectBuilder {
        var b = ObjectBuilder()
        b.byteOrder = order
        b.programs = [(".text", [ldMap, ldSecond, callRelocated, movR0, exit, movR0One, addR0, exit])]
        b.data = [(".maps", [UInt8](repeating: 0, count: 32))]
        b.sectionSymbol(".text")
        b.function("f", in: ".text", at: 0, slots: 5)
        b.function("g", in: ".text", at: 5, slots: 3)
        b.object("counters", in: ".maps", at: 0, size: 32)
        b.relocate(".text", slot: 0, to: "counters", type: 1)
        b.relocate(".text", slot: 2, to: "g", type: 10)
        b.funcInfo = [(".text", 0, 1), (".text", 40, 2)]
        b.lineInfo = [(".text", 0, 10), (".text", 16, 11), (".text", 40, 20), (".text", 48, 21), (".text", 56, 22)]
        b.core = [(".text", 40, "0:1")]
        if debug { b.debugInfo = [1, 2, 3, 4, 5, 6, 7, 8] }
        return b
    }

    static func open(_ bytes: [UInt8]) throws -> (ObjectFile, ProgramSection) {
        let object = try ObjectFile(bytes: bytes)
        let text = try #require(object.programSection(named: ".text"))
        return (object, text)
    }

    static func relocations(_ section: ProgramSection) -> [String] {
        section.relocations.map { "\($0.offset.rawValue) \($0.symbolName)" }.sorted()
    }

    @Test("an empty batch writes the input byte for byte", arguments: [ByteOrder.littleEndian, .bigEndian])
    func emptyBatch(order: ByteOrder) throws {
        let bytes = Self.builder(order, debug: true).build()
        let object = try ObjectFile(bytes: bytes)
        let out = try ObjectPatchSet().apply(to: object)
        #expect(out.bytes == bytes)
        #expect(out.notices.isEmpty)
    }

    @Test("insert before a relocated ld_imm64: every table follows", arguments: [ByteOrder.littleEndian, .bigEndian])
    func insertBeforeLoad(order: ByteOrder) throws {
        let (object, _) = try Self.open(Self.builder(order).build())
        var batch = ObjectPatchSet()
        try batch.insert([Self.movR2], before: 0, section: ".text", in: object)
        let out = try batch.apply(to: object)
        let (patched, text) = try Self.open(out.bytes)
        #expect(patched.byteOrder == order)
        // One slot in front: every later slot moves by 1 (8 bytes).
        #expect(text.program.slots == [Self.movR2, Self.ldMap, Self.ldSecond, Self.callRelocated, Self.movR0, Self.exit,
                                       Self.movR0One, Self.addR0, Self.exit])
        // counters: slot 0 → 1 (the re-emitted load); call g: slot 2 → 3.
        #expect(Self.relocations(text) == ["24 g", "8 counters"])
        // f starts at the inserted slot (references to slot 0 land there): 0, 6 slots; g: 6, 3 slots.
        #expect(text.functions.map { "\($0.name) \($0.offset.rawValue) \($0.size)" } == ["f 0 48", "g 48 24"])
        #expect(patched.funcInfo(for: text).map(\.offset.rawValue) == [0, 48])
        // Line info: record at 0 covers the whole replacement (stays 0); the rest +8.
        #expect(patched.lineInfo(for: text).map(\.offset.rawValue) == [0, 24, 48, 56, 64])
        #expect(patched.coreRelocations(for: text).map(\.offset.rawValue) == [48])
        // The call through symbol g keeps imm -1 (g's own st_value moved).
        #expect(text.program.slots[3].immediate == -1)
    }

    @Test("a relocated call re-emitted inside a replacement carries its relocation")
    func relocationInsideReplacement() throws {
        let (object, _) = try Self.open(Self.builder().build())
        var batch = ObjectPatchSet()
        batch.replace(2, section: ".text", with: [Self.movR2, Self.callRelocated, Self.movR2], original: 1)
        let (_, text) = try Self.open(try batch.apply(to: object).bytes)
        // Slot 2 → slots 2, 3, 4; the call is at 3 (byte 24).
        #expect(Self.relocations(text) == ["0 counters", "24 g"])
        #expect(text.program.slots[3] == Self.callRelocated)
        // g moves by 2: 40 → 56.
        #expect(text.functions.map(\.offset.rawValue) == [0, 56])
    }

    @Test("replacing or removing a relocated slot without a carrier is an error naming slot and symbol")
    func droppedRelocation() throws {
        let (object, _) = try Self.open(Self.builder().build())
        var replace = ObjectPatchSet()
        replace.replace(2, section: ".text", with: [Self.movR2, Self.callRelocated])
        #expect { try replace.apply(to: object) } throws: { error in
            let e = error as! ObjectPatchError
            return e.kind == .relocationDropped && e.slot == 2 && e.patch == 0 && e.message.contains("'g'")
        }
        var remove = ObjectPatchSet()
        remove.remove(3, section: ".text")
        remove.remove(2, section: ".text")
        #expect { try remove.apply(to: object) } throws: { error in
            let e = error as! ObjectPatchError
            return e.kind == .relocationDropped && e.slot == 2 && e.patch == 1 && e.message.contains("removed")
        }
    }

    @Test("a CO-RE record follows its instruction, or its loss is an error")
    func coreRecords() throws {
        let (object, _) = try Self.open(Self.builder().build())
        var carried = ObjectPatchSet()
        carried.replace(5, section: ".text", with: [ObjectPatchSet.nop, Self.movR0One], original: 1)
        let (patched, text) = try Self.open(try carried.apply(to: object).bytes)
        // Slot 5 → 5, 6: the record goes to 6 (byte 48); g still starts at 5 (byte 40).
        #expect(patched.coreRelocations(for: text).map(\.offset.rawValue) == [48])
        #expect(patched.funcInfo(for: text).map(\.offset.rawValue) == [0, 40])
        var lost = ObjectPatchSet()
        lost.replace(5, section: ".text", with: [ObjectPatchSet.nop, Self.movR0One])
        #expect { try lost.apply(to: object) } throws: { error in
            (error as! ObjectPatchError).kind == .coreRelocationDropped
        }
    }

    @Test("function-relative sites, removal deleting a line record, and a rebuilt .BTF.ext",
          arguments: [ByteOrder.littleEndian, .bigEndian])
    func functionRelativeRemoval(order: ByteOrder) throws {
        let (object, _) = try Self.open(Self.builder(order).build())
        var batch = ObjectPatchSet()
        // g + 1 = slot 6 (r0 += 1): removed. Its line record (0x30) is deleted: slot 7 has its own.
        batch.remove(1, section: ".text", function: "g")
        let (patched, text) = try Self.open(try batch.apply(to: object).bytes)
        #expect(text.program.count == 7)
        #expect(patched.lineInfo(for: text).map(\.offset.rawValue) == [0, 16, 40, 48])
        #expect(patched.lineInfo(for: text).map(\.lineNumber) == [10, 11, 20, 22])
        #expect(text.functions.map { "\($0.name) \($0.offset.rawValue) \($0.size)" } == ["f 0 40", "g 40 16"])
        #expect(patched.coreRelocations(for: text).map(\.offset.rawValue) == [40])
        // Outside the function: an error.
        var outside = ObjectPatchSet()
        outside.remove(3, section: ".text", function: "g")
        #expect { try outside.apply(to: object) } throws: { ($0 as! ObjectPatchError).kind == .siteOutsideFunction }
    }

    @Test("an added relocation for an inserted ld_imm64")
    func addedRelocation() throws {
        let (object, _) = try Self.open(Self.builder().build())
        var batch = ObjectPatchSet()
        // Slot 3 (r0 = 0) → [r1 = counters ll, second, r0 = 0]: new relocation at slot 3, byte 24.
        batch.replace(3, section: ".text", with: [Self.ldMap, Self.ldSecond, Self.movR0], original: 2,
                      relocations: [AddedRelocation(position: 0, symbol: "counters")])
        let (_, text) = try Self.open(try batch.apply(to: object).bytes)
        #expect(Self.relocations(text) == ["0 counters", "16 g", "24 counters"])
        var missing = ObjectPatchSet()
        missing.replace(3, section: ".text", with: [Self.ldMap, Self.ldSecond, Self.movR0], original: 2,
                        relocations: [AddedRelocation(position: 0, symbol: "nothing")])
        #expect { try missing.apply(to: object) } throws: { ($0 as! ObjectPatchError).kind == .badRelocation }
    }

    @Test("an added relocation for an inserted call to a function symbol")
    func addedCallRelocation() throws {
        let (object, _) = try Self.open(Self.builder().build())
        var batch = ObjectPatchSet()
        // Slot 3 (r0 = 0) → [call g (imm -1), r0 = 0]: R_BPF_64_32 g at slot 3 (byte 24); g: 5 → 6.
        batch.replace(3, section: ".text", with: [Self.callRelocated, Self.movR0], original: 1,
                      relocations: [AddedRelocation(position: 0, symbol: "g")])
        let (patched, text) = try Self.open(try batch.apply(to: object).bytes)
        #expect(Self.relocations(text) == ["0 counters", "16 g", "24 g"])
        #expect(text.relocations.first { $0.offset == 24 }?.type == .bpf64_32)
        // The call keeps its pseudo-call kind and imm -1 (resolved through g's new st_value).
        #expect(text.program.slots[3] == Self.callRelocated)
        #expect(text.functions.map(\.offset.rawValue) == [0, 48])
        #expect(patched.funcInfo(for: text).map(\.offset.rawValue) == [0, 48])
    }

    @Test("a call through the section symbol from another section gets its immediate moved")
    func sectionSymbolCall() throws {
        var b = Self.builder()
        // xdp: call .text+slot 5 (g): imm = 5 - 0 - 1 = 4 relative to the section symbol (value 0).
        b.programs.append(("xdp", [.call(relative: 4), Self.exit]))
        b.function("prog", in: "xdp", at: 0, slots: 2)
        b.relocate("xdp", slot: 0, to: ".text", type: 10)
        let (object, _) = try Self.open(b.build())
        var batch = ObjectPatchSet()
        try batch.insert([Self.movR2], before: 0, section: ".text", in: object)   // g: 5 → 6
        let out = try batch.apply(to: object)
        let patched = try ObjectFile(bytes: out.bytes)
        let xdp = try #require(patched.programSection(named: "xdp"))
        #expect(xdp.program.slots[0].immediate == 5)
        #expect(xdp.program.slots[0].srcNumber == 1)
    }

    @Test("several sections in one batch, and DWARF emptied with one notice")
    func severalSectionsAndDWARF() throws {
        var b = Self.builder(debug: true)
        b.programs.append(("xdp", [Self.movR0, Self.exit]))
        b.function("prog", in: "xdp", at: 0, slots: 2)
        let (object, _) = try Self.open(b.build())
        var batch = ObjectPatchSet()
        try batch.insert([Self.movR2], before: 1, section: "xdp", in: object)
        try batch.insert([Self.movR2], after: 3, section: ".text", in: object)
        let out = try batch.apply(to: object)
        let patched = try ObjectFile(bytes: out.bytes)
        #expect(patched.programSection(named: "xdp")?.program.slots == [Self.movR0, Self.movR2, Self.exit])
        #expect(patched.programSection(named: ".text")?.program.slots[4] == Self.movR2)
        #expect(patched.section(named: ".debug_info")?.size == 0)
        #expect(out.notices.count == 1)
        #expect(out.notices.first?.contains(".debug_info") == true)
        #expect(out.sections.keys.sorted() == [".text", "xdp"])
    }

    @Test("EM_NONE objects are written too")
    func machineNone() throws {
        var b = Self.builder()
        b.machine = 0
        let (object, _) = try Self.open(b.build())
        var batch = ObjectPatchSet()
        try batch.insert([Self.movR2], before: 3, section: ".text", in: object)
        let patched = try ObjectFile(bytes: try batch.apply(to: object).bytes)
        #expect(patched.machine == .none)
        #expect(patched.programSection(named: ".text")?.program.count == 9)
    }

    @Test("PATCHES.json with section, function, original and relocations")
    func json() throws {
        let doc = """
            {"patches": [
              {"section": ".text", "function": "g", "at": 0, "insns": ["0500000000000000", "b700000001000000"], "original": 1},
              {"section": ".text", "at": 3, "insns": ["1801000000000000", "0000000000000000", "b700000000000000"],
               "original": 2, "relocations": [{"at": 0, "symbol": "counters"}]}
            ]}
            """
        let batch = try ObjectPatchSet(json: Array(doc.utf8))
        #expect(batch.patches.count == 2)
        #expect(batch.patches[0].function == "g" && batch.patches[0].original == 1)
        #expect(batch.patches[1].relocations == [AddedRelocation(position: 0, symbol: "counters")])
        let (object, _) = try Self.open(Self.builder().build())
        let (patched, text) = try Self.open(try batch.apply(to: object).bytes)
        #expect(Self.relocations(text) == ["0 counters", "16 g", "24 counters"])
        #expect(patched.coreRelocations(for: text).map(\.offset.rawValue) == [64])
        for bad in [#"{"patches": [{"at": 1, "remove": 1}]}"#,
                    #"{"patches": [{"section": "x", "at": 9223372036854775807, "remove": 1}]}"#,
                    #"{"patches": [{"section": "x", "at": 1, "remove": 9223372036854775807}]}"#,
                    #"{"patches": [{"section": "x", "at": -1, "remove": 1}]}"#,
                    #"{"patches": [{"section": "x", "at": 1, "insns": [], "original": -5}]}"#] {
            #expect(throws: JSONDocumentError.self) { try ObjectPatchSet(json: Array(bad.utf8)) }
        }
    }
}
