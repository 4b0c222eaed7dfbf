import BPFInstructions

/// Block counts of one program mapped back to its code: blocks hit,
/// source lines hit, function entries, branch edges.
///
///     let coverage = try ProgramCoverage(graph: graph, counterBytes: value, runs: 4, lines: lines)
///     print(coverage.blocksHit, "/", graph.blocks.count)
public struct ProgramCoverage: Hashable, Sendable {
    /// The program's name (e.g. the entry function).
    public var name: String
    /// The blocks that were counted.
    public let graph: BlockGraph
    /// Per block: how many times its first instruction ran.
    public let counts: [UInt64]
    /// How many times the program was run.
    public let runs: UInt64
    /// Line info records, sorted by slot.
    public let lines: [SourceLine]
    /// Per subprogram: its name.
    public let functionNames: [String]

    /// A source line: file and number.
    public struct LineKey: Hashable, Sendable, Comparable {
        public var file: String
        public var line: Int
        public static func < (a: LineKey, b: LineKey) -> Bool { (a.file, a.line) < (b.file, b.line) }
    }

    /// The execution counts of a conditional jump's two edges; nil where the
    /// block counts do not determine it.
    public struct BranchCounts: Hashable, Sendable {
        /// The block ending in the conditional jump.
        public var block: Int
        public var taken: UInt64?
        public var notTaken: UInt64?

        public init(block: Int, taken: UInt64?, notTaken: UInt64?) {
            self.block = block
            self.taken = taken
            self.notTaken = notTaken
        }
    }

    /// Maps the raw counter value (one little-endian u64 per block) to blocks.
    ///
    /// - Parameters:
    ///   - functionNames: per subprogram; missing names become `sub_<slot>`.
    /// - Throws: `CoverageError` `.badCounters` when the bytes are not 8 per block.
    /// - Complexity: O(b + l log l).
    public init(name: String = "", graph: BlockGraph, counterBytes: [UInt8], runs: UInt64,
                lines: [SourceLine] = [], functionNames: [String] = []) throws(CoverageError) {
        guard counterBytes.count >= graph.blocks.count * 8 else {
            throw CoverageError(.badCounters, "\(counterBytes.count) counter bytes for \(graph.blocks.count) blocks")
        }
        var counts: [UInt64] = []
        counts.reserveCapacity(graph.blocks.count)
        for b in 0..<graph.blocks.count {
            var value: UInt64 = 0
            for k in 0..<8 { value |= UInt64(counterBytes[b * 8 + k]) << (8 * k) }
            counts.append(value)
        }
        self.init(name: name, graph: graph, counts: counts, runs: runs, lines: lines, functionNames: functionNames)
    }

    /// Wraps counts already read.
    ///
    /// - Precondition: `counts` holds one count per block of `graph` (the
    ///   counter-bytes initialiser checks this and throws instead).
    /// - Complexity: O(s + l log l).
    public init(name: String = "", graph: BlockGraph, counts: [UInt64], runs: UInt64,
                lines: [SourceLine] = [], functionNames: [String] = []) {
        precondition(counts.count == graph.blocks.count, "\(counts.count) counts for \(graph.blocks.count) blocks")
        self.name = name
        self.graph = graph
        self.counts = counts
        self.runs = runs
        self.lines = lines.filter { $0.slot.rawValue >= 0 && $0.slot.rawValue < graph.program.count }
            .sorted { $0.slot < $1.slot }
        self.functionNames = graph.subprograms.enumerated().map { s, sub in
            s < functionNames.count && !functionNames[s].isEmpty ? functionNames[s] : "sub_\(sub.slots.lowerBound)"
        }
    }

    /// Blocks that ran at least once.
    ///
    /// - Complexity: O(b).
    public var blocksHit: Int { counts.count { $0 > 0 } }

    /// Per source line, the highest count of the blocks its instructions
    /// are in (a line's instructions run together unless a jump splits them).
    ///
    /// - Complexity: O(l log b + s), l records, s slots covered.
    public var lineCounts: [LineKey: UInt64] {
        var result: [LineKey: UInt64] = [:]
        for (k, record) in lines.enumerated() where record.line > 0 {
            let end = k + 1 < lines.count ? max(lines[k + 1].slot, record.slot.advanced(by: 1))
                                          : SlotIndex(graph.program.count)
            guard let first = graph.block(containing: record.slot),
                  let last = graph.block(containing: end.advanced(by: -1)) else { continue }
            let key = LineKey(file: record.file, line: record.line)
            var best = result[key] ?? 0
            for b in first...last { best = max(best, counts[b]) }
            result[key] = best
        }
        return result
    }

    /// The line record covering `slot`, if any.
    ///
    /// - Complexity: O(log l).
    public func sourceLine(at slot: SlotIndex) -> SourceLine? {
        var low = 0, high = lines.count
        while low < high {
            let mid = (low + high) / 2
            if lines[mid].slot <= slot { low = mid + 1 } else { high = mid }
        }
        return low > 0 ? lines[low - 1] : nil
    }

    /// The counts of every conditional jump's edges, derived from block
    /// counts by flow conservation: a block's count is the sum of its
    /// incoming edges (except at a subprogram entry, entered by calls) and
    /// of its outgoing edges (except after `exit` or a tail call). An edge
    /// is solved when it is the only unknown of such an equation.
    ///
    /// - Complexity: O(b + e) for b blocks and e edges: each equation keeps
    ///   its count of unknown edges, their XOR and its known sum, so it is
    ///   checked in O(1) however many edges meet at one block.
    public var branchCounts: [BranchCounts] {
        let blocks = graph.blocks
        // Edges: (from, to); a branch with both edges to the same block counts as one.
        struct Edge { var from: Int; var to: Int; var value: UInt64? }
        var edges: [Edge] = []
        var branchEdges: [Int: (taken: Int, notTaken: Int)] = [:]
        for block in blocks {
            func add(_ to: Int) -> Int {
                edges.append(Edge(from: block.index, to: to, value: nil))
                return edges.count - 1
            }
            switch block.exit {
            case .fallsThrough(let next), .jump(let next): _ = add(next)
            case .mayEnd(let next): _ = add(next)
            case .branch(let taken, let notTaken):
                if taken == notTaken {
                    let e = add(taken)
                    branchEdges[block.index] = (e, e)
                } else {
                    branchEdges[block.index] = (add(taken), add(notTaken))
                }
            case .exit: break
            }
        }
        let entries = Set(graph.subprograms.map(\.blocks.lowerBound))
        // Equation 2b: block b's incoming edges; 2b + 1: its outgoing ones.
        var unknown = [Int](repeating: 0, count: 2 * blocks.count)
        var unknownXor = [Int](repeating: 0, count: 2 * blocks.count)
        var knownSum = [UInt64](repeating: 0, count: 2 * blocks.count)
        for (e, edge) in edges.enumerated() {
            unknown[2 * edge.to] += 1
            unknownXor[2 * edge.to] ^= e
            unknown[2 * edge.from + 1] += 1
            unknownXor[2 * edge.from + 1] ^= e
        }
        /// Solves equation `q` (`sum == total`) when one edge is unknown; returns it.
        func solve(_ q: Int, total: UInt64) -> Int? {
            guard unknown[q] == 1, knownSum[q] <= total else { return nil }
            let e = unknownXor[q], value = total - knownSum[q]
            edges[e].value = value
            for end in [2 * edges[e].to, 2 * edges[e].from + 1] {
                unknown[end] -= 1
                unknownXor[end] ^= e
                knownSum[end] &+= value
            }
            return e
        }
        // A worklist of blocks whose equations may have become solvable:
        // every solved edge re-queues its two ends, so each edge is solved
        // once and each block is looked at O(1 + its solved edges) times.
        var queue = Array(blocks.indices)
        var queued = [Bool](repeating: true, count: blocks.count)
        while let b = queue.popLast() {
            queued[b] = false
            let total = counts[b]
            var solved: [Int] = []
            if !entries.contains(b), let e = solve(2 * b, total: total) { solved.append(e) }
            switch blocks[b].exit {
            case .exit, .mayEnd: break
            default: if let e = solve(2 * b + 1, total: total) { solved.append(e) }
            }
            for e in solved {
                for end in [edges[e].from, edges[e].to] where !queued[end] {
                    queued[end] = true
                    queue.append(end)
                }
            }
        }
        return branchEdges.keys.sorted().map { b in
            let pair = branchEdges[b]!
            if pair.taken == pair.notTaken {
                // Both edges go to the same place: the split is unknowable, but
                // a never-run block took neither.
                let zero: UInt64? = counts[b] == 0 ? 0 : nil
                return BranchCounts(block: b, taken: zero, notTaken: zero)
            }
            return BranchCounts(block: b, taken: edges[pair.taken].value, notTaken: edges[pair.notTaken].value)
        }
    }
}
