import ArgumentParser

@main
struct BPFPatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bpfpatch",
        abstract: "Rewrite eBPF programs with a batched patch engine identical to the kernel's sequential patching.",
        subcommands: [
            DisasmCommand.self, InfoCommand.self, ApplyCommand.self,
            VerifyCommand.self, StatsCommand.self, BenchCommand.self, CoverCommand.self,
        ]
    )
}
