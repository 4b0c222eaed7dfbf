import BPFInstructions
import BPFObject
import BPFObjectPatch
import BPFTestSupport
import Foundation
import Testing

/// Hostile input: objects with random bytes changed that the reader still
/// accepts must be padded and written, or refused with an error, never trap.
@Suite("Object patching on mutated objects", .needsCorpus)
struct MutatedObjectTests {
    @Test("mutated corpus objects: padding either writes a readable object or throws")
    func mutants() throws {
        let paths = TestCorpus.objects().enumerated().filter { $0.offset % 24 == 0 }.map(\.element)
        try #require(!paths.isEmpty, "the corpus holds objects")
        var rng = SplitMix64(seed: 0x0b1ec7)
        var written = 0, refused = 0, unreadable = 0
        for path in paths {
            guard let original = FileManager.default.contents(atPath: path).map({ [UInt8]($0) }) else { continue }
            for _ in 0..<24 {
                var bytes = original
                for _ in 0..<(1 + Int(rng.next() % 8)) {
                    let at = Int(rng.next() % UInt64(bytes.count))
                    bytes[at] = rng.next() % 3 == 0 ? 0xff : UInt8(truncatingIfNeeded: rng.next())
                }
                guard let object = try? ObjectFile(bytes: bytes) else { unreadable += 1; continue }
                do {
                    let batch = try ObjectPatchSet.padding(for: object, spacing: .every(2))
                    let out = try batch.apply(to: object)
                    _ = try ObjectFile(bytes: out.bytes)   // what we write, we can read back
                    written += 1
                } catch {
                    refused += 1
                }
            }
        }
        print("MutatedObjectTests: \(written) mutants padded and read back, \(refused) refused with an error, \(unreadable) rejected by the reader")
        #expect(written + refused > 20)
    }
}
