import ArgumentParser
import BPFInstructions
import BPFObject
import Foundation

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Summarise a BPF ELF object: sections, programs, functions, relocations, BTF.",
        discussion: "Example: bpfpatch info ../shared/corpus/ebpf-samples/build/bpf2bpf.o --json")

    @Argument(help: "An ELF object (EM_BPF or EM_NONE).")
    var file: String

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        guard case .object(let object) = try InputFile.open(file) else {
            throw CLIError("\(file): not an ELF object (info needs section headers)")
        }
        var programs: [[String: Any]] = []
        for section in object.programSections {
            programs.append([
                "section": section.name,
                "slots": section.program.count,
                "relocations": section.relocations.count,
                "funcInfo": object.funcInfo(for: section).count,
                "lineInfo": object.lineInfo(for: section).count,
                "coreRelocations": object.coreRelocations(for: section).count,
                "functions": section.functions.map {
                    ["name": $0.name, "start": $0.slots.lowerBound.rawValue, "slots": $0.slots.count] as [String: Any]
                },
                "warnings": section.warnings.map { "\($0)" },
            ])
        }
        let sections = object.sections.dropFirst().map {
            ["index": $0.index, "name": $0.name, "size": $0.size, "type": "\($0.type)"] as [String: Any]
        }
        if json {
            let summary: [String: Any] = [
                "file": file,
                "byteOrder": object.byteOrder == .littleEndian ? "little" : "big",
                "machine": "\(object.machine)",
                "btf": object.btf != nil, "btfExt": object.btfExt != nil,
                "license": object.license ?? NSNull(),
                "sections": sections, "programs": programs,
                "maps": object.mapSections.map { ["section": $0.name, "symbols": $0.symbols.map(\.name)] as [String: Any] },
                "warnings": object.warnings.map { "\($0)" },
            ]
            print(try jsonText(summary))
            return
        }
        print("\(file): \(object.byteOrder == .littleEndian ? "little" : "big")-endian, machine \(object.machine), "
              + "BTF \(object.btf != nil ? "present" : "absent"), BTF.ext \(object.btfExt != nil ? "present" : "absent")"
              + (object.license.map { ", license \($0)" } ?? ""))
        print("\(object.sections.count - 1) sections, \(object.programSections.count) program sections, "
              + "\(object.mapSections.count) map sections")
        print("")
        print(pad("program section", 32) + pad("slots", 8, right: true) + pad("relocs", 8, right: true)
              + pad("func", 6, right: true) + pad("line", 7, right: true) + pad("core", 6, right: true))
        for section in object.programSections {
            print(pad(section.name, 32) + pad("\(section.program.count)", 8, right: true)
                  + pad("\(section.relocations.count)", 8, right: true)
                  + pad("\(object.funcInfo(for: section).count)", 6, right: true)
                  + pad("\(object.lineInfo(for: section).count)", 7, right: true)
                  + pad("\(object.coreRelocations(for: section).count)", 6, right: true))
            for function in section.functions {
                print("  " + pad(function.name, 30) + pad("\(function.slots.count)", 8, right: true)
                      + "  at slot \(function.slots.lowerBound)")
            }
            for warning in section.warnings { print("  \(warning)") }
        }
        // Program-section warnings were printed under their section above.
        let shown = Set(object.programSections.flatMap { $0.warnings.map { "\($0)" } })
        for warning in object.warnings where !shown.contains("\(warning)") { print("\(warning)") }
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
