import Foundation
import BPFObject

/// Locates the shared corpus and runs external oracle tools.
enum Corpus {
    /// `<repo>/../shared/corpus`, found from this file's path.
    static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus")

    /// Every file in the corpus that starts with the ELF magic, sorted by path.
    static let allObjects: [String] = {
        guard let e = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var found: [String] = []
        while let relative = e.nextObject() as? String {
            let path = root.appendingPathComponent(relative).path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let handle = FileHandle(forReadingAtPath: path) else { continue }
            let head = handle.readData(ofLength: 4)
            try? handle.close()
            if [UInt8](head) == [0x7f, 0x45, 0x4c, 0x46] { found.append(path) }
        }
        return found.sorted()
    }()

    /// The hand-broken objects.
    static var invalidObjects: [String] { allObjects.filter { $0.contains("/ebpf-samples/invalid/") } }
    /// Every object except the hand-broken ones.
    static var validObjects: [String] { allObjects.filter { !$0.contains("/ebpf-samples/invalid/") } }

    /// A path relative to the corpus root, for messages.
    static func short(_ path: String) -> String {
        path.hasPrefix(root.path + "/") ? String(path.dropFirst(root.path.count + 1)) : path
    }

    static func bytes(_ path: String) -> [UInt8] {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
    }
}

enum Tool {
    /// The first executable found among `candidates`.
    static func find(_ candidates: [String]) -> String? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let readobj = find(["/usr/bin/llvm-readobj", "/usr/bin/llvm-readobj-14", "/opt/swift/usr/bin/llvm-readobj"])
    static let objdump = find(["/opt/swift/usr/bin/llvm-objdump"])
    static let objcopy = find(["/opt/swift/usr/bin/llvm-objcopy", "/usr/bin/llvm-objcopy"])
    static let bpftool = find(["/usr/sbin/bpftool", "/usr/bin/bpftool"])

    /// Runs a tool and returns its standard output (standard error is discarded).
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
