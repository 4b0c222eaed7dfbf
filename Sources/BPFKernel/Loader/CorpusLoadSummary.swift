import BPFObject

/// Loaded/rejected counts over many objects, grouped by reason.
public struct CorpusLoadSummary: Sendable {
    /// Every program report.
    public var reports: [LoadReport]
    /// Objects that could not be opened, with the error.
    public var unreadable: [(path: String, error: String)]

    /// Programs the kernel accepted.
    public var loadedCount: Int { reports.filter(\.isLoaded).count }
    /// Programs not loaded.
    public var rejectedCount: Int { reports.count - loadedCount }

    /// Rejections counted by category, then errno and last log line.
    public var rejectionsByReason: [(reason: String, count: Int)] {
        var counts: [String: Int] = [:]
        for report in reports {
            guard let failure = report.failure else { continue }
            var key = failure.category.rawValue
            if let errno = failure.errno { key += " \(errno.name)" }
            if let line = failure.lastLogLine { key += ": " + Self.normalized(line) }
            else if failure.category != .kernelRejected { key += ": " + Self.normalized(failure.message) }
            counts[key, default: 0] += 1
        }
        return counts.map { ($0.key, $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason }
    }

    /// Digits and quoted names vary per program; fold them so reasons group.
    public static func normalized(_ line: String) -> String {
        var out = ""
        var inQuote = false
        var lastWasDigit = false
        for character in line {
            if character == "'" {
                inQuote.toggle()
                if inQuote { out += "'…'" }
                continue
            }
            if inQuote { continue }
            if character.isNumber {
                if !lastWasDigit { out += "N" }
                lastWasDigit = true
            } else {
                lastWasDigit = false
                out.append(character)
            }
        }
        return out
    }

    /// A multi-line text summary.
    public var text: String {
        var lines = ["programs: \(reports.count), loaded: \(loadedCount), rejected: \(rejectedCount)"]
        for (reason, count) in rejectionsByReason { lines.append("  \(count)× \(reason)") }
        for (path, error) in unreadable { lines.append("  unreadable \(path): \(error)") }
        return lines.joined(separator: "\n")
    }

    /// Loads every program of every object at `paths`.
    ///
    /// Each object's maps, BTF and programs are released before the next
    /// object is opened.
    ///
    /// - Complexity: O(total slots) plus the verifier's work.
    public static func load(paths: [String], readInfo: Bool = false) -> CorpusLoadSummary {
        var summary = CorpusLoadSummary(reports: [], unreadable: [])
        for path in paths {
            do throws(ObjectError) {
                let loader = try ObjectLoader(path: path)
                summary.reports += loader.loadAll(readInfo: readInfo)
            } catch {
                summary.unreadable.append((path, error.description))
            }
        }
        return summary
    }
}
