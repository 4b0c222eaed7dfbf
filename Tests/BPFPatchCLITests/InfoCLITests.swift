import BPFTestSupport
import Foundation
import Testing

/// `bpfpatch info` and `bpfpatch --version` end to end.
@Suite struct InfoCLITests {
    @Test(.needsBinary) func versionIsPrinted() throws {
        let binary = try #require(PackageLayout.bpfpatch)
        let result = try Subprocess.run(binary.path, ["--version"])
        #expect(result.status == 0)
        let version = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.split(separator: ".").count == 3 && version.split(separator: ".").allSatisfy { Int($0) != nil },
                "not MAJOR.MINOR.PATCH: \(version)")
    }

    /// `info --json` is the `ObjectSummary` encoding (its numbers are checked
    /// in `ObjectSummaryTests`); here, that the command prints it whole.
    @Test(.needsBinary, .needsCorpus) func infoJSONParses() throws {
        let binary = try #require(PackageLayout.bpfpatch)
        let result = try Subprocess.run(binary.path, ["info", "--json", TestCorpus.path("ebpf-samples/build/bpf2bpf.o")])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(Set(json.keys) == ["file", "byteOrder", "machine", "btf", "btfExt", "license", "sections", "programs", "maps", "warnings"])
        #expect((json["programs"] as? [[String: Any]])?.map { $0["slots"] as? Int } == [21, 37])
    }
}
