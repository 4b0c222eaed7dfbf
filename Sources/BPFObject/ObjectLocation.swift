/// Where in an object file something was found: a section name, a file
/// byte offset, or both.
public struct ObjectLocation: Hashable, Sendable, CustomStringConvertible {
    /// The section the problem is in, when known.
    public var section: String?
    /// The absolute byte offset in the file, when known.
    public var fileOffset: Int?

    public init(section: String? = nil, fileOffset: Int? = nil) {
        self.section = section
        self.fileOffset = fileOffset
    }

    public var description: String {
        switch (section, fileOffset) {
        case let (s?, o?): "section '\(s)' at file offset 0x\(String(o, radix: 16))"
        case let (s?, nil): "section '\(s)'"
        case let (nil, o?): "file offset 0x\(String(o, radix: 16))"
        case (nil, nil): "object"
        }
    }
}
