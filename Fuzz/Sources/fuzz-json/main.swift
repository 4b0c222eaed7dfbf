import Foundation
import BPFInstructions
import BPFPatch
import FuzzSupport

/// PATCHES and TABLES documents: any bytes parse or throw
/// `JSONDocumentError`; a parsed patch set re-serialises to a document that
/// parses back to the same set.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput(data, size).bytes
    if let patches = try? PatchSet(json: bytes) {
        let again: PatchSet
        do { again = try PatchSet(json: Array(patches.json().utf8)) } catch {
            fuzzFailure("re-serialised patches do not parse: \(error)")
        }
        guard again == patches else { fuzzFailure("patch set changed through JSON") }
    }
    _ = try? SideTables(json: bytes)
    return 0
}

exit(runFuzzer(fuzzJSON))
