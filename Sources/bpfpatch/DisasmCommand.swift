import ArgumentParser

struct DisasmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disasm", abstract: "(not yet implemented)")
    func run() throws { throw ValidationError("disasm is not implemented yet") }
}
