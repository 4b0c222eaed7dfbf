import Foundation

/// Turns command-line paths into object files.
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
}
