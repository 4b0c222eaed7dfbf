import Foundation

/// Settings of the coverage tests.
enum CoverageTestSettings {
    /// Whole-corpus runs are opt-in: `BPFPATCH_COVER_CORPUS=1 swift test ...`.
    static var wholeCorpusRequested: Bool { ProcessInfo.processInfo.environment["BPFPATCH_COVER_CORPUS"] == "1" }
}
