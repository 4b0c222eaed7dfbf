import BPFTestSupport
import Foundation

/// This target's view of the shared corpus (located by `BPFTestSupport`).
enum Corpus {
    static var root: URL { TestCorpus.root }
    /// Every ELF file in the corpus, sorted by path.
    static let allObjects: [String] = TestCorpus.objects()
    /// The hand-broken objects.
    static var invalidObjects: [String] { allObjects.filter { $0.contains("/ebpf-samples/invalid/") } }
    /// Every object except the hand-broken ones.
    static var validObjects: [String] { allObjects.filter { !$0.contains("/ebpf-samples/invalid/") } }
    static func short(_ path: String) -> String { TestCorpus.short(path) }
    static func bytes(_ path: String) -> [UInt8] { TestCorpus.bytes(path) }
}

/// The oracle tools this target runs.
enum Tool {
    static var readobj: String? { ExternalTools.readobj }
    static var objdump: String? { ExternalTools.objdump }
    static var objcopy: String? { ExternalTools.objcopy }
    static var bpftool: String? { ExternalTools.bpftool }

    /// Runs a tool and returns its status and standard output.
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try Subprocess.run(tool, arguments)
        return (result.status, result.stdout)
    }
}
