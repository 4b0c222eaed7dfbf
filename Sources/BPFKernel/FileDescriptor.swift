#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An owned file descriptor for a kernel BPF object (program, map, BTF),
/// closed when the last reference goes away.
///
/// Why a final class and not a `~Copyable` struct: maps are shared by every
/// program that references them and are kept in arrays and dictionaries,
/// which cannot hold non-copyable values in Swift 6.1. ARC releases the
/// descriptor deterministically at the last reference; there is no
/// separate `close()` to forget or to call twice.
public final class FileDescriptor: Sendable, CustomStringConvertible {
    /// The descriptor number, valid while this object is alive.
    public let rawValue: Int32

    /// Takes ownership of `rawValue`.
    public init(owning rawValue: Int32) { self.rawValue = rawValue }

    deinit { _ = close(rawValue) }

    public var description: String { "fd \(rawValue)" }
}
