import Testing
import BPFInstructions
import BPFTestSupport
@testable import BPFKernel

@Suite struct KernelProgramTests {
    @Test(.needsKernel) func socketFilterLoadsAndReadsBackXlated() throws {
        let program = Program(slots: [.mov(.r0, 0), .exit])
        let loaded = try KernelProgram.load(ProgramLoadRequest(type: .socketFilter, program: program, name: "ret0"))
        let info = try loaded.info()
        // Hand derivation: nothing to rewrite in `r0 = 0; exit`.
        #expect(info.translated.slots == program.slots)
        #expect(info.type == .socketFilter)
        #expect(info.name == "ret0")
        #expect(info.tag.count == 8)
        #expect(info.verifiedInstructions == 2)
    }

    @Test(.needsKernel) func verifierRejectionIsTypedWithLog() {
        // `exit` with r0 never written: the verifier must refuse.
        let program = Program(slots: [.exit])
        do {
            _ = try KernelProgram.load(ProgramLoadRequest(type: .socketFilter, program: program, name: "bad"))
            Issue.record("the verifier accepted a program that reads an uninitialised r0")
        } catch {
            #expect(error.kind == .verifierRejected)
            #expect(error.errno == .accessDenied)
            #expect(error.operation == .programLoad)
            #expect(error.log.contains("R0 !read_ok"))
            #expect(error.description.contains("R0 !read_ok"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test(.needsKernel) func truncatedLogGrowsAndRetries() throws {
        // 40 instructions at level 2 log far more than 256 bytes.
        var slots = (0..<40).map { Instruction.mov(.r0, Int32($0)) }
        slots.append(.exit)
        var request = ProgramLoadRequest(type: .socketFilter, program: Program(slots: slots), name: "verbose")
        request.logLevel = [.basic, .verbose]
        request.initialLogSize = 256
        let loaded = try KernelProgram.load(request)
        #expect(loaded.log.utf8.count > 256)
        #expect(loaded.log.contains("r0 = 39"))
    }

    @Test(.needsKernel) func xdpTestRunReturnsPacketLength() throws {
        // r2 = ctx->data_end; r1 = ctx->data; r0 = r2 - r1; exit  (struct xdp_md: data@0, data_end@4)
        let program = Program(slots: [
            .load(.word, .r2, .r1, offset: 4), .load(.word, .r1, .r1, offset: 0),
            .mov(.r0, .r2), .alu(.sub, .r0, .r1), .exit,
        ])
        let loaded = try KernelProgram.load(ProgramLoadRequest(type: .xdp, program: program, name: "xdp_len"))
        let packet = [UInt8](repeating: 0xab, count: 64)
        let result = try loaded.testRun(TestRunRequest(data: packet, repeatCount: 3))
        #expect(result.returnValue == 64)
        #expect(result.dataOut == packet)
    }

    /// The ISA v4 builders as the kernel executes them. Hand derivation of r0:
    /// -7 s/ 2 = -3 (truncates toward zero); -7 s% 2 = -1 (sign of the
    /// dividend), -3 + -1 = -4; (s8)0x1ff = -1, -4 + -1 = -5; stored at
    /// r10-8, atomic fetch-add of 10 returns -5 and leaves 5, whose low byte
    /// loaded sign-extended is 5; -5 × 5 = -25; r0 == -25, so the jne falls
    /// through to gotol +1, which skips `r0 = 0` (reachable only through the
    /// jne, as the verifier requires); bswap16(0x0102) = 0x0201 = 513;
    /// -25 + 513 = 488.
    @Test(.needsKernel) func isaV4BuildersRunAsDerived() throws {
        let program = Program(slots: [
            .mov(.r0, -7), .mov(.r1, 2), .sdiv(.r0, .r1),
            .mov(.r2, -7), .smod(.r2, 2), .alu(.add, .r0, .r2),
            .mov(.r3, 0x1ff), .movsx(.r3, .r3, from: .byte), .alu(.add, .r0, .r3),
            .store(.doubleWord, .r10, offset: -8, .r0),
            .mov(.r4, 10), .atomic(.add.fetching, .doubleWord, .r10, offset: -8, .r4),
            .loadSignExtending(.byte, .r5, .r10, offset: -8),
            .mov(.r0, .r4), .alu(.mul, .r0, .r5),
            .jump(.jne, .r0, -25, offset: 1), .gotol(1), .mov(.r0, 0),
            .mov(.r6, 0x0102), .bswap(.r6, bits: 16), .alu(.add, .r0, .r6),
            .exit,
        ])
        let loaded = try KernelProgram.load(ProgramLoadRequest(type: .xdp, program: program, name: "isa_v4"))
        let result = try loaded.testRun(TestRunRequest(data: [UInt8](repeating: 0, count: 60)))
        #expect(result.returnValue == 488)
    }

    @Test(.needsKernel) func xdpTestRunReturnsConstant() throws {
        let program = Program(slots: [.mov(.r0, 2), .exit])  // XDP_PASS
        let loaded = try KernelProgram.load(ProgramLoadRequest(type: .xdp, program: program))
        let result = try loaded.testRun(TestRunRequest(data: [UInt8](repeating: 0, count: 60)))
        #expect(result.returnValue == 2)
    }

    @Test(.needsKernel) func mapCreateUpdateLookup() throws {
        let map = try KernelMap.create(MapDefinition(type: .hash, keySize: 4, valueSize: 8, maxEntries: 4, name: "t-map!"))
        #expect(try map.lookup(key: [1, 0, 0, 0]) == nil)
        try map.update(key: [1, 0, 0, 0], value: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(try map.lookup(key: [1, 0, 0, 0]) == [1, 2, 3, 4, 5, 6, 7, 8])
        do {
            _ = try KernelMap.create(MapDefinition(type: .array, keySize: 8, valueSize: 4, maxEntries: 1))
            Issue.record("an array map with 8-byte keys was accepted")
        } catch {
            #expect(error.errno == .invalidArgument)
            #expect(error.operation == .mapCreate)
        }
    }

    @Test(.needsKernel) func funcAndLineInfoWithSynthesisedBTF() throws {
        var table = BTFTypeTable()
        let intName = table.addString("int")
        let intID = table.add(BTFType(nameOffset: intName, kind: .int, sizeOrType: 4,
                                      trailing: [1 << 24 | 32]))  // signed, 32 bits
        let protoID = table.add(BTFType(nameOffset: 0, kind: .functionPrototype, sizeOrType: intID))
        let funcID = table.add(BTFType(nameOffset: table.addString("main_fn"), kind: .function,
                                       vlen: 1, sizeOrType: protoID))  // vlen = linkage: global
        let file = table.addString("prog.c")
        let line1 = table.addString("int x = 7;")
        let line2 = table.addString("return x;")
        let btf = try KernelBTF.load(table.encoded())

        let program = Program(slots: [.mov(.r0, 7), .alu(.add, .r0, 1), .exit])
        var request = ProgramLoadRequest(type: .socketFilter, program: program, name: "lines")
        request.btf = btf
        request.funcInfo = [KernelFuncInfo(instruction: 0, typeID: funcID)]
        request.lineInfo = [
            KernelLineInfo(instruction: 0, fileNameOffset: file, lineOffset: line1, lineColumn: 3 << 10 | 5),
            KernelLineInfo(instruction: 1, fileNameOffset: file, lineOffset: line2, lineColumn: 4 << 10 | 2),
        ]
        let loaded = try KernelProgram.load(request)
        let info = try loaded.info()
        #expect(info.funcInfo.count == 1)
        #expect(info.funcInfo.first?.instruction == 0)
        #expect(info.funcInfo.first?.typeID == funcID)
        #expect(info.lineInfo.count == 2)
        #expect(info.lineInfo.map(\.instruction) == [0, 1])
        #expect(info.lineInfo.map(\.line) == [3, 4])
        #expect(info.lineInfo.map(\.column) == [5, 2])
        #expect(info.btfID != 0)
    }

    @Test(.needsKernel) func rejectedBTFCarriesLog() {
        var table = BTFTypeTable()
        // A pointer to a type id that does not exist.
        table.add(BTFType(nameOffset: 0, kind: .pointer, sizeOrType: 99))
        do {
            _ = try KernelBTF.load(table.encoded())
            Issue.record("kernel accepted a PTR to a missing type")
        } catch {
            #expect(error.kind == .btfRejected)
            #expect(!error.log.isEmpty)
        }
    }
}

extension KernelProgramTests {
    @Test(.needsKernel) func statisticsLogAgreesWithProgramInfo() throws {
        // r0 = 0; if r1 == 0 goto +1; r0 = 1; exit — both branches explored.
        let program = Program(slots: [.mov(.r0, 0), .jump(.jeq, .r1, 0, offset: 1), .mov(.r0, 1), .exit])
        var request = ProgramLoadRequest(type: .socketFilter, program: program, name: "stats")
        request.logLevel = .statistics
        let loaded = try KernelProgram.load(request)
        let stats = try #require(loaded.statistics, "log: \(loaded.log)")
        let info = try loaded.info()
        #expect(stats.processedInstructions == Int(info.verifiedInstructions))
        #expect(stats.instructionLimit == 1_000_000)
        #expect(stats.stackDepths == [0])
        #expect(stats.totalStates != nil)
    }
}
