import BPFInstructions
import BPFKernel
import BPFObject
import BPFObjectPatch
import BPFTestSupport
import Foundation
import Testing

/// `pad` output, loaded by our own loader from the written file, must give
/// the kernel the same program: after the verifier removes the no-ops,
/// identical xlated code, line info and func info for every program that
/// loads from the original.
@Suite("Padded objects in the live kernel")
struct PaddedObjectKernelTests {
    /// Slot equality across two loads with separate maps: the map id in a
    /// map `ld_imm64` (src 1 or 2, and the fd-array kinds 5 and 6) differs.
    static func sameXlated(_ a: Program, _ b: Program) -> Bool {
        guard a.count == b.count else { return false }
        var k = 0
        while k < a.count {
            var x = a.slots[k], y = b.slots[k]
            if x.isLoadImmediate64, [1, 2, 5, 6].contains(x.srcNumber) {
                x.immediate = 0
                y.immediate = 0
            }
            if x != y { return false }
            k += x.isLoadImmediate64 ? 2 : 1
            if x.isLoadImmediate64 && k - 1 < a.count && a.slots[k - 1] != b.slots[k - 1] { return false }
        }
        return true
    }

    @Test("pad: our loader gets identical xlated code and line info from the padded file",
          .needsCorpus, .needsKernel)
    func paddedLoads() throws {
        let paths = TestCorpus.sample(every: 2)
        try #require(!paths.isEmpty, "the corpus holds objects")
        var compared = 0, identical = 0, lineRecords = 0, notLoadedOriginal = 0, nops = 0, refused = 0
        var problems: [String] = []
        for (k, path) in paths.enumerated() {
            guard let object = try? ObjectFile(path: path) else { continue }
            let batch = try ObjectPatchSet.padding(for: object, spacing: .random(probability: 0.3, seed: UInt64(k + 1)))
            let padded: ObjectFile
            do { padded = try ObjectFile(bytes: try batch.apply(to: object).bytes) } catch {
                // Only deliberately broken objects may be refused.
                if !path.contains("/invalid/") { problems.append("\(path): padding refused: \(error)") }
                refused += 1
                continue
            }
            nops += batch.patches.count
            let original = ObjectLoader(object: object, name: path)
            let second = ObjectLoader(object: padded, name: path + " (padded)")
            let paddedCandidates = Dictionary(second.candidates.map { ("\($0.section)/\($0.name)", $0) }, uniquingKeysWith: { a, _ in a })
            for candidate in original.candidates {
                let a = original.load(candidate, readInfo: true)
                guard a.isLoaded, let infoA = a.info, !infoA.translated.slots.isEmpty else { notLoadedOriginal += 1; continue }
                compared += 1
                guard let twin = paddedCandidates["\(candidate.section)/\(candidate.name)"] else {
                    problems.append("\(path) \(candidate.name): missing from the padded object")
                    continue
                }
                let b = second.load(twin, readInfo: true)
                guard b.isLoaded, let infoB = b.info else {
                    problems.append("\(path) \(candidate.name): padded not loaded: \(b.failure?.description ?? b.notes.joined(separator: "; "))")
                    continue
                }
                var same = true
                if !Self.sameXlated(infoA.translated, infoB.translated) {
                    same = false
                    problems.append("\(path) \(candidate.name): xlated differs (\(infoA.translated.count) vs \(infoB.translated.count) slots)")
                }
                if infoA.lineInfo != infoB.lineInfo {
                    same = false
                    problems.append("\(path) \(candidate.name): xlated line info differs (\(infoA.lineInfo.count) vs \(infoB.lineInfo.count))")
                }
                if infoA.funcInfo != infoB.funcInfo {
                    same = false
                    problems.append("\(path) \(candidate.name): func info differs")
                }
                lineRecords += infoA.lineInfo.count
                if same { identical += 1 }
            }
        }
        print("PaddedObjectKernelTests: \(paths.count) objects, \(nops) padding patches; \(compared) programs loaded from the original, \(identical) identical from the padded file (\(lineRecords) line records); \(notLoadedOriginal) not loaded from the original; \(refused) objects refused")
        #expect(problems.isEmpty, "\(problems.prefix(10).joined(separator: "\n"))")
        #expect(compared > 10)
    }
}
