import BPFCoverage
import BPFKernel

/// The result of covering one entry program: what was loaded, how the
/// instrumented copy fared, whether it behaved as the original, and the
/// counts.
public struct CoverageRun: Sendable {
    public var object: String
    public var section: String
    public var name: String
    public var programType: String
    public var outcome: Outcome
    /// Why the outcome is not `.covered`, or a note on the run.
    public var reason: String?
    /// Slots before and after instrumentation.
    public var slotsBefore: Int = 0
    public var slotsAfter: Int?
    /// The verifier's processed-instruction count before and after.
    public var processedBefore: Int?
    public var processedAfter: Int?
    /// Inputs on which both programs ran and were compared.
    public var inputsCompared = 0
    /// Inputs on which the original did not repeat itself (not compared).
    public var inputsNotRepeatable = 0
    /// Inputs the kernel refused to test-run (for both programs alike).
    public var inputsRefused = 0
    /// Behaviour differences (each fails the command).
    public var differences: [String] = []
    /// The verifier log of a rejected instrumented program.
    public var rejectionLog: String?
    /// The counts, when the instrumented program ran.
    public var coverage: ProgramCoverage?

    public enum Outcome: String, Sendable, Codable {
        /// Instrumented, verified, run, behaviour identical.
        case covered
        /// Instrumented and verified; its type cannot be test-run (no counts).
        case verifiedOnly = "verified, not runnable"
        /// The original does not link or load here.
        case originalNotLoaded = "original not loaded"
        /// The instrumentation was refused (e.g. stack full).
        case refused
        /// The verifier rejected the instrumented program.
        case rejected
        /// The instrumented program behaved differently.
        case differed
    }
}
