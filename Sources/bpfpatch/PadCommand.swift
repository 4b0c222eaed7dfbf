import ArgumentParser
import BPFObject
import BPFObjectPatch
import BPFPatch
import Foundation
import OutputFiles

/// `bpfpatch pad`: argument parsing and printing only; the work is
/// `ObjectPatchSet.padding(for:spacing:)` and `ObjectPatchSet.apply(to:)`.
struct PadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pad",
        abstract: "Insert `ja +0` no-ops throughout every program of an object and write the object.",
        discussion: """
            A no-op goes before every K-th instruction (--every K, default 1: before every \
            instruction) or before each instruction with probability Q (--random Q --seed S). \
            Jumps, calls, relocations, symbols, .BTF.ext func/line info and CO-RE records follow; \
            DWARF is removed (with a notice). Loaders and the kernel must treat the result as the \
            same program: the verifier removes the no-ops again.

            Example:
              bpfpatch pad xdp.o --output xdp.padded.o --random 0.3 --seed 7
            """)

    @Argument(help: "The ELF object.")
    var input: String

    @Option(help: "Where to write the padded object. Written atomically.")
    var output: String

    @Option(help: "Insert a no-op before every K-th instruction (K ≥ 1).")
    var every: Int?

    @Option(help: "Insert a no-op before each instruction with this probability (0...1).")
    var random: Double?

    @Option(help: "The seed of --random.")
    var seed: UInt64 = 0

    func validate() throws {
        if every != nil && random != nil { throw ValidationError("give --every or --random, not both") }
        if let every, every < 1 { throw ValidationError("--every must be at least 1") }
        if let random, !(0...1).contains(random) { throw ValidationError("--random must lie in 0...1") }
    }

    func run() throws {
        do {
            guard case .object(let object) = try InputFile.open(input) else {
                throw CLIError("\(input): not an ELF object")
            }
            let spacing: PaddingSpacing = random.map { .random(probability: $0, seed: seed) } ?? .every(every ?? 1)
            let batch = try ObjectPatchSet.padding(for: object, spacing: spacing)
            let padded = try batch.apply(to: object)
            for notice in padded.notices { printError("bpfpatch pad: note: \(notice)") }
            try writeOutputs([OutputFile(path: output, bytes: padded.bytes)])
            printError("bpfpatch pad: \(batch.patches.filter { !$0.operation.isRemovalOperation }.count) no-ops in \(padded.sections.count) sections")
        } catch let error as ValidationError {
            throw error
        } catch {
            printError("bpfpatch pad: \(error)")
            throw ExitCode.failure
        }
    }
}

private extension Patch.Operation {
    var isRemovalOperation: Bool { if case .remove = self { return true } else { return false } }
}
