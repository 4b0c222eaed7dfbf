import Foundation

/// The shared corpus of compiled BPF objects: `$BPFPATCH_CORPUS`, or
/// `<repo>/../shared/corpus` found from this file's path. Tests that need
/// it declare `.enabled(if: TestCorpus.isPresent)` so that a checkout
/// without it reports them skipped.
public enum TestCorpus {
    /// The corpus directory (it may not exist).
    public static let root: URL = {
        if let explicit = ProcessInfo.processInfo.environment["BPFPATCH_CORPUS"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit).standardized
        }
        return PackageLayout.root.deletingLastPathComponent().appendingPathComponent("shared/corpus").standardized
    }()

    /// True when the corpus directory exists.
    public static var isPresent: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The absolute path of a corpus file.
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// True when the corpus holds this file.
    public static func contains(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    /// Every regular file under `relative` (the whole corpus by default)
    /// that starts with the ELF magic, as absolute paths sorted by path.
    ///
    /// - Complexity: O(f), where f is the number of files under the directory.
    public static func objects(under relative: String = "") -> [String] {
        let base = relative.isEmpty ? root : root.appendingPathComponent(relative)
        guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
        var found: [String] = []
        while let item = walker.nextObject() as? String {
            let path = base.appendingPathComponent(item).path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let handle = FileHandle(forReadingAtPath: path) else { continue }
            let head = handle.readData(ofLength: 4)
            try? handle.close()
            if [UInt8](head) == [0x7f, 0x45, 0x4c, 0x46] { found.append(path) }
        }
        return found.sorted()
    }

    /// A path relative to the corpus root, for messages.
    public static func short(_ path: String) -> String {
        path.hasPrefix(root.path + "/") ? String(path.dropFirst(root.path.count + 1)) : path
    }

    /// A file's bytes, or empty when it cannot be read.
    public static func bytes(_ path: String) -> [UInt8] {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
    }
}

/// Where the package and its products are.
public enum PackageLayout {
    /// The package root, found from this file's path (`Tests/BPFTestSupport/…`).
    public static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built `bpfpatch` binary: `$BPFPATCH_BINARY`, next to the running
    /// test bundle, or under the package's `.build/debug`.
    public static let bpfpatch: URL? = {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["BPFPATCH_BINARY"] {
            candidates.append(URL(fileURLWithPath: explicit))
        }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("bpfpatch"))
        }
        var bundle = Bundle.main.bundleURL
        for _ in 0..<4 {
            candidates.append(bundle.appendingPathComponent("bpfpatch"))
            bundle.deleteLastPathComponent()
        }
        candidates.append(root.appendingPathComponent(".build/debug/bpfpatch"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()
}
