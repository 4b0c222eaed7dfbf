import BPFInstructions
import BPFKernel
import BPFObject
import BPFPatch

/// Measures what the verifier itself patches: each program is loaded with
/// `SyntheticLineInfo`, and the xlated line info read back maps every
/// original instruction to its xlated slots (`KernelPatchMap`).
///
///     for stats in try KernelPatchStatistics.measure(path: "xdp.o") {
///         print(stats.name, stats.expanded, stats.removed)
///     }
public enum KernelPatchStatistics {
    /// Measures every entry program of the object at `path`.
    ///
    /// - Throws: `OracleError` when the object cannot be read.
    /// - Complexity: O(p · n) plus one or two verifier runs per program.
    public static func measure(path: String) throws(OracleError) -> [ProgramStats] {
        let loader: ObjectLoader
        do throws(ObjectError) {
            loader = try ObjectLoader(path: path)
        } catch {
            throw OracleError(.unreadableObject, path: path, "\(error)")
        }
        return loader.candidates.map { measure($0, in: loader) }
    }

    /// Loads one program with synthetic line info.
    ///
    /// The object's BTF and func info are used when it has them; otherwise
    /// (or when the kernel refuses that) a minimal BTF with one `FUNC` per
    /// subprogram. The program's own line info is replaced.
    ///
    /// - Parameters:
    ///   - input: the program and its load attributes (maps hold fds).
    ///   - btf: the object's BTF loaded into the kernel, if any.
    /// - Returns: the loaded program and its info.
    /// - Throws: `KernelError` of the last attempt.
    /// - Complexity: O(n) marshalling plus up to two verifier runs.
    public static func load(_ input: LinkedProgram, btf: KernelBTF? = nil) throws(KernelError) -> (KernelProgram, ProgramInfo) {
        var request = ProgramLoadRequest(type: input.type, expectedAttachType: input.expectedAttachType,
                                         program: input.program, license: input.license, name: input.name)
        request.flags = input.flags
        request.keepAlive = input.maps
        request.lineInfo = SyntheticLineInfo.records(for: input.program)
        var attempts: [(btf: KernelBTF, funcInfo: [KernelFuncInfo])] = []
        if let btf, !input.funcInfo.isEmpty { attempts.append((btf, input.funcInfo)) }
        let starts = SyntheticLineInfo.subprogramStarts(of: input.program)
        let minimal = SyntheticLineInfo.minimalBTF(functionCount: starts.count)
        var lastError: KernelError
        do throws(KernelError) {
            let btf = try KernelBTF.load(minimal.table.encoded())
            attempts.append((btf, zip(starts, minimal.functionTypes).map { KernelFuncInfo(instruction: $0, typeID: $1) }))
            lastError = KernelError(.invalidInput, operation: .programLoad, "no attempt made")
        } catch {
            lastError = error
        }
        for attempt in attempts {
            request.btf = attempt.btf
            request.funcInfo = attempt.funcInfo
            do throws(KernelError) {
                let program = try KernelProgram.load(request)
                return (program, try program.info())
            } catch {
                lastError = error
                if error.kind == .permissionDenied || error.kind == .unavailable { break }
            }
        }
        throw lastError
    }

    /// Measures one entry program of an object.
    ///
    /// - Complexity: O(n) plus one to three verifier runs.
    public static func measure(_ candidate: ProgramCandidate, in loader: ObjectLoader) -> ProgramStats {
        let typeName = SectionConvention.match(candidate.section).map { "\($0.programType)" } ?? "?"
        var stats = ProgramStats(object: loader.name, section: candidate.section, name: candidate.name,
                                 programType: typeName, loaded: false)
        let linked: LinkedProgram
        do throws(LoadFailure) {
            linked = try loader.link(candidate)
        } catch {
            stats.originalSlots = 0
            stats.reason = error.description
            return stats
        }
        return measure(linked, btf: loader.kernelBTF, object: loader.name) { error in
            // Say why: the plain load's reason if it fails too, else ours.
            let plain = loader.load(linked)
            if let failure = plain.failure { return failure.description }
            return "loads, but not with synthetic line info: \(error)"
        }
    }

    /// Measures one program.
    ///
    /// - Parameters:
    ///   - input: the program and its load attributes.
    ///   - btf: the object's BTF loaded into the kernel, if any.
    ///   - object: the name to report.
    ///   - explain: turns a failed load into the reason to report.
    /// - Complexity: O(n + x) plus one or two verifier runs.
    public static func measure(_ input: LinkedProgram, btf: KernelBTF? = nil, object: String,
                               explain: (KernelError) -> String = { "\($0)" }) -> ProgramStats {
        var stats = ProgramStats(object: object, section: input.section, name: input.name,
                                 programType: "\(input.type)", loaded: false)
        let original = input.program
        stats.originalSlots = original.count
        guard original.count <= SyntheticLineInfo.maximumSlot else {
            stats.reason = "too large for synthetic line numbers"
            return stats
        }
        let info: ProgramInfo
        do throws(KernelError) {
            let loaded = try load(input, btf: btf)
            info = loaded.1
            withExtendedLifetime(loaded.0) {}
        } catch {
            stats.reason = explain(error)
            return stats
        }
        stats.loaded = true
        let xlated = info.translated
        stats.xlatedSlots = xlated.count
        guard !xlated.slots.isEmpty else {
            stats.reason = "kernel withheld the xlated program"
            return stats
        }
        guard !info.lineInfo.isEmpty else {
            stats.reason = "kernel returned no line info"
            stats.unmappedSites = Array(original.instructions).count
            return stats
        }
        let map = KernelPatchMap(original: original, xlatedCount: xlated.count, lineInfo: info.lineInfo)
        classify(map, original: original, xlated: xlated, into: &stats)
        stats.rebuilt = RebuiltBatch.check(map, original: original, xlated: xlated, isJITed: info.jitedLength > 0)
        return stats
    }

    /// Fills in the per-site counts, the size histogram and the copy costs.
    static func classify(_ map: KernelPatchMap, original: Program, xlated: Program, into stats: inout ProgramStats) {
        stats.originalInstructions = map.sites.count
        stats.unmappedRecords = map.unmappedRecords
        var sequential = 0
        var length = original.count
        var removalRun = false
        // Removals first (the dead-code and no-op passes run before the
        // fixup passes), one step per run of adjacent removed sites.
        for site in map.sites {
            guard let range = site.xlated, range.isEmpty else { removalRun = false; continue }
            length -= site.width
            if !removalRun { sequential += length }
            removalRun = true
        }
        func example(_ kind: String, _ site: KernelPatchMap.Site, _ range: Range<Int>) {
            guard stats.examples[kind, default: []].count < 3 else { return }
            let before = original.slots[site.slot.rawValue..<site.slot.rawValue + site.width].map(\.hex).joined(separator: " ")
            let after = xlated.slots[range].map(\.hex).joined(separator: " ")
            stats.examples[kind, default: []].append("\(site.slot): \(before) → \(after.isEmpty ? "(none)" : after)")
        }
        for site in map.sites {
            guard let range = site.xlated else { stats.unmappedSites += 1; continue }
            let size = range.count
            if size != site.width { example(size == 0 ? "removed" : "resized", site, range) }
            if size == 0 {
                stats.removed += 1
                stats.patchSizes[0] += 1
            } else if size != site.width {
                if size > site.width { stats.expanded += 1 } else { stats.shrunk += 1 }
                stats.patchSizes[size] += 1
                length += size - site.width
                sequential += length
            } else {
                let before = Array(original.slots[site.slot.rawValue..<site.slot.rawValue + site.width])
                let after = Array(xlated.slots[range])
                if let kind = InPlaceRewrite.kind(original: before, xlated: after) {
                    stats.rewrittenInPlace[kind, default: 0] += 1
                    example(kind, site, range)
                } else {
                    stats.untouched += 1
                    if before[0].isCall { example("untouched call", site, range) }
                }
            }
        }
        stats.sequentialCopyCost = sequential
        stats.batchCopyCost = original.count + xlated.count
    }
}
