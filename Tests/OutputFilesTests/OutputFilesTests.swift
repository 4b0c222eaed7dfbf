import Foundation
@testable import OutputFiles
import Testing

/// The one write path: planted links, devices, partial failures, modes.
@Suite("Output files")
struct OutputFilesTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("outputfiles-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory + "/" + name }
    func read(_ name: String) -> [UInt8]? { FileManager.default.contents(atPath: path(name)).map { [UInt8]($0) } }
    func entries() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted() }

    @Test("writes new files and replaces regular ones, leaving no temporary file")
    func plainWrite() throws {
        try OutputFiles.write([OutputFile(path: path("a"), bytes: [1, 2, 3])])
        #expect(read("a") == [1, 2, 3])
        try OutputFiles.write([OutputFile(path: path("a"), bytes: [4])])
        #expect(read("a") == [4])
        #expect(entries() == ["a"])
    }

    @Test("a symlink planted at the temporary name is not followed")
    func plantedLink() throws {
        let victim = path("victim")
        try Data([9, 9]).write(to: URL(fileURLWithPath: victim))
        // The first two names are taken by planted links; the third is free.
        var names = [".out.planted1.tmp", ".out.planted2.tmp", ".out.free.tmp"].makeIterator()
        try FileManager.default.createSymbolicLink(atPath: path(".out.planted1.tmp"), withDestinationPath: victim)
        try FileManager.default.createSymbolicLink(atPath: path(".out.planted2.tmp"), withDestinationPath: path("nowhere"))
        try OutputFiles.write([OutputFile(path: path("out"), bytes: [1])]) { _ in names.next()! }
        #expect(read("victim") == [9, 9])
        #expect(read("out") == [1])
        #expect(!FileManager.default.fileExists(atPath: path("nowhere")))
        #expect(entries() == [".out.planted1.tmp", ".out.planted2.tmp", "out", "victim"])
    }

    @Test("temporary names are unpredictable")
    func randomNames() {
        let a = OutputFiles.randomName("x"), b = OutputFiles.randomName("x")
        #expect(a != b)
        #expect(a.hasPrefix(".x.") && a.hasSuffix(".tmp") && a.count == ".x.".count + 16 + ".tmp".count)
    }

    @Test("a FIFO is written straight through, never replaced")
    func fifo() throws {
        let fifo = path("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = Task.detached { () -> [UInt8] in
            let handle = FileHandle(forReadingAtPath: fifo)!
            return [UInt8](handle.readDataToEndOfFile())
        }
        try OutputFiles.write([OutputFile(path: fifo, bytes: [7, 8])])
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO)
        let received = try awaitResult(reader)
        #expect(received == [7, 8])
    }

    @Test("/dev/null (a character device through no link) is written straight through")
    func characterDevice() throws {
        try OutputFiles.write([OutputFile(path: "/dev/null", bytes: [1])])
        var st = stat()
        #expect(stat("/dev/null", &st) == 0 && st.st_mode & S_IFMT == S_IFCHR)
    }

    @Test("a directory or a dangling link is refused and left alone")
    func nonRegular() throws {
        try FileManager.default.createDirectory(atPath: path("dir"), withIntermediateDirectories: false)
        #expect { try OutputFiles.write([OutputFile(path: path("dir"), bytes: [1])]) } throws: {
            ($0 as! OutputError).kind == .notRegularFile
        }
        try FileManager.default.createSymbolicLink(atPath: path("dangling"), withDestinationPath: path("nowhere"))
        #expect { try OutputFiles.write([OutputFile(path: path("dangling"), bytes: [1])]) } throws: {
            ($0 as! OutputError).kind == .notRegularFile
        }
        #expect(!FileManager.default.fileExists(atPath: path("nowhere")))
        #expect(entries() == ["dangling", "dir"])
    }

    @Test("a named link to a regular file: the file is replaced (mode kept), the link stays a link")
    func namedLink() throws {
        try Data([5]).write(to: URL(fileURLWithPath: path("target")))
        #expect(chmod(path("target"), 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: path("link"), withDestinationPath: path("target"))
        try OutputFiles.write([OutputFile(path: path("link"), bytes: [6, 7])])
        #expect(read("target") == [6, 7])
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: path("link"))) == path("target"))
        var st = stat()
        #expect(stat(path("target"), &st) == 0 && st.st_mode & 0o7777 == 0o600)
        #expect(entries() == ["link", "target"])
    }

    @Test("when one output cannot be written, none is")
    func allOrNothing() throws {
        try Data([1]).write(to: URL(fileURLWithPath: path("first")))
        try FileManager.default.createDirectory(atPath: path("second"), withIntermediateDirectories: false)
        #expect(throws: OutputError.self) {
            try OutputFiles.write([OutputFile(path: path("first"), bytes: [2]), OutputFile(path: path("second"), bytes: [3])])
        }
        #expect(read("first") == [1])
        // A directory that does not exist: the first output is not written either.
        #expect(throws: OutputError.self) {
            try OutputFiles.write([OutputFile(path: path("first"), bytes: [2]), OutputFile(path: path("missing/x"), bytes: [3])])
        }
        #expect(read("first") == [1])
        #expect(entries() == ["first", "second"])
    }

    @Test("the same path twice is refused, also through another spelling or a hard link")
    func samePath() throws {
        #expect { try OutputFiles.write([OutputFile(path: path("a"), bytes: [1]), OutputFile(path: directory + "/./a", bytes: [2])]) } throws: {
            ($0 as! OutputError).kind == .samePath
        }
        try Data([1]).write(to: URL(fileURLWithPath: path("b")))
        #expect(link(path("b"), path("c")) == 0)
        #expect { try OutputFiles.write([OutputFile(path: path("b"), bytes: [1]), OutputFile(path: path("c"), bytes: [2])]) } throws: {
            ($0 as! OutputError).kind == .samePath
        }
        #expect(!FileManager.default.fileExists(atPath: path("a")))
    }

    @Test("an existing file keeps its mode")
    func mode() throws {
        try Data([1]).write(to: URL(fileURLWithPath: path("m")))
        #expect(chmod(path("m"), 0o640) == 0)
        try OutputFiles.write([OutputFile(path: path("m"), bytes: [2])])
        var st = stat()
        #expect(stat(path("m"), &st) == 0)
        #expect(st.st_mode & 0o7777 == 0o640)
        #expect(read("m") == [2])
    }
}

/// Waits for a detached task from synchronous test code.
func awaitResult<T: Sendable>(_ task: Task<T, Never>) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task { box.value = await task.value; done.signal() }
    done.wait()
    return box.value!
}

final class ResultBox<T>: @unchecked Sendable { var value: T? }
