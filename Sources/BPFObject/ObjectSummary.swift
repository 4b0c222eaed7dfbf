import BPFInstructions

/// What `bpfpatch info` shows about an object: its sections, program
/// sections with their functions and `.BTF.ext` record counts, map sections
/// and warnings. `Codable`, so the JSON form is this type's encoding; the
/// table form is `text`.
///
///     let summary = ObjectSummary(try ObjectFile(path: "xdp.o"), file: "xdp.o")
///     print(summary.text)
public struct ObjectSummary: Codable, Hashable, Sendable {
    /// The name the object was opened by (for the first line and the JSON).
    public var file: String
    /// `"little"` or `"big"`.
    public var byteOrder: String
    /// `EM_BPF`, `EM_NONE` or `machine N`.
    public var machine: String
    /// True when `.BTF` was present and readable.
    public var btf: Bool
    /// True when `.BTF.ext` was present and readable.
    public var btfExt: Bool
    /// The `license` section's string, if any.
    public var license: String?
    /// Every section but the null section 0.
    public var sections: [SectionSummary]
    /// The program sections, in section order.
    public var programs: [ProgramSummary]
    /// The map sections, in section order.
    public var maps: [MapSummary]
    /// Every object warning, as one-line text.
    public var warnings: [String]

    /// One section header.
    public struct SectionSummary: Codable, Hashable, Sendable {
        public var index: Int
        public var name: String
        public var size: UInt64
        public var type: String
    }

    /// One program section.
    public struct ProgramSummary: Codable, Hashable, Sendable {
        public var section: String
        public var slots: Int
        public var relocations: Int
        public var funcInfo: Int
        public var lineInfo: Int
        public var coreRelocations: Int
        public var functions: [FunctionSummary]
        public var warnings: [String]
    }

    /// One function symbol of a program section.
    public struct FunctionSummary: Codable, Hashable, Sendable {
        public var name: String
        /// The slot index of its first slot.
        public var start: Int
        public var slots: Int
    }

    /// One map section and its symbols.
    public struct MapSummary: Codable, Hashable, Sendable {
        public var section: String
        public var symbols: [String]
    }

    /// Summarises an opened object.
    ///
    /// - Complexity: O(s + r + b), where s is the section and symbol count,
    ///   r the relocation count and b the `.BTF.ext` record count.
    public init(_ object: ObjectFile, file: String) {
        self.file = file
        byteOrder = object.byteOrder == .littleEndian ? "little" : "big"
        machine = "\(object.machine)"
        btf = object.btf != nil
        btfExt = object.btfExt != nil
        license = object.license
        sections = object.sections.dropFirst().map {
            SectionSummary(index: $0.index, name: $0.name, size: $0.size, type: "\($0.type)")
        }
        programs = object.programSections.map { section in
            ProgramSummary(
                section: section.name, slots: section.program.count, relocations: section.relocations.count,
                funcInfo: object.funcInfo(for: section).count, lineInfo: object.lineInfo(for: section).count,
                coreRelocations: object.coreRelocations(for: section).count,
                functions: section.functions.map {
                    FunctionSummary(name: $0.name, start: $0.slots.lowerBound.rawValue, slots: $0.slots.count)
                },
                warnings: section.warnings.map { "\($0)" })
        }
        maps = object.mapSections.map { MapSummary(section: $0.name, symbols: $0.symbols.map(\.name)) }
        warnings = object.warnings.map { "\($0)" }
    }

    // Written out so that an absent license encodes as `null`, as before.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(byteOrder, forKey: .byteOrder)
        try container.encode(machine, forKey: .machine)
        try container.encode(btf, forKey: .btf)
        try container.encode(btfExt, forKey: .btfExt)
        try container.encode(license, forKey: .license)
        try container.encode(sections, forKey: .sections)
        try container.encode(programs, forKey: .programs)
        try container.encode(maps, forKey: .maps)
        try container.encode(warnings, forKey: .warnings)
    }

    /// The summary as a text table: a header line, counts, one row per
    /// program section with its functions and warnings indented below it,
    /// then the object warnings not already shown under a section. Each
    /// line ends with a newline.
    ///
    /// - Complexity: O(n), where n is the size of the summary.
    public var text: String {
        var out = "\(file): \(byteOrder)-endian, machine \(machine), "
            + "BTF \(btf ? "present" : "absent"), BTF.ext \(btfExt ? "present" : "absent")"
            + (license.map { ", license \($0)" } ?? "") + "\n"
        out += "\(sections.count) sections, \(programs.count) program sections, \(maps.count) map sections\n\n"
        out += Self.row([("program section", 32), ("slots", -8), ("relocs", -8), ("func", -6), ("line", -7), ("core", -6)])
        for program in programs {
            out += Self.row([(program.section, 32), ("\(program.slots)", -8), ("\(program.relocations)", -8),
                             ("\(program.funcInfo)", -6), ("\(program.lineInfo)", -7), ("\(program.coreRelocations)", -6)])
            for function in program.functions {
                out += "  " + Self.row([(function.name, 30), ("\(function.slots)", -8)], newline: false)
                    + "  at slot \(function.start)\n"
            }
            for warning in program.warnings { out += "  \(warning)\n" }
        }
        // Program-section warnings were printed under their section above.
        let shown = Set(programs.flatMap(\.warnings))
        for warning in warnings where !shown.contains(warning) { out += warning + "\n" }
        return out
    }

    /// Cells padded to their widths: positive left-aligned, negative right-aligned.
    private static func row(_ cells: [(String, Int)], newline: Bool = true) -> String {
        var line = ""
        for (text, width) in cells {
            let padding = String(repeating: " ", count: max(0, abs(width) - text.count))
            line += width < 0 ? padding + text : text + padding
        }
        return newline ? line + "\n" : line
    }
}
