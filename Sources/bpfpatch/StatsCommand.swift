import ArgumentParser

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "(not yet implemented)")
    func run() throws { throw ValidationError("stats is not implemented yet") }
}
