import BPFInstructions
import BPFTestSupport
import Foundation
import Testing
@testable import BPFCoverage

/// Count mapping and the lcov, annotate outputs from hand-set counts.
struct TracefileTests {
    /// `ifElse` with lines: slot 0 → line 1, slot 2 → line 2, slot 4 → line 3.
    func ifElseCoverage(_ counts: [UInt64]) throws -> ProgramCoverage {
        let graph = try BlockGraph(program: HandPrograms.ifElse)
        let lines = [
            SourceLine(slot: 0, file: "demo/f.c", line: 1, text: "int f(struct __sk_buff *skb) { if (skb->len > 100)"),
            SourceLine(slot: 2, file: "demo/f.c", line: 2, text: "  return 1;"),
            SourceLine(slot: 4, file: "demo/f.c", line: 3, text: "  return 2; }"),
        ]
        return ProgramCoverage(name: "f", graph: graph, counts: counts, runs: counts[0], lines: lines, functionNames: ["f"])
    }

    @Test func countBytesAreLittleEndianWordsPerBlock() throws {
        let graph = try BlockGraph(program: HandPrograms.ifElse)
        let bytes: [UInt8] = [12, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        let coverage = try ProgramCoverage(graph: graph, counterBytes: bytes, runs: 12)
        #expect(coverage.counts == [12, 3, 256])
        #expect(throws: CoverageError.self) { try ProgramCoverage(graph: graph, counterBytes: [1, 2, 3], runs: 1) }
    }

    @Test func linesAndBranchesFollowBlocks() throws {
        let coverage = try ifElseCoverage([12, 3, 9])
        #expect(coverage.blocksHit == 3)
        let key = { (line: Int) in ProgramCoverage.LineKey(file: "demo/f.c", line: line) }
        #expect(coverage.lineCounts == [key(1): 12, key(2): 3, key(3): 9])
        #expect(coverage.branchCounts == [.init(block: 0, taken: 9, notTaken: 3)])
    }

    @Test func loopEdgesAreDerivedByConservation() throws {
        // loop(5) run 12 times: counts [12, 60, 12]. Block 1's out-edges:
        // not taken → block 2 (its only predecessor: 12), taken = 60 − 12 = 48.
        let graph = try BlockGraph(program: HandPrograms.loop(5))
        let coverage = ProgramCoverage(graph: graph, counts: [12, 60, 12], runs: 12)
        #expect(coverage.branchCounts == [.init(block: 1, taken: 48, notTaken: 12)])
    }

    @Test func edgesIntoABlockWithManyPredecessors() throws {
        // m conditional jumps `if r1 == i goto X`, a chain of fallthroughs:
        //     i < m   if r1 == i goto X         blocks 0 ..< m
        //     m       r0 = 0; exit              block m
        //     m + 2   X: r0 = 1; exit           block m + 1
        // One run that takes the jump at j: blocks 0...j count 1, X 1.
        // Branch j is (taken 1, not taken 0), those before (0, 1), those
        // after (0, 0). X has m predecessors; every equation is solved
        // from its counts, whichever order the worklist takes.
        let m = 3000, j = 1700
        var slots = (0..<m).map { Instruction.jump(.jeq, .r1, Int32($0), offset: Int16(m - $0 + 1)) }
        slots += [Instruction.mov(.r0, 0), Instruction.exit, Instruction.mov(.r0, 1), Instruction.exit]
        let graph = try BlockGraph(program: Program(slots: slots))
        #expect(graph.blocks.count == m + 2)
        #expect(graph.predecessors[m + 1].count == m)
        let counts = (0..<m).map { UInt64($0 <= j ? 1 : 0) } + [0, 1]
        let branches = ProgramCoverage(graph: graph, counts: counts, runs: 1).branchCounts
        let expected = (0..<m).map { i in
            ProgramCoverage.BranchCounts(block: i, taken: i == j ? 1 : 0, notTaken: i < j ? 1 : 0)
        }
        #expect(branches == expected)
    }

    @Test func tracefileText() throws {
        var tracefile = CoverageTracefile(testName: "t-1")
        tracefile.add(try ifElseCoverage([12, 3, 9]))
        #expect(tracefile.text() == """
            TN:t_1
            SF:demo/f.c
            FN:1,f
            FNDA:12,f
            FNF:1
            FNH:1
            BRDA:1,0,0,9
            BRDA:1,0,1,3
            BRF:2
            BRH:2
            DA:1,12
            DA:2,3
            DA:3,9
            LF:3
            LH:3
            end_of_record

            """)
        // A second program sharing the file adds up; a never-run branch is "-".
        tracefile.add(try ifElseCoverage([0, 0, 0]))
        let text = tracefile.text()
        #expect(text.contains("FNDA:12,f\n") && text.contains("DA:2,3\n") && text.contains("BRDA:1,1,0,-\nBRDA:1,1,1,-\n"))
        #expect(tracefile.reconstructedSource("demo/f.c") == """
            int f(struct __sk_buff *skb) { if (skb->len > 100)
              return 1;
              return 2; }

            """)
    }

    @Test func hostileNamesStayOnTheirLine() throws {
        let graph = try BlockGraph(program: HandPrograms.straightLine)
        let coverage = ProgramCoverage(graph: graph, counts: [2], runs: 2,
                                       lines: [SourceLine(slot: 0, file: "x\nDA:9,9\n.c", line: 2, text: "a\nb\tc")],
                                       functionNames: ["f,g\nend_of_record"])
        var tracefile = CoverageTracefile()
        tracefile.add(coverage)
        #expect(tracefile.text() == "TN:\nSF:x DA:9,9 .c\nFN:2,f_g end_of_record\nFNDA:2,f_g end_of_record\nFNF:1\nFNH:1\n"
                + "BRF:0\nBRH:0\nDA:2,2\nLF:1\nLH:1\nend_of_record\n")
        #expect(tracefile.reconstructedSource("x DA:9,9 .c") == "\na b\tc\n")
        #expect(tracefile.reconstructedLineCount("x DA:9,9 .c") == 2)
        // Line info may claim lines up to 2^22 - 1: the count is what a
        // writer checks against its budget before rebuilding anything.
        var far = CoverageTracefile()
        far.add(ProgramCoverage(graph: graph, counts: [1], runs: 1, lines: [SourceLine(slot: 0, file: "far.c", line: 4_194_303)]))
        #expect(far.reconstructedLineCount("far.c") == 4_194_303)
        #expect(far.reconstructedLineCount("absent.c") == 0)
    }

    @Test func annotatedListingShowsCountsAndSource() throws {
        let text = try ifElseCoverage([12, 0, 9]).annotated()
        #expect(text == """

            0000000000000000 <f>:
            ; block 0: 12 hits
            ; int f(struct __sk_buff *skb) { if (skb->len > 100)
                   0:\tw2 = *(u32 *)(r1 + 0x0)
                   1:\tif r2 > 0x64 goto +0x2
            ; block 1: 0 hits  <<<<< not run
            ;   return 1;
                   2:\tr0 = 0x1
                   3:\texit
            ; block 2: 9 hits
            ;   return 2; }
                   4:\tr0 = 0x2
                   5:\texit

            """)
    }

    /// Debian's genhtml renders the tracefile (with rebuilt sources) without warnings.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/genhtml"),
                   "needs genhtml (apt-get install -y lcov)"))
    func genhtmlRendersWithoutWarnings() throws {
        var tracefile = CoverageTracefile(testName: "t")
        tracefile.add(try ifElseCoverage([12, 3, 9]))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bpfcover-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appendingPathComponent("src/demo/f.c")
        try FileManager.default.createDirectory(at: source.deletingLastPathComponent(), withIntermediateDirectories: true)
        try tracefile.reconstructedSource("demo/f.c").write(to: source, atomically: true, encoding: .utf8)
        let info = dir.appendingPathComponent("cover.info")
        try tracefile.text { _ in source.path }.write(to: info, atomically: true, encoding: .utf8)
        let result = try Subprocess.run("/usr/bin/genhtml", ["--branch-coverage", "-o", dir.appendingPathComponent("html").path, info.path])
        let output = result.stdout + result.stderr
        #expect(result.status == 0, "\(output)")
        #expect(!output.localizedCaseInsensitiveContains("warning"), "\(output)")
        #expect(output.contains("lines......: 100.0% (3 of 3 lines)"), "\(output)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("html/index.html").path))
    }
}
