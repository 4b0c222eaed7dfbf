/// The version of the bpfpatch package: printed by `bpfpatch --version` and
/// recorded in the `--json` reports that describe a run, so a result can be
/// traced to the code that produced it.
///
/// It lives here because every library depends on `BPFInstructions`.
public enum BPFPatchVersion {
    /// The version string, `MAJOR.MINOR.PATCH`.
    public static let string = "0.11.0"
}
