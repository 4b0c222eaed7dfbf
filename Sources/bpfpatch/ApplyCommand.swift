import ArgumentParser
import BPFInstructions
import BPFObject
import BPFObjectPatch
import BPFPatch
import Foundation
import OutputFiles

extension PatchEngineChoice: ExpressibleByArgument {}

/// `bpfpatch apply`: argument parsing and printing only; the work is
/// `PatchSet(json:)`, `SideTables(json:)` and `PatchSet.apply(…engine:)`,
/// or for an object out `ObjectPatchSet(json:)` and `ObjectPatchSet.apply(to:)`.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a batch of patches (PATCHES.json) to a program, as the kernel's sequential patching would.",
        discussion: """
            INPUT is raw slots (8 bytes each, little-endian, no header) or an ELF object (recognised \
            by its magic). With raw slots, or an object and --section, OUTPUT is raw slots. With an \
            object and no --section, OUTPUT is the patched object: relocations, symbols, .BTF.ext \
            func/line info and CO-RE records follow the code; DWARF is removed (with a notice).

            PATCHES.json: sites are original slot indices; each of "insns" is one slot as \
            16 hex digits (its 8 bytes in little-endian order, also for big-endian objects):
              {"patches": [
                {"at": 12, "insns": ["b701000005000000", "9500000000000000"]},
                {"at": 40, "remove": 3}]}
            TABLES.json (optional), slot indices; -1 marks a deleted insn-array entry:
              {"lineInfo": [0, 3], "subprogs": [0, 12, 20], "pokes": [5],
               "insnArrays": [[4, -1]]}
            The tables output has the same keys plus "origIdx" (one per output slot).

            For an object out, each patch also names its "section", optionally a "function" symbol \
            (then "at" counts from the function's first slot), the "original" position of a \
            replacement (the slot that re-emits the replaced instruction: its relocation and CO-RE \
            record follow that slot; replacing or removing a relocated slot without it is an error), \
            and "relocations" to add for inserted ld_imm64s (map symbol) and calls (function symbol):
              {"patches": [
                {"section": "xdp", "function": "prog", "at": 4,
                 "insns": ["1801000000000000", "0000000000000000",
                           "85100000ffffffff"],
                 "original": 2,
                 "relocations": [{"at": 0, "symbol": "counters"}]},
                {"section": ".text", "at": 9, "remove": 1}]}

            Example:
              bpfpatch apply prog.bin --patches patches.json --output patched.bin
              bpfpatch apply prog.o --section xdp --patches p.json --output out.bin \\
                  --engine sequential --tables t.json --tables-output t.out.json
              bpfpatch apply prog.o --patches p.json --output patched.o

            On any error nothing is written, the exit status is non-zero and one line on stderr \
            names the patch (its position in PATCHES.json) and the original slot.
            """)

    @Argument(help: "The program: raw little-endian slots, or an ELF object (patched whole, or one --section).")
    var input: String

    @Option(help: "The batch, as PATCHES.json.")
    var patches: String

    @Option(help: "Where to write the patched program (raw slots) or object. Written atomically.")
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
        var options = PatchOptions()
        options.allowSplitWideLoads = allowSplitWideLoads
        let file = try InputFile.open(input)
        if case .object(let object) = file, section == nil {
            try applyToObject(object, options: options)
            return
        }
        let programs = try file.programs(section: section, path: input)
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
        let result = try batch.apply(to: program, tables: sideTables, options: options, engine: engine)

        var files = [OutputFile(path: output, bytes: result.program.encoded(byteOrder: .littleEndian))]
        if let tablesOutput {
            files.append(OutputFile(path: tablesOutput, bytes: Array(result.tables.json(originalIndices: result.originalIndices).utf8)))
        }
        try writeOutputs(files)   // all or nothing
    }

    /// An object in, an object out.
    private func applyToObject(_ object: ObjectFile, options: PatchOptions) throws {
        if tables != nil || tablesOutput != nil {
            throw CLIError("--tables/--tables-output work on one program (--section); an object out carries its own tables")
        }
        let batch: ObjectPatchSet
        do { batch = try ObjectPatchSet(json: try Self.read(patches)) } catch let error as JSONDocumentError {
            throw CLIError("\(patches): \(error)")
        }
        let patched = try batch.apply(to: object, options: options, engine: engine)
        for notice in patched.notices { printError("bpfpatch apply: note: \(notice)") }
        try writeOutputs([OutputFile(path: output, bytes: patched.bytes)])
    }

    private static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("\(path): cannot read the file") }
        return [UInt8](data)
    }
}
