import Foundation
import Testing

/// Conditions for tests that need something from the environment. A test
/// that declares one reports "skipped" with the reason when it is missing,
/// never a silent pass:
///
///     @Test(.needsCorpus, .needsKernel) func loadsTheCorpus() throws { ... }
extension Trait where Self == ConditionTrait {
    /// The shared corpus is present (`../shared/corpus` or `$BPFPATCH_CORPUS`).
    public static var needsCorpus: Self {
        .enabled(if: TestCorpus.isPresent, "needs the shared corpus (../shared/corpus or $BPFPATCH_CORPUS)")
    }

    /// bpf(2) loads programs here (root or CAP_BPF on Linux).
    public static var needsKernel: Self {
        .enabled(if: KernelProbe.isAvailable, "needs bpf(2): root or CAP_BPF on Linux")
    }

    /// llvm-objdump and llvm-objcopy (LLVM 21) are present.
    public static var needsLLVM: Self {
        .enabled(if: ExternalTools.objdump != nil && ExternalTools.objcopy != nil,
                 "needs llvm-objdump and llvm-objcopy (LLVM 21)")
    }

    /// The built `bpfpatch` binary is found.
    public static var needsBinary: Self {
        .enabled(if: PackageLayout.bpfpatch != nil, "needs the built bpfpatch binary (or $BPFPATCH_BINARY)")
    }
}
