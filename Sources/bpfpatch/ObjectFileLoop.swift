import ArgumentParser
import BPFKernelOracle
import Foundation

/// The file loop `verify` and `stats` share: paths become object files
/// (directories expanded), each file is checked with a progress line, and
/// files that cannot be read are collected instead of stopping the run.
///
/// A run that checked nothing must not pass: `requireSomethingChecked`
/// ends it with exit status 2 and the reason on stderr, so a gate built on
/// these commands fails on an empty directory, a non-object or a directory
/// of unreadable objects.
struct ObjectFileLoop {
    /// Exit status of a run that checked nothing (1 is "differences found").
    static let nothingCheckedStatus: Int32 = 2

    let paths: [String]
    let files: [String]

    /// Expands `paths`.
    ///
    /// - Throws: `OracleError` for a path that does not exist; `ExitCode(2)`
    ///   (after printing why) when no object file is found.
    init(paths: [String]) throws {
        self.paths = paths
        self.files = try ObjectPaths.expand(paths)
        if files.isEmpty { try Self.nothingChecked("no .o or .elf files in \(paths.joined(separator: ", "))") }
    }

    /// Runs `check` on every file, in order.
    ///
    /// - Returns: the results of the files that could be read, and one line
    ///   per file that could not.
    func run<Result>(_ check: (String) throws(OracleError) -> [Result]) -> (results: [Result], unreadable: [String]) {
        var results: [Result] = []
        var unreadable: [String] = []
        var progress = ProgressLine(isEnabled: files.count > 1)
        for (i, file) in files.enumerated() {
            progress.show("[\(i + 1)/\(files.count)] \(file)")
            do throws(OracleError) {
                results += try check(file)
            } catch {
                unreadable.append(error.description)
            }
        }
        progress.clear()
        return (results, unreadable)
    }

    /// Ends a run that checked nothing, if `checked` is 0.
    ///
    /// - Parameters:
    ///   - checked: how many programs were checked.
    ///   - programs: how many entry programs the readable objects hold.
    ///   - unreadable: the files that could not be read.
    ///   - notChecked: why the programs found were not checked, e.g. "3 not loaded".
    func requireSomethingChecked(_ checked: Int, programs: Int, unreadable: [String], notChecked: String) throws {
        guard checked == 0 else { return }
        if unreadable.count == files.count {
            try Self.nothingChecked("none of the \(files.count) files is a readable BPF object (\(unreadable[0]))")
        } else if programs == 0 {
            try Self.nothingChecked("the \(files.count - unreadable.count) readable objects hold no entry programs")
        } else {
            try Self.nothingChecked("none of the \(programs) programs was checked (\(notChecked))")
        }
    }

    /// Prints `reason` and exits with `nothingCheckedStatus`.
    static func nothingChecked(_ reason: String) throws -> Never {
        FileHandle.standardError.write(Data("error: nothing checked: \(reason)\n".utf8))
        throw ExitCode(nothingCheckedStatus)
    }
}
