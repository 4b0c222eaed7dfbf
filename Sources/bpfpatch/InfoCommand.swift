import ArgumentParser

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "(not yet implemented)")
    func run() throws { throw ValidationError("info is not implemented yet") }
}
