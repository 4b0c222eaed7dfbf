import BPFTestSupport
import Foundation

/// Runs the built `bpfpatch` binary (found by `PackageLayout.bpfpatch`).
enum CLI {
    static var binary: URL? { PackageLayout.bpfpatch }

    typealias Run = Subprocess.Result

    /// Runs `bpfpatch` with `arguments` and waits for it.
    static func run(_ arguments: [String]) throws -> Run {
        guard let binary else { throw CLIError.missingBinary }
        return try Subprocess.run(binary.path, arguments)
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
