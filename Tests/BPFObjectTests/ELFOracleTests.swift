import BPFTestSupport
import BPFInstructions
import BPFObject
import Foundation
import Testing

/// Compares the ELF layer with `llvm-readobj` over the whole valid corpus
/// (one process for all files).
@Suite(.needsCorpus) struct ELFOracleTests {
    static let relocationTypes: [String: UInt32] = [
        "R_BPF_NONE": 0, "R_BPF_64_64": 1, "R_BPF_64_ABS64": 2, "R_BPF_64_ABS32": 3,
        "R_BPF_64_NODYLD32": 4, "R_BPF_64_32": 10,
    ]

    @Test(.enabled(if: ExternalTools.readobj != nil, "needs llvm-readobj"))
    func sectionsSymbolsAndRelocationsMatchReadobj() throws {
        let readobj = try #require(Tool.readobj)
        let paths = Corpus.validObjects
        let run = try Tool.run(readobj, ["--sections", "--symbols", "--relocations"] + paths)
        #expect(run.status == 0)
        let reports = ReadobjReport.parse(run.output)
        #expect(reports.count == paths.count)
        var counts = (sections: 0, symbols: 0, functions: 0, relocations: 0, maps: 0)
        for path in paths {
            let name = Corpus.short(path)
            guard let expected = reports[path] else { Issue.record("\(name): no readobj report"); continue }
            let object = try ObjectFile(bytes: Corpus.bytes(path))

            // Sections.
            #expect(object.sections.count == expected.sections.count, "\(name)")
            for (mine, theirs) in zip(object.sections, expected.sections) {
                #expect(mine.index == theirs.index)
                #expect(mine.name == theirs.name, "\(name) [\(theirs.index)]")
                #expect(UInt64(mine.type.rawValue) == theirs.type, "\(name) \(theirs.name)")
                #expect(mine.flags.rawValue == theirs.flags, "\(name) \(theirs.name)")
                #expect(mine.offset == theirs.offset && mine.size == theirs.size, "\(name) \(theirs.name)")
                #expect(UInt64(mine.link) == theirs.link && UInt64(mine.info) == theirs.info, "\(name) \(theirs.name)")
                #expect(mine.entrySize == theirs.entrySize, "\(name) \(theirs.name)")
            }
            counts.sections += expected.sections.count

            let symbols = object.symbols  // readobj lists the null entry too
            #expect(symbols.count == expected.symbols.count, "\(name)")
            for (mine, theirs) in zip(symbols, expected.symbols) {
                let theirName = theirs.type == 3 ? "" : theirs.name  // readobj names section symbols after their section
                #expect(mine.type == .section || mine.name == theirName, "\(name) symbol \(mine.index)")
                #expect(mine.value == theirs.value && mine.size == theirs.size, "\(name) \(theirs.name)")
                #expect(UInt64(mine.binding.rawValue) == theirs.binding && UInt64(mine.type.rawValue) == theirs.type,
                        "\(name) \(theirs.name)")
                #expect(UInt64(mine.visibility.rawValue) == theirs.other & 3, "\(name) \(theirs.name)")
                #expect(UInt64(mine.sectionIndex.rawValue) == theirs.section, "\(name) \(theirs.name)")
            }
            counts.symbols += expected.symbols.count

            // Functions per program section: every FUNC symbol of an executable section, by offset.
            for program in object.programSections {
                let theirs = expected.symbols.filter { $0.type == 2 && $0.section == UInt64(program.sectionIndex) }
                    .map { "\($0.value)+\($0.size) \($0.name)" }.sorted()
                let mine = program.functions.map { "\($0.offset.rawValue)+\($0.size) \($0.name)" }.sorted()
                #expect(mine == theirs, "\(name) \(program.name)")
                #expect(program.functions.map(\.offset) == program.functions.map(\.offset).sorted())
                counts.functions += mine.count
            }

            // Map sections list the named, non-section symbols defined in them, by offset.
            for map in object.mapSections {
                #expect(map.name == "maps" || map.name.hasPrefix("maps/") || map.name == ".maps")
                #expect(map.kind == (map.name == ".maps" ? .btfDefined : .legacy))
                let theirs = expected.symbols.filter { $0.section == UInt64(map.sectionIndex) && $0.type != 3 && $0.type != 4 && !$0.name.isEmpty }
                    .sorted { $0.value < $1.value }.map(\.name)
                #expect(map.symbols.map(\.name) == theirs, "\(name) \(map.name)")
                counts.maps += theirs.count
            }
            #expect(object.mapSections.count == expected.sections.filter { $0.name == "maps" || $0.name.hasPrefix("maps/") || $0.name == ".maps" }.count)

            // Relocations, grouped by target section (sh_info as readobj reports it).
            var expectedByTarget: [Int: [ReadobjReport.Relocation]] = [:]
            for (relIndex, list) in expected.relocations.sorted(by: { $0.key < $1.key }) {
                let target = Int(expected.sections[relIndex].info)
                expectedByTarget[target, default: []].append(contentsOf: list)
            }
            #expect(Set(object.relocationsBySection.keys) == Set(expectedByTarget.filter { !$0.value.isEmpty }.keys), "\(name)")
            for (target, list) in expectedByTarget {
                let mine = object.relocations(forSection: target)
                #expect(mine.count == list.count, "\(name) relocations of section \(target)")
                for (m, t) in zip(mine, list) {
                    #expect(UInt64(m.offset.rawValue) == t.offset, "\(name) \(target)")
                    if t.symbol == "-" { #expect(m.symbolName == "", "\(name)") } else { #expect(m.symbolName == t.symbol, "\(name)") }
                    if let type = Self.relocationTypes[t.type] { #expect(m.type.rawValue == type, "\(name)") }
                    #expect((m.addend != nil) == (t.addend != nil))
                    if let a = t.addend, a.hasPrefix("0x") {
                        #expect(m.addend.map { UInt64(bitPattern: $0) } == UInt64(a.dropFirst(2), radix: 16))
                    }
                }
                counts.relocations += list.count
            }
            // Program sections carry their relocations.
            for program in object.programSections {
                #expect(program.relocations.count == (expectedByTarget[program.sectionIndex]?.count ?? 0), "\(name)")
            }
        }
        print("readobj agrees on \(paths.count) objects: \(counts.sections) sections, \(counts.symbols) symbols, "
              + "\(counts.functions) functions in program sections, \(counts.relocations) relocations, \(counts.maps) map symbols")
        // The loops must have compared something of every kind.
        #expect(paths.count > 150)
        #expect(counts.sections > 0 && counts.symbols > 0 && counts.functions > 0 && counts.relocations > 0 && counts.maps > 0)
    }
}
