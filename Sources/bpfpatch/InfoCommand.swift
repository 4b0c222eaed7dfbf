import ArgumentParser
import BPFInstructions
import BPFObject
import Foundation

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Summarise a BPF ELF object: sections, programs, functions, relocations, BTF.",
        discussion: "Example: bpfpatch info samples/bpf2bpf.o --json")

    @Argument(help: "An ELF object (EM_BPF or EM_NONE).")
    var file: String

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        guard case .object(let object) = try InputFile.open(file) else {
            throw CLIError("\(file): not an ELF object (info needs section headers)")
        }
        let summary = ObjectSummary(object, file: file)
        if json {
            print(try jsonText(encoding: summary))
        } else {
            print(summary.text, terminator: "")
        }
    }
}
