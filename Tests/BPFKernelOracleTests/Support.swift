import BPFInstructions
import BPFKernel
import Foundation

/// The shared corpus, found from this file's path: `<repo>/../shared/corpus`.
enum Corpus {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Support.swift, BPFKernelOracleTests, Tests
        return url.deletingLastPathComponent().appendingPathComponent("shared/corpus").path
    }()

    static func path(_ relative: String) -> String { root + "/" + relative }

    /// True when the corpus exists; otherwise prints why the caller skips.
    static func isPresent(_ test: String = #function) -> Bool {
        let present = FileManager.default.fileExists(atPath: root)
        if !present { print("SKIPPED \(test): no corpus at \(root)") }
        return present
    }

    /// Whole-corpus runs are opt-in: `BPFPATCH_ORACLE_CORPUS=1 swift test ...`.
    static var wholeCorpusRequested: Bool { ProcessInfo.processInfo.environment["BPFPATCH_ORACLE_CORPUS"] == "1" }
}

/// True when bpf(2) works here; otherwise prints why, so the caller can
/// return early (a visible skip, never a silent pass).
func kernelAvailable(_ test: String = #function) -> Bool {
    let support = KernelSupport.probe()
    if !support.isAvailable { print("SKIPPED \(test): \(support.reason)") }
    return support.isAvailable
}

/// Instructions built by hand from RFC 9669's encoding.
enum Asm {
    /// `r<dst> = imm` (BPF_ALU64 | BPF_MOV | BPF_K = 0xb7).
    static func mov(_ dst: Register, _ imm: Int32) -> Instruction { Instruction(code: 0xb7, dst: dst, immediate: imm) }
    /// `r<dst> = r<src>` (0xbf).
    static func movReg(_ dst: Register, _ src: Register) -> Instruction { Instruction(code: 0xbf, dst: dst, src: src) }
    /// `r<dst> /= r<src>` (BPF_ALU64 | BPF_DIV | BPF_X = 0x3f).
    static func divReg(_ dst: Register, _ src: Register) -> Instruction { Instruction(code: 0x3f, dst: dst, src: src) }
    /// `r<dst> += imm` (0x07).
    static func add(_ dst: Register, _ imm: Int32) -> Instruction { Instruction(code: 0x07, dst: dst, immediate: imm) }
    /// `call helper` (0x85, src 0).
    static func call(_ helper: Int32) -> Instruction { Instruction(code: 0x85, immediate: helper) }
    /// `if r<dst> > imm goto +off` (BPF_JMP | BPF_JGT | BPF_K = 0x25).
    static func jgt(_ dst: Register, _ imm: Int32, _ off: Int16) -> Instruction {
        Instruction(code: 0x25, dst: dst, offset: off, immediate: imm)
    }
    /// `goto +off` (0x05).
    static func ja(_ off: Int16) -> Instruction { Instruction(code: 0x05, offset: off) }
    /// `*(u64 *)(r10 + off) = r<src>` (BPF_STX | BPF_MEM | BPF_DW = 0x7b).
    static func storeStack(_ off: Int16, _ src: Register) -> Instruction { Instruction(code: 0x7b, dst: .r10, src: src, offset: off) }
    /// `ld_imm64 r<dst>, map fd` (0x18 with src 1 = BPF_PSEUDO_MAP_FD), two slots.
    static func loadMap(_ dst: Register, fd: Int32) -> [Instruction] {
        [Instruction(code: 0x18, dst: dst, src: .r1, immediate: fd), Instruction(code: 0)]
    }
    /// `exit` (0x95).
    static let exit = Instruction(code: 0x95)
}
