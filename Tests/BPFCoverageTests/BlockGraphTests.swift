import BPFInstructions
import BPFPatch
import Testing
@testable import BPFCoverage

/// Block splitting, frame analysis and the instrumentation batch, without a kernel.
struct BlockGraphTests {
    func starts(_ graph: BlockGraph) -> [Int] { graph.blocks.map(\.slots.lowerBound.rawValue) }

    @Test func straightLineIsOneBlock() throws {
        let graph = try BlockGraph(program: HandPrograms.straightLine)
        #expect(starts(graph) == [0])
        #expect(graph.blocks[0].exit == .exit)
    }

    @Test func ifElseHasThreeBlocks() throws {
        let graph = try BlockGraph(program: HandPrograms.ifElse)
        #expect(starts(graph) == [0, 2, 4])
        #expect(graph.blocks[0].exit == .branch(taken: 2, notTaken: 1))
        #expect(graph.predecessors == [[], [0], [0]])
    }

    @Test func loopBodyIsItsOwnBlock() throws {
        let graph = try BlockGraph(program: HandPrograms.loop(4))
        #expect(starts(graph) == [0, 1, 3])
        #expect(graph.blocks[1].exit == .branch(taken: 1, notTaken: 2))
        #expect(graph.predecessors[1] == [0, 1])
    }

    @Test func callsAndCallbacksStartSubprograms() throws {
        let calls = try BlockGraph(program: HandPrograms.calls)
        #expect(starts(calls) == [0, 7, 9, 10])
        #expect(calls.subprograms.map(\.slots.lowerBound.rawValue) == [0, 7])
        #expect(calls.subprograms[1].isCalled && !calls.subprograms[1].isCallback)
        #expect(calls.blocks.map(\.subprogram) == [0, 1, 1, 1])
        let callback = try BlockGraph(program: HandPrograms.callback)
        #expect(starts(callback) == [0, 8])
        #expect(callback.subprograms[1].isCallback)
    }

    @Test func programEndingInstructionsEndBlocks() throws {
        let graph = try BlockGraph(program: HandPrograms.packetLoad)
        #expect(starts(graph) == [0, 2])
        #expect(graph.blocks[0].exit == .mayEnd(1))
        // bpf_tail_call too.
        let tail = try BlockGraph(program: Program(slots: [Instruction.call(helper: HelperID(rawValue: 12)), Instruction.mov(.r0, 0), Instruction.exit]))
        #expect(starts(tail) == [0, 1])
        #expect(tail.blocks[0].exit == .mayEnd(1))
    }

    @Test func fallingOffASubprogramIsAnError() {
        // 0 r0 = 0; 1 call +1 → 3; 2 r0 = 1 (falls into the subprogram); 3 exit
        let program = Program(slots: [Instruction.mov(.r0, 0), Instruction.call(relative: 1), Instruction.mov(.r0, 1), Instruction.exit])
        #expect(throws: CoverageError.self) { try BlockGraph(program: program) }
        let jumpIntoWide = Program(slots: [Instruction.ja(1)] + Instruction.loadFunction(.r1, relative: 0) + [Instruction.exit])
        #expect(throws: CoverageError.self) { try BlockGraph(program: jumpIntoWide) }
    }

    @Test func stackDepthFollowsFramePointers() throws {
        // r2 = r10; r2 += -40; *(u32 *)(r2 - 4) = ... → 44 deep, rounded to 48.
        let program = Program(slots: [
            Instruction.mov(.r2, .r10), Instruction.alu(.add, .r2, -40), Instruction.store(.word, .r2, offset: -4, 1),
            Instruction.mov(.r0, 0), Instruction.exit,
        ])
        let graph = try BlockGraph(program: program)
        #expect(FrameAnalysis(graph: graph).stackDepths == [44])
        let plan = try CoverageInstrumentation(graph: graph)
        #expect(plan.reservedDepths == [48])
        // A spilled frame pointer filled back is still one.
        let spilled = Program(slots: [
            Instruction.mov(.r3, .r10), Instruction.alu(.add, .r3, -64), Instruction.store(.doubleWord, .r10, offset: -8, .r3),
            Instruction.load(.doubleWord, .r4, .r10, offset: -8), Instruction.store(.doubleWord, .r4, offset: -8, 0), Instruction.mov(.r0, 0), Instruction.exit,
        ])
        #expect(FrameAnalysis(graph: try BlockGraph(program: spilled)).stackDepths == [72])
        // fp - 256 + (r0 & 0xff) stays within 256 bytes; fp - 256 + r0 (any sign) does not.
        func indexed(_ mask: Bool) -> Program {
            Program(slots: [Instruction.call(helper: HelperID(rawValue: 7))] + (mask ? [Instruction.alu(.and, .r0, 0xff)] : []) + [
                Instruction.mov(.r1, .r10), Instruction.alu(.add, .r1, -256), Instruction.alu(.add, .r1, .r0),
                Instruction.load(.byte, .r0, .r1), Instruction.exit,  // w0 = *(u8 *)(r1 + 0)
            ])
        }
        let masked = FrameAnalysis(graph: try BlockGraph(program: indexed(true)))
        #expect(masked.stackDepths == [256] && masked.hasVariableStackOffset == [false])
        let unmasked = FrameAnalysis(graph: try BlockGraph(program: indexed(false)))
        #expect(unmasked.hasVariableStackOffset == [true])
        #expect(throws: CoverageError.self) { try CoverageInstrumentation(graph: try BlockGraph(program: indexed(false))) }
    }

    @Test func initialisationDecidesTheScratchRegisters() throws {
        let graph = try BlockGraph(program: HandPrograms.deepStack(496))
        let plan = try CoverageInstrumentation(graph: graph)
        // Entry: only r1 is set, so r0 and r2 are free.
        #expect(plan.scratch[0] == .init(address: .r0, increment: .r2, spillsAddress: false, spillsIncrement: false))
        // After slot 10 every register is set: r0 and r1 are spilled.
        #expect(plan.scratch[1] == .init(address: .r0, increment: .r1, spillsAddress: true, spillsIncrement: true))
        let sequence = plan.sequence(forBlock: 1, counterMap: 9)
        #expect(sequence.map(\.hex) == [
            "7b0a08fe00000000",  // *(u64 *)(r10 - 504) = r0
            "7b1a00fe00000000",  // *(u64 *)(r10 - 512) = r1
            "1820000009000000", "0000000008000000",  // r0 = map_value(fd 9) + 8
            "b701000001000000",  // r1 = 1
            "db10000000000000",  // lock *(u64 *)(r0 + 0) += r1
            "79a008fe00000000",  // r0 = *(u64 *)(r10 - 504)
            "79a100fe00000000",  // r1 = *(u64 *)(r10 - 512)
        ])
    }

    @Test func pathDependentRegistersAreZeroedAtEntry() throws {
        let graph = try BlockGraph(program: HandPrograms.pathDependentRegisters)
        #expect(starts(graph) == [0, 2, 11])
        let analysis = FrameAnalysis(graph: graph)
        #expect(analysis.definitelyInitialized[2] == 0 && analysis.possiblyInitialized[2] == 0b11_1111_1111)
        let plan = try CoverageInstrumentation(graph: graph)
        #expect(plan.zeroedAtEntry == [0b11_1100_0000])
        #expect(plan.scratch[2] == .init(address: .r6, increment: .r7, spillsAddress: true, spillsIncrement: true))
        // The entry sequence starts with r6 = 0 ... r9 = 0.
        #expect(plan.sequence(forBlock: 0, counterMap: 1).prefix(4).map(\.hex)
                == ["b706000000000000", "b707000000000000", "b708000000000000", "b709000000000000"])
        // Without a free entry (a loop back to slot 0) it is refused.
        let loopToEntry = Program(slots: HandPrograms.pathDependentRegisters.slots.dropLast() + [Instruction.jump(.jgt, .r0, 5, offset: -13), Instruction.exit])
        #expect(throws: CoverageError.self) { try CoverageInstrumentation(graph: try BlockGraph(program: loopToEntry)) }
    }

    @Test func counterSequenceEncoding() throws {
        // RFC 9669's opcodes, written out: 0x7b stxdw, 0x18 lddw (src 2 =
        // BPF_PSEUDO_MAP_VALUE), 0xb7 mov64 imm, 0xdb atomic dw (imm 0 = add), 0x79 ldxdw.
        let graph = try BlockGraph(program: HandPrograms.deepStack(200))
        let plan = try CoverageInstrumentation(graph: graph)
        let b = 1  // every register is live here: both are spilled
        let choice = plan.scratch[b]
        #expect(choice.spillsAddress && choice.spillsIncrement)
        let a = choice.address, i = choice.increment
        #expect(plan.sequence(forBlock: b, counterMap: 9) == [
            Instruction(code: 0x7b, dst: .r10, src: a, offset: -208), Instruction(code: 0x7b, dst: .r10, src: i, offset: -216),
            Instruction(code: 0x18, dst: a, src: .r2, immediate: 9), Instruction(code: 0x00, immediate: 8),
            Instruction(code: 0xb7, dst: i, immediate: 1), Instruction(code: 0xdb, dst: a, src: i, immediate: 0),
            Instruction(code: 0x79, dst: a, src: .r10, offset: -208), Instruction(code: 0x79, dst: i, src: .r10, offset: -216),
        ])
    }

    @Test func aPointerWalkingDownTheStackInALoopWidens() throws {
        // r1 = r10; loop: r1 += -1; *(u8 *)(r1 + 0) = 0; (k fillers); if r2 != 0 goto loop.
        // The path-insensitive analysis cannot bound the walk: the depth
        // reaches the clamp and the frame is refused. Widening gets there
        // in a few passes over the loop body instead of one per byte
        // (1024 passes over 20000 slots took minutes in a debug build).
        let k = 20_000
        var slots: [Instruction] = [Instruction.mov(.r1, .r10), Instruction.mov(.r2, 1), Instruction.alu(.add, .r1, -1),
                                    Instruction.store(.byte, .r1, 0)]  // *(u8 *)(r1 + 0) = 0
        slots += Array(repeating: Instruction.alu(.add, .r3, 1), count: k)
        slots += [Instruction.jump(.jne, .r2, 0, offset: Int16(-(k + 3))), Instruction.mov(.r0, 0), Instruction.exit]
        let graph = try BlockGraph(program: Program(slots: slots))
        #expect(graph.blocks.count == 3)
        #expect(FrameAnalysis(graph: graph).stackDepths == [FrameAnalysis.offsetClamp])
        #expect(throws: CoverageError.self) { try CoverageInstrumentation(graph: graph) }
        // Offsets that merely differ between a few paths are not widened:
        // two paths give 64 and 128 bytes; the depth is 128.
        let twoPaths = Program(slots: [
            Instruction.mov(.r2, .r10), Instruction.load(.word, .r3, .r1, offset: 0), Instruction.jump(.jgt, .r3, 100, offset: 2), Instruction.alu(.add, .r2, -64), Instruction.ja(1),
            Instruction.alu(.add, .r2, -128), Instruction.store(.byte, .r2, 0), Instruction.mov(.r0, 0), Instruction.exit,
        ])
        #expect(FrameAnalysis(graph: try BlockGraph(program: twoPaths)).stackDepths == [128])
    }

    @Test func aFullStackIsRefused() throws {
        for depth: Int16 in [497, 504, 512] {
            let graph = try BlockGraph(program: HandPrograms.deepStack(depth))
            #expect(throws: CoverageError.self) { try CoverageInstrumentation(graph: graph) }
            do {
                _ = try CoverageInstrumentation(graph: graph)
            } catch {
                #expect(error.kind == .stackFull)
                #expect(error.message.contains("\(depth) of 512"))
            }
        }
        // A verifier-known depth beyond the static one also counts.
        let graph = try BlockGraph(program: HandPrograms.ifElse)
        #expect(throws: CoverageError.self) { try CoverageInstrumentation(graph: graph, knownDepths: [500]) }
    }

    @Test func referencesToABlockLandOnItsCounter() throws {
        let program = HandPrograms.loop(4)
        let graph = try BlockGraph(program: program)
        let plan = try CoverageInstrumentation(graph: graph)
        let result = try plan.apply(counterMap: 3)
        // Each block grows by its sequence; the back jump must reach block 1's first inserted slot.
        let lengths = graph.blocks.map { plan.sequence(forBlock: $0.index, counterMap: 3).count }
        let block1 = lengths[0] + 1
        let jumpSlot = block1 + lengths[1] + 1  // r3 += 1 then the jump
        let jump = result.program.slots[jumpSlot]
        #expect(jump.code == 0xa5)
        #expect(jumpSlot + Int(jump.offset) + 1 == block1)
        #expect(result.program.count == program.count + lengths.reduce(0, +))
    }
}
