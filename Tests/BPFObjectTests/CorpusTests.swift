import BPFTestSupport
import BPFInstructions
import BPFObject
import Testing

@Suite(.needsCorpus) struct CorpusTests {
    @Test func corpusIsPresent() {
        #expect(Corpus.allObjects.count == 201, "ELF objects found under \(Corpus.root.path)")
        #expect(Corpus.invalidObjects.count == 6)
    }

    /// Every valid object opens without warnings, and every program section
    /// re-encodes to exactly its bytes.
    @Test func everyObjectOpensAndRoundTrips() throws {
        var sectionsChecked = 0
        var slots = 0
        for path in Corpus.validObjects {
            let bytes = Corpus.bytes(path)
            let object: ObjectFile
            do { object = try ObjectFile(bytes: bytes) } catch {
                Issue.record("\(Corpus.short(path)): \(error)")
                continue
            }
            #expect(object.warnings.isEmpty, "\(Corpus.short(path)): \(object.warnings)")
            for program in object.programSections {
                let section = object.sections[program.sectionIndex]
                let original = Array(bytes[Int(section.offset)..<Int(section.offset + section.size)])
                #expect(program.program.encoded(byteOrder: object.byteOrder) == original,
                        "\(Corpus.short(path)) section \(program.name)")
                #expect(program.program.count * 8 == original.count)
                sectionsChecked += 1
                slots += program.program.count
            }
        }
        let clock = ContinuousClock()
        let started = clock.now
        for path in Corpus.validObjects { _ = try? ObjectFile(bytes: Corpus.bytes(path)) }
        print("opened all \(Corpus.validObjects.count) objects (read + parse) in \(clock.now - started)")
        print("round-tripped \(sectionsChecked) program sections (\(slots) slots) in \(Corpus.validObjects.count) objects")
        // 443 = executable sections of nonzero size, counted with `llvm-readelf -S -W` (flag AX).
        #expect(sectionsChecked == 443)
    }

    /// Big-endian objects decode to the same slots as their little-endian twins.
    @Test func bigEndianTwinsMatch() throws {
        let pairs = Corpus.validObjects.filter { $0.hasSuffix("-eb.elf") }
            .map { ($0, String($0.dropLast("-eb.elf".count)) + "-el.elf") }
        #expect(pairs.count == 4)
        for (eb, el) in pairs {
            let big = try ObjectFile(bytes: Corpus.bytes(eb))
            let little = try ObjectFile(bytes: Corpus.bytes(el))
            #expect(big.byteOrder == .bigEndian)
            #expect(little.byteOrder == .littleEndian)
            #expect(big.sections.map(\.name) == little.sections.map(\.name))
            #expect(big.programSections.map(\.name) == little.programSections.map(\.name))
            for (b, l) in zip(big.programSections, little.programSections) {
                #expect(b.program == l.program, "\(Corpus.short(eb)) \(b.name)")
                #expect(b.functions == l.functions)
                #expect(b.relocations == l.relocations)
            }
            #expect(big.btf != nil && little.btf != nil)
            #expect(big.btf?.byteOrder == .bigEndian)
            #expect(big.btfExt == nil ? little.btfExt == nil : big.btfExt!.funcInfo == little.btfExt!.funcInfo)
            #expect(big.btfExt?.lineInfo == little.btfExt?.lineInfo)
            #expect(big.btfExt?.coreRelocations == little.btfExt?.coreRelocations)
            #expect(big.symbols.map(\.name) == little.symbols.map(\.name))
        }
    }

    /// ovs/datapath.o: EM_NONE, SHT_RELA, and `version`/`license` bytes read
    /// with xxd (0xb32c: 01 00 00 00; 0xb330: "GPL\0"). `llvm-objdump -r`
    /// lists tail-32's relocations at 0x1248 percpu_headers, 0x1340
    /// percpu_metadata, 0x1400 tailcalls.
    @Test func ovsDatapath() throws {
        let object = try ObjectFile(path: Corpus.root.appendingPathComponent("ebpf-samples/ovs/datapath.o").path)
        #expect(object.machine == .none)
        #expect(object.kernelVersion == 1)
        #expect(object.license == "GPL")
        #expect(object.mapSections.map(\.name) == ["maps"])
        let tail = try #require(object.programSection(named: "tail-32"))
        #expect(tail.relocations.map(\.offset) == [0x1248, 0x1340, 0x1400])
        #expect(tail.relocations.map(\.symbolName) == ["percpu_headers", "percpu_metadata", "tailcalls"])
        #expect(tail.relocations.allSatisfy { $0.addend == 0 && $0.type == .none })
        #expect(tail.relocations(at: SlotIndex(0x1340 / 8)).map(\.symbolName) == ["percpu_metadata"])
        #expect(tail.relocations(at: 0).isEmpty)
        #expect(tail.functions.isEmpty)   // no FUNC symbols in this object
        #expect(object.btf == nil && !object.hasBTFSection)
    }
}
