import Foundation

/// What `llvm-objdump -d -l -r` says about objects whose DWARF was stripped,
/// so that its line annotations come from `.BTF.ext` line_info.
struct ObjdumpReport {
    struct Line: Hashable { var slot: Int, file: String, line: Int }
    struct CORE: Hashable { var offset: Int, kind: String, typeID: UInt32, spec: String }
    struct Label: Hashable { var offset: Int, name: String }

    /// Per section name.
    var lines: [String: [Line]] = [:]
    var core: [String: [CORE]] = [:]
    var labels: [String: [Label]] = [:]

    /// Splits one run's output by file (keyed by the path objdump prints).
    static func parse(_ text: String) -> [String: ObjdumpReport] {
        var reports: [String: ObjdumpReport] = [:]
        var file: String?
        var report = ObjdumpReport()
        var section = ""
        var pending: (file: String, line: Int)?
        for raw in text.split(separator: "\n") {
            if raw.hasSuffix("file format elf64-bpf") || raw.hasSuffix("file format elf64-unknown") {
                if let file { reports[file] = report }
                file = String(raw[..<raw.range(of: ":\tfile format")!.lowerBound])
                report = ObjdumpReport()
                continue
            }
            if raw.hasPrefix("Disassembly of section ") {
                section = String(raw.dropFirst("Disassembly of section ".count).dropLast())
                pending = nil
                continue
            }
            if raw.hasPrefix("; ") {
                let body = raw.dropFirst(2)
                if let colon = body.lastIndex(of: ":"), let n = Int(body[body.index(after: colon)...]) {
                    pending = (String(body[..<colon]), n)
                }
                continue
            }
            let trimmed = raw.drop { $0 == " " || $0 == "\t" }
            if let core = trimmed.range(of: ":  CO-RE <") {
                let offset = Int(trimmed[..<core.lowerBound], radix: 16) ?? -1
                let rest = trimmed[core.upperBound...]
                let kindEnd = rest.firstIndex(of: ">")!
                let kind = String(rest[..<kindEnd])
                let open = rest.firstIndex(of: "[")!, close = rest.firstIndex(of: "]")!
                let id = UInt32(rest[rest.index(after: open)..<close]) ?? .max
                var spec = ""
                if rest.hasSuffix(")"), let p = rest.lastIndex(of: "(") { spec = String(rest[rest.index(after: p)..<rest.index(before: rest.endIndex)]) }
                report.core[section, default: []].append(CORE(offset: offset, kind: kind, typeID: id, spec: spec))
                continue
            }
            if raw.count > 20, raw.hasSuffix(">:"), let lt = raw.firstIndex(of: "<"),
               let offset = Int(raw[..<raw.index(raw.startIndex, offsetBy: 16)], radix: 16) {
                report.labels[section, default: []].append(Label(offset: offset, name: String(raw[raw.index(after: lt)..<raw.index(raw.endIndex, offsetBy: -2)])))
                continue
            }
            if let colon = trimmed.firstIndex(of: ":"), let slot = Int(trimmed[..<colon]), raw.first == " " {
                if let p = pending { report.lines[section, default: []].append(Line(slot: slot, file: p.file, line: p.line)) }
                pending = nil
            }
        }
        if let file { reports[file] = report }
        return reports
    }
}
