import BPFInstructions
import BPFKernel
import BPFKernelOracle
import BPFObject
import BPFTestSupport
import Foundation
import Testing

/// The repository's own sample objects (`samples/*.o`, built from the C
/// sources beside them by `samples/build.sh`): each parses with the
/// contents its source promises, and loads and survives `ja +0` padding in
/// the live kernel exactly as `bpfpatch verify samples/` checks.
@Suite struct SamplesTests {
    /// `<repo>/samples`.
    static let directory = PackageLayout.root.appendingPathComponent("samples").path

    /// What each sample must contain: its entry sections, the functions of
    /// every program section, and whether the program is test-runnable.
    struct Expectation: Sendable, CustomStringConvertible {
        var file: String
        var functions: [String: [String]]   // program section -> function symbols in slot order
        var programType: ProgramType
        var description: String { file }
    }

    static let expectations: [Expectation] = [
        Expectation(file: "xdp_filter.o", functions: ["xdp": ["xdp_filter"]], programType: .xdp),
        Expectation(file: "tc_classify.o", functions: ["tc": ["tc_classify"]], programType: .schedClassifier),
        Expectation(file: "socket_filter.o", functions: ["socket": ["socket_filter"]], programType: .socketFilter),
        Expectation(file: "bpf2bpf.o",
                    functions: ["xdp": ["xdp_checksum"], ".text": ["header_sum", "fold", "add_byte", "weight"]],
                    programType: .xdp),
        Expectation(file: "map_counter.o", functions: ["socket": ["count_protocols"]], programType: .socketFilter),
        Expectation(file: "isa_v4.o", functions: ["xdp": ["xdp_v4"]], programType: .xdp),
    ]

    static func path(_ file: String) -> String { directory + "/" + file }

    @Test func everySampleIsListed() throws {
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: Self.directory).filter { $0.hasSuffix(".o") }
        #expect(onDisk.sorted() == Self.expectations.map(\.file).sorted())
        let sources = try FileManager.default.contentsOfDirectory(atPath: Self.directory).filter { $0.hasSuffix(".c") }
        #expect(sources.map { $0.dropLast(2) + ".o" }.sorted() == onDisk.sorted(), "every object has its C source")
    }

    @Test(arguments: expectations)
    func parses(_ expected: Expectation) throws {
        let object = try ObjectFile(path: Self.path(expected.file))
        #expect(object.warnings.isEmpty, "\(object.warnings)")
        #expect(object.license == "GPL")
        #expect(object.btf != nil && object.btfExt != nil, "built with -g: BTF and .BTF.ext")
        #expect(Set(object.programSections.map(\.name)) == Set(expected.functions.keys))
        for section in object.programSections {
            #expect(section.functions.map(\.name) == expected.functions[section.name], "\(section.name)")
            #expect(!section.program.slots.isEmpty)
            // -g gives one func_info record per function and line info for every section.
            #expect(object.funcInfo(for: section).count == section.functions.count, "\(section.name)")
            #expect(!object.lineInfo(for: section).isEmpty, "\(section.name)")
        }
    }

    /// The features each sample exists to show are really in its code.
    @Test func samplesContainTheirFeatures() throws {
        func slots(_ file: String) throws -> [Instruction] {
            try ObjectFile(path: Self.path(file)).programSections.flatMap(\.program.slots)
        }
        let calls = try slots("bpf2bpf.o")
        #expect(calls.filter { $0.isCall && $0.callKind == .pseudoCall }.count >= 3, "bpf-to-bpf calls")
        // The callback's address is an ld_imm64 with a relocation; the loader
        // turns it into a function reference (src_reg BPF_PSEUDO_FUNC).
        #expect(calls.contains { $0.isLoadImmediate64 })

        let map = try ObjectFile(path: Self.path("map_counter.o"))
        #expect(map.mapSections.map(\.name) == [".maps"])

        let v4 = try slots("isa_v4.o")
        func signExtendingLoad(_ size: AccessSize) -> Bool {
            v4.contains { $0.instructionClass == .ldx && $0.accessMode == .memsx && $0.accessSize == size }
        }
        #expect(signExtendingLoad(.byte) && signExtendingLoad(.halfWord) && signExtendingLoad(.word))
        // ISA v4 reuses off as a variant selector: movsx (mov, off 8/16/32), sdiv/smod (off 1).
        func arithmetic(_ operation: ALUOperation, offset: Int16) -> Bool {
            v4.contains { $0.instructionClass.isArithmetic && $0.aluOperation == operation && $0.offset == offset }
        }
        #expect(arithmetic(.mov, offset: 8) && arithmetic(.mov, offset: 32), "movsx")
        #expect(arithmetic(.div, offset: 1), "sdiv")
        #expect(arithmetic(.mod, offset: 1), "smod")
        #expect(v4.contains { $0.instructionClass == .alu64 && $0.aluOperation == .end }, "bswap")
        #expect(v4.contains { $0.instructionClass == .jmp32 && $0.jumpOperation == .ja }, "gotol")
    }

    /// `bpfpatch verify samples/`: every sample loads, and the same program
    /// padded with `ja +0` no-ops by the batch engine translates to the same
    /// code and line info and behaves the same under test runs.
    @Test(.needsKernel, arguments: expectations)
    func verifiesInTheKernel(_ expected: Expectation) throws {
        let results = try PaddingVerifier.verify(path: Self.path(expected.file), options: VerifyOptions(seed: 11, density: 0.5))
        #expect(results.count == 1, "one entry program per sample")
        for result in results {
            #expect(result.outcome == .identical, "\(result.section): \(result.reason ?? "") \(result.differences)")
            #expect(result.nopsInserted > 0)
            #expect(result.programType == "\(expected.programType)")
            // Every sample's type is one BPF_PROG_TEST_RUN can run.
            #expect(result.testRuns > 0, "\(result.section): \(result.testRunNote ?? "")")
        }
    }
}
