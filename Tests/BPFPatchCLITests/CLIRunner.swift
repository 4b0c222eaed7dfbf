import BPFTestSupport
import Foundation

/// The shape the object, samples and nothing-checked CLI tests were written
/// against, as a thin adapter over `BPFTestSupport` (no second locator or
/// process runner).
enum CLIRunner {
    static var root: URL { PackageLayout.root }
    static var corpus: URL { TestCorpus.root }
    static var objdump: String { ExternalTools.objdump ?? "/opt/swift/usr/bin/llvm-objdump" }
    static var binary: URL? { PackageLayout.bpfpatch }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let result = try Subprocess.run(executable, arguments)
        return (result.status, result.stdout, result.stderr)
    }
}
