import BPFInstructions
import BPFPatch
import Foundation
import Testing
@testable import BPFBench

/// The synthetic generator must produce valid programs and valid batches;
/// validity is checked here from first principles (spec/patching.md), not
/// with the generator's own bookkeeping.
struct WorkloadGeneratorTests {
    static let parameterSets: [SyntheticParameters] = [
        SyntheticParameters(slots: 3_000, jumpDensity: 0.05, patchDensity: 0.01, seed: 1),
        SyntheticParameters(slots: 3_000, jumpDensity: 0.5, patchDensity: 0.3, seed: 2),
        SyntheticParameters(slots: 5_000, jumpDensity: 0.2, patchDensity: 0.1, removalFraction: 0.3, seed: 3),
    ]

    @Test(arguments: parameterSets)
    func programIsValid(_ parameters: SyntheticParameters) {
        let workload = Workload.synthetic(parameters)
        let slots = workload.program.slots
        #expect(slots.count == parameters.slots)
        let second = workload.program.secondHalfMask()
        var references = 0
        for i in slots.indices where !second[i] {
            guard let d = slots[i].displacement else { continue }
            references += 1
            let t = i + d + 1
            #expect(t >= 0 && t < slots.count, "reference at \(i) targets \(t)")
            if t >= 0 && t < slots.count { #expect(!second[t], "reference at \(i) targets a second half") }
        }
        // The requested density, within sampling noise.
        let density = Double(references) / Double(slots.count)
        #expect(abs(density - parameters.jumpDensity) < parameters.jumpDensity * 0.3 + 0.01)
        #expect(slots.last == .exit)
    }

    @Test(arguments: parameterSets)
    func batchIsValidAndApplies(_ parameters: SyntheticParameters) throws {
        let workload = Workload.synthetic(parameters)
        let slots = workload.program.slots
        let second = workload.program.secondHalfMask()
        var targets = Set<Int>()
        for i in slots.indices where !second[i] {
            if let d = slots[i].displacement { targets.insert(i + d + 1) }
        }
        let starts = Set(workload.tables.subprograms!.starts.map(\.rawValue))
        let pokes = Set(workload.tables.pokes!.slots.map(\.rawValue))
        var previousEnd = 0
        var removals = 0
        for patch in workload.patches.patches {
            let site = patch.site.rawValue
            #expect(site >= previousEnd, "patches ascending and disjoint")
            for x in site..<(site + patch.span) {
                #expect(!slots[x].isLoadImmediate64 && !second[x], "patch at \(site) touches an ld_imm64")
                if patch.isRemoval {
                    #expect(!targets.contains(x) && !starts.contains(x) && !pokes.contains(x), "removal at \(site) covers a named slot \(x)")
                }
            }
            if case .replace(let insns) = patch.operation { #expect((1...8).contains(insns.count)) } else { removals += 1 }
            previousEnd = site + patch.span
        }
        let expected = Double(parameters.slots) * parameters.patchDensity
        #expect(abs(Double(workload.patchCount) - expected) <= expected * 0.25 + 3)
        #expect(removals > 0 || parameters.patchDensity * Double(parameters.slots) < 100)
        // Average replacement length about 3.
        let lengths = workload.patches.patches.filter { !$0.isRemoval }.map(\.length)
        let average = Double(lengths.reduce(0, +)) / Double(max(lengths.count, 1))
        #expect(lengths.count < 30 || abs(average - 3) < 0.6)

        let result = try workload.patches.apply(to: workload.program, tables: workload.tables)
        #expect(result.program.count == workload.outputSlots)
    }

    @Test func generatorIsDeterministic() {
        let parameters = SyntheticParameters(slots: 2_000, jumpDensity: 0.2, patchDensity: 0.1, seed: 9)
        let a = Workload.synthetic(parameters), b = Workload.synthetic(parameters)
        #expect(a.program == b.program && a.patches == b.patches && a.tables == b.tables)
        var other = parameters
        other.seed = 10
        #expect(Workload.synthetic(other).program != a.program)
    }

    /// A backward reference re-emitted first in its replacement must keep
    /// its target, as the kernel's patchers (copying `*insn`) do: checked
    /// against the sequential model, which reads displacements step by step.
    @Test func reemittedReferencesKeepTheirTargets() throws {
        let workload = Workload.synthetic(SyntheticParameters(slots: 2_000, jumpDensity: 0.5, patchDensity: 0.3, seed: 4))
        let result = try workload.patches.applySequentially(to: workload.program)
        let origins = result.origins.map(\.rawValue)
        // First new slot of every original slot (landing of a reference).
        var landing = [Int](repeating: -1, count: workload.inputSlots + 1)
        for (k, x) in origins.enumerated().reversed() { landing[x] = k }
        landing[workload.inputSlots] = result.program.count
        for x in stride(from: workload.inputSlots - 1, through: 0, by: -1) where landing[x] < 0 { landing[x] = landing[x + 1] }
        let original = workload.program.slots
        let patched = Set(workload.patches.patches.map(\.site.rawValue))
        let mask = result.program.secondHalfMask()
        var checked = 0, wrong = 0
        for (k, insn) in result.program.slots.enumerated() where !mask[k] {
            let x = origins[k]
            guard let d = insn.displacement, let od = original[x].displacement else { continue }
            if patched.contains(x) {
                // Inside a replacement: the re-emitted original is the slot equal
                // to it outside the reference field; skip the generator's own
                // `jeq/jne r9, 0` guard jumps.
                var a = insn, b = original[x]
                a.offset = 0; b.offset = 0
                if insn.code == 0x06 || insn.code == 0x85 { a.immediate = 0; b.immediate = 0 }
                guard a == b, !(insn.dstNumber == 9 && insn.immediate == 0 && (insn.code == 0x15 || insn.code == 0x55)) else { continue }
            }
            checked += 1
            if k + d + 1 != landing[x + od + 1] { wrong += 1 }
        }
        #expect(wrong == 0)
        #expect(checked > 500)
    }
}
