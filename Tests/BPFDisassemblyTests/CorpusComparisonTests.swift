import BPFDisassembly
import BPFInstructions
import BPFTestSupport
import Foundation
import Testing

@Suite struct CorpusComparisonTests {
    /// Every instruction of every program section of every corpus object must
    /// read exactly as llvm-objdump (LLVM 21) prints it. This is the one
    /// corpus-wide llvm-objdump comparison; the CLI test checks the layout
    /// of `bpfpatch disasm` on a few objects.
    @Test(.enabled(if: ExternalTools.objdump != nil && ExternalTools.objcopy != nil, "needs llvm-objdump and llvm-objcopy (LLVM 21)"),
          .enabled(if: TestCorpus.isPresent, "needs the shared corpus (../shared/corpus or $BPFPATCH_CORPUS)"))
    func corpusMatchesLLVMObjdump() throws {
        let paths = TestCorpus.objects()
        let scratch = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var total = Comparison()
        var objects = 0
        var toolFailures: [String] = []
        for path in paths {
            do {
                total.merge(try compareObject(at: path, scratch: scratch))
                objects += 1
            } catch {
                toolFailures.append("\(path): \(error)")
            }
        }
        print("corpus: \(objects) objects, \(total.sections) sections, \(total.instructions) instructions compared, \(total.mismatches.count) mismatches; \(toolFailures.count) objects llvm could not process")
        for failure in toolFailures { print("  llvm failed: \(failure)") }
        for mismatch in total.mismatches.prefix(40) { print("  mismatch: \(mismatch)") }
        #expect(objects > 150)
        #expect(total.instructions > 50_000)
        #expect(total.mismatches.isEmpty)
    }
}
