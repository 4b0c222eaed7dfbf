import BPFInstructions
import BPFObject

/// Loads the programs of a BPF ELF object into the kernel, in pure Swift:
/// creates its maps (legacy `maps`, BTF-defined `.maps`, global data),
/// loads its BTF, relocates map references, links bpf-to-bpf calls, and
/// passes func/line info.
///
///     let loader = try ObjectLoader(path: "xdp.o")
///     for report in loader.loadAll() { print(report.summary) }
///
/// Maps and BTF are created on first use and shared by all programs of the
/// object; they are released with the loader (and the programs holding them).
/// Not implemented (reported per program, never hidden): CO-RE relocations,
/// kfuncs/ksyms/kconfig externs, attach targets that need vmlinux BTF ids.
public final class ObjectLoader {
    /// The parsed object.
    public let object: ObjectFile
    /// A short name for reports (usually the file name).
    public let name: String
    /// The object's BTF, parsed and fixed up (nil without `.BTF`).
    public internal(set) var btfTable: BTFTypeTable?
    /// The object's BTF loaded into the kernel, nil when absent or rejected.
    public internal(set) var kernelBTF: KernelBTF?
    /// Why `kernelBTF` is nil although the object has BTF.
    public internal(set) var btfProblem: String?

    /// The convention for sections no known prefix matches (e.g. Cilium's
    /// `from-netdev` or iproute2's `2/1`); nil reports them as unknown.
    public var fallbackConvention: SectionConvention?

    var btfPrepared = false
    var stringOffsets: [String: UInt32] = [:]
    /// Maps of `maps`/`.maps` sections by (section index, symbol name).
    var mapsBySymbol: [SymbolKey: Result<KernelMap, LoadFailure>] = [:]
    var preparedMapSections: Set<Int> = []
    /// Global data maps by section index.
    var dataMaps: [Int: Result<KernelMap, LoadFailure>] = [:]

    struct SymbolKey: Hashable {
        var section: Int
        var name: String
    }

    /// Wraps an already parsed object (possibly with patched sections).
    public init(object: ObjectFile, name: String) {
        self.object = object
        self.name = name
    }

    /// Reads and parses an object file.
    ///
    /// - Throws: `ObjectError` when the file cannot be read or parsed.
    public convenience init(path: String) throws(ObjectError) {
        let object = try ObjectFile(path: path)
        self.init(object: object, name: String(path.split(separator: "/").last ?? Substring(path)))
    }

    /// The entry programs, in section then offset order.
    ///
    /// Functions in `.text` are subprograms, except in objects whose only
    /// code is `.text` (test objects built without `SEC()`): there each
    /// global function is an entry program (whose type then comes from
    /// `fallbackConvention`).
    ///
    /// - Complexity: O(f), the function symbols.
    public var candidates: [ProgramCandidate] {
        var result: [ProgramCandidate] = []
        let onlyText = object.programSections.allSatisfy { $0.name == ".text" }
        if onlyText, let text = object.programSections.first {
            for function in text.functions where function.binding != .local {
                result.append(ProgramCandidate(section: text.name, sectionIndex: text.sectionIndex,
                                               name: function.name, slots: function.slots))
            }
            return result
        }
        for section in object.programSections where section.name != ".text" {
            if section.functions.isEmpty {
                result.append(ProgramCandidate(section: section.name, sectionIndex: section.sectionIndex,
                                               name: section.name, slots: section.program.indices))
            } else {
                for function in section.functions {
                    result.append(ProgramCandidate(section: section.name, sectionIndex: section.sectionIndex,
                                                   name: function.name, slots: function.slots))
                }
            }
        }
        return result
    }

    /// The convention for a section: the table's match, else `fallbackConvention`.
    public func convention(for section: String) -> SectionConvention? {
        SectionConvention.match(section) ?? fallbackConvention
    }

    /// Links and loads every entry program.
    ///
    /// - Parameters:
    ///   - readInfo: also read back each loaded program's info (xlated code).
    ///   - keepPrograms: keep the loaded programs' descriptors in the reports;
    ///     when false they are closed as soon as each report is made.
    /// - Complexity: O(p · n) marshalling plus the verifier's work.
    public func loadAll(readInfo: Bool = false, keepPrograms: Bool = false) -> [LoadReport] {
        candidates.map { candidate in
            var report = load(candidate, readInfo: readInfo)
            if !keepPrograms { report.program = nil }
            return report
        }
    }

    /// Links and loads one entry program.
    ///
    /// - Complexity: as `link(_:)` plus `load(_:)`.
    public func load(_ candidate: ProgramCandidate, logLevel: VerifierLogLevel = [], readInfo: Bool = false) -> LoadReport {
        do throws(LoadFailure) {
            let linked = try link(candidate)
            return load(linked, logLevel: logLevel, readInfo: readInfo)
        } catch {
            return LoadReport(object: name, section: candidate.section, name: candidate.name,
                              type: convention(for: candidate.section)?.programType, slotCount: 0,
                              isLoaded: false, program: nil, failure: error, usedBTF: false, info: nil, statistics: nil, notes: [])
        }
    }
}

