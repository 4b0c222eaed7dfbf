/// The outcome of loading one program of an object.
public struct LoadReport: Sendable {
    /// The object's name (file name).
    public var object: String
    public var section: String
    /// The function (or section) name.
    public var name: String
    /// The program type from the section name, nil when unknown.
    public var type: ProgramType?
    /// Slots sent to the kernel (after linking), 0 when linking failed.
    public var slotCount: Int
    /// True when the kernel accepted the program.
    public var isLoaded: Bool
    /// The loaded program; nil when rejected, or when the loader was asked
    /// not to keep descriptors.
    public var program: KernelProgram?
    /// Why it did not load, nil when loaded.
    public var failure: LoadFailure?
    /// True when func/line info and BTF went with the successful load.
    public var usedBTF: Bool
    /// Info read back after loading, when requested.
    public var info: ProgramInfo?
    /// The verifier's statistics, when the load asked for a log that has them.
    public var statistics: VerifierStatistics?
    /// Remarks (retries, dropped BTF, unapplied CO-RE records).
    public var notes: [String]

    /// One line: "obj section/name: loaded (N slots)" or the failure.
    public var summary: String {
        let what = "\(object) \(section)/\(name)"
        if isLoaded {
            var text = "\(what): loaded (\(slotCount) slots"
            if let info { text += ", \(info.translated.count) xlated, \(info.verifiedInstructions) verified" }
            return text + (usedBTF ? ", BTF)" : ")")
        }
        return "\(what): \(failure?.description ?? "not loaded")"
    }
}
