import ArgumentParser
import BPFInstructions
import BPFPatch
import Foundation

extension PatchEngineChoice: ExpressibleByArgument {}

/// `bpfpatch apply`: argument parsing and printing only; the work is
/// `PatchSet(json:)`, `SideTables(json:)` and `PatchSet.apply(…engine:)`.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a batch of patches (PATCHES.json) to a program, as the kernel's sequential patching would.",
        discussion: """
            INPUT is raw slots (8 bytes each, little-endian, no header) or an ELF object (recognised \
            by its magic; pick the program section with --section). OUTPUT is raw slots.

            PATCHES.json, patch sites in original slot indices:
              {"patches": [{"at": 12, "insns": ["b701000005000000", "95..."]},
                           {"at": 40, "remove": 3}]}
            TABLES.json (optional), slot indices; -1 marks a deleted insn-array entry:
              {"lineInfo": [0, 3], "subprogs": [0, 12, 20], "pokes": [5], "insnArrays": [[4, -1]]}
            The tables output has the same keys plus "origIdx" (one per output slot).

            Example:
              bpfpatch apply prog.bin --patches patches.json --output patched.bin
              bpfpatch apply prog.o --section xdp --patches p.json --output out.bin \\
                  --engine sequential --tables t.json --tables-output t.out.json

            On any error nothing is written, the exit status is non-zero and one line on stderr \
            names the patch (its position in PATCHES.json) and the original slot.
            """)

    @Argument(help: "The program: raw little-endian slots, or an ELF object (with --section).")
    var input: String

    @Option(help: "The batch, as PATCHES.json.")
    var patches: String

    @Option(help: "Where to write the patched program (raw slots). Written atomically.")
    var output: String

    @Option(help: "batch (the one-pass engine, default) or sequential (the reference model, one step per patch).")
    var engine: PatchEngineChoice = .batch

    @Option(help: "The program section to patch when INPUT is an ELF object.")
    var section: String?

    @Option(help: "Side tables to adjust along, as TABLES.json.")
    var tables: String?

    @Option(help: "Where to write the adjusted tables plus origIdx (JSON).")
    var tablesOutput: String?

    @Flag(help: "Accept results that split an ld_imm64 (as constant blinding does).")
    var allowSplitWideLoads = false

    func run() throws {
        do {
            try apply()
        } catch {
            printError("bpfpatch apply: \(error)")
            throw ExitCode.failure
        }
    }

    private func apply() throws {
        if tables != nil && tablesOutput == nil {
            throw CLIError("--tables needs --tables-output (where the adjusted tables go)")
        }
        let programs = try InputFile.open(input).programs(section: section, path: input)
        guard programs.count == 1, let program = programs.first?.program else {
            throw CLIError("\(input): an ELF object with \(programs.count) program sections needs --section (have: \(programs.map(\.name).joined(separator: ", ")))")
        }
        let batch: PatchSet
        do { batch = try PatchSet(json: try Self.read(patches)) } catch let error as JSONDocumentError {
            throw CLIError("\(patches): \(error)")
        }
        var sideTables = SideTables()
        if let tables {
            do { sideTables = try SideTables(json: try Self.read(tables)) } catch let error as JSONDocumentError {
                throw CLIError("\(tables): \(error)")
            }
        }
        var options = PatchOptions()
        options.allowSplitWideLoads = allowSplitWideLoads
        let result = try batch.apply(to: program, tables: sideTables, options: options, engine: engine)

        var files = [(bytes: result.program.encoded(byteOrder: .littleEndian), path: output)]
        if let tablesOutput {
            files.append((Array(result.tables.json(originalIndices: result.originalIndices).utf8), tablesOutput))
        }
        try writeAtomically(files)   // all or nothing
    }

    private static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("\(path): cannot read the file") }
        return [UInt8](data)
    }
}
