import ArgumentParser
import BPFInstructions

@main
struct BPFPatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bpfpatch",
        abstract: "Rewrite eBPF programs with a batched patch engine identical to the kernel's sequential patching.",
        version: BPFPatchVersion.string,
        subcommands: [
            DisasmCommand.self, InfoCommand.self, ApplyCommand.self,
            PadCommand.self, VerifyCommand.self, StatsCommand.self, BenchCommand.self, CoverCommand.self,
        ]
    )
}
