import Foundation

/// What `llvm-readobj --sections --symbols --relocations` (LLVM style) says
/// about one object: the independent oracle for the ELF layer.

struct ReadobjReport {
    struct Section { var index = 0, name = "", type: UInt64 = 0, flags: UInt64 = 0, offset: UInt64 = 0, size: UInt64 = 0,
                     link: UInt64 = 0, info: UInt64 = 0, entrySize: UInt64 = 0 }
    struct Symbol { var name = "", value: UInt64 = 0, size: UInt64 = 0, binding: UInt64 = 0, type: UInt64 = 0,
                    other: UInt64 = 0, section: UInt64 = 0 }
    struct Relocation { var offset: UInt64, type: String, symbol: String, addend: String? }

    var sections: [Section] = []
    var symbols: [Symbol] = []
    /// Keyed by the relocation section's index.
    var relocations: [Int: [Relocation]] = [:]

    /// Splits the output of one run over many files into reports by path.
    static func parse(_ text: String) -> [String: ReadobjReport] {
        var reports: [String: ReadobjReport] = [:]
        var file: String?
        var report = ReadobjReport()
        var section: Section?
        var symbol: Symbol?
        var relocationSection: Int?
        var inRelocations = false

        func number(_ s: Substring) -> UInt64 {
            let t = s.trimmingPrefix(" ")
            if t.hasPrefix("0x") { return UInt64(t.dropFirst(2), radix: 16) ?? .max }
            return UInt64(t) ?? .max
        }
        /// The value in the trailing parentheses: `Name (0x3)` → 3.
        func parenthesized(_ s: Substring) -> UInt64 {
            guard let open = s.lastIndex(of: "("), let close = s.lastIndex(of: ")") else { return .max }
            return number(s[s.index(after: open)..<close])
        }
        /// The text before the trailing parentheses: `foo (12)` → `foo`.
        func beforeParenthesis(_ s: Substring) -> String {
            guard let open = s.range(of: " (", options: .backwards) else { return String(s) }
            return String(s[..<open.lowerBound])
        }

        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.drop { $0 == " " }
            if rawLine.hasPrefix("File: ") {
                if let file { reports[file] = report }
                file = String(rawLine.dropFirst(6))
                report = ReadobjReport()
                inRelocations = false
                continue
            }
            if rawLine == "Relocations [" { inRelocations = true; continue }
            if rawLine == "]" { inRelocations = false; continue }
            if inRelocations {
                if line.hasPrefix("Section (") {
                    let close = line.firstIndex(of: ")")!
                    relocationSection = Int(line[line.index(line.startIndex, offsetBy: 9)..<close])
                    report.relocations[relocationSection!, default: []] = []
                } else if line.hasPrefix("0x"), let r = relocationSection {
                    let parts = line.split(separator: " ")
                    report.relocations[r]!.append(Relocation(
                        offset: number(parts[0]), type: String(parts[1]), symbol: String(parts[2]),
                        addend: parts.count > 3 ? String(parts[3]) : nil))
                }
                continue
            }
            if line == "Section {" { section = Section(); continue }
            if line == "Symbol {" { symbol = Symbol(); continue }
            if line == "}" {
                if let s = section { report.sections.append(s); section = nil }
                if let s = symbol { report.symbols.append(s); symbol = nil }
                continue
            }
            if section != nil, line.hasPrefix("Flags [ (") { section!.flags = parenthesized(line); continue }
            if symbol != nil, line.hasPrefix("Other [ (") { symbol!.other = parenthesized(line); continue }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            let value = line[line.index(after: colon)...].dropFirst()
            if section != nil {
                switch key {
                case "Index": section!.index = Int(number(value))
                case "Name": section!.name = beforeParenthesis(value)
                case "Type": section!.type = parenthesized(value)
                case "Offset": section!.offset = number(value)
                case "Size": section!.size = number(value)
                case "Link": section!.link = number(value)
                case "Info": section!.info = number(value)
                case "EntrySize": section!.entrySize = number(value)
                default: break
                }
            } else if symbol != nil {
                switch key {
                case "Name": symbol!.name = beforeParenthesis(value)
                case "Value": symbol!.value = number(value)
                case "Size": symbol!.size = number(value)
                case "Binding": symbol!.binding = parenthesized(value)
                case "Type": symbol!.type = parenthesized(value)
                case "Other": symbol!.other = number(value)
                case "Section": symbol!.section = parenthesized(value)
                default: break
                }
            }
        }
        if let file { reports[file] = report }
        return reports
    }
}
