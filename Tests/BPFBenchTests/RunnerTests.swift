import BPFInstructions
import BPFPatch
import BPFTestSupport
import Foundation
import Testing
@testable import BPFBench

struct RunnerTests {
    /// A tiny run of every contender: records for all, ratios present,
    /// JSON lines parse, the summary is the last line.
    @Test func tinyRunProducesParsableJSON() throws {
        let configuration = BenchConfiguration(sizes: [600], jumpDensities: [0.2], patchDensities: [0.1], corpusFiles: [],
                                               sequentialBudget: 5, headlineSequentialBudget: 5,
                                               minimumRepetitions: 1, minimumTime: 0, maximumRepetitions: 2)
        var runner = BenchRunner(configuration: configuration)
        let report = try runner.run()
        #expect(Set(report.records.map(\.contender)) == Set(Contender.allCases))
        let lines = try report.jsonLines().split(separator: "\n")
        #expect(lines.count == Contender.allCases.count + 1)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil)
        }
        let last = try JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as? [String: Any]
        #expect(last?["summary"] != nil)
        #expect(last?["version"] as? String == BPFPatchVersion.string)
        let batch = report.records.first { $0.contender == .batchTables }
        #expect(batch?.ratioToFloor != nil && batch?.draftOverBatch != nil && batch?.sequentialOverBatch != nil)
        #expect(report.table().contains("summary:"))
        #expect(report.svg().hasPrefix("<svg"))
        // Memory is measured: every contender has a peak, the memcpy's is its
        // output (plus headers and rounding), the engine's holds its index map.
        for record in report.records { #expect(record.peakBytes != nil) }
        let memcpy = try #require(report.records.first { $0.contender == .memcpy })
        #expect(memcpy.extraBytes.map { $0 >= 0 && $0 < 256 } == true)
        let engine = try #require(report.records.first { $0.contender == .batch })
        #expect(engine.extraBytes.map { $0 >= 4 * engine.n } == true)
    }

    /// The biggest corpus program with kernel-like rewrites: the draft
    /// design and the engine agree on it.
    @Test(.needsCorpus) func corpusWorkloadApplies() throws {
        let path = TestCorpus.path("ebpf-samples/cilium-core/bpf_xdp.o")
        let workload = try Workload.corpus(path: path)
        #expect(workload.inputSlots > 20_000)
        #expect(workload.patchCount > 100)
        let engine = try workload.patches.apply(to: workload.program, tables: workload.tables)
        let draft = try DraftPatcher(patches: workload.patches, originalCount: workload.inputSlots)
        #expect(try draft.apply(to: workload.program) == engine.program)
        #expect(try draft.adjust(workload.tables) == engine.tables)
        #expect(engine.program.count == workload.outputSlots)
    }
}
