import Foundation

/// Turns command-line paths into object files, and prints progress.
public enum ObjectPaths {
    /// Files as given; directories expanded to their `.o`/`.elf` files (recursively, sorted).
    ///
    /// - Throws: `OracleError` for a path that does not exist.
    /// - Complexity: O(f log f), the files found.
    public static func expand(_ paths: [String]) throws(OracleError) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw OracleError(.badPath, path: path, "no such file or directory")
            }
            if !isDirectory.boolValue {
                files.append(path)
                continue
            }
            var found: [String] = []
            if let walker = FileManager.default.enumerator(atPath: path) {
                while let item = walker.nextObject() as? String {
                    if item.hasSuffix(".o") || item.hasSuffix(".elf") { found.append(path + "/" + item) }
                }
            }
            files += found.sorted()
        }
        return files
    }

    /// Steps seen by `progress` (only touched from the command's thread).
    nonisolated(unsafe) private static var progressCount = 0

    /// Rewrites one progress line on stderr (nil clears it); on a
    /// non-terminal stderr (logs, CI) only every 25th step is written, one
    /// per line.
    public static func progress(_ text: String?) {
        guard isatty(2) != 0 else {
            progressCount += 1
            if let text, progressCount % 25 == 0 { FileHandle.standardError.write(Data((text + "\n").utf8)) }
            return
        }
        let line = text.map { "\r\u{1b}[K" + ReasonText.clipped($0, 110) } ?? "\r\u{1b}[K"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
