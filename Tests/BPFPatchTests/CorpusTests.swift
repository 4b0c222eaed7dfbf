import BPFInstructions
import BPFObject
import BPFObjectPatch
import BPFPatch
import BPFTestSupport
import Foundation
import Testing

/// Real programs: every program section of every object in
/// `../shared/corpus`, with its func_info starts (plus the exit entry) and
/// line info as side tables, × random batches from a fixed seed; the batch
/// engine and the sequential model must agree on all of it.
@Suite("Corpus: batch engine vs sequential model on real programs")
struct CorpusTests {
    static func objectPaths() -> [String] {
        TestCorpus.objects().filter { $0.hasSuffix(".o") || $0.hasSuffix(".elf") }
    }

    /// Side tables from the object (`SectionTables`): subprogram starts from
    /// func_info and function symbols (with the exit entry) and line info.
    static func tables(_ object: ObjectFile, _ section: ProgramSection) -> SideTables {
        SectionTables(object: object, section: section).sideTables
    }

    @Test("random batches on every program section of the corpus", .needsCorpus)
    func corpus() throws {
        let paths = Self.objectPaths()
        try #require(!paths.isEmpty, "no objects in \(TestCorpus.root.path)")
        var tally = DiffTally()
        var objects = 0, sections = 0, unreadable = 0
        var rng = SplitMix(seed: 0xc0_4905)
        for path in paths {
            guard let object = try? ObjectFile(path: path) else { unreadable += 1; continue }
            objects += 1
            for section in object.programSections where section.program.count >= 2 {
                sections += 1
                let tables = Self.tables(object, section)
                for _ in 0..<6 {
                    let patches = RandomCases.randomBatch(&rng, program: section.program, tables: tables, patchCount: rng.int(1...6))
                    let c = DiffCase(program: section.program, tables: tables, patches: patches)
                    let outcome = compareEngines(c)
                    tally.record(c, outcome)
                    if let m = outcome.mismatchDescription, tally.mismatchCount <= 3 {
                        Issue.record("\(path) [\(section.name)]: \(m.prefix(3000))")
                    }
                }
            }
        }
        print("CorpusTests: \(objects) objects (\(unreadable) rejected by the reader), \(sections) program sections, \(tally.summary)")
        #expect(tally.mismatchCount == 0)
        #expect(sections > 100)
    }
}
