#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one write path of every command that writes files: all or nothing,
/// never through a planted link, never over a device.
///
/// - Each regular output is written to a temporary file created in its own
///   directory with `O_CREAT | O_EXCL | O_NOFOLLOW` under an unpredictable
///   name, then renamed over the destination, so a reader sees the old file
///   or the new one, and a symlink planted at the temporary name is never
///   followed.
/// - Every temporary file is written before any is renamed: a failure
///   leaves all destinations as they were.
/// - An existing destination keeps its mode.
/// - A destination that is a character device or FIFO (e.g. `/dev/stdout`
///   on a terminal or pipe) is written straight through, never renamed
///   over; a symbolic link the user names to a regular file (e.g.
///   `/dev/stdout` redirected to a file) has the file it leads to replaced,
///   the link itself stays; any other non-regular destination (directory,
///   socket, block device, dangling link) is refused.
/// - Two outputs naming the same file are refused.
///
///     try OutputFiles.write([OutputFile(path: "out.o", bytes: object),
///                            OutputFile(path: "tables.json", bytes: json)])
public enum OutputFiles {
    /// Writes every file or none.
    ///
    /// - Throws: `OutputError` naming the path.
    /// - Complexity: O(total bytes) plus a constant number of system calls per file.
    public static func write(_ files: [OutputFile]) throws(OutputError) {
        try write(files, temporaryName: randomName)
    }

    /// `write(_:)` with the temporary names chosen by `temporaryName`
    /// (given the destination's file name); tests plant files there.
    static func write(_ files: [OutputFile], temporaryName: (String) -> String) throws(OutputError) {
        enum Plan { case rename(temporary: String, mode: mode_t?), straight }
        var plans: [(file: OutputFile, plan: Plan?)] = files.map { ($0, nil) }
        // Identity: the same existing file (device and inode), or the same path text.
        var seen: [(dev: UInt64, ino: UInt64)] = []
        var seenPaths: Set<String> = []
        for file in files {
            let normalized = normalize(file.path)
            guard seenPaths.insert(normalized).inserted else {
                throw OutputError(.samePath, path: file.path, "named twice as an output")
            }
            var st = stat()
            if stat(file.path, &st) == 0 {
                let id = (UInt64(st.st_dev), UInt64(st.st_ino))
                guard !seen.contains(where: { $0 == id }) else {
                    throw OutputError(.samePath, path: file.path, "is the same file as another output")
                }
                seen.append(id)
            }
        }
        func discard() {
            for case (_, .rename(let temporary, _)?) in plans { unlink(temporary) }
        }
        // Stage.
        for k in plans.indices {
            let path = plans[k].file.path
            var link = stat()
            var target = stat()
            let exists = lstat(path, &link) == 0
            if exists {
                guard stat(path, &target) == 0 else {
                    discard()
                    throw OutputError(.notRegularFile, path: path, "is a dangling symbolic link; refusing to write through it")
                }
                let type = target.st_mode & S_IFMT
                if type == S_IFCHR || type == S_IFIFO {
                    plans[k].plan = .straight
                    continue
                }
                guard type == S_IFREG else {
                    discard()
                    throw OutputError(.notRegularFile, path: path, "exists and is not a regular file; refusing to replace it")
                }
                if link.st_mode & S_IFMT == S_IFLNK {
                    // A link the user named (e.g. /dev/stdout redirected to a file): the
                    // file it leads to is replaced; the link itself stays a link.
                    guard let resolved = realPath(path) else {
                        discard()
                        throw OutputError(.notRegularFile, path: path, "cannot resolve the symbolic link: \(errorText())")
                    }
                    plans[k].file.path = resolved
                }
            }
            do throws(OutputError) {
                let temporary = try stage(plans[k].file, temporaryName: temporaryName,
                                          mode: exists ? target.st_mode & 0o7777 : nil)
                plans[k].plan = .rename(temporary: temporary, mode: nil)
            } catch {
                discard()
                throw error
            }
        }
        // Commit: devices first (they cannot be staged), then renames.
        for case (let file, .straight?) in plans {
            let fd = open(file.path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let reason = errorText()
                discard()
                throw OutputError(.system, path: file.path, "cannot open: \(reason)")
            }
            defer { close(fd) }
            if let reason = writeAll(fd, file.bytes) {
                discard()
                throw OutputError(.system, path: file.path, "cannot write: \(reason)")
            }
        }
        for case (let file, .rename(let temporary, _)?) in plans {
            guard rename(temporary, file.path) == 0 else {
                let reason = errorText()
                discard()
                throw OutputError(.system, path: file.path, "cannot rename into place: \(reason)")
            }
        }
    }

    /// Creates and fills the temporary file next to `file.path`.
    private static func stage(_ file: OutputFile, temporaryName: (String) -> String, mode: mode_t?) throws(OutputError) -> String {
        let (directory, name) = split(file.path)
        var attempts = 0
        while true {
            let temporary = directory + temporaryName(name)
            // 0o666 before the umask, as for any new file; an existing file's mode is set below.
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
            if fd < 0 {
                attempts += 1
                if errno == EEXIST && attempts < 16 { continue }
                throw OutputError(.system, path: file.path, "cannot create a temporary file in \(directory.isEmpty ? "." : directory): \(errorText())")
            }
            var failure = writeAll(fd, file.bytes)
            if failure == nil, let mode, fchmod(fd, mode) != 0 { failure = "cannot keep the mode: \(errorText())" }
            if failure == nil, fsync(fd) != 0 { failure = errorText() }
            if close(fd) != 0 && failure == nil { failure = errorText() }
            if let failure {
                unlink(temporary)
                throw OutputError(.system, path: file.path, "cannot write: \(failure)")
            }
            return temporary
        }
    }

    /// Writes all bytes, retrying short writes and interruptions; the error text on failure.
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> String? {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress! + done, bytes.count - done)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return errorText()
            }
            done += n
        }
        return nil
    }

    /// The directory part (with its trailing slash, or empty) and the file name.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }

    /// The path without `./` components and repeated slashes, for the same-path check.
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : currentDirectory() + "/" + path
        var parts: [Substring] = []
        for part in absolute.split(separator: "/") where part != "." {
            if part == ".." { if !parts.isEmpty { parts.removeLast() } } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The canonical path of an existing file, following every link.
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `.<name>.<16 random hex digits>.tmp`: hidden, and not guessable.
    static func randomName(_ name: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let suffix = String(generator.next() as UInt64, radix: 16)
        return ".\(name).\(String(repeating: "0", count: 16 - suffix.count))\(suffix).tmp"
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
