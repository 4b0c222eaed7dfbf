import Foundation

extension ObjectFile {
    /// Opens the object file at a path.
    ///
    /// Only regular files are read: a FIFO or device named like an object
    /// would block or never end.
    ///
    /// - Throws: `ObjectError` of kind `.unreadableFile` when the path is not
    ///   a regular file or cannot be read, or any error of `init(bytes:)`.
    /// - Complexity: O(n + s log s), as `init(bytes:)`.
    public init(path: String) throws(ObjectError) {
        var status = stat()  // follows symbolic links, as reading does
        guard stat(path, &status) == 0 else { throw ObjectError(.unreadableFile, at: ObjectLocation(), "cannot read '\(path)'") }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw ObjectError(.unreadableFile, at: ObjectLocation(), "'\(path)' is not a regular file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ObjectError(.unreadableFile, at: ObjectLocation(), "cannot read '\(path)'")
        }
        try self.init(bytes: [UInt8](data))
    }
}
