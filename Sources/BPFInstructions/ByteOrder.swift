/// The byte order of an encoded program or object file.
public enum ByteOrder: Sendable, Hashable {
    case littleEndian
    case bigEndian
}
