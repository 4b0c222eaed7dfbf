import Foundation
import BPFInstructions
import BPFPatch
import FuzzSupport

/// The engine, differentially: bytes → a small program with references
/// (jumps, gotol, calls, pseudo-func ld_imm64, stray 0x18 codes), side
/// tables and a batch. The batch engine and the sequential model either
/// agree on everything (slots, every table, origins) or both throw, the
/// engine's kind being one the model finds. Neither may trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEngine(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let n = 1 + input.below(40)
    var slots: [Instruction] = []
    while slots.count < n { slots += instructions(&input, at: slots.count, programCount: n) }
    let program = Program(slots: slots)
    let tables = sideTables(&input, count: program.count)
    let patches = batch(&input, count: program.count)
    let options = PatchOptions(allowSplitWideLoads: input.byte() & 1 == 1)
    if printCases { describe(program, tables, patches, options) }

    let model: Result<SequentialResult, PatchError>
    do { model = .success(try patches.applySequentially(to: program, tables: tables, options: options)) }
    catch { model = .failure(error) }
    let engine: Result<PatchResult, PatchError>
    do { engine = .success(try patches.apply(to: program, tables: tables, options: options)) }
    catch { engine = .failure(error) }
    // Jump relaxation has no sequential twin: it only must not trap.
    _ = try? patches.apply(to: program, tables: tables, options: PatchOptions(allowSplitWideLoads: options.allowSplitWideLoads, relaxJumps: true))

    switch (model, engine) {
    case (.success(let m), .success(let e)):
        guard m.program.slots == e.program.slots else { fuzzFailure("slots differ") }
        guard m.tables == e.tables else { fuzzFailure("side tables differ") }
        guard e.indexMap.originalIndices() == m.originalIndices else { fuzzFailure("orig_idx differs") }
        guard e.indexMap.originalSlots() == m.origins else { fuzzFailure("origins differ") }
    case (.failure, .failure(let e)):
        // Which violation is reported first is not part of the contract.
        // The model lists every violation, except that static problems
        // (tables, sites, emptiness, fixups, overlap) stop it before any
        // step: then the engine may name a step's violation instead.
        let all = patches.sequentialViolations(in: program, tables: tables, options: options)
        guard all.contains(where: { $0.kind == e.kind || staticKinds.contains($0.kind) }) else {
            fuzzFailure("engine threw \(e.kind.rawValue), the model finds only \(all.map(\.kind.rawValue))")
        }
    case (.success, .failure(let e)): fuzzFailure("engine rejected, model accepted: \(e)")
    case (.failure(let m), .success): fuzzFailure("model rejected (\(m)), engine accepted")
    }
    return 0
}

/// `BPFPATCH_FUZZ_PRINT=1` prints each case (to read a crash input:
/// `BPFPATCH_FUZZ_PRINT=1 fuzz-engine crash-file`).
let printCases = ProcessInfo.processInfo.environment["BPFPATCH_FUZZ_PRINT"] == "1"

func describe(_ program: Program, _ tables: SideTables, _ patches: PatchSet, _ options: PatchOptions) {
    // To stderr, unbuffered: a failing case ends the process right after.
    func print(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    print("program (\(program.count) slots):")
    for (i, slot) in program.slots.enumerated() { print("  \(i): \(slot.hex)") }
    print("patches:")
    for (k, p) in patches.patches.enumerated() {
        switch p.operation {
        case .replace(let insns): print("  #\(k) at \(p.site) replace by [\(insns.map(\.hex).joined(separator: ", "))] fixups \(p.fixups)")
        case .remove(let count): print("  #\(k) at \(p.site) remove \(count)")
        }
    }
    print("tables: \(tables)")
    print("options: \(options)")
}

/// Problems the sequential model finds before its first step.
let staticKinds: Set<PatchError.Kind> = [.invalidTable, .siteOutOfRange, .overlap, .emptyReplacement, .emptyRemoval, .invalidFixup]

/// Sites and counts near the ends of `Int` (as a JSON file may carry) are
/// generated unless `BPFPATCH_FUZZ_HOSTILE_SITES=0`: with them on, a run
/// checks the arithmetic class of issue 9; with them off it explores the
/// rest of the engine while that class is being fixed.
let hostileSites = ProcessInfo.processInfo.environment["BPFPATCH_FUZZ_HOSTILE_SITES"] != "0"

/// One instruction (two for an ld_imm64) placed at `at`, referring to a
/// slot of a program of `programCount` slots (or just outside it).
func instructions(_ input: inout FuzzInput, at: Int, programCount: Int) -> [Instruction] {
    let choice = input.byte()
    let target = input.below(programCount + 2) - 1  // −1 ... programCount: one past each end
    let displacement = target - (at + 1)
    switch choice % 10 {
    case 0: return [Instruction(code: 0xb7, registers: 0x01, immediate: Int32(input.byte()))]         // mov r1, imm
    case 1: return [Instruction(code: 0x55, registers: 0x01, offset: Int16(displacement), immediate: 0)] // if r1 != 0 goto
    case 2: return [Instruction(code: 0x05, offset: Int16(displacement))]                            // goto
    case 3: return [Instruction(code: 0x06, immediate: Int32(displacement))]                         // gotol
    case 4: return [Instruction(code: 0x85, registers: 0x10, immediate: Int32(displacement))]        // call pc+
    case 5: return [Instruction(code: 0x18, registers: 0x41, immediate: Int32(displacement)),       // ld_imm64 func
                    Instruction(code: 0x00)]
    case 6: return [Instruction(code: 0x18, registers: 0x01, immediate: Int32(input.u16())), Instruction(code: 0x00)]
    case 7: return [Instruction(code: 0x18)]                                                          // a stray first half
    case 8: return [Instruction(code: 0x95)]                                                          // exit
    default:
        let raw = Array(input.take(8))
        return [raw.count == 8 ? Instruction(bytes: raw, at: 0, byteOrder: .littleEndian) : Instruction(code: 0x95)]
    }
}

func sideTables(_ input: inout FuzzInput, count: Int) -> SideTables {
    var tables = SideTables()
    let present = input.byte()
    func slots(_ k: Int, sorted: Bool) -> [SlotIndex] {
        var list = (0..<k).map { _ in SlotIndex(input.below(count + 1)) }
        if sorted { list.sort() }
        return list
    }
    if present & 1 != 0 { tables.lineInfo = LineInfoTable(slots: slots(input.below(8), sorted: true)) }
    if present & 2 != 0 { tables.subprograms = SubprogramTable(starts: [SlotIndex(0)] + slots(input.below(4), sorted: true)) }
    if present & 4 != 0 { tables.pokes = PokeTable(slots: slots(input.below(3), sorted: true)) }
    if present & 8 != 0 {
        tables.instructionArrays = [InstructionArrayTable(entries: slots(input.below(5), sorted: false).map { $0.rawValue == count ? nil : $0 })]
    }
    return tables
}

func batch(_ input: inout FuzzInput, count: Int) -> PatchSet {
    var patches = PatchSet()
    let k = input.below(7)
    var site = 0
    for _ in 0..<k {
        let how = input.byte()
        site = how & 0x80 != 0 ? input.below(count + 1) : min(count, site + input.below(4))
        // Now and then a value near the ends of Int, as a JSON file may carry.
        let hostile = hostileSites && how & 0x70 == 0x70
        switch how % 3 {
        case 0:
            patches.remove(SlotIndex(hostile ? Int.max - input.below(3) : site), count: hostile ? site : 1 + input.below(3))
        default:
            var replacement: [Instruction] = []
            let length = 1 + input.below(3)
            while replacement.count < length { replacement += instructions(&input, at: site + replacement.count, programCount: count) }
            var fixups: [Fixup] = []
            if how & 0x08 != 0, let position = replacement.indices.first(where: { replacement[$0].referenceField != nil }) {
                fixups.append(Fixup(position: position, target: how & 0x04 != 0
                    ? .local(input.below(replacement.count + 1)) : .original(SlotIndex(input.below(count + 1)))))
            }
            patches.append(Patch(site: SlotIndex(hostile ? Int.min + site : site), operation: .replace(replacement), fixups: fixups))
        }
    }
    return patches
}

exit(runFuzzer(fuzzEngine))
