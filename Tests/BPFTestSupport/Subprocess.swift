import Foundation

/// Runs external programs (the oracles: llvm-objdump, llvm-readobj,
/// bpftool, clang, and the built `bpfpatch`).
public enum Subprocess {
    /// The outcome of one run.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// The standard output's raw bytes.
        public var output: Data
    }

    /// A run that exited with a non-zero status.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Runs `executable` with `arguments` and waits for it; both output
    /// streams are read to the end concurrently, so a large output cannot
    /// block the child.
    public static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = stdin.map { _ in Pipe() }
        if let input { process.standardInput = input } else { process.standardInput = FileHandle.nullDevice }
        try process.run()
        if let input, let stdin {
            input.fileHandleForWriting.write(stdin)
            try? input.fileHandleForWriting.close()
        }
        let errors = Collected()
        let group = DispatchGroup()
        let errorHandle = err.fileHandleForReading
        DispatchQueue.global().async(group: group) { errors.data = errorHandle.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errors.data, as: UTF8.self), output: outData)
    }

    /// Written by one reader thread, read after `group.wait()`.
    private final class Collected: @unchecked Sendable { var data = Data() }

    /// Runs and returns standard output; throws `Failure` on a non-zero exit.
    public static func output(_ executable: String, _ arguments: [String]) throws -> Data {
        let result = try run(executable, arguments)
        guard result.status == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.output
    }

    /// A fresh scratch directory under the system's temporary directory.
    public static func temporaryDirectory(_ prefix: String = "bpfpatch-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(prefix + "-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The external tools the oracles use, found once; nil when absent.
public enum ExternalTools {
    /// The LLVM 21 tools directory (`$BPF_LLVM_BIN`, or the Swift toolchain's).
    public static let llvmDirectory: String? = {
        var candidates = ["/opt/swift/usr/bin"]
        if let env = ProcessInfo.processInfo.environment["BPF_LLVM_BIN"] { candidates.insert(env, at: 0) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0 + "/llvm-objdump") }
    }()

    /// The first executable among `candidates`.
    public static func find(_ candidates: [String]) -> String? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public static let objdump: String? = llvmDirectory.flatMap { find([$0 + "/llvm-objdump"]) }
    public static let objcopy: String? = find((llvmDirectory.map { [$0 + "/llvm-objcopy"] } ?? []) + ["/usr/bin/llvm-objcopy"])
    public static let clang: String? = llvmDirectory.flatMap { find([$0 + "/clang"]) }
    public static let readobj: String? = find(["/usr/bin/llvm-readobj", "/usr/bin/llvm-readobj-14"]
                                              + (llvmDirectory.map { [$0 + "/llvm-readobj"] } ?? []))
    public static let bpftool: String? = find(["/usr/sbin/bpftool", "/usr/bin/bpftool"])
}
