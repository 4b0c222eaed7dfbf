import BPFTestSupport
import Foundation
import Testing

/// `bpfpatch verify` and `stats` end to end on one small corpus object.
/// They need the live kernel; without it they must say so and exit non-zero
/// only for real differences, so the test skips with the printed reason.
@Suite struct OracleCLITests {
    static let object = TestCorpus.path("ebpf-samples/prototype-kernel/xdp_ddos01_blacklist_kern.o")

    @Test(.needsBinary, .needsCorpus, .needsKernel) func verifyReportsNoDifferences() throws {
        let binary = try #require(PackageLayout.bpfpatch)
        let result = try Subprocess.run(binary.path, ["verify", Self.object, "--seed", "5"])
        #expect(result.status == 0, "verify failed: \(result.stderr)")
        let summary = result.stdout.split(separator: "\n").first { $0.hasPrefix("loaded") }
        #expect(summary != nil, "no summary line in: \(result.stdout)")
        #expect(summary?.contains("differed 0") == true)
    }

    @Test(.needsBinary, .needsCorpus, .needsKernel) func statsJSONIsParseable() throws {
        let binary = try #require(PackageLayout.bpfpatch)
        let result = try Subprocess.run(binary.path, ["stats", Self.object, "--json"])
        #expect(result.status == 0, "stats failed: \(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let programs = json?["programs"] as? [[String: Any]] ?? []
        #expect(!programs.isEmpty, "no programs in: \(result.stdout.prefix(300))")
        #expect(programs.contains { $0["loaded"] as? Bool == true }, "the kernel loaded none of the programs")
        for program in programs where program["loaded"] as? Bool == true {
            // llvm-objdump -h: section xdp_prog is 0x3b0 bytes, 118 slots.
            #expect(program["originalSlots"] as? Int == 118)
        }
    }

    @Test(.needsBinary) func verifyOnMissingFileFails() throws {
        let binary = try #require(PackageLayout.bpfpatch)
        let result = try Subprocess.run(binary.path, ["verify", "/nonexistent.o"])
        #expect(result.status != 0)
        #expect(!result.stderr.isEmpty)
    }
}
