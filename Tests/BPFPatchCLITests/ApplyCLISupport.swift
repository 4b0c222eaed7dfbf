import Foundation

/// Runs the built `bpfpatch` binary for the `apply` end-to-end tests.
///
/// The binary is looked up next to the running test bundle (the products
/// directory of whatever scratch path `swift test` used), then under the
/// package's `.build/debug`, or at `$BPFPATCH_BINARY`.
enum CLI {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let binary: URL? = {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["BPFPATCH_BINARY"] {
            candidates.append(URL(fileURLWithPath: explicit))
        }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("bpfpatch"))
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("bpfpatch"))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("bpfpatch"))
        for scratch in [".build", ".build-seq"] {
            candidates.append(packageRoot.appendingPathComponent("\(scratch)/debug/bpfpatch"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `bpfpatch` with `arguments` and waits for it.
    static func run(_ arguments: [String]) throws -> Run {
        guard let binary else { throw CLIError.missingBinary }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }

    enum CLIError: Error { case missingBinary }
}

/// A fresh temporary directory for one test.
struct TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bpfpatch-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: url.appendingPathComponent(name)) }
    func write(_ name: String, _ bytes: [UInt8]) throws { try Data(bytes).write(to: url.appendingPathComponent(name)) }
    func read(_ name: String) -> [UInt8]? { FileManager.default.contents(atPath: path(name)).map { [UInt8]($0) } }
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }
    func remove() { try? FileManager.default.removeItem(at: url) }
}
