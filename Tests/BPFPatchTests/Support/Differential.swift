import BPFInstructions
@testable import BPFPatch
import Testing

/// One differential case: a program, its tables and a batch.
struct DiffCase: CustomStringConvertible, Sendable {
    var program: Program
    var tables: SideTables
    var patches: PatchSet
    var options: PatchOptions = PatchOptions()

    var description: String {
        var s = "program (\(program.count) slots):\n"
        for (i, slot) in program.slots.enumerated() where program.count <= 64 || slot.referenceField != nil {
            s += "  \(i): \(slot.hex)\n"
        }
        if program.count > 64 { s += "  (other slots: no references)\n" }
        s += "patches:\n"
        for (k, p) in patches.patches.enumerated() {
            switch p.operation {
            case .replace(let insns): s += "  #\(k) at \(p.site) replace by [\(insns.map(\.hex).joined(separator: ", "))]"
            case .remove(let count): s += "  #\(k) at \(p.site) remove \(count)"
            }
            if !p.fixups.isEmpty { s += " fixups \(p.fixups)" }
            s += "\n"
        }
        s += "tables: lineInfo \(tables.lineInfo?.slots.map(\.rawValue) ?? []) subprogs \(tables.subprograms?.starts.map(\.rawValue) ?? []) pokes \(tables.pokes?.slots.map(\.rawValue) ?? []) arrays \(tables.instructionArrays.map { $0.entries.map { $0?.rawValue ?? -1 } })\n"
        s += "options: \(options)"
        return s
    }
}

/// What the differential comparison found.
enum DiffOutcome: Equatable {
    /// Both engines produced the same result.
    case agreedSuccess
    /// Both engines rejected the batch with the same kind.
    case agreedFailure(PatchError.Kind)
    /// A disagreement, described.
    case mismatch(String)

    var mismatchDescription: String? {
        if case .mismatch(let s) = self { return s }
        return nil
    }
}

/// Runs the batch engine and the sequential model on the same case and
/// compares everything: slots, every side table, `orig_idx`, origins, and
/// for failures the error kind (and the patch number for range errors).
///
/// Range errors follow the kernel's per-step check in both, removals or
/// not: the failing patch must be the same.
/// The reusing form, `apply(into:workspace:)`, on a workspace and output
/// already used (an identity apply, so the index map's storage is reused,
/// and an output holding stale slots of another length), and forced onto the
/// compact index map's lookup, must give exactly what `apply(to:)` gives: the same program, tables and index map, or the
/// same error with the output emptied. Nil when it does.
func compareWorkspaceApply(_ c: DiffCase, _ engine: Result<PatchResult, PatchError>) -> String? {
    let workspace = PatchWorkspace()
    let stale = Instruction(code: 0x05, offset: 0x7abc, immediate: 0x1234_5678)
    var output = [Instruction](repeating: stale, count: c.program.count % 3 == 0 ? c.program.count + 5 : 1)
    do {
        _ = try PatchSet().apply(to: c.program, into: &output, workspace: workspace)
        guard output == c.program.slots else { return "the identity apply changed the program" }
    } catch {
        // Only a program over the limit is refused with no patch.
    }
    output += [stale, stale]
    // Through the compact index map, whatever the size: `apply(to:)` takes
    // the dense table for these small programs, so both lookups are checked.
    var compact = c.options
    compact.denseLookupLimit = 0
    let tables: SideTables
    do {
        tables = try c.patches.apply(to: c.program, tables: c.tables, into: &output, workspace: workspace, options: compact)
    } catch {
        guard case .failure(let expected) = engine else { return "threw \(error), apply(to:) succeeded" }
        guard error == expected else { return "threw \(error), apply(to:) threw \(expected)" }
        return output.isEmpty ? nil : "output not emptied on a throw"
    }
    guard case .success(let expected) = engine else { return "succeeded, apply(to:) threw" }
    if output != expected.program.slots { return "programs differ" }
    if tables != expected.tables { return "tables differ" }
    if workspace.indexMap != expected.indexMap { return "index maps differ" }
    return nil
}

func compareEngines(_ c: DiffCase) -> DiffOutcome {
    let model: Result<SequentialResult, PatchError>
    do { model = .success(try c.patches.applySequentially(to: c.program, tables: c.tables, options: c.options)) }
    catch { model = .failure(error) }
    let engine: Result<PatchResult, PatchError>
    do { engine = .success(try c.patches.apply(to: c.program, tables: c.tables, options: c.options)) }
    catch { engine = .failure(error) }
    if let problem = compareWorkspaceApply(c, engine) {
        return .mismatch("apply(into:workspace:) differs from apply(to:): \(problem)\n" + c.description)
    }

    switch (model, engine) {
    case (.success(let m), .success(let e)):
        var problems: [String] = []
        if m.program.slots != e.program.slots {
            let k = zip(m.program.slots, e.program.slots).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            problems.append("slots differ (model \(m.program.count) slots, engine \(e.program.count); first difference at \(k.map(String.init) ?? "end"): model \(k.map { m.program.slots[$0].hex } ?? "-") engine \(k.map { e.program.slots[$0].hex } ?? "-"))")
        }
        if m.tables.lineInfo != e.tables.lineInfo {
            problems.append("lineInfo: model \(m.tables.lineInfo?.entries.map { "\($0.record)@\($0.slot)" } ?? []) engine \(e.tables.lineInfo?.entries.map { "\($0.record)@\($0.slot)" } ?? [])")
        }
        if m.tables.subprograms != e.tables.subprograms {
            problems.append("subprograms: model \(m.tables.subprograms?.entries.map { "\($0.subprogram)@\($0.start)" } ?? []) engine \(e.tables.subprograms?.entries.map { "\($0.subprogram)@\($0.start)" } ?? [])")
        }
        if m.tables.pokes != e.tables.pokes {
            problems.append("pokes: model \(m.tables.pokes?.slots ?? []) engine \(e.tables.pokes?.slots ?? [])")
        }
        if m.tables.instructionArrays != e.tables.instructionArrays {
            problems.append("insnArrays: model \(m.tables.instructionArrays.map { $0.entries.map { $0?.rawValue ?? -1 } }) engine \(e.tables.instructionArrays.map { $0.entries.map { $0?.rawValue ?? -1 } })")
        }
        if e.indexMap.originalCount == c.program.count, e.indexMap.newCount == e.program.count {
            let origIdx = e.indexMap.originalIndices()
            if m.originalIndices != origIdx { problems.append("origIdx: model \(m.originalIndices) engine \(origIdx)") }
            let origins = e.indexMap.originalSlots()
            if m.origins != origins { problems.append("origins: model \(m.origins.map(\.rawValue)) engine \(origins.map(\.rawValue))") }
        } else {
            problems.append("index map has \(e.indexMap.originalCount) → \(e.indexMap.newCount) slots, program \(c.program.count) → \(e.program.count)")
        }
        return problems.isEmpty ? .agreedSuccess : .mismatch(problems.joined(separator: "\n") + "\n" + c.description)
    case (.failure(let m), .failure(let e)):
        // Which of several violations is reported first is not part of the
        // contract: the engine's must be one the model finds too (and for a
        // range error, blame the same, first failing, patch).
        let all = c.patches.sequentialViolations(in: c.program, tables: c.tables, options: c.options)
        guard all.contains(where: { $0.kind == e.kind }) else {
            return .mismatch("error kinds differ: model \(m) (all: \(Set(all.map(\.kind.rawValue)).sorted())) / engine \(e)\n" + c.description)
        }
        if e.kind == .rangeOverflow, let first = all.first(where: { $0.kind == .rangeOverflow }), first.patch != e.patch {
            return .mismatch("range error blames different patches: model \(first) / engine \(e)\n" + c.description)
        }
        return .agreedFailure(e.kind)
    case (.success, .failure(let e)):
        return .mismatch("engine rejected, model accepted: \(e)\n" + c.description)
    case (.failure(let m), .success):
        return .mismatch("model rejected (\(m)), engine accepted\n" + c.description)
    }
}

/// Counts of a differential run, for the printed summary.
struct DiffTally {
    var cases = 0
    var successes = 0
    var failures: [String: Int] = [:]
    var largestProgram = 0
    var mismatches: [String] = []
    var mismatchCount = 0

    mutating func record(_ c: DiffCase, _ outcome: DiffOutcome) {
        cases += 1
        largestProgram = max(largestProgram, c.program.count)
        switch outcome {
        case .agreedSuccess: successes += 1
        case .agreedFailure(let kind): failures[kind.rawValue, default: 0] += 1
        case .mismatch(let s): if mismatches.count < 20 { mismatches.append(s) }; mismatchCount += 1
        }
    }

    var summary: String {
        let rejected = failures.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        return "\(cases) cases, \(successes) agreed results, rejected {\(rejected)}, \(mismatchCount) mismatches, largest program \(largestProgram) slots"
    }
}

/// The package's seedable generator (`SplitMix64`) with the draws these
/// tests' seeds were chosen with: `chance` goes through
/// `Double.random(in:using:)`, which consumes the generator differently
/// from `SplitMix64.chance`, so the cases stay the ones they were.
struct SplitMix: RandomNumberGenerator {
    var base: SplitMix64
    init(seed: UInt64) { base = SplitMix64(seed: seed) }
    mutating func next() -> UInt64 { base.next() }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
}
