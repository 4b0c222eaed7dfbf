/// Plain-text tables for the commands' terminal output.
enum TextTable {
    /// Renders rows (the first is the header) in aligned columns.
    ///
    /// - Complexity: O(c), the total characters.
    static func render(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        guard let header = rows.first else { return "" }
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        var lines: [String] = []
        for (r, row) in rows.enumerated() {
            var cells: [String] = []
            for (i, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: max(0, (i < widths.count ? widths[i] : 0) - cell.count))
                let last = i == row.count - 1
                cells.append(rightAligned.contains(i) ? pad + cell : (last ? cell : cell + pad))
            }
            lines.append(cells.joined(separator: "  "))
            if r == 0 { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        return lines.joined(separator: "\n")
    }
}
