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
        var json: [[String: Any]] = []
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
                let names = Dictionary(labels.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
                json.append([
                    "section": entry.name,
                    "instructions": disassembler.lines(entry.program).map { line -> [String: Any] in
                        let slots = entry.program.slots[line.index.rawValue..<(line.index.rawValue + line.slotCount)]
                        var record: [String: Any] = [
                            "index": line.index.rawValue, "text": line.text,
                            "hex": slots.map(\.hex), "valid": line.isValid,
                        ]
                        if let label = names[line.index] { record["function"] = label }
                        if let source = sourceLines[line.index] { record["source"] = source }
                        return record
                    },
                ])
            case .llvm:
                text += disassembler.render(section: entry.name, program: entry.program, labels: labels,
                                            sourceLines: sourceLines)
            case .kernel:
                // bpftool lists one program at a time; programs are separated by an empty line.
                text += (k == 0 ? "" : "\n")
                    + disassembler.kernelListing(entry.program, labels: labels, sourceLines: sourceLines)
            }
        }
        print(format == .json ? try jsonText(json) : text, terminator: format == .json ? "\n" : "")
    }
}
