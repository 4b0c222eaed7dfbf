import BPFCoverage
import BPFInstructions
import BPFKernel
import BPFKernelOracle
import BPFObject
import BPFPatch

/// Measures block coverage in the live kernel: links each entry program
/// with our loader, loads it as is, instruments a copy (one counter per
/// block in a new single-entry array map), loads that, test-runs both on
/// the same inputs, compares their behaviour and reads the counters.
///
///     let runs = try CoverageRunner.cover(path: "xdp.o", options: CoverageOptions())
///     for run in runs { print(run.name, run.coverage?.blocksHit ?? 0) }
public enum CoverageRunner {
    /// Covers every selected entry program of the object at `path`.
    ///
    /// - Throws: `OracleError` when the object cannot be read.
    /// - Complexity: O(p · n) plus the verifier and the runs.
    public static func cover(path: String, options: CoverageOptions) throws(OracleError) -> [CoverageRun] {
        let loader: ObjectLoader
        do throws(ObjectError) {
            loader = try ObjectLoader(path: path)
        } catch {
            throw OracleError(.unreadableObject, path: path, "\(error)")
        }
        return loader.candidates
            .filter { options.programs.isEmpty || options.programs.contains($0.name) || options.programs.contains($0.section) }
            .map { cover($0, in: loader, options: options) }
    }

    /// Covers one entry program.
    ///
    /// The original, a twin of it and the instrumented copy are loaded
    /// through three loaders of the same object, so each has maps of its
    /// own and all three start from the same state: a program that keeps
    /// state in maps sees the same history in each, and its counts are
    /// those of a fresh load. An input on which the original and its twin
    /// disagree (random numbers, clocks) is run but not compared.
    ///
    /// - Complexity: as `cover(path:options:)` for one program.
    public static func cover(_ candidate: ProgramCandidate, in loader: ObjectLoader, options: CoverageOptions) -> CoverageRun {
        let typeName = loader.convention(for: candidate.section).map { "\($0.programType)" } ?? "?"
        var run = CoverageRun(object: loader.name, section: candidate.section, name: candidate.name,
                              programType: typeName, outcome: .originalNotLoaded)
        let linked: LinkedProgram
        do throws(LoadFailure) {
            linked = try loader.link(candidate)
        } catch {
            run.reason = error.description
            return run
        }
        run.slotsBefore = linked.program.count
        let original = loader.load(linked, logLevel: .statistics)
        guard original.isLoaded, let originalProgram = original.program else {
            run.reason = original.failure?.description ?? "not loaded"
            return run
        }
        run.processedBefore = original.statistics?.processedInstructions

        func sibling() -> ObjectLoader {
            let other = ObjectLoader(object: loader.object, name: loader.name)
            other.fallbackConvention = loader.fallbackConvention
            return other
        }
        let twinLoader = sibling(), coverLoader = sibling()
        let twin = (try? twinLoader.link(candidate)).flatMap { twinLoader.load($0).program }
        let base: LinkedProgram
        do throws(LoadFailure) {
            base = try coverLoader.link(candidate)
        } catch {
            run.outcome = .refused
            run.reason = "second link failed: \(error)"
            return run
        }
        let lines = sourceLines(of: base, in: loader.object)
        let logLevel: VerifierLogLevel = options.detailedRejections ? [.basic, .statistics] : .statistics
        measure(&run, program: base.program, type: base.type, subprogramStarts: base.funcInfo.map(\.instruction),
                original: originalProgram, twin: twin, statistics: original.statistics, lines: lines,
                functionNames: { graph in functionNames(of: graph, linked: base, in: loader.object) },
                options: options) { applied, counters throws(LoadFailure) in
            var instrumented = base
            instrumented.program = applied.program
            for entry in applied.tables.lineInfo?.entries ?? [] { instrumented.lineInfo[entry.record].instruction = entry.slot }
            for entry in applied.tables.subprograms?.entries ?? [] { instrumented.funcInfo[entry.subprogram].instruction = entry.start }
            instrumented.maps.append(counters.descriptor)
            let report = coverLoader.load(instrumented, logLevel: logLevel)
            guard report.isLoaded, let program = report.program else {
                throw report.failure ?? LoadFailure(.kernelRejected, "not loaded")
            }
            return program
        } tables: {
            SideTables(lineInfo: LineInfoTable(slots: base.lineInfo.map(\.instruction)),
                       subprograms: SubprogramTable(starts: base.funcInfo.map(\.instruction)))
        }
        return run
    }

    /// Covers a program given as slots (no ELF object): loads it with
    /// `type`, instruments and runs it as `cover(path:options:)` does.
    /// Map references in it must already hold fds.
    ///
    /// - Complexity: as `cover(path:options:)` for one program.
    public static func cover(program: Program, type: ProgramType, name: String = "prog",
                             lines: [SourceLine] = [], options: CoverageOptions) -> CoverageRun {
        var run = CoverageRun(object: "-", section: "-", name: name, programType: "\(type)", outcome: .originalNotLoaded)
        run.slotsBefore = program.count
        var request = ProgramLoadRequest(type: type, program: program, license: "GPL", name: name)
        request.logLevel = .statistics
        // Subprograms need func info, so BTF: a minimal one with a FUNC per start.
        let starts = SyntheticLineInfo.subprogramStarts(of: program)
        if starts.count > 1 {
            let minimal = SyntheticLineInfo.minimalBTF(functionCount: starts.count)
            do throws(KernelError) {
                request.btf = try KernelBTF.load(minimal.table.encoded())
                request.funcInfo = zip(starts, minimal.functionTypes).map { KernelFuncInfo(instruction: $0, typeID: $1) }
            } catch {
                run.reason = "minimal BTF: \(error)"
                return run
            }
        }
        let original: KernelProgram
        do throws(KernelError) {
            original = try KernelProgram.load(request)
        } catch {
            run.reason = "\(error)"
            return run
        }
        run.processedBefore = original.statistics?.processedInstructions
        measure(&run, program: program, type: type, subprogramStarts: starts, original: original,
                twin: try? KernelProgram.load(request),
                statistics: original.statistics, lines: lines, functionNames: { _ in [name] },
                options: options) { applied, counters throws(LoadFailure) in
            var second = request
            second.program = applied.program
            second.keepAlive = [counters.descriptor]
            for entry in applied.tables.subprograms?.entries ?? [] { second.funcInfo[entry.subprogram].instruction = entry.start }
            do throws(KernelError) {
                return try KernelProgram.load(second)
            } catch {
                throw LoadFailure(.kernelRejected, errno: error.errno, lastLogLine: error.lastLogLine, error.message, log: error.log)
            }
        } tables: { SideTables(subprograms: starts.count > 1 ? SubprogramTable(starts: starts) : nil) }
        return run
    }

    /// Plans, instruments, loads (through `load`), runs and compares.
    static func measure(_ run: inout CoverageRun, program: Program, type: ProgramType, subprogramStarts: [SlotIndex],
                        original originalProgram: KernelProgram, twin: KernelProgram?, statistics: VerifierStatistics?, lines: [SourceLine],
                        functionNames: (BlockGraph) -> [String], options: CoverageOptions,
                        load: (PatchResult, KernelMap) throws(LoadFailure) -> KernelProgram,
                        tables: () -> SideTables) {

        // Blocks and plan.
        run.outcome = .refused
        let graph: BlockGraph
        let plan: CoverageInstrumentation
        do throws(CoverageError) {
            graph = try BlockGraph(program: program, extraSubprogramStarts: subprogramStarts)
            let depths = statistics?.stackDepths
            plan = try CoverageInstrumentation(graph: graph,
                                               knownDepths: depths?.count == graph.subprograms.count ? depths : nil)
        } catch {
            run.reason = "instrumentation refused: \(error)"
            return
        }

        // The counter map and the instrumented program.
        let counters: KernelMap
        do throws(KernelError) {
            counters = try KernelMap.create(MapDefinition(type: .array, keySize: 4, valueSize: UInt32(plan.counterValueSize),
                                                          maxEntries: 1, name: "cover_counts"))
        } catch {
            run.reason = "counter map: \(error)"
            return
        }
        let applied: PatchResult
        do throws(CoverageError) {
            applied = try plan.apply(counterMap: counters.descriptor.rawValue, tables: tables())
        } catch {
            run.reason = "instrumentation refused: \(error)"
            return
        }
        run.slotsAfter = applied.program.count
        let coveredProgram: KernelProgram
        do throws(LoadFailure) {
            coveredProgram = try load(applied, counters)
        } catch {
            run.outcome = .rejected
            run.reason = "instrumented program rejected: \(error)"
            run.rejectionLog = error.log
            return
        }
        run.processedAfter = coveredProgram.statistics?.processedInstructions

        guard let style = TestRunStyle(type) else {
            run.outcome = .verifiedOnly
            run.reason = "\(type) cannot be test-run without attachment"
            return
        }
        let inputs = options.inputs.isEmpty ? style.defaultInputs(seed: options.seed) : options.inputs
        let repeatCount = max(1, options.repeatCount)
        // A program reading random numbers, the CPU id or a coarse clock may
        // repeat itself by chance: run it, but do not compare (as `verify`).
        let unrepeatable = UnrepeatableHelpers.firstCall(in: program)
        var runs: UInt64 = 0
        for (k, input) in inputs.enumerated() {
            let label = "input \(k) (\(input.count) bytes)"
            let first = style.run(originalProgram, input: input, repeatCount: repeatCount)
            let instrumentedResult = style.run(coveredProgram, input: input, repeatCount: repeatCount)
            switch (first, instrumentedResult) {
            case (.success(let x), .success(let y)):
                runs &+= UInt64(repeatCount)
                if unrepeatable != nil {
                    run.inputsNotRepeatable += 1
                    continue
                }
                let again = twin.flatMap { try? style.run($0, input: input, repeatCount: repeatCount).get() }
                if again != x {
                    run.inputsNotRepeatable += 1
                    continue
                }
                run.inputsCompared += 1
                if x.returnValue != y.returnValue {
                    run.differences.append("\(label): return value \(x.returnValue) vs \(y.returnValue) instrumented")
                } else if x.dataOut != y.dataOut {
                    run.differences.append("\(label): output data differs")
                } else if x.contextOut != y.contextOut {
                    run.differences.append("\(label): output context differs")
                }
            case (.failure(let x), .failure(let y)):
                if x.errno != y.errno {
                    run.differences.append("\(label): \(x.errno?.name ?? "?") vs \(y.errno?.name ?? "?") instrumented")
                } else {
                    run.inputsRefused += 1
                    if run.reason == nil { run.reason = "test run refused: \(x.errno?.name ?? x.message)" }
                }
            case (.success, .failure(let y)):
                run.differences.append("\(label): only the original ran; instrumented: \(y)")
            case (.failure(let x), .success):
                runs &+= UInt64(repeatCount)
                run.differences.append("\(label): only the instrumented ran; original: \(x)")
            }
        }
        let value: [UInt8]
        do throws(KernelError) {
            value = try counters.lookup(key: [0, 0, 0, 0]) ?? []
        } catch {
            run.outcome = .differed
            run.reason = "cannot read the counters: \(error)"
            return
        }
        do throws(CoverageError) {
            run.coverage = try ProgramCoverage(name: run.name, graph: graph, counterBytes: value, runs: runs,
                                               lines: lines, functionNames: functionNames(graph))
        } catch {
            run.outcome = .differed
            run.reason = "\(error)"
            return
        }
        run.outcome = run.differences.isEmpty ? .covered : .differed
        if let first = run.differences.first { run.reason = first }
    }

    /// The line info of a linked program, in its slot coordinates, with strings.
    ///
    /// - Complexity: O((r + p) log r + k) for r records in the sections
    ///   involved, p pieces and k records placed: each section's records
    ///   are read once, however many of its functions were linked in.
    public static func sourceLines(of linked: LinkedProgram, in object: ObjectFile) -> [SourceLine] {
        let sections = sectionsByName(object)
        var result: [SourceLine] = []
        var piecesBySection: [String: [LinkedProgram.Piece]] = [:]
        var order: [String] = []  // sections in piece order: equal slots keep a fixed order
        for piece in linked.pieces {
            if piecesBySection[piece.section] == nil { order.append(piece.section) }
            piecesBySection[piece.section, default: []].append(piece)
        }
        for name in order {
            guard let section = sections[name], let pieces = piecesBySection[name] else { continue }
            let records = object.lineInfoSlots(for: section).compactMap { entry in entry.slot.map { ($0, entry.record) } }
                .sorted { $0.0 < $1.0 }
            // Each piece takes the records in its range (found by binary search).
            for piece in pieces {
                var low = 0, high = records.count
                while low < high {
                    let mid = (low + high) / 2
                    if records[mid].0 < piece.sourceSlots.lowerBound { low = mid + 1 } else { high = mid }
                }
                for (slot, record) in records[low...] {
                    guard slot < piece.sourceSlots.upperBound else { break }
                    let linkedSlot = piece.start.advanced(by: piece.sourceSlots.lowerBound.distance(to: slot))
                    result.append(SourceLine(slot: linkedSlot, file: record.fileName, line: Int(record.lineNumber),
                                             column: Int(record.column), text: record.line))
                }
            }
        }
        return result.sorted { $0.slot < $1.slot }
    }

    /// The object's program sections by name (the first of a name wins).
    static func sectionsByName(_ object: ObjectFile) -> [String: ProgramSection] {
        var sections: [String: ProgramSection] = [:]
        for section in object.programSections where sections[section.name] == nil { sections[section.name] = section }
        return sections
    }

    /// Names of the subprograms: the symbol at each start, else the entry's name.
    ///
    /// - Complexity: O(s log p + f) for s subprograms, p pieces and f
    ///   function symbols in the sections involved.
    static func functionNames(of graph: BlockGraph, linked: LinkedProgram, in object: ObjectFile) -> [String] {
        let sections = sectionsByName(object)
        // Per section, the name of the function starting at each slot (the
        // last symbol of a start wins, as `ProgramSection.function(containing:)`).
        var starts: [String: [SlotIndex: String]] = [:]
        for piece in linked.pieces where starts[piece.section] == nil {
            var names: [SlotIndex: String] = [:]
            for function in sections[piece.section]?.functions ?? [] { names[function.slots.lowerBound] = function.name }
            starts[piece.section] = names
        }
        let pieces = linked.pieces.sorted { $0.start < $1.start }
        return graph.subprograms.enumerated().map { s, sub in
            let start = sub.slots.lowerBound
            var low = 0, high = pieces.count
            while low < high {
                let mid = (low + high) / 2
                if pieces[mid].start <= start { low = mid + 1 } else { high = mid }
            }
            if low > 0 {
                let piece = pieces[low - 1]
                let offset = piece.start.distance(to: start)
                if offset < piece.sourceSlots.count,
                   let name = starts[piece.section]?[piece.sourceSlots.lowerBound.advanced(by: offset)] {
                    return name
                }
            }
            return s == 0 ? linked.name : "sub_\(start)"
        }
    }
}
