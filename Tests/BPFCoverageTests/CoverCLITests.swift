import BPFInstructions
import BPFKernelOracle
import BPFTestSupport
import Foundation
import Testing

/// `bpfpatch cover` end to end: the built binary on a corpus object.
@Suite(.serialized, .needsKernel, .needsCorpus, .needsBinary)
struct CoverCLITests {
    static let object = TestCorpus.path("cilium-ebpf/examples/xdp/bpf_bpfel.o")

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cover-cli-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func jsonCountsAndTracefile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let info = dir.appendingPathComponent("out.info").path
        let result = try CoverCLI.run([Self.object, "--json", "--repeat", "2", "--lcov", info])
        #expect(result.status == 0, "\(result.err)")
        let document = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
        let programs = try #require(document?["programs"] as? [[String: Any]])
        let program = try #require(programs.first)
        #expect(document?["version"] as? String == BPFPatchVersion.string)
        #expect(program["outcome"] as? String == "covered")
        // Four built-in packets, twice each.
        #expect(program["runs"] as? Int == 8)
        let blocks = try #require(program["blocks"] as? [[String: Any]])
        #expect(blocks.first?["count"] as? Int == 8)
        #expect((program["processedAfter"] as? Int ?? 0) > (program["processedBefore"] as? Int ?? .max))
        let text = try String(contentsOfFile: info, encoding: .utf8)
        #expect(text.hasPrefix("TN:bpfpatch_cover\nSF:") && text.hasSuffix("end_of_record\n"))
        #expect(text.contains("FNDA:8,xdp_prog_func\n"), "\(text)")
        // The source is not on this machine: rebuilt next to the tracefile.
        let sf = try #require(text.split(separator: "\n").first { $0.hasPrefix("SF:") }).dropFirst(3)
        #expect(sf.hasPrefix(dir.path + "/out.sources/"))
        #expect(FileManager.default.fileExists(atPath: String(sf)))
    }

    /// Debian's genhtml renders the command's tracefile, rebuilt source
    /// included, without warnings.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/genhtml"),
                   "needs Debian's genhtml (apt-get install -y lcov)"))
    func genhtmlRendersTheTracefile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let info = dir.appendingPathComponent("out.info").path
        let result = try CoverCLI.run([Self.object, "--lcov", info])
        #expect(result.status == 0, "\(result.err)")
        let html = try CoverCLI.run(["--branch-coverage", "-o", dir.appendingPathComponent("html").path, info],
                                    executable: URL(fileURLWithPath: "/usr/bin/genhtml"))
        #expect(html.status == 0 && !(html.out + html.err).localizedCaseInsensitiveContains("warning"), "\(html.out)\(html.err)")
        #expect(html.out.contains("lines......: "), "\(html.out)")
    }

    @Test func inputFilesAndAnnotation() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let packet = dir.appendingPathComponent("p.bin")
        try Data(repeating: 0, count: 60).write(to: packet)
        let result = try CoverCLI.run([Self.object, "--input", packet.path, "--input", packet.path, "--repeat", "3", "--annotate"])
        #expect(result.status == 0, "\(result.err)")
        // Two inputs × 3: the entry block counts 6.
        #expect(result.out.contains("; block 0: 6 hits\n"), "\(result.out)")
        #expect(result.out.contains("<xdp_prog_func>:"))
    }

    @Test func unknownProgramFailsWithoutOutput() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let info = dir.appendingPathComponent("none.info").path
        let result = try CoverCLI.run([Self.object, "--program", "no_such_prog", "--lcov", info])
        #expect(result.status != 0)
        #expect(result.err.contains("no_such_prog"))
        #expect(!FileManager.default.fileExists(atPath: info))
    }

    @Test func missingOutputDirectoryFailsWithOneLine() throws {
        let info = "/nonexistent-\(getpid())/out.info"
        let result = try CoverCLI.run([Self.object, "--lcov", info])
        #expect(result.status == 1)
        #expect(result.err.split(separator: "\n").count == 1 && result.err.contains(info), "\(result.err)")
        #expect(result.out.isEmpty, "fails before running anything")
    }

    /// A truncated or mutated object: a one-line error naming the file
    /// and where, exit status non-zero, no tracefile, never a trap.
    @Test func hostileObjectsFailWithOneLine() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.object)))
        var random = SplitMix64(seed: 5)  // fixed: a failure reproduces
        var cases: [[UInt8]] = [Array(original.prefix(3000)), Array(original.prefix(40)), []]
        for _ in 0..<20 {
            var bytes = original
            for _ in 0..<8 { bytes[Int.random(in: 0..<bytes.count, using: &random)] = .random(in: 0...255, using: &random) }
            cases.append(bytes)
        }
        for (k, bytes) in cases.enumerated() {
            let path = dir.appendingPathComponent("bad\(k).o").path
            let info = dir.appendingPathComponent("bad\(k).info").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let result = try CoverCLI.run([path, "--lcov", info])
            // Exit 0 (a mutation that still reads), 1 (refused or differed)
            // or ArgumentParser's failure for an error; a trap is a signal.
            #expect([0, 1].contains(result.status), "case \(k): status \(result.status) \(result.err)")
            #expect(!result.err.contains("Fatal error"), "case \(k): \(result.err)")
            if k < 3 {
                #expect(result.status == 1, "case \(k): an unreadable object fails")
                #expect(result.err.split(separator: "\n").count == 1 && result.err.contains(path), "case \(k): \(result.err)")
                #expect(!FileManager.default.fileExists(atPath: info), "case \(k): no tracefile")
            }
        }
    }
}

/// Runs `bpfpatch cover` through BPFTestSupport.
enum CoverCLI {
    /// Runs `bpfpatch cover ARGUMENTS`, or `executable ARGUMENTS` when given.
    static func run(_ arguments: [String], executable: URL? = nil) throws -> (status: Int32, out: String, err: String) {
        guard let program = executable ?? PackageLayout.bpfpatch else {
            throw Subprocess.Failure(description: "no built bpfpatch binary")
        }
        let result = try Subprocess.run(program.path, executable == nil ? ["cover"] + arguments : arguments)
        return (result.status, result.stdout, result.stderr)
    }
}
