import BPFTestSupport
import BPFInstructions
import BPFObject
import Foundation
import Testing

@Suite(.needsCorpus) struct BTFExtTests {
    /// Records decoded by hand from `xxd` of `ebpf-samples/build/bpf2bpf.o`:
    /// `.BTF.ext` at file offset 0x824 (header: 9feb 01 00, hdr_len 0x20,
    /// func_info 0+0x2c, line_info 0x2c+0x244, core 0x270+0); `.BTF` at 0x52c
    /// (hdr_len 0x18, types 0+0x88, strings 0x88+0x256, so strings start at
    /// file offset 0x5cc).
    @Test func handDecodedRecordsOfBpf2bpf() throws {
        let object = try ObjectFile(path: Corpus.root.appendingPathComponent("ebpf-samples/build/bpf2bpf.o").path)
        let btf = try #require(object.btf)
        #expect(btf.header.headerLength == 0x18 && btf.header.typeLength == 0x88)
        #expect(btf.header.stringOffset == 0x88 && btf.header.stringLength == 0x256)
        #expect(try btf.string(at: 0x0c) == ".text")       // file offset 0x5d8
        #expect(try btf.string(at: 0x13d) == "test")       // file offset 0x709
        #expect(throws: ObjectError.self) { try btf.string(at: 0x256) }

        let ext = try #require(object.btfExt)
        #expect(ext.header.headerLength == 0x20)
        #expect(ext.header.funcInfoLength == 0x2c && ext.header.lineInfoOffset == 0x2c && ext.header.lineInfoLength == 0x244)
        #expect(ext.header.coreRelocationLength == 0)
        // 0x844: rec_size 8; ".text" ×2: (0, 4), (0x68, 6); "test" ×1: (0, 9).
        #expect(ext.funcInfo == [
            FuncInfo(section: ".text", offset: 0, typeID: 4),
            FuncInfo(section: ".text", offset: 0x68, typeID: 6),
            FuncInfo(section: "test", offset: 0, typeID: 9),
        ])
        // 0x870: rec_size 16; ".text" has 0x12 records. The first two:
        // (0, file 0x12, line 0x6d, 0x2000) and (0x10, 0x12, 0x80, 0x2c14).
        let file = "C:/Users/dthal/git/ebpf/ebpf-for-windows/external/ebpf-verifier/ebpf-samples/src/bpf2bpf.c"
        let text = ext.lineInfo.filter { $0.section == ".text" }
        #expect(text.count == 0x12)
        #expect(text.first == LineInfo(section: ".text", offset: 0, fileName: file, line: "int add1(int* x) {",
                                       lineNumber: 8, column: 0))
        #expect(text.dropFirst().first == LineInfo(section: ".text", offset: 0x10, fileName: file,
                                                   line: "    inner_array[1] = 1;", lineNumber: 11, column: 20))
        #expect(ext.coreRelocations.isEmpty)

        // Byte offsets to slots: 0x68 is slot 13, where objdump shows <add2>.
        let textSection = try #require(object.programSection(named: ".text"))
        let slots = object.funcInfoSlots(for: textSection)
        #expect(slots.map(\.slot) == [SlotIndex(0), SlotIndex(13)])
        #expect(textSection.slotIndex(at: 0x68) == 13)
        #expect(textSection.slotIndex(at: 0x6c) == nil)
        #expect(textSection.slotIndex(at: ByteOffset(textSection.program.count * 8)) == nil)
        #expect(textSection.functions.map(\.name) == ["add1", "add2"])
        #expect(textSection.function(containing: 13)?.name == "add2")
        #expect(object.lineInfoSlots(for: textSection).dropFirst().first?.slot == 2)
    }

    /// line_info and CO-RE records against `llvm-objdump -d -l -r` on
    /// DWARF-stripped copies (objdump then reads lines from `.BTF.ext`), and
    /// func_info against objdump's symbol labels, `bpftool btf dump` FUNC
    /// names and `llvm-readobj` FUNC symbol counts.
    @Test(.needsLLVM, .enabled(if: ExternalTools.readobj != nil, "needs llvm-readobj"))
    func recordsMatchObjdumpBpftoolAndReadobj() throws {
        let objdump = try #require(Tool.objdump), objcopy = try #require(Tool.objcopy), readobj = try #require(Tool.readobj)
        let objects = try Corpus.validObjects.map { ($0, try ObjectFile(path: $0)) }.filter { $0.1.section(named: ".BTF.ext") != nil }
        #expect(objects.count == 110)  // objects with a .BTF.ext section, counted with `llvm-objdump -h`
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bpfobject-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var stripped: [String] = []
        for (k, (path, _)) in objects.enumerated() {
            let out = directory.appendingPathComponent("\(k).o").path
            let r = try Tool.run(objcopy, ["--strip-debug", path, out])
            #expect(r.status == 0, "\(Corpus.short(path))")
            stripped.append(out)
        }
        let dump = try Tool.run(objdump, ["-d", "-l", "-r", "--no-show-raw-insn"] + stripped)
        let reports = ObjdumpReport.parse(dump.output)
        let symbolReports = ReadobjReport.parse(try Tool.run(readobj, ["--sections", "--symbols"] + objects.map(\.0)).output)

        // CO-RE kind names as llvm-objdump prints them, by enum bpf_core_relo_kind value.
        let kindNames = ["byte_off", "byte_sz", "field_exists", "signed", "lshift_u64", "rshift_u64", "local_type_id",
                         "target_type_id", "type_exists", "type_size", "enumval_exists", "enumval_value", "type_matches"]
        var totals = (lines: 0, printed: 0, core: 0, funcs: 0)
        for ((path, object), strippedPath) in zip(objects, stripped) {
            let name = Corpus.short(path)
            let ext = try #require(object.btfExt, "\(name)")
            let report = reports[strippedPath] ?? ObjdumpReport()
            let bySection = Dictionary(grouping: ext.lineInfo, by: \.section)

            // (a) every objdump annotation is a record at that slot.
            for (section, printed) in report.lines {
                let records = Dictionary(grouping: bySection[section] ?? [], by: { $0.offset.rawValue / 8 })
                for p in printed {
                    let match = records[p.slot]?.contains { $0.fileName == p.file && Int($0.lineNumber) == p.line } ?? false
                    #expect(match, "\(name) \(section) slot \(p.slot): objdump \(p.file):\(p.line)")
                }
                totals.printed += printed.count
            }
            // (b) every record starting a new line (vs the previous record) is annotated.
            for (section, records) in bySection {
                let printed = Set(report.lines[section] ?? [])
                for (previous, record) in zip(records, records.dropFirst())
                where record.lineNumber != 0 && (record.lineNumber != previous.lineNumber || record.fileName != previous.fileName) {
                    #expect(record.offset.rawValue % 8 == 0)
                    let expected = ObjdumpReport.Line(slot: record.offset.rawValue / 8, file: record.fileName, line: Int(record.lineNumber))
                    #expect(printed.contains(expected), "\(name) \(section) \(record)")
                }
                totals.lines += records.count
            }
            // CO-RE: the same multiset of (section, offset, kind, type), and field access strings.
            var mine: [String] = ext.coreRelocations.map {
                "\($0.section) \($0.offset.rawValue) \($0.kind.rawValue < 13 ? kindNames[Int($0.kind.rawValue)] : "?") \($0.typeID)"
            }
            var theirs: [String] = report.core.flatMap { s, list in list.map { "\(s) \($0.offset) \($0.kind) \($0.typeID)" } }
            mine.sort(); theirs.sort()
            #expect(mine == theirs, "\(name) CO-RE")
            for record in ext.coreRelocations where record.kind.rawValue <= 5 {
                let printed = report.core[record.section]?.first { $0.offset == record.offset.rawValue && $0.typeID == record.typeID }
                #expect(printed?.spec == record.accessString, "\(name) \(record)")
            }
            totals.core += mine.count

            // func_info: one per defined FUNC symbol of the section, at a label of the FUNC's BTF name.
            let funcNames = try Self.btfFuncNames(path)
            let symbols = try #require(symbolReports[path], "\(name)")
            for program in object.programSections {
                let records = object.funcInfo(for: program)
                let expectedCount = symbols.symbols.filter { $0.type == 2 && $0.section == UInt64(program.sectionIndex) }.count
                var unlabeled: [Int] = []
                for record in records {
                    let labels = report.labels[program.name]?.filter { $0.offset == record.offset.rawValue } ?? []
                    if labels.isEmpty { unlabeled.append(record.offset.rawValue) }
                    if let funcNames, !labels.isEmpty {
                        #expect(labels.contains { $0.name == funcNames[record.typeID] }, "\(name) \(record)")
                    }
                }
                if name.hasPrefix("cilium-ebpf/testdata/linked") {
                    // Linker output keeps func_info for functions whose symbols it dropped
                    // (duplicate weak/static copies): code with no objdump label.
                    #expect(records.count - unlabeled.count == expectedCount, "\(name) \(program.name)")
                    if name == "cilium-ebpf/testdata/linked-el.elf" {
                        // From `llvm-objdump -d`: slots 2, 12 and 14 start unlabeled `r0 = …; exit` pairs.
                        #expect(unlabeled == [0x10, 0x60, 0x70], "\(name) \(program.name)")
                    }
                } else {
                    #expect(records.count == expectedCount, "\(name) \(program.name) func_info count")
                    #expect(unlabeled.isEmpty, "\(name) \(program.name) func_info at \(unlabeled)")
                }
                totals.funcs += records.count
            }
        }
        print("objdump/bpftool/readobj agree on \(objects.count) objects: \(totals.lines) line_info records "
              + "(\(totals.printed) objdump annotations), \(totals.core) CO-RE records, \(totals.funcs) func_info records"
              + (Tool.bpftool == nil ? " (bpftool missing: FUNC names unchecked)" : ""))
        #expect(totals.lines > 6858 && totals.core > 100 && totals.funcs > 100)
    }

    /// `[type id: name]` of FUNC types from `bpftool btf dump file`, or nil without bpftool.
    static func btfFuncNames(_ path: String) throws -> [UInt32: String]? {
        guard let bpftool = Tool.bpftool else { return nil }
        var names: [UInt32: String] = [:]
        for line in try Tool.run(bpftool, ["btf", "dump", "file", path]).output.split(separator: "\n")
        where line.hasPrefix("[") && line.contains("] FUNC '") {
            let id = UInt32(line.dropFirst().prefix { $0 != "]" })!
            let start = line.range(of: "FUNC '")!.upperBound
            names[id] = String(line[start...].prefix { $0 != "'" })
        }
        return names
    }
}
