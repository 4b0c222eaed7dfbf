import Foundation
import Testing
@testable import BPFKernel

@Suite struct CorpusLoadTests {
    /// Opt-in: BPFKERNEL_WHOLE_CORPUS=1 loads all 201 objects and prints the summary.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["BPFKERNEL_WHOLE_CORPUS"] != nil))
    func wholeCorpusSummary() {
        guard kernelAvailable(), Corpus.isPresent else { return }
        let summary = CorpusLoadSummary.load(paths: Corpus.objects(), readInfo: true)
        print(summary.text)
        if ProcessInfo.processInfo.environment["BPFKERNEL_VERBOSE"] != nil {
            for report in summary.reports { print(report.summary, report.notes) }
        }
        #expect(summary.loadedCount > 0)
    }
}

/// Opt-in diagnostics: BPFKERNEL_DEBUG_OBJECT=<path> [BPFKERNEL_DEBUG_PROGRAM=<name>]
/// prints each matching program's report and verifier log tail.
@Test(.enabled(if: ProcessInfo.processInfo.environment["BPFKERNEL_DEBUG_OBJECT"] != nil))
func debugOneObject() throws {
    guard kernelAvailable() else { return }
    let environment = ProcessInfo.processInfo.environment
    let loader = try ObjectLoader(path: environment["BPFKERNEL_DEBUG_OBJECT"]!)
    print("BTF:", loader.kernelBTF != nil, loader.btfProblem ?? "", loader.object.btf != nil, loader.object.btfExt != nil, loader.object.warnings)
    if let dump = environment["BPFKERNEL_DUMP_BTF"] {
        _ = loader.load(loader.candidates[0])
        if let table = loader.btfTable {
            FileManager.default.createFile(atPath: dump, contents: Data(table.encoded()))
        }
    }
    for candidate in loader.candidates where environment["BPFKERNEL_DEBUG_PROGRAM"].map({ $0 == candidate.name }) ?? true {
        let report = loader.load(candidate, readInfo: true)
        print(report.summary, report.notes)
        if let failure = report.failure {
            print(failure.log.split(separator: "\n").suffix(Int(environment["BPFKERNEL_DEBUG_LINES"] ?? "30") ?? 30).joined(separator: "\n"))
        }
    }
}

extension CorpusLoadTests {
    /// The default subset: Linux samples/bpf (legacy maps, no BTF, many
    /// program types). Every program is either loaded or has a reason.
    @Test func linuxSamplesSubset() {
        guard kernelAvailable() else { return }
        guard Corpus.isPresent else {
            print("SKIPPED linuxSamplesSubset: corpus not found at \(Corpus.root)")
            return
        }
        let paths = Corpus.objects(under: "ebpf-samples/linux")
        #expect(paths.count == 52)  // the corpus README's count
        let summary = CorpusLoadSummary.load(paths: paths, readInfo: true)
        print(summary.text)
        #expect(summary.unreadable.isEmpty)
        #expect(summary.loadedCount > summary.reports.count / 2)
        for report in summary.reports {
            if report.isLoaded {
                let xlated = report.info?.translated.count ?? 0
                #expect(xlated > 0 && xlated <= 8 * report.slotCount + 64, "\(report.summary)")
            } else {
                #expect(report.failure.map { !$0.message.isEmpty } ?? false, "\(report.summary)")
            }
        }
    }
}
