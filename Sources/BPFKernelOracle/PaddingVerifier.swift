import BPFInstructions
import BPFKernel
import BPFObject
import BPFObjectPatch
import BPFPatch

/// Checks the batch engine against the live verifier: every program of an
/// object is loaded as is and again with `ja +0` no-ops inserted by the
/// engine; the verifier removes the no-ops, so both must translate to the
/// same code, line info and behaviour.
///
///     let results = try PaddingVerifier.verify(path: "xdp.o", options: VerifyOptions(seed: 7))
///     print(results.map(\.outcome))
public enum PaddingVerifier {
    /// Program types that `BPF_PROG_TEST_RUN` runs on a packet without attachment.
    public static let testRunTypes: Set<ProgramType> = [
        .socketFilter, .schedClassifier, .schedAction, .xdp, .cgroupSkb, .lwtIn, .lwtOut, .lwtXmit,
    ]

    /// Verifies every entry program of the object at `path`.
    ///
    /// - Throws: `OracleError` when the object cannot be read.
    /// - Complexity: O(p · n) plus four verifier runs per program (with
    ///   and without BTF), p programs of n slots.
    public static func verify(path: String, options: VerifyOptions) throws(OracleError) -> [ProgramVerification] {
        let loader: ObjectLoader
        do throws(ObjectError) {
            loader = try ObjectLoader(path: path)
        } catch {
            throw OracleError(.unreadableObject, path: path, "\(error)")
        }
        return loader.candidates.map { verify($0, in: loader, options: options) }
    }

    /// Verifies one entry program.
    ///
    /// - Complexity: as `verify(path:options:)` for one program.
    public static func verify(_ candidate: ProgramCandidate, in loader: ObjectLoader,
                              options: VerifyOptions) -> ProgramVerification {
        let typeName = SectionConvention.match(candidate.section).map { "\($0.programType)" } ?? "?"
        var result = ProgramVerification(object: loader.name, section: candidate.section, name: candidate.name,
                                         programType: typeName, outcome: .notLoaded)
        let linked: LinkedProgram
        do throws(LoadFailure) {
            linked = try loader.link(candidate)
        } catch {
            result.reason = error.description
            return result
        }
        result.originalSlots = linked.program.count
        let original = loader.load(linked, readInfo: true)
        guard original.isLoaded, let originalProgram = original.program else {
            result.reason = original.failure?.description ?? "not loaded"
            return result
        }
        guard let originalInfo = original.info, !originalInfo.translated.slots.isEmpty else {
            result.outcome = .skipped
            result.reason = "no xlated dump (\(original.notes.last ?? "kernel withheld it"))"
            return result
        }
        result.xlatedSlots = originalInfo.translated.count

        // The padded copy, through the batch engine, with func/line info remapped.
        var padded = linked
        do throws(PatchError) {
            let insertion = try NopInsertion(program: linked.program, seed: options.seed, density: options.density)
            result.nopsInserted = insertion.sites.count
            let tables = SectionTables(program: linked.program, funcInfo: linked.funcInfo.map(\.instruction),
                                       lineInfo: linked.lineInfo.map(\.instruction))
            let applied = try insertion.patches.apply(to: linked.program, tables: tables.sideTables)
            padded.program = applied.program
            for (k, slot) in tables.lineInfoSlots(in: applied.tables).enumerated() { if let slot { padded.lineInfo[k].instruction = slot } }
            for (k, start) in tables.funcInfoStarts(in: applied.tables).enumerated() { if let start { padded.funcInfo[k].instruction = start } }
        } catch {
            result.outcome = .differed
            result.reason = "batch engine refused the no-op batch: \(error)"
            return result
        }
        let second = loader.load(padded, readInfo: true)
        guard second.isLoaded, let paddedProgram = second.program, let paddedInfo = second.info else {
            result.outcome = .differed
            result.reason = "padded program not loaded: " + (second.failure?.description ?? second.notes.joined(separator: "; "))
            return result
        }
        result.paddedXlatedSlots = paddedInfo.translated.count
        if original.usedBTF != second.usedBTF {
            result.differences.append("BTF used: original \(original.usedBTF), padded \(second.usedBTF)")
        }

        let comparison = XlatedComparison(originalInfo.translated, paddedInfo.translated)
        result.maskedSlots = comparison.maskedSlots
        if comparison.leftCount != comparison.rightCount {
            result.differences.append("xlated length \(comparison.leftCount) vs \(comparison.rightCount)")
        }
        for slot in comparison.differingSlots.prefix(5) {
            let a = originalInfo.translated.slots[slot].hex
            let b = slot < paddedInfo.translated.count ? paddedInfo.translated.slots[slot].hex : "-"
            result.differences.append("xlated slot \(slot): \(a) vs \(b)")
        }
        if comparison.differingSlots.count > 5 {
            result.differences.append("… \(comparison.differingSlots.count) differing slots in all")
        }
        result.lineInfoRecords = originalInfo.lineInfo.count
        if originalInfo.lineInfo != paddedInfo.lineInfo {
            let firstBad = zip(originalInfo.lineInfo, paddedInfo.lineInfo).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            result.differences.append("xlated line info differs (\(originalInfo.lineInfo.count) vs \(paddedInfo.lineInfo.count) records"
                                      + (firstBad.map { ", first at record \($0)" } ?? "") + ")")
        }
        if originalInfo.funcInfo != paddedInfo.funcInfo {
            result.differences.append("xlated func info differs")
        }

        compareTestRuns(originalProgram, paddedProgram, type: linked.type, program: linked.program, options: options, into: &result)
        result.outcome = result.differences.isEmpty ? .identical : .differed
        if !result.differences.isEmpty { result.reason = result.differences[0] }
        return result
    }

    /// Runs both programs on the same packets and compares return values
    /// and output data.
    static func compareTestRuns(_ a: KernelProgram, _ b: KernelProgram, type: ProgramType, program: Program,
                                options: VerifyOptions, into result: inout ProgramVerification) {
        guard testRunTypes.contains(type) else {
            result.testRunNote = "\(type) cannot be test-run without attachment"
            return
        }
        if let helper = UnrepeatableHelpers.firstCall(in: program) {
            result.testRunNote = "not compared: calls helper \(helper.rawValue) (random numbers, CPU id or a coarse clock)"
            return
        }
        for (k, size) in options.packetSizes.enumerated() {
            let packet = TestPackets.packet(size: size, seed: options.seed &+ UInt64(k))
            let request = TestRunRequest(data: packet)
            let first: Result<TestRunResult, KernelError>
            let second: Result<TestRunResult, KernelError>
            do throws(KernelError) { first = .success(try a.testRun(request)) } catch { first = .failure(error) }
            do throws(KernelError) { second = .success(try b.testRun(request)) } catch { second = .failure(error) }
            switch (first, second) {
            case (.success(let x), .success(let y)):
                // A program that calls bpf_get_prandom_u32 or keeps state in
                // maps need not repeat itself: run the original again and
                // compare only when it does.
                let again = try? a.testRun(request)
                if again?.returnValue != x.returnValue || again?.dataOut != x.dataOut {
                    result.nondeterministicRuns += 1
                    continue
                }
                result.testRuns += 1
                if x.returnValue != y.returnValue {
                    result.differences.append("test run (\(size) bytes): retval \(x.returnValue) vs \(y.returnValue)")
                } else if x.dataOut != y.dataOut {
                    result.differences.append("test run (\(size) bytes): output data differs")
                }
            case (.failure(let x), .failure(let y)):
                if x.errno != y.errno {
                    result.differences.append("test run (\(size) bytes): \(x.errno?.name ?? "?") vs \(y.errno?.name ?? "?")")
                } else if result.testRunNote == nil {
                    result.testRunNote = "test run refused: \(x.errno?.name ?? x.message)"
                }
            case (.success, .failure(let y)):
                result.differences.append("test run (\(size) bytes): only the original ran; padded: \(y)")
            case (.failure(let x), .success):
                result.differences.append("test run (\(size) bytes): only the padded ran; original: \(x)")
            }
        }
    }
}
