import BPFTestSupport
import Foundation
import Testing
@testable import BPFBench

/// Where `bpfpatch bench` finds its corpus: not in the working directory.
struct ConfigurationTests {
    @Test func corpusDirectoryPrecedence() {
        let variable = BenchConfiguration.corpusEnvironmentVariable
        #expect(BenchConfiguration.corpusDirectory(explicit: "/x", environment: [variable: "/y"]) == "/x")
        #expect(BenchConfiguration.corpusDirectory(explicit: nil, environment: [variable: "/y"]) == "/y")
        #expect(BenchConfiguration.corpusDirectory(explicit: nil, environment: [variable: ""])
                == BenchConfiguration.packageCorpusDirectory)
        #expect(BenchConfiguration.corpusDirectory(explicit: nil, environment: [:]) == BenchConfiguration.packageCorpusDirectory)
    }

    /// The package-relative default is the tests' own corpus directory,
    /// found from a different source file.
    @Test(.needsCorpus) func packageDefaultIsTheSharedCorpus() throws {
        #expect(URL(fileURLWithPath: BenchConfiguration.packageCorpusDirectory).standardizedFileURL.path
                == TestCorpus.root.standardizedFileURL.path)
        try #require(FileManager.default.fileExists(atPath: TestCorpus.root.path), "shared corpus present")
        let quick = try BenchConfiguration.corpusFiles(in: TestCorpus.root.path, quick: true, required: true)
        let full = try BenchConfiguration.corpusFiles(in: TestCorpus.root.path, quick: false, required: true)
        #expect(quick.map { ($0 as NSString).lastPathComponent } == BenchConfiguration.quickCorpusObjects)
        #expect(full.map { ($0 as NSString).lastPathComponent } == BenchConfiguration.fullCorpusObjects)
    }

    @Test func namedDirectoryWithoutObjectsIsAnError() throws {
        #expect(throws: BenchError.self) {
            try BenchConfiguration.corpusFiles(in: "/nonexistent-bpfpatch-corpus", quick: true, required: true)
        }
        #expect(try BenchConfiguration.corpusFiles(in: "/nonexistent-bpfpatch-corpus", quick: true, required: false).isEmpty)
        let variable = BenchConfiguration.corpusEnvironmentVariable
        #expect(throws: BenchError.self) {
            try BenchConfiguration.corpusFiles(explicitDirectory: nil, quick: true, environment: [variable: "/nonexistent-bpfpatch-corpus"])
        }
        #expect(throws: BenchError.self) {
            try BenchConfiguration.corpusFiles(explicitDirectory: "/nonexistent-bpfpatch-corpus", quick: true, environment: [:])
        }
    }
}
