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

    /// The `--json` documents that describe a run carry the `--version`
    /// string. Run on a directory whose only object is unreadable: the
    /// document is printed (and the exit is 2, nothing checked) without the kernel.
    @Test(.needsBinary, arguments: ["verify", "stats"])
    func runJSONNamesTheVersion(_ command: String) throws {
        let binary = try #require(PackageLayout.bpfpatch)
        let version = try Subprocess.run(binary.path, ["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let dir = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("not an object".utf8).write(to: dir.appendingPathComponent("garbage.o"))
        let result = try Subprocess.run(binary.path, [command, "--json", dir.path])
        #expect(result.status == 2, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(json?["version"] as? String == version, "\(result.stdout.prefix(300))")
        #expect(!version.isEmpty)
    }
}
