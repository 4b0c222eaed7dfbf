import BPFInstructions
import BPFKernel
import Foundation

/// The shared corpus, found from this file's path: `<repo>/../shared/corpus`.
enum Corpus {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Support.swift, BPFCoverageTests, Tests
        return url.deletingLastPathComponent().appendingPathComponent("shared/corpus").path
    }()

    static var isPresent: Bool { FileManager.default.fileExists(atPath: root) }

    /// Whole-corpus runs are opt-in: `BPFPATCH_COVER_CORPUS=1 swift test ...`.
    static var wholeCorpusRequested: Bool { ProcessInfo.processInfo.environment["BPFPATCH_COVER_CORPUS"] == "1" }
}

/// bpf(2) works here (root, a kernel with BPF).
let kernelWorks = KernelSupport.probe().isAvailable

/// Instructions built by hand from RFC 9669's encoding.
enum Asm {
    /// `r<dst> = imm` (BPF_ALU64 | BPF_MOV | BPF_K = 0xb7).
    static func mov(_ dst: Register, _ imm: Int32) -> Instruction { Instruction(code: 0xb7, dst: dst, immediate: imm) }
    /// `r<dst> = r<src>` (0xbf).
    static func movReg(_ dst: Register, _ src: Register) -> Instruction { Instruction(code: 0xbf, dst: dst, src: src) }
    /// `r<dst> += imm` (0x07).
    static func add(_ dst: Register, _ imm: Int32) -> Instruction { Instruction(code: 0x07, dst: dst, immediate: imm) }
    /// `r<dst> += r<src>` (0x0f).
    static func addReg(_ dst: Register, _ src: Register) -> Instruction { Instruction(code: 0x0f, dst: dst, src: src) }
    /// `r<dst> = *(u32 *)(r<src> + off)` (BPF_LDX | BPF_MEM | BPF_W = 0x61).
    static func load32(_ dst: Register, _ src: Register, _ off: Int16) -> Instruction {
        Instruction(code: 0x61, dst: dst, src: src, offset: off)
    }
    /// `r<dst> = *(u64 *)(r<src> + off)` (0x79).
    static func load64(_ dst: Register, _ src: Register, _ off: Int16) -> Instruction {
        Instruction(code: 0x79, dst: dst, src: src, offset: off)
    }
    /// `*(u64 *)(r<dst> + off) = imm` (BPF_ST | BPF_MEM | BPF_DW = 0x7a).
    static func storeImm64(_ dst: Register, _ off: Int16, _ imm: Int32) -> Instruction {
        Instruction(code: 0x7a, dst: dst, offset: off, immediate: imm)
    }
    /// `if r<dst> > imm goto +off` (BPF_JMP | BPF_JGT | BPF_K = 0x25).
    static func jgt(_ dst: Register, _ imm: Int32, _ off: Int16) -> Instruction {
        Instruction(code: 0x25, dst: dst, offset: off, immediate: imm)
    }
    /// `if r<dst> < imm goto +off` (BPF_JMP | BPF_JLT | BPF_K = 0xa5).
    static func jlt(_ dst: Register, _ imm: Int32, _ off: Int16) -> Instruction {
        Instruction(code: 0xa5, dst: dst, offset: off, immediate: imm)
    }
    /// `goto +off` (0x05).
    static func ja(_ off: Int16) -> Instruction { Instruction(code: 0x05, offset: off) }
    /// `call helper` (0x85, src 0).
    static func call(_ helper: Int32) -> Instruction { Instruction(code: 0x85, immediate: helper) }
    /// `call pc+imm` (0x85, src 1 = BPF_PSEUDO_CALL).
    static func callLocal(_ imm: Int32) -> Instruction { Instruction(code: 0x85, src: .r1, immediate: imm) }
    /// `r<dst> = &func` (ld_imm64 with src 4 = BPF_PSEUDO_FUNC), two slots.
    static func loadFunction(_ dst: Register, _ imm: Int32) -> [Instruction] {
        [Instruction(code: 0x18, dst: dst, src: .r4, immediate: imm), Instruction(code: 0)]
    }
    /// `exit` (0x95).
    static let exit = Instruction(code: 0x95)
}
