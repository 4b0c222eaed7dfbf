import Foundation

extension ObjectFile {
    /// Opens the object file at a path.
    ///
    /// - Throws: `ObjectError` of kind `.unreadableFile` when the file
    ///   cannot be read, or any error of `init(bytes:)`.
    /// - Complexity: O(n + s log s), as `init(bytes:)`.
    public init(path: String) throws(ObjectError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ObjectError(.unreadableFile, at: ObjectLocation(), "cannot read '\(path)'")
        }
        try self.init(bytes: [UInt8](data))
    }
}
