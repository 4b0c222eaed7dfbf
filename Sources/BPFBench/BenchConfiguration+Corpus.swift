import Foundation

extension BenchConfiguration {
    /// The environment variable that names the corpus directory when no
    /// explicit one is given.
    public static let corpusEnvironmentVariable = "BPFPATCH_CORPUS"

    /// The corpus objects' folder inside the corpus directory, and the
    /// objects the benchmark uses (their biggest program section each).
    public static let corpusSubdirectory = "ebpf-samples/cilium-core"
    public static let quickCorpusObjects = ["bpf_xdp.o"]
    public static let fullCorpusObjects = ["bpf_xdp.o", "bpf_network.o"]

    /// `<package>/../shared/corpus`, found from this source file's path at
    /// build time, so that the default does not depend on the working
    /// directory.
    public static var packageCorpusDirectory: String {
        URL(fileURLWithPath: #filePath)   // <package>/Sources/BPFBench/this file
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/corpus").path
    }

    /// The corpus directory: `explicit` if given, else the environment
    /// variable's value if set, else `packageCorpusDirectory`.
    public static func corpusDirectory(explicit: String?,
                                       environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit { return explicit }
        if let named = environment[corpusEnvironmentVariable], !named.isEmpty { return named }
        return packageCorpusDirectory
    }

    /// The benchmark's corpus objects: under `explicitDirectory`, else the
    /// environment variable's directory, else the package default. A
    /// directory named by either must hold at least one of them; the
    /// default is skipped silently when absent.
    ///
    /// - Throws: `BenchError` (`.unreadableCorpus`) for a named directory without the objects.
    /// - Complexity: one `stat` per object.
    public static func corpusFiles(explicitDirectory: String?, quick: Bool,
                                   environment: [String: String] = ProcessInfo.processInfo.environment) throws(BenchError) -> [String] {
        let directory = corpusDirectory(explicit: explicitDirectory, environment: environment)
        return try corpusFiles(in: directory, quick: quick, required: directory != packageCorpusDirectory)
    }

    /// The benchmark's corpus objects under `directory` that exist.
    ///
    /// - Parameter required: the directory was named by the user: finding
    ///   none of the objects is then an error rather than a silent skip.
    /// - Throws: `BenchError` (`.unreadableCorpus`) when `required` and none exists.
    /// - Complexity: one `stat` per object.
    public static func corpusFiles(in directory: String, quick: Bool, required: Bool) throws(BenchError) -> [String] {
        let names = quick ? quickCorpusObjects : fullCorpusObjects
        let files = names.map { "\(directory)/\(corpusSubdirectory)/\($0)" }
            .filter { FileManager.default.fileExists(atPath: $0) }
        if files.isEmpty && required {
            throw BenchError(.unreadableCorpus, workload: directory,
                             "none of \(names.joined(separator: ", ")) under \(directory)/\(corpusSubdirectory)")
        }
        return files
    }
}
