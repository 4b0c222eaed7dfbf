import BPFDisassembly
import BPFInstructions
import BPFObject
import BPFObjectPatch
import BPFPatch
import BPFTestSupport
import Foundation
import Testing

/// The corpus: empty batches are identity; random batches give objects
/// whose code, relocations, symbols and section headers agree with the
/// engine's result as llvm-objdump (an independent reader) sees them.
@Suite("Object patching on the corpus", .needsCorpus)
struct CorpusObjectTests {
    @Test("an empty batch writes every readable object byte for byte")
    func emptyBatchIdentity() throws {
        let paths = TestCorpus.objects()
        try #require(!paths.isEmpty, "the corpus holds objects")
        var identical = 0, unreadable = 0
        for path in paths {
            guard let object = try? ObjectFile(path: path) else { unreadable += 1; continue }
            let out = try ObjectPatchSet().apply(to: object)
            #expect(out.bytes == object.bytes, "\(path)")
            if out.bytes == object.bytes { identical += 1 }
        }
        print("CorpusObjectTests.empty: \(identical) of \(paths.count - unreadable) readable objects identical (\(unreadable) unreadable)")
        #expect(identical > 100)
    }

    /// A random batch over every program section: insertions before and
    /// after random instructions (the re-emitted instruction carries its
    /// relocation), replacements (with `original` where the slot is
    /// relocated), and removals of unrelocated one-slot instructions.
    static func randomBatch(_ object: ObjectFile, seed: UInt64, removals: inout Int) throws -> ObjectPatchSet {
        var rng = SplitMix64(seed: seed)
        var batch = ObjectPatchSet()
        for section in object.programSections where section.byteCount % 8 == 0 {
            let relocated = Set(section.relocations.compactMap { section.slotIndex(at: $0.offset)?.rawValue })
            let coreSlots = Set(object.coreRelocations(for: section).compactMap { section.slotIndex(at: $0.offset)?.rawValue })
            for insn in section.program.instructions {
                // Some one-slot instructions are removed (not the last, not relocated): line
                // records on them are deleted or moved, and .BTF.ext is rebuilt.
                let x = insn.index.rawValue
                if insn.second == nil, x + 1 < section.program.count, !relocated.contains(x), !coreSlots.contains(x),
                   rng.next() % 12 == 0 {
                    batch.remove(insn.index, section: section.name)
                    removals += 1
                    continue
                }
                // A final ld_imm64 missing its second slot (a broken object) is left alone.
                guard rng.next() % 5 == 0, !(insn.first.isLoadImmediate64 && insn.second == nil) else { continue }
                switch rng.next() % 3 {
                case 0: try batch.insert([ObjectPatchSet.nop], before: insn.index, section: section.name, in: object)
                case 1:
                    // `ja +0` after the last instruction would jump past the end.
                    guard insn.index.rawValue + insn.slotCount < section.program.count else { continue }
                    try batch.insert([ObjectPatchSet.nop, ObjectPatchSet.nop], after: insn.index, section: section.name, in: object)
                default:
                    // A plain replacement [ja +0, insn]: needs `original` only when the slot is relocated.
                    guard insn.second == nil, insn.first.referenceField == nil else { continue }
                    let carried = relocated.contains(insn.index.rawValue) || coreSlots.contains(insn.index.rawValue)
                    batch.replace(insn.index, section: section.name, with: [ObjectPatchSet.nop, insn.first],
                                  original: carried ? 1 : nil)
                }
            }
        }
        return batch
    }

    @Test("random batches: llvm-objdump of the written object shows the engine's code and every relocation on its instruction",
          .needsLLVM)
    func randomBatches() throws {
        let objdump = try #require(ExternalTools.objdump)
        let paths = TestCorpus.sample(every: 2)
        try #require(!paths.isEmpty, "the corpus holds objects")
        var objects = 0, sections = 0, relocations = 0, refused = 0, textLines = 0, removals = 0, btfExtRelocations = 0
        var mismatches: [String] = []
        for (k, path) in paths.enumerated() {
            guard let object = try? ObjectFile(path: path) else { continue }
            let batch = try Self.randomBatch(object, seed: UInt64(k) &* 0x9e37_79b9 &+ 1, removals: &removals)
            let out: PatchedObject
            do { out = try batch.apply(to: object) } catch {
                refused += 1
                print("refused: \(path): \(error)")
                continue
            }
            objects += 1
            let written = try ObjectFile(bytes: out.bytes)
            let file = try TestCorpus.temporaryFile(out.bytes, name: "random.o")
            defer { try? FileManager.default.removeItem(atPath: file) }
            // EM_NONE objects need the target named.
            let triple = written.machine == .none ? ["--triple=" + (written.byteOrder == .littleEndian ? "bpfel" : "bpfeb"), "--mattr=+alu32"] : []
            let listing = ObjdumpListing(try Subprocess.run(objdump, triple + ["-d", "-r", file]).stdout)

            // Section headers: contents inside the file, no two overlapping.
            let spans = written.sections.filter { $0.hasFileContents && $0.size > 0 }
                .map { (Int($0.offset), Int($0.offset + $0.size), $0.name) }.sorted { $0.0 < $1.0 }
            for (a, b) in zip(spans, spans.dropFirst()) where a.1 > b.0 {
                mismatches.append("\(path): sections \(a.2) and \(b.2) overlap")
            }
            // .rel.BTF.ext (llvm-objdump -r): one relocation per record before → still one per
            // record after, each on an insn_off field holding a record's offset.
            if let ext = object.btfExt, let newExt = written.btfExt, let section = written.section(named: ".BTF.ext") {
                let records = ext.funcInfo.count + ext.lineInfo.count + ext.coreRelocations.count
                let newOffsets = (newExt.funcInfo.map(\.offset) + newExt.lineInfo.map(\.offset) + newExt.coreRelocations.map(\.offset))
                    .map(\.rawValue).sorted()
                let before = Self.btfExtRelocationOffsets(try Subprocess.run(objdump, triple + ["-r", path]).stdout)
                if before.count == records {
                    let after = Self.btfExtRelocationOffsets(try Subprocess.run(objdump, triple + ["-r", file]).stdout)
                    let contents = Array(written.contents(of: section))
                    let values = after.map { at -> Int in
                        guard at + 4 <= contents.count else { return -1 }
                        let b = contents[at..<at + 4].map(Int.init)
                        return newExt.byteOrder == .littleEndian ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24
                                                               : b[3] | b[2] << 8 | b[1] << 16 | b[0] << 24
                    }.sorted()
                    if values != newOffsets {
                        mismatches.append("\(path): .rel.BTF.ext: \(after.count) relocations for \(newOffsets.count) records, or not on their insn_off")
                    }
                    btfExtRelocations += after.count
                }
            }
            if (object.btfExt == nil) != (written.btfExt == nil) {
                mismatches.append("\(path): .BTF.ext readable before: \(object.btfExt != nil), after: \(written.btfExt != nil)")
            }
            for original in object.programSections {
                guard let result = out.sections[original.name] else { continue }
                sections += 1
                let section = try #require(written.programSection(named: original.name))
                let engineBytes = result.program.encoded(byteOrder: object.byteOrder)
                // The written section is the engine's result, and objdump reads the same bytes.
                if section.program.encoded(byteOrder: object.byteOrder) != engineBytes {
                    mismatches.append("\(path) [\(original.name)]: section bytes differ from the engine's result")
                }
                let dumped = listing.bytes[original.name] ?? []
                if dumped != engineBytes {   // objdump lists bytes in file order, as encoded
                    mismatches.append("\(path) [\(original.name)]: llvm-objdump shows \(dumped.count) bytes, engine \(engineBytes.count)")
                }
                // llvm-objdump's text equals our disassembly (`bpfpatch disasm`) of the engine's result.
                let ours = Disassembler().lines(result.program).map { "\($0.index.rawValue): \($0.text)" }
                let theirs = listing.instructionText[original.name] ?? []
                if ours != theirs {
                    let k = (0..<min(ours.count, theirs.count)).first { ours[$0] != theirs[$0] } ?? min(ours.count, theirs.count)
                    mismatches.append("\(path) [\(original.name)]: disassembly differs at line \(k): llvm \(k < theirs.count ? theirs[k] : "-") | ours \(k < ours.count ? ours[k] : "-")")
                }
                textLines += ours.count
                // Every relocation again, on an instruction with the original opcode.
                // llvm-objdump prints no relocations for EM_NONE: read those with our reader.
                let dumpedRelocations = written.machine == .bpf ? listing.relocations[original.name] ?? []
                    : section.relocations.map { ($0.offset.rawValue, $0.type.description, $0.symbolName) }
                if dumpedRelocations.count != original.relocations.count {
                    mismatches.append("\(path) [\(original.name)]: \(dumpedRelocations.count) relocations shown, \(original.relocations.count) before")
                }
                let before = original.relocations.map { "\($0.type) \(original.program.slots[$0.offset.rawValue / 8].code)" }.sorted()
                let after = dumpedRelocations.map { r -> String in
                    let slot = r.offset / 8
                    let code = slot < result.program.count ? result.program.slots[slot].code : 0xff
                    return "\(r.type) \(code)"
                }.sorted()
                if before != after { mismatches.append("\(path) [\(original.name)]: relocations moved off their instructions") }
                relocations += dumpedRelocations.count
                // Function symbols: inside the section, sizes add up to the functions' new extents.
                for f in section.functions where f.offset.rawValue + f.size > section.byteCount {
                    mismatches.append("\(path) [\(original.name)]: function \(f.name) ends past the section")
                }
                // Line records: on slots of the section, ascending, at most as many as before.
                let lines = written.lineInfo(for: section).map(\.offset.rawValue)
                if lines.contains(where: { $0 % 8 != 0 || $0 >= section.byteCount }) || lines != lines.sorted()
                    || lines.count > object.lineInfo(for: original).count {
                    mismatches.append("\(path) [\(original.name)]: line_info offsets \(lines.prefix(8)) not ascending slots of the section")
                }
                // A func_info record that sat on a function's start still does (by symbol name).
                let oldStarts = Dictionary(original.functions.map { ($0.offset, $0.name) }, uniquingKeysWith: { a, _ in a })
                let newStarts = Dictionary(section.functions.map { ($0.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
                let oldRecords = object.funcInfo(for: original), newRecords = written.funcInfo(for: section)
                if oldRecords.count != newRecords.count {
                    mismatches.append("\(path) [\(original.name)]: \(newRecords.count) func_info records, \(oldRecords.count) before")
                }
                for (old, new) in zip(oldRecords, newRecords) {
                    if let name = oldStarts[old.offset], newStarts[name] != new.offset {
                        mismatches.append("\(path) [\(original.name)]: func_info of \(name) at \(new.offset), function at \(newStarts[name].map(String.init(describing:)) ?? "-")")
                    }
                }
            }
        }
        print("CorpusObjectTests.random: \(objects) objects, \(sections) sections, \(relocations) relocations and \(textLines) disassembled instructions checked against llvm-objdump; \(refused) batches refused; \(removals) instructions removed; \(btfExtRelocations) .rel.BTF.ext relocations on their records")
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10).joined(separator: "\n"))")
        #expect(objects > 40)
        #expect(refused == 0)
    }
}

extension CorpusObjectTests {
    /// The offsets of `RELOCATION RECORDS FOR [.BTF.ext]` in `llvm-objdump -r` output.
    static func btfExtRelocationOffsets(_ text: String) -> [Int] {
        var inside = false
        var offsets: [Int] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("RELOCATION RECORDS FOR ") { inside = line.contains("[.BTF.ext]"); continue }
            guard inside, let first = line.split(separator: " ").first, let offset = Int(first, radix: 16) else { continue }
            offsets.append(offset)
        }
        return offsets
    }
}
