import Foundation

/// Runs the LLVM tools that serve as the independent reference.
enum LLVMTools {
    /// The directory holding the LLVM 21 tools shipped with the Swift toolchain.
    static let directory: String? = {
        var candidates = ["/opt/swift/usr/bin"]
        if let env = ProcessInfo.processInfo.environment["BPF_LLVM_BIN"] { candidates.insert(env, at: 0) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0 + "/llvm-objdump") }
    }()

    static var objdump: String? { directory.map { $0 + "/llvm-objdump" } }
    static var objcopy: String? { directory.map { $0 + "/llvm-objcopy" } }
    static var clang: String? {
        directory.map { $0 + "/clang" }.flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs a program and returns its standard output; throws on a non-zero exit.
    static func run(_ executable: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read stdout fully before waiting so a large output cannot block the child.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorData, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            throw Failure(description: "\((executable as NSString).lastPathComponent) exited \(process.terminationStatus): \(message)")
        }
        return data
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bpfdisasm-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
