/// The parsed output of `llvm-objdump -d --no-show-raw-insn`.
struct ObjdumpListing {
    struct Section {
        var name: String
        /// (slot index, instruction text without llvm's ` <symbol>` annotation)
        var lines: [(slot: Int, text: String)] = []
        /// Lines llvm printed that are neither labels nor instructions (e.g. `...`).
        var otherLines: [String] = []
    }

    var sections: [Section] = []

    init(_ text: String) {
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(raw)
            if line.hasPrefix("Disassembly of section ") && line.hasSuffix(":") {
                let name = line.dropFirst("Disassembly of section ".count).dropLast()
                sections.append(Section(name: String(name)))
                continue
            }
            guard !sections.isEmpty else { continue }
            if let (slot, text) = Self.instruction(line) {
                sections[sections.count - 1].lines.append((slot, text))
            } else if !Self.isLabel(line) {
                sections[sections.count - 1].otherLines.append(line)
            }
        }
    }

    /// `  1234:\ttext` → (1234, text), with a trailing ` <sym+0x..>` removed.
    static func instruction(_ line: String) -> (Int, String)? {
        guard let tab = line.firstIndex(of: "\t") else { return nil }
        let head = line[..<tab].trimmingCharacters(in: " ")
        guard head.hasSuffix(":"), let slot = Int(head.dropLast()) else { return nil }
        var text = String(line[line.index(after: tab)...])
        if text != "<unknown>", text.hasSuffix(">"), let open = text.range(of: " <", options: .backwards) {
            text = String(text[..<open.lowerBound])
        }
        return (slot, text)
    }

    static func isLabel(_ line: String) -> Bool {
        line.hasSuffix(">:") && line.first?.isHexDigit == true
    }
}

extension StringProtocol {
    func trimmingCharacters(in character: Character) -> Substring {
        var s = self[...]
        while s.first == character { s = s.dropFirst() }
        while s.last == character { s = s.dropLast() }
        return Substring(s)
    }
}
