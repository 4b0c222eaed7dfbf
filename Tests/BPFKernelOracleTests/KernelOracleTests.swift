import BPFInstructions
import BPFKernel
import BPFObject
import BPFPatch
import Testing
@testable import BPFKernelOracle

/// Checks against the live kernel; each skips with a printed reason when
/// bpf(2) is unavailable. Expected values come from the kernel itself
/// (the verifier removes `ja +0`) or from hand derivation.
@Suite(.serialized) struct KernelOracleTests {
    /// A handful of small objects: XDP with maps and test runs (no BTF),
    /// BTF + line info + global data, bpf-to-bpf calls.
    static let verifyObjects = [
        "ebpf-samples/prototype-kernel/xdp_ddos01_blacklist_kern.o",
        "cilium-ebpf/testdata/loader-clang-17-el.elf",
        "cilium-ebpf/testdata/linked-el.elf",
        "cilium-ebpf/btf/testdata/relocs_read-el.elf",
    ]

    @Test func paddingWithNoOpsChangesNothingAfterVerification() throws {
        guard kernelAvailable(), Corpus.isPresent() else { return }
        var loaded = 0, nops = 0, runs = 0, lines = 0
        for object in Self.verifyObjects {
            let results = try PaddingVerifier.verify(path: Corpus.path(object), options: VerifyOptions(seed: 5, density: 0.4))
            for result in results where result.outcome != .notLoaded {
                #expect(result.outcome == .identical, "\(object) \(result.name): \(result.differences)")
                #expect(result.xlatedSlots == result.paddedXlatedSlots)
                loaded += 1
                nops += result.nopsInserted
                runs += result.testRuns
                lines += result.lineInfoRecords
            }
        }
        // The check must have had something to check.
        #expect(loaded >= 8)
        #expect(nops > 100)
        #expect(runs > 0)
        #expect(lines > 0)
    }

    @Test func aPaddedProgramThatChangesBehaviourIsCaught() throws {
        guard kernelAvailable() else { return }
        // Sanity of the comparison itself: two different programs must not
        // compare identical. r0 = 1 vs r0 = 2 (socket filter).
        let a = try KernelProgram.load(ProgramLoadRequest(type: .socketFilter, program: Program(slots: [Asm.mov(.r0, 1), Asm.exit])))
        let b = try KernelProgram.load(ProgramLoadRequest(type: .socketFilter, program: Program(slots: [Asm.mov(.r0, 2), Asm.exit])))
        #expect(!XlatedComparison(try a.info().translated, try b.info().translated).isIdentical)
        var result = ProgramVerification(object: "t", section: "s", name: "n", programType: "socket_filter", outcome: .identical)
        PaddingVerifier.compareTestRuns(a, b, type: .socketFilter, program: Program(slots: [Asm.mov(.r0, 1), Asm.exit]), options: VerifyOptions(packetSizes: [64]), into: &result)
        #expect(result.differences.count == 1)
    }

    /// The check is not vacuous: a bounded loop padded by the engine
    /// translates to the original, while the same no-op inserted by a raw
    /// replacement (kernel semantics, so the re-emitted backward jump
    /// keeps its old displacement and now lands on the no-op) does not.
    ///
    ///     0 r0 = 0
    ///     1 r0 += 1
    ///     2 if r0 < 5 goto -2   (→ 1)
    ///     3 exit
    @Test func aWrongNoOpBatchIsCaught() throws {
        guard kernelAvailable() else { return }
        let jlt = Instruction(code: 0xa5, dst: .r0, offset: -2, immediate: 5)
        let program = Program(slots: [Asm.mov(.r0, 0), Asm.add(.r0, 1), jlt, Asm.exit])
        func xlated(_ p: Program) -> Program? {
            guard let loaded = try? KernelProgram.load(ProgramLoadRequest(type: .socketFilter, program: p)) else { return nil }
            return try? loaded.info().translated
        }
        let original = try #require(xlated(program))
        let right = try NopInsertion(program: program, seed: 1, density: 1).patches.apply(to: program).program
        #expect(right.count == 8)
        let padded = try #require(xlated(right), "the correctly padded loop must load")
        #expect(XlatedComparison(original, padded).isIdentical)
        var wrong = PatchSet()
        wrong.replace(SlotIndex(2), with: [NopInsertion.nop, jlt])
        let bad = try wrong.apply(to: program).program
        if let badXlated = xlated(bad) {
            #expect(!XlatedComparison(original, badXlated).isIdentical)
        }  // else: the verifier refused the now endless loop, which verify reports as a difference too
    }

    /// A socket filter with three rewrites the verifier is documented to
    /// make, derived by hand:
    ///
    ///     0 call bpf_get_prandom_u32   helper call: imm becomes an offset (in place)
    ///     1 r1 = r0
    ///     2 r0 = 100
    ///     3 r0 /= r1                  division by a register: a zero guard is added (expanded)
    ///     4 if r0 > 10 goto +1        kept jump: must land on slot 6's replacement
    ///     5 r0 = 0
    ///     6 r1 = map[fd]              map fd becomes the map's id in the dump (in place)
    ///     8 exit
    @Test func statsFindsTheKernelsRewritesOfAHandBuiltProgram() throws {
        guard kernelAvailable() else { return }
        let map = try KernelMap.create(MapDefinition(type: .array, keySize: 4, valueSize: 8, maxEntries: 1, name: "oracle_test"))
        let program = Program(slots: [Asm.call(7), Asm.movReg(.r1, .r0), Asm.mov(.r0, 100), Asm.divReg(.r0, .r1),
                                      Asm.jgt(.r0, 10, 1), Asm.mov(.r0, 0)]
                              + Asm.loadMap(.r1, fd: map.descriptor.rawValue) + [Asm.exit])
        var input = LinkedProgram(type: .socketFilter, program: program, name: "oracle_rw")
        input.maps = [map.descriptor]
        let stats = KernelPatchStatistics.measure(input, object: "hand")
        guard stats.loaded else {
            Issue.record("kernel refused the hand-built program: \(stats.reason ?? "?")")
            return
        }
        print("hand-built: \(stats.xlatedSlots) xlated, sizes \(stats.patchSizes), in place \(stats.rewrittenInPlace), examples \(stats.examples)")
        #expect(stats.originalInstructions == 8)
        #expect(stats.unmappedSites == 0)
        #expect(stats.expanded == 1)                       // the division
        #expect(stats.rewrittenInPlace["helper call"] == 1)
        #expect(stats.rewrittenInPlace["map load"] == 1)
        #expect(stats.removed == 0)
        #expect(stats.xlatedSlots > program.count)
        let rebuilt = try #require(stats.rebuilt)
        #expect(rebuilt.engineError == nil)
        #expect(rebuilt.agree == 1 && rebuilt.disagree == 0)  // the jump at 4
        #expect(rebuilt.positionsDisagree == 0)
        #expect(rebuilt.programIdentical)
        // One expansion: sequential copies the program once at its new length.
        #expect(stats.sequentialCopyCost == stats.xlatedSlots)
        #expect(stats.batchCopyCost == program.count + stats.xlatedSlots)
    }

    @Test func statsOnCorpusObjectsAgreeWithTheKernel() throws {
        guard kernelAvailable(), Corpus.isPresent() else { return }
        var loaded = 0, kept = 0, mapLoads = 0
        for object in Self.verifyObjects + ["cilium-ebpf/testdata/kfunc-el.elf"] {
            for stats in try KernelPatchStatistics.measure(path: Corpus.path(object)) where stats.loaded {
                loaded += 1
                let rebuilt = try #require(stats.rebuilt, "\(object) \(stats.name): \(stats.reason ?? "")")
                #expect(rebuilt.engineError == nil, "\(object) \(stats.name)")
                #expect(rebuilt.disagree == 0 && rebuilt.sliceExitsDisagree == 0 && rebuilt.positionsDisagree == 0,
                        "\(object) \(stats.name): \(rebuilt.details)")
                #expect(rebuilt.programIdentical, "\(object) \(stats.name): \(rebuilt.details)")
                #expect(stats.unmappedSites == 0)
                kept += rebuilt.agree
                mapLoads += stats.rewrittenInPlace["map load", default: 0]
            }
        }
        #expect(loaded >= 8)
        #expect(kept > 30)
        #expect(mapLoads > 0)
    }

    @Test(.enabled(if: Corpus.wholeCorpusRequested, "set BPFPATCH_ORACLE_CORPUS=1 for the whole corpus"))
    func wholeCorpusVerifiesAndAgrees() throws {
        guard kernelAvailable(), Corpus.isPresent() else { return }
        for file in try ObjectPaths.expand([Corpus.root]) {
            guard let results = try? PaddingVerifier.verify(path: file, options: VerifyOptions()) else { continue }
            for result in results {
                #expect(result.outcome != .differed, "\(file) \(result.name): \(result.differences)")
            }
            for stats in (try? KernelPatchStatistics.measure(path: file)) ?? [] {
                guard let rebuilt = stats.rebuilt else { continue }
                #expect(rebuilt.programIdentical && rebuilt.disagree == 0, "\(file) \(stats.name): \(rebuilt.details)")
            }
        }
    }
}
