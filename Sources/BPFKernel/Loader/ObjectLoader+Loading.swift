extension ObjectLoader {
    /// Loads a linked (and possibly patched) program.
    ///
    /// With the object's BTF and func/line info first; if the kernel
    /// refuses, once more without them (libbpf does the same for old
    /// kernels), and the report notes it.
    ///
    /// - Parameters:
    ///   - linked: the program from `link(_:)`, possibly with replaced
    ///     `program`, `funcInfo` and `lineInfo`.
    ///   - logLevel: the verifier log to request (empty: only on failure).
    ///   - readInfo: read the loaded program's info (xlated code, line info).
    /// - Returns: a report; never throws — rejections are data.
    /// - Complexity: O(n) marshalling plus up to two verifier runs.
    public func load(_ linked: LinkedProgram, logLevel: VerifierLogLevel = [], readInfo: Bool = false) -> LoadReport {
        prepareBTF()
        var request = ProgramLoadRequest(type: linked.type, expectedAttachType: linked.expectedAttachType,
                                         program: linked.program, license: linked.license, name: linked.name)
        request.flags = linked.flags
        request.logLevel = logLevel
        request.keepAlive = linked.maps
        request.attachBTFID = linked.attachBTFID
        var notes = linked.notes
        if let btfProblem, object.btf != nil { notes.append("BTF not loaded: \(btfProblem)") }
        var report = LoadReport(object: name, section: linked.section, name: linked.name, type: linked.type,
                                slotCount: linked.program.count, isLoaded: false, program: nil, failure: nil,
                                usedBTF: false, info: nil, statistics: nil, notes: notes)
        let withBTF = kernelBTF != nil && (!linked.funcInfo.isEmpty || !linked.lineInfo.isEmpty)
        var firstError: KernelError? = nil
        if withBTF {
            request.btf = kernelBTF
            request.funcInfo = linked.funcInfo
            request.lineInfo = linked.lineInfo
            do throws(KernelError) {
                let program = try KernelProgram.load(request)
                report.isLoaded = true
                report.program = program
                report.usedBTF = true
            } catch {
                firstError = error
                request.btf = nil
                request.funcInfo = []
                request.lineInfo = []
            }
        }
        if !report.isLoaded {
            do throws(KernelError) {
                let program = try KernelProgram.load(request)
                report.isLoaded = true
                report.program = program
                if let firstError { report.notes.append("loaded only without BTF; with BTF: \(firstError)") }
            } catch {
                // Prefer the with-BTF error unless it was about the BTF itself.
                var chosen = error
                if let firstError, !Self.isBTFComplaint(firstError) { chosen = firstError }
                var failure = LoadFailure(chosen)
                if linked.unresolvedCORECount > 0 {
                    failure.message += " (\(linked.unresolvedCORECount) CO-RE relocations not applied)"
                }
                report.failure = failure
            }
        }
        report.statistics = report.program?.statistics
        if readInfo, let program = report.program {
            do throws(KernelError) {
                report.info = try program.info()
            } catch {
                report.notes.append("info: \(error)")
            }
        }
        return report
    }

    static func isBTFComplaint(_ error: KernelError) -> Bool {
        let tail = error.logTail(3).joined(separator: " ").lowercased()
        return tail.contains("func_info") || tail.contains("line_info") || tail.contains("btf")
    }
}
