import BPFTestSupport
import Foundation
import Testing
@testable import BPFKernel

@Suite struct CorpusLoadTests {
    /// Opt-in: BPFKERNEL_WHOLE_CORPUS=1 loads all 201 objects and prints the summary.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["BPFKERNEL_WHOLE_CORPUS"] != nil, "set BPFKERNEL_WHOLE_CORPUS=1"),
          .needsCorpus, .needsKernel)
    func wholeCorpusSummary() {
        let summary = CorpusLoadSummary.load(paths: TestCorpus.objects(), readInfo: true)
        print(summary.text)
        if ProcessInfo.processInfo.environment["BPFKERNEL_VERBOSE"] != nil {
            for report in summary.reports { print(report.summary, report.notes) }
        }
        #expect(summary.loadedCount > 0)
    }
}

extension CorpusLoadTests {
    /// The default subset: Linux samples/bpf (legacy maps, no BTF, many
    /// program types). Every program is either loaded or has a reason.
    @Test(.needsCorpus, .needsKernel) func linuxSamplesSubset() {
        let paths = TestCorpus.objects(under: "ebpf-samples/linux")
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
