import BPFInstructions
import BPFPatch

/// One 64-bit counter per basic block, incremented at the block's start
/// without a helper call and without needing a free register:
///
///     *(u64 *)(r10 - (D+8))  = rA      spill (only when rA is initialised)
///     *(u64 *)(r10 - (D+16)) = rB      spill (only when rB is initialised)
///     rA = map_value(counters) + 8·k   ld_imm64, BPF_PSEUDO_MAP_VALUE
///     rB = 1
///     lock *(u64 *)(rA + 0) += rB      atomic add
///     rA = *(u64 *)(r10 - (D+8))       restore
///     rB = *(u64 *)(r10 - (D+16))      restore
///
/// D is the frame's deepest stack use rounded up to 8, so the 16 bytes
/// are below everything the program touches. A register that is
/// certainly uninitialised at the block start is used without a spill (the
/// verifier refuses to store an uninitialised register, and the program
/// never reads it before writing it); a register whose state depends on
/// the path is never chosen. The sequence goes in with the engine's
/// insert-before, so every jump, call and function reference to the block
/// lands on its first inserted slot, and line info covers the whole run.
///
///     let plan = try CoverageInstrumentation(graph: graph)
///     let result = try plan.apply(counterMap: fd, tables: tables)
public struct CoverageInstrumentation: Hashable, Sendable {
    /// The blocks being counted.
    public let graph: BlockGraph
    /// Per subprogram: the frame depth the spill area goes below (a multiple of 8).
    public let reservedDepths: [Int]
    /// Per block: the two scratch registers and whether each is spilled.
    public let scratch: [Scratch]
    /// Per subprogram: registers set to 0 on entry (bit k = `rk`), so that
    /// they have a definite state everywhere in it. Only done where some
    /// block would otherwise lack scratch registers, and only for entries
    /// no jump returns to; the verifier guarantees the program never reads
    /// them before writing them, so its behaviour is unchanged.
    public let zeroedAtEntry: [UInt16]

    /// `r6`–`r9`: uninitialised at every subprogram entry, never clobbered by calls.
    static let calleeSaved: UInt16 = 0b11_1100_0000

    /// The registers a block's counter sequence uses.
    public struct Scratch: Hashable, Sendable {
        public var address: Register
        public var increment: Register
        public var spillsAddress: Bool
        public var spillsIncrement: Bool
    }

    /// The stack size of one frame.
    public static let frameLimit = 512
    /// Bytes of spill area per frame.
    public static let spillBytes = 16

    /// The size of the counter map's single value: 8 bytes per block.
    ///
    /// - Complexity: O(1).
    public var counterValueSize: Int { graph.blocks.count * 8 }

    /// Plans the counters of `graph`.
    ///
    /// - Parameter knownDepths: per subprogram, stack depths known from
    ///   elsewhere (e.g. the verifier's statistics of the original); the
    ///   larger of that and the static depth is used, and a known depth
    ///   stands in for one the analysis could not bound.
    /// - Throws: `CoverageError` `.stackFull` when a frame has fewer than
    ///   16 bytes left, `.unknownStackDepth`, `.noScratchRegister`,
    ///   `.tooManyBlocks`.
    /// - Complexity: O(n) plus the analysis.
    public init(graph: BlockGraph, knownDepths: [Int]? = nil) throws(CoverageError) {
        var analysis = FrameAnalysis(graph: graph)
        var reserved: [Int] = []
        for (s, sub) in graph.subprograms.enumerated() {
            let known = knownDepths.flatMap { s < $0.count ? $0[s] : nil }
            if analysis.hasVariableStackOffset[s] && known == nil {
                throw CoverageError(.unknownStackDepth, slot: sub.slots.lowerBound,
                                    "subprogram at slot \(sub.slots.lowerBound) adds a variable offset to a stack pointer; its depth is unknown")
            }
            let depth = max(analysis.stackDepths[s], known ?? 0)
            let rounded = (depth + 7) / 8 * 8
            guard rounded + Self.spillBytes <= Self.frameLimit else {
                throw CoverageError(.stackFull, slot: sub.slots.lowerBound,
                                    "subprogram at slot \(sub.slots.lowerBound) uses \(depth) of \(Self.frameLimit) stack bytes; the counters need \(Self.spillBytes) more")
            }
            reserved.append(rounded)
        }
        guard graph.blocks.count <= Int(Int32.max) / 8 else {
            throw CoverageError(.tooManyBlocks, "\(graph.blocks.count) blocks do not fit 32-bit counter offsets")
        }
        var zeroed = [UInt16](repeating: 0, count: graph.subprograms.count)
        var scratch = Self.chooseScratch(graph, analysis)
        let lacking = Set(graph.blocks.indices.filter { scratch[$0] == nil }.map { graph.blocks[$0].subprogram })
        if !lacking.isEmpty {
            for s in lacking where graph.predecessors[graph.subprograms[s].blocks.lowerBound].isEmpty {
                zeroed[s] = Self.calleeSaved
            }
            analysis = FrameAnalysis(graph: graph, zeroedAtEntry: zeroed)
            scratch = Self.chooseScratch(graph, analysis)
        }
        if let b = scratch.firstIndex(where: { $0 == nil }) {
            throw CoverageError(.noScratchRegister, slot: graph.blocks[b].slots.lowerBound,
                                "fewer than two registers with a path-independent state at the block start")
        }
        self.scratch = scratch.map { $0! }
        self.zeroedAtEntry = zeroed
        self.graph = graph
        self.reservedDepths = reserved
    }

    /// Two registers per block, unused ones (no spill) first, then
    /// initialised ones; nil where fewer than two have a definite state.
    static func chooseScratch(_ graph: BlockGraph, _ analysis: FrameAnalysis) -> [Scratch?] {
        graph.blocks.map { block in
            let must = analysis.definitelyInitialized[block.index]
            let may = analysis.possiblyInitialized[block.index]
            var chosen: [(Register, Bool)] = []
            for r in 0..<10 where may & (1 << r) == 0 && chosen.count < 2 {
                chosen.append((Register(rawValue: UInt8(r))!, false))
            }
            for r in 0..<10 where must & (1 << r) != 0 && chosen.count < 2 {
                chosen.append((Register(rawValue: UInt8(r))!, true))
            }
            guard chosen.count == 2 else { return nil }
            return Scratch(address: chosen[0].0, increment: chosen[1].0,
                           spillsAddress: chosen[0].1, spillsIncrement: chosen[1].1)
        }
    }

    /// The counter sequence of one block.
    ///
    /// - Parameter counterMap: the map fd written into the `ld_imm64`.
    /// - Complexity: O(1).
    public func sequence(forBlock b: Int, counterMap: Int32) -> [Instruction] {
        let block = graph.blocks[b]
        let choice = scratch[b]
        let depth = reservedDepths[block.subprogram]
        let slotA = Int16(-(depth + 8)), slotB = Int16(-(depth + 16))
        var out: [Instruction] = []
        if graph.subprograms[block.subprogram].blocks.lowerBound == b {
            for r in 0..<10 where zeroedAtEntry[block.subprogram] & (1 << r) != 0 {
                out.append(.mov(Register(rawValue: UInt8(r))!, 0))
            }
        }
        if choice.spillsAddress { out.append(.store(.doubleWord, .r10, offset: slotA, choice.address)) }
        if choice.spillsIncrement { out.append(.store(.doubleWord, .r10, offset: slotB, choice.increment)) }
        out += Instruction.loadMapValue(choice.address, fd: counterMap, offset: Int32(b * 8))
        out.append(.mov(choice.increment, 1))
        out.append(.atomic(.add, .doubleWord, choice.address, choice.increment))
        if choice.spillsAddress { out.append(.load(.doubleWord, choice.address, .r10, offset: slotA)) }
        if choice.spillsIncrement { out.append(.load(.doubleWord, choice.increment, .r10, offset: slotB)) }
        return out
    }

    /// The whole batch: one insert-before per block.
    ///
    /// - Throws: `CoverageError` `.patch` if the engine refuses a site.
    /// - Complexity: O(b) patches.
    public func patches(counterMap: Int32) throws(CoverageError) -> PatchSet {
        var set = PatchSet()
        for block in graph.blocks {
            do throws(PatchError) {
                try set.insert(sequence(forBlock: block.index, counterMap: counterMap),
                               before: block.slots.lowerBound, in: graph.program)
            } catch {
                throw CoverageError(.patch, slot: block.slots.lowerBound, "\(error)")
            }
        }
        return set
    }

    /// Applies the batch to the program, moving `tables` along.
    ///
    /// - Throws: `CoverageError` `.patch` when the engine refuses the batch
    ///   (e.g. a displacement no longer fits its field).
    /// - Complexity: O(n + b + t), as `PatchSet.apply`.
    public func apply(counterMap: Int32, tables: SideTables = SideTables()) throws(CoverageError) -> PatchResult {
        let set = try patches(counterMap: counterMap)
        do throws(PatchError) {
            return try set.apply(to: graph.program, tables: tables)
        } catch {
            throw CoverageError(.patch, slot: error.slot, "\(error)")
        }
    }
}
