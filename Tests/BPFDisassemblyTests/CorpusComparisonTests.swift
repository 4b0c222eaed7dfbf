import BPFDisassembly
import BPFInstructions
import Foundation
import Testing

/// The corpus directory: `<repo>/../shared/corpus`.
let corpusDirectory: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/corpus")

@Suite struct CorpusComparisonTests {
    /// Every instruction of every program section of every corpus object must
    /// read exactly as llvm-objdump (LLVM 21) prints it.
    @Test func corpusMatchesLLVMObjdump() throws {
        guard LLVMTools.objdump != nil, LLVMTools.objcopy != nil else {
            print("skipped: llvm-objdump/llvm-objcopy (LLVM 21) not found in /opt/swift/usr/bin")
            return
        }
        guard let enumerator = FileManager.default.enumerator(at: corpusDirectory, includingPropertiesForKeys: nil) else {
            print("skipped: no corpus at \(corpusDirectory.path)")
            return
        }
        var paths: [String] = []
        for case let url as URL in enumerator {
            guard let handle = try? FileHandle(forReadingFrom: url) else { continue }
            let head = (try? handle.read(upToCount: 6)) ?? Data()
            try? handle.close()
            if head.count == 6, [UInt8](head.prefix(4)) == [0x7f, 0x45, 0x4c, 0x46] { paths.append(url.path) }
        }
        paths.sort()
        let scratch = try LLVMTools.temporaryDirectory()
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
