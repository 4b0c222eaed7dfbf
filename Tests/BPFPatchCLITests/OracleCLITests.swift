import Foundation
import Testing

/// `bpfpatch verify` and `stats` end to end on one small corpus object.
/// They need the live kernel; without it they must say so and exit non-zero
/// only for real differences, so the test skips with the printed reason.
@Suite struct OracleCLITests {
    static let object = CLIRunner.corpus.appendingPathComponent("ebpf-samples/prototype-kernel/xdp_ddos01_blacklist_kern.o").path

    @Test func verifyReportsNoDifferences() throws {
        guard let binary = CLIRunner.binary else { print("skipped: bpfpatch binary not found"); return }
        guard FileManager.default.fileExists(atPath: Self.object) else { print("skipped: \(Self.object) missing"); return }
        let result = try CLIRunner.run(binary.path, ["verify", Self.object, "--seed", "5"])
        if result.out.contains("loaded 0 ") && (result.err + result.out).lowercased().contains("operation not permitted") {
            print("skipped: the kernel refused bpf(2): \(result.err)"); return
        }
        #expect(result.status == 0, "verify failed: \(result.err)")
        let summary = result.out.split(separator: "\n").first { $0.hasPrefix("loaded") }
        #expect(summary != nil, "no summary line in: \(result.out)")
        #expect(summary?.contains("differed 0") == true)
    }

    @Test func statsJSONIsParseable() throws {
        guard let binary = CLIRunner.binary else { print("skipped: bpfpatch binary not found"); return }
        let result = try CLIRunner.run(binary.path, ["stats", Self.object, "--json"])
        #expect(result.status == 0, "stats failed: \(result.err)")
        let json = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
        let programs = json?["programs"] as? [[String: Any]] ?? []
        #expect(!programs.isEmpty, "no programs in: \(result.out.prefix(300))")
        for program in programs where program["loaded"] as? Bool == true {
            // llvm-objdump -h: section xdp_prog is 0x3b0 bytes, 118 slots.
            #expect(program["originalSlots"] as? Int == 118)
        }
    }

    @Test func verifyOnMissingFileFails() throws {
        guard let binary = CLIRunner.binary else { print("skipped: bpfpatch binary not found"); return }
        let result = try CLIRunner.run(binary.path, ["verify", "/nonexistent.o"])
        #expect(result.status != 0)
        #expect(!result.err.isEmpty)
    }
}
