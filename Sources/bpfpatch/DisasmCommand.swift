import ArgumentParser
import BPFDisassembly
import BPFInstructions
import BPFObject

struct DisasmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disasm",
        abstract: "Disassemble the program sections of a BPF ELF object or a raw slot file.",
        discussion: """
            The default llvm format uses llvm-objdump's layout and syntax, so the two diff cleanly:
              bpfpatch disasm prog.o > ours.txt
              llvm-objdump -d --no-show-raw-insn prog.o > theirs.txt
            A raw file (8-byte little-endian slots, no header) is recognised by the absence of the ELF magic.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case llvm, kernel, json
    }

    @Argument(help: "An ELF object (EM_BPF or EM_NONE) or a raw slot file.")
    var file: String

    @Option(help: "Only this program section.")
    var section: String?

    @Option(help: "llvm (llvm-objdump syntax and layout), kernel (a bpftool prog dump xlated listing) or json.")
    var format: Format = .llvm

    @Flag(help: "Interleave source lines from .BTF.ext line info as '; line' comments.")
    var source = false

    func run() throws {
        let input = try InputFile.open(file)
        if case .object(let object) = input {
            for warning in object.warnings { printError("\(file): \(warning)") }
        }
        let programs = try input.programs(section: section, path: file)
        var json: [SectionListing] = []
        var text = ""
        for (k, entry) in programs.enumerated() {
            let disassembler = Disassembler(formatter: format == .kernel ? KernelFormatter() : LLVMFormatter())
            var labels: [(SlotIndex, String)] = []
            var sourceLines: [SlotIndex: String] = [:]
            if let section = entry.section {
                labels = section.functions.map { ($0.slots.lowerBound, $0.name) }
                if source, case .object(let object) = input {
                    for (slot, record) in object.lineInfoSlots(for: section) {
                        if let slot { sourceLines[slot] = record.line }
                    }
                }
            }
            switch format {
            case .json:
                json.append(SectionListing(section: entry.name, instructions: disassembler.records(
                    entry.program, labels: labels, sourceLines: sourceLines)))
            case .llvm:
                text += disassembler.render(section: entry.name, program: entry.program, labels: labels,
                                            sourceLines: sourceLines)
            case .kernel:
                // bpftool lists one program at a time; programs are separated by an empty line.
                text += (k == 0 ? "" : "\n")
                    + disassembler.kernelListing(entry.program, labels: labels, sourceLines: sourceLines)
            }
        }
        print(format == .json ? try jsonText(encoding: json) : text, terminator: format == .json ? "\n" : "")
    }
}
