import Foundation

extension BenchReport {
    /// A log–log plot of ns per output slot against N for the synthetic
    /// workloads with 20% jumps and P = 10%, one line per contender
    /// (estimated sequential points hollow). Plain SVG, no dependencies.
    public func svg() -> String {
        let series = records.filter { $0.jumpDensity == 0.2 && $0.patchDensity == 0.1 }
        let width = 720.0, height = 460.0
        let left = 70.0, right = 170.0, top = 40.0, bottom = 50.0
        let xs = series.map { log10(Double($0.n)) }, ys = series.map { log10(max($0.cpuNsPerOutputSlot, 1e-3)) }
        let xMin = (xs.min() ?? 3).rounded(.down), xMax = max((xs.max() ?? 6).rounded(.up), xMin + 1)
        let yMin = (ys.min() ?? -1).rounded(.down), yMax = max((ys.max() ?? 3).rounded(.up), yMin + 1)
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * (width - left - right) }
        func py(_ y: Double) -> Double { height - bottom - (y - yMin) / (yMax - yMin) * (height - top - bottom) }
        let colors: [Contender: String] = [.memcpy: "#999999", .floor: "#000000", .batch: "#1f77b4", .cBaseline: "#9467bd",
                                           .batchTables: "#2ca02c", .draftTables: "#ff7f0e", .sequentialTables: "#d62728"]
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="22" font-size="14">CPU ns per output slot (20% jumps, P = 10% of N; log–log; hollow = estimated)</text>

            """
        var x = xMin
        while x <= xMax {
            s += "<line x1=\"\(px(x))\" y1=\"\(py(yMin))\" x2=\"\(px(x))\" y2=\"\(py(yMax))\" stroke=\"#eeeeee\"/>\n"
            s += "<text x=\"\(px(x))\" y=\"\(height - bottom + 18)\" text-anchor=\"middle\">\(Self.power(x))</text>\n"
            x += 1
        }
        var y = yMin
        while y <= yMax {
            s += "<line x1=\"\(px(xMin))\" y1=\"\(py(y))\" x2=\"\(px(xMax))\" y2=\"\(py(y))\" stroke=\"#eeeeee\"/>\n"
            s += "<text x=\"\(left - 8)\" y=\"\(py(y) + 4)\" text-anchor=\"end\">\(Self.power(y))</text>\n"
            y += 1
        }
        s += "<text x=\"\((left + width - right) / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">N (input slots)</text>\n"
        for (k, contender) in Contender.allCases.enumerated() {
            let points = series.filter { $0.contender == contender }.sorted { $0.n < $1.n }
            guard !points.isEmpty, let color = colors[contender] else { continue }
            let path = points.map { "\(px(log10(Double($0.n)))),\(py(log10(max($0.cpuNsPerOutputSlot, 1e-3))))" }.joined(separator: " ")
            s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            for point in points {
                let fill = point.status == .skipped ? "white" : color
                s += "<circle cx=\"\(px(log10(Double(point.n))))\" cy=\"\(py(log10(max(point.cpuNsPerOutputSlot, 1e-3))))\" r=\"4\" fill=\"\(fill)\" stroke=\"\(color)\"/>\n"
            }
            let ly = top + 20 + Double(k) * 20
            s += "<line x1=\"\(width - right + 15)\" y1=\"\(ly - 4)\" x2=\"\(width - right + 35)\" y2=\"\(ly - 4)\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            s += "<text x=\"\(width - right + 40)\" y=\"\(ly)\">\(contender == .cBaseline ? "C loop (c)" : contender.rawValue)</text>\n"
        }
        s += "</svg>\n"
        return s
    }

    static func power(_ exponent: Double) -> String {
        let e = Int(exponent)
        return e >= 0 && e <= 6 ? String(Int(pow(10.0, Double(e)))) : "1e\(e)"
    }
}
