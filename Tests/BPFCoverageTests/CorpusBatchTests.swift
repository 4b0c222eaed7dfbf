import BPFCoverage
import BPFInstructions
import BPFKernelOracle
import BPFObject
import BPFPatch
import BPFTestSupport
import Foundation
import Testing

/// The instrumentation batch on every program section of the corpus,
/// without a kernel: it either succeeds or throws a `CoverageError`
/// (never traps), and in the result every jump, call and function
/// reference lands on the first counter slot of its target block, as
/// computed here by hand from the sequence lengths.
@Suite(.needsCorpus)
struct CorpusBatchTests {
    @Test func referencesLandOnTheirBlocksCounters() throws {
        var checked = 0, refused = 0, references = 0, unsplittable = 0
        for path in try ObjectPaths.expand([TestCorpus.root.path]) {
            guard let object = try? ObjectFile(path: path) else { continue }
            for section in object.programSections {
                let program = section.program
                // Unlinked sections whose cross-section calls hold relocation
                // placeholders may not split (control seems to leave them).
                guard let graph = try? BlockGraph(program: program) else {
                    unsplittable += 1
                    continue
                }
                let plan: CoverageInstrumentation
                do {
                    plan = try CoverageInstrumentation(graph: graph)
                } catch {
                    refused += 1
                    print("corpus batch: refused \(path) \(section.name): \(error)")
                    continue
                }
                let result = try plan.apply(counterMap: 7)
                // New index of each block's first inserted slot, and growth before each block's original slots.
                var grown = 0
                var newStart: [Int] = []
                var shift: [Int] = []  // for original slots of block k (not its first): + everything up to k
                for block in graph.blocks {
                    newStart.append(block.slots.lowerBound.rawValue + grown)
                    grown += plan.sequence(forBlock: block.index, counterMap: 7).count
                    shift.append(grown)
                }
                #expect(result.program.count == program.count + grown, "\(path) \(section.name)")
                for x in 0..<program.count {
                    let insn = program.slots[x]
                    guard let displacement = insn.displacement, !(insn.isLoadImmediate64 && insn.srcNumber != 4) else { continue }
                    let target = x + displacement + 1
                    guard let k = graph.block(containing: SlotIndex(x)), let t = graph.block(containing: SlotIndex(target)) else { continue }
                    let newX = x + shift[k]
                    let moved = result.program.slots[newX]
                    #expect(moved == Instruction(code: insn.code, registers: insn.registers, offset: moved.offset, immediate: moved.immediate),
                            "\(path) \(section.name) slot \(x)")
                    #expect(newX + (moved.displacement ?? 0) + 1 == newStart[t], "\(path) \(section.name) slot \(x)")
                    references += 1
                }
                checked += 1
            }
        }
        print("corpus batch: \(checked) sections instrumented, \(references) references checked, \(refused) refused, "
              + "\(unsplittable) not split into blocks")
        #expect(checked > 100)
    }

    @Test func mutatedProgramsNeverTrap() throws {
        var random = SplitMix64(seed: 12)  // fixed: a failure reproduces
        var attempts = 0
        for path in try ObjectPaths.expand([TestCorpus.root.path]).prefix(40) {
            guard let object = try? ObjectFile(path: path) else { continue }
            for section in object.programSections.prefix(3) where section.program.count > 0 {
                for _ in 0..<20 {
                    var slots = section.program.slots
                    for _ in 0..<3 {
                        let i = Int.random(in: 0..<slots.count, using: &random)
                        slots[i].code = UInt8.random(in: 0...255, using: &random)
                        slots[i].offset = Int16.random(in: -40...40, using: &random)
                        slots[i].registers = UInt8.random(in: 0...255, using: &random)
                    }
                    attempts += 1
                    guard let graph = try? BlockGraph(program: Program(slots: slots)),
                          let plan = try? CoverageInstrumentation(graph: graph) else { continue }
                    _ = try? plan.apply(counterMap: 3)
                    _ = ProgramCoverage(graph: graph, counts: graph.blocks.map { UInt64($0.index) }, runs: 1).branchCounts
                }
            }
        }
        #expect(attempts > 0)
    }
}
