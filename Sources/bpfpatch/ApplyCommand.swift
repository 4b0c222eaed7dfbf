import ArgumentParser

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apply", abstract: "(not yet implemented)")
    func run() throws { throw ValidationError("apply is not implemented yet") }
}
