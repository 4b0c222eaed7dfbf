/// One way of applying a workload's batch. A closed set.
public enum Contender: String, CaseIterable, Codable, Sendable {
    /// One `memcpy` of the input into an output-sized buffer: no layout.
    case memcpy
    /// The floor: the output laid out (runs copied, replacements put in),
    /// every input slot read once, no reference adjusted.
    case floor
    /// `PatchSet.apply`, instructions only.
    case batch
    /// The same index-map pass written plainly in C (`CBaseline`),
    /// instructions only: the yardstick for `batch`.
    case cBaseline = "c"
    /// `PatchSet.apply` with every side table (line info, subprograms,
    /// pokes, instruction arrays).
    case batchTables = "batch+tables"
    /// The 2022 draft design (`DraftPatcher`), with every side table.
    case draftTables = "draft+tables"
    /// The sequential reference model (`applySequentially`), the kernel's
    /// one-step-per-patch algorithm, with every side table.
    case sequentialTables = "sequential+tables"
}
