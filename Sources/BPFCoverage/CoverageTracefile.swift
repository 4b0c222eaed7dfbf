/// An lcov tracefile (the `geninfo` format `genhtml` reads) built from the
/// coverage of one or more programs. Programs that share a source file
/// (or a function linked into several programs) are merged: line and
/// function counts add up.
///
///     var tracefile = CoverageTracefile(testName: "xdp")
///     tracefile.add(coverage)
///     try text.write(tracefile.text)
public struct CoverageTracefile: Hashable, Sendable {
    /// The `TN:` line (letters, digits and `_` only, as lcov requires).
    public var testName: String
    /// Per source file, what is known about it.
    public private(set) var files: [String: FileRecord] = [:]

    /// The coverage of one source file.
    public struct FileRecord: Hashable, Sendable {
        /// Line number → execution count.
        public var lines: [Int: UInt64] = [:]
        /// Function name → first line and entry count.
        public var functions: [String: FunctionEntry] = [:]
        /// Branches: (line, block id, taken, not taken); nil counts are "-" (block never ran).
        public var branches: [Branch] = []
        /// Line number → the text the compiler recorded for it.
        public var texts: [Int: String] = [:]
    }

    /// A function's first line and how often it was entered.
    public struct FunctionEntry: Hashable, Sendable {
        public var line: Int
        public var count: UInt64
    }

    /// One conditional jump's two edges.
    public struct Branch: Hashable, Sendable {
        public var line: Int
        public var block: Int
        public var taken: UInt64?
        public var notTaken: UInt64?
    }

    /// An empty tracefile; `testName` keeps only letters and digits (others become `_`).
    ///
    /// - Complexity: O(t) in the name's length.
    public init(testName: String = "") {
        self.testName = String(String.UnicodeScalarView(testName.unicodeScalars.map {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) ? $0 : "_"
        }))
    }

    /// Makes a name or text safe for one tracefile (or source) line:
    /// control characters but tab (a newline would start a record) become spaces.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0 != "\t" && $0.properties.generalCategory == .control ? " " : $0 }))
    }

    /// Adds a program's coverage. Functions without any line record, and
    /// edges the block counts do not determine, are left out.
    ///
    /// - Complexity: O(l log b + s log l + b) for l line records, s
    ///   subprograms and b blocks.
    public mutating func add(_ coverage: ProgramCoverage) {
        for (key, count) in coverage.lineCounts {
            files[Self.oneLine(key.file), default: FileRecord()].lines[key.line, default: 0] &+= count
        }
        for record in coverage.lines where record.line > 0 && !record.text.isEmpty {
            files[Self.oneLine(record.file), default: FileRecord()].texts[record.line] = Self.oneLine(record.text)
        }
        for (s, sub) in coverage.graph.subprograms.enumerated() {
            // The function's first line: its first record with a line
            // (records are sorted by slot; each subprogram scans only its own).
            var k = coverage.lines.partitioningIndex { $0.slot >= sub.slots.lowerBound }
            while k < coverage.lines.count && sub.slots.contains(coverage.lines[k].slot) && coverage.lines[k].line <= 0 { k += 1 }
            guard k < coverage.lines.count, sub.slots.contains(coverage.lines[k].slot) else { continue }
            let first = coverage.lines[k]
            let name = Self.oneLine(coverage.functionNames[s]).replacingCommas()
            let file = Self.oneLine(first.file)
            let count = coverage.counts[sub.blocks.lowerBound]
            // Modified in place: a copy taken out and stored back would copy
            // the record's collections at every addition.
            if let existing = files[file]?.functions[name] {
                files[file]!.functions[name] = FunctionEntry(line: min(existing.line, first.line), count: existing.count &+ count)
            } else {
                files[file, default: FileRecord()].functions[name] = FunctionEntry(line: first.line, count: count)
            }
        }
        for branch in coverage.branchCounts {
            let block = coverage.graph.blocks[branch.block]
            guard let source = coverage.sourceLine(at: block.slots.upperBound.advanced(by: -1)), source.line > 0 else { continue }
            let ran = coverage.counts[branch.block] > 0
            guard !ran || (branch.taken != nil && branch.notTaken != nil) else { continue }
            let file = Self.oneLine(source.file)
            let id = files[file]?.branches.count ?? 0
            files[file, default: FileRecord()].branches.append(
                Branch(line: source.line, block: id, taken: ran ? branch.taken : nil, notTaken: ran ? branch.notTaken : nil))
        }
    }

    /// The tracefile text, files in name order, with `SF:` naming each
    /// file through `path` (e.g. to point at reconstructed sources).
    ///
    /// - Complexity: O(r log r) in the number of records.
    public func text(path: (String) -> String = { $0 }) -> String {
        var out = ""
        for file in files.keys.sorted() {
            let record = files[file]!
            out += "TN:\(testName)\nSF:\(path(file))\n"
            let functions = record.functions.sorted { ($0.value.line, $0.key) < ($1.value.line, $1.key) }
            for (name, entry) in functions { out += "FN:\(entry.line),\(name)\n" }
            for (name, entry) in functions { out += "FNDA:\(entry.count),\(name)\n" }
            out += "FNF:\(functions.count)\nFNH:\(functions.count { $0.value.count > 0 })\n"
            var taken = 0
            for branch in record.branches {
                let a = branch.taken.map(String.init) ?? "-", b = branch.notTaken.map(String.init) ?? "-"
                out += "BRDA:\(branch.line),\(branch.block),0,\(a)\nBRDA:\(branch.line),\(branch.block),1,\(b)\n"
                taken += (branch.taken ?? 0 > 0 ? 1 : 0) + (branch.notTaken ?? 0 > 0 ? 1 : 0)
            }
            out += "BRF:\(record.branches.count * 2)\nBRH:\(taken)\n"
            let lines = record.lines.sorted { $0.key < $1.key }
            for (line, count) in lines { out += "DA:\(line),\(count)\n" }
            out += "LF:\(lines.count)\nLH:\(lines.count { $0.value > 0 })\nend_of_record\n"
        }
        return out
    }

    /// The number of lines `reconstructedSource(_:)` makes for `file`: its
    /// highest recorded line number (line info may claim up to 2²² − 1, so
    /// check this against a budget before writing sources out).
    ///
    /// - Complexity: O(r) in the file's records.
    public func reconstructedLineCount(_ file: String) -> Int {
        guard let record = files[file] else { return 0 }
        return max(1, record.lines.keys.max() ?? 0, record.texts.keys.max() ?? 0,
                   record.functions.values.map(\.line).max() ?? 0)
    }

    /// A stand-in for a source file that is not on this machine: every
    /// line the compiler recorded, at its number; other lines empty.
    ///
    /// - Complexity: O(m) for a highest line number m.
    public func reconstructedSource(_ file: String) -> String {
        guard let record = files[file] else { return "" }
        let highest = reconstructedLineCount(file)
        var out = ""
        for line in 1...max(1, highest) { out += (record.texts[line] ?? "") + "\n" }
        return out
    }
}

extension String {
    /// `FN:` and `FNDA:` separate fields with commas.
    fileprivate func replacingCommas() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "," ? "_" : $0 }))
    }
}

extension Array {
    /// The first index whose element satisfies `belongs`, for a predicate
    /// that is false then true along the array (binary search).
    ///
    /// - Complexity: O(log n).
    fileprivate func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
