import BPFCoverage
import BPFCoverageKernel
import BPFKernelOracle
import BPFTestSupport
import Foundation
import Testing

/// Invariants on every corpus program that loads and test-runs: the
/// entry block counts every run; a block whose only predecessor falls
/// or jumps into it unconditionally has that predecessor's count; the
/// instrumented copy behaves as the original on every input; derived
/// branch edges add up to their block's count.
///
/// By default a handful of objects; `BPFPATCH_COVER_CORPUS=1` for all.
@Suite(.serialized, .needsKernel, .needsCorpus)
struct CorpusInvariantTests {
    static let defaultObjects = [
        "ebpf-samples/linux/sockex1_kern.o", "ebpf-samples/linux/sockex2_kern.o", "ebpf-samples/linux/sockex3_kern.o",
        "ebpf-samples/linux/xdp1_kern.o", "ebpf-samples/linux/tcbpf1_kern.o", "ebpf-samples/linux/xdp_adjust_tail_kern.o", "cilium-ebpf/examples/xdp/bpf_bpfel.o",
    ]

    @Test func invariantsHold() throws {
        let objects = CoverageTestSettings.wholeCorpusRequested ? try ObjectPaths.expand([TestCorpus.root.path])
            : Self.defaultObjects.map { TestCorpus.path($0) }.filter { FileManager.default.fileExists(atPath: $0) }
        var checked = 0
        for path in objects {
            guard let runs = try? CoverageRunner.cover(path: path, options: CoverageOptions(repeatCount: 2)) else { continue }
            for run in runs {
                let where_ = "\(path) \(run.name)"
                #expect(run.outcome != .differed, "\(where_): \(run.reason ?? "")")
                guard let coverage = run.coverage, coverage.runs > 0 else { continue }
                checked += 1
                #expect(coverage.counts[0] == coverage.runs, "\(where_): entry \(coverage.counts[0]) vs \(coverage.runs) runs")
                // Derived edges add up to their block's count.
                for branch in coverage.branchCounts {
                    if let taken = branch.taken, let notTaken = branch.notTaken {
                        #expect(taken + notTaken == coverage.counts[branch.block], "\(where_): block \(branch.block) edges")
                    }
                }
                let entries = Set(coverage.graph.subprograms.map(\.blocks.lowerBound))
                for block in coverage.graph.blocks where !entries.contains(block.index) {
                    let predecessors = coverage.graph.predecessors[block.index]
                    guard predecessors.count == 1, let p = predecessors.first else { continue }
                    switch coverage.graph.blocks[p].exit {
                    case .fallsThrough, .jump:
                        #expect(coverage.counts[block.index] == coverage.counts[p],
                                "\(where_): block \(block.index) \(coverage.counts[block.index]) vs predecessor \(p) \(coverage.counts[p])")
                    default: break
                    }
                }
            }
        }
        print("corpus invariants: \(checked) programs run and checked in \(objects.count) objects")
        #expect(checked > 0)
    }
}
