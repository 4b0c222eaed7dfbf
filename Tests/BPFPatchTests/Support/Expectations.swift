import BPFInstructions
import BPFPatch
import Testing

/// Checks a hand-derived expected result against BOTH the batch engine and
/// the sequential model.
func expectPatched(
    _ program: [Instruction], _ patches: PatchSet, tables: SideTables = SideTables(), options: PatchOptions = PatchOptions(),
    slots expected: [Instruction], tables expectedTables: SideTables? = nil, origIdx: [Int]? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let input = Program(slots: program)
    do {
        let model = try patches.applySequentially(to: input, tables: tables, options: options)
        #expect(model.program.slots.map(\.hex) == expected.map(\.hex), "model slots", sourceLocation: sourceLocation)
        if let expectedTables { #expect(model.tables == expectedTables, "model tables", sourceLocation: sourceLocation) }
        if let origIdx { #expect(model.originalIndices == origIdx, "model origIdx", sourceLocation: sourceLocation) }
    } catch {
        Issue.record("model rejected: \(error)", sourceLocation: sourceLocation)
    }
    do {
        let engine = try patches.apply(to: input, tables: tables, options: options)
        #expect(engine.program.slots.map(\.hex) == expected.map(\.hex), "engine slots", sourceLocation: sourceLocation)
        if let expectedTables { #expect(engine.tables == expectedTables, "engine tables", sourceLocation: sourceLocation) }
        if let origIdx { #expect(engine.indexMap.originalIndices() == origIdx, "engine origIdx", sourceLocation: sourceLocation) }
    } catch {
        Issue.record("engine rejected: \(error)", sourceLocation: sourceLocation)
    }
}

/// Checks that BOTH engines reject the batch with `kind` (and, when given,
/// blame patch number `patch` at original slot `slot`).
func expectRejected(
    _ program: [Instruction], _ patches: PatchSet, tables: SideTables = SideTables(), options: PatchOptions = PatchOptions(),
    kind: PatchError.Kind, patch: Int? = nil, slot: SlotIndex? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let input = Program(slots: program)
    for (name, run) in [
        ("model", { () throws(PatchError) in _ = try patches.applySequentially(to: input, tables: tables, options: options) }),
        ("engine", { () throws(PatchError) in _ = try patches.apply(to: input, tables: tables, options: options) }),
    ] as [(String, () throws(PatchError) -> Void)] {
        do {
            try run()
            Issue.record("\(name) accepted; expected \(kind.rawValue)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.kind == kind, "\(name): \(error)", sourceLocation: sourceLocation)
            if let patch { #expect(error.patch == patch, "\(name) blames: \(error)", sourceLocation: sourceLocation) }
            if let slot { #expect(error.slot == slot, "\(name) slot: \(error)", sourceLocation: sourceLocation) }
        }
    }
}
