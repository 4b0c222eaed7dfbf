import BPFInstructions

/// Socket-filter programs with known paths. `r1` is the `__sk_buff`;
/// `*(u32 *)(r1 + 0)` is `skb->len`, the test packet's length, which
/// picks the path.
enum HandPrograms {
    /// Blocks: [0-1]. Every run: block 0.
    static let straightLine = Program(slots: [Asm.mov(.r0, 1), Asm.exit])

    /// Blocks: [0-1] len test, [2-3] len ≤ 100 (fallthrough), [4-5] len > 100 (taken).
    ///
    ///     0 r2 = skb->len
    ///     1 if r2 > 100 goto +2      → 4
    ///     2 r0 = 1
    ///     3 exit
    ///     4 r0 = 2
    ///     5 exit
    static let ifElse = Program(slots: [
        Asm.load32(.r2, .r1, 0), Asm.jgt(.r2, 100, 2),
        Asm.mov(.r0, 1), Asm.exit,
        Asm.mov(.r0, 2), Asm.exit,
    ])

    /// A loop of `k` iterations. Blocks: [0] entry, [1-2] body (back-jump
    /// target), [3-4] after. Returns k.
    ///
    ///     0 r3 = 0
    ///     1 r3 += 1
    ///     2 if r3 < k goto -2        → 1
    ///     3 r0 = r3
    ///     4 exit
    static func loop(_ k: Int32) -> Program {
        Program(slots: [Asm.mov(.r3, 0), Asm.add(.r3, 1), Asm.jlt(.r3, k, -2), Asm.movReg(.r0, .r3), Asm.exit])
    }

    /// Two bpf-to-bpf calls of one subprogram. Blocks: [0-6] main, [7-8]
    /// sub entry, [9] sub's r1 ≤ 3 path, [10] sub's exit (jump target).
    /// The first call passes 5 (taken edge), the second 1 (fallthrough).
    /// Returns 5 + 0 = 5.
    ///
    ///     0 r1 = 5
    ///     1 call +5                  → 7
    ///     2 r6 = r0
    ///     3 r1 = 1
    ///     4 call +2                  → 7
    ///     5 r0 += r6
    ///     6 exit
    ///     7 r0 = r1                  sub
    ///     8 if r1 > 3 goto +1        → 10
    ///     9 r0 = 0
    ///    10 exit
    static let calls = Program(slots: [
        Asm.mov(.r1, 5), Asm.callLocal(5), Asm.movReg(.r6, .r0), Asm.mov(.r1, 1), Asm.callLocal(2),
        Asm.addReg(.r0, .r6), Asm.exit,
        Asm.movReg(.r0, .r1), Asm.jgt(.r1, 3, 1), Asm.mov(.r0, 0), Asm.exit,
    ])

    /// `bpf_loop(3, callback, 0, 0)`. Blocks: [0-7] main, [8-9] callback.
    ///
    ///     0 r1 = 3                   nr_loops
    ///     1 r2 = callback            ld_imm64 src 4, imm +6 → 8
    ///     3 r3 = 0
    ///     4 r4 = 0
    ///     5 call bpf_loop (181)
    ///     6 r0 = 0
    ///     7 exit
    ///     8 r0 = 0                   callback: continue
    ///     9 exit
    static let callback = Program(slots: [
        Asm.mov(.r1, 3)] + Asm.loadFunction(.r2, 6) + [
        Asm.mov(.r3, 0), Asm.mov(.r4, 0), Asm.call(181),
        Asm.mov(.r0, 0), Asm.exit,
        Asm.mov(.r0, 0), Asm.exit,
    ])

    /// Uses the stack down to `r10 - depth` and makes every register
    /// live before a branch, so the counter at the branch's blocks must
    /// spill two registers into the last 16 bytes. Blocks: [0-11],
    /// [12] len ≤ 100, [13-17] join. Returns 1+3+9+4+7 = 24 for len ≤ 100,
    /// 21 otherwise: a clobbered register would show in the result.
    ///
    ///     0 r2 = skb->len
    ///     1 *(u64 *)(r10 - depth) = 7
    ///     2 r0 = 1 ... 10 r1 = 10    (r0, r3...r9, r1)
    ///    11 if r2 > 100 goto +1      → 13
    ///    12 r0 += r3
    ///    13 r0 += r9
    ///    14 r0 += r4
    ///    15 r5 = *(u64 *)(r10 - depth)
    ///    16 r0 += r5
    ///    17 exit
    static func deepStack(_ depth: Int16) -> Program {
        Program(slots: [
            Asm.load32(.r2, .r1, 0), Asm.storeImm64(.r10, -depth, 7),
            Asm.mov(.r0, 1), Asm.mov(.r3, 3), Asm.mov(.r4, 4), Asm.mov(.r5, 5), Asm.mov(.r6, 6),
            Asm.mov(.r7, 7), Asm.mov(.r8, 8), Asm.mov(.r9, 9), Asm.mov(.r1, 10),
            Asm.jgt(.r2, 100, 1),
            Asm.addReg(.r0, .r3),
            Asm.addReg(.r0, .r9), Asm.addReg(.r0, .r4), Asm.load64(.r5, .r10, -depth), Asm.addReg(.r0, .r5), Asm.exit,
        ])
    }

    /// At the join (slot 11) every register's state depends on the path:
    /// the short path called a helper (r1–r5 gone) and set r0, r3–r9; the
    /// long path has only r1, r2. So r6–r9 are zeroed at the entry, which
    /// gives them a definite state. Blocks: [0-1], [2-10], [11-12].
    ///
    ///     0 r2 = skb->len
    ///     1 if r2 > 100 goto +9      → 11
    ///     2 call bpf_ktime_get_ns
    ///     3 r3 = 0 ... 9 r9 = 0      (r3...r9)
    ///    10 r0 = 1
    ///    11 r0 = 2
    ///    12 exit
    static let pathDependentRegisters = Program(slots: [
        Asm.load32(.r2, .r1, 0), Asm.jgt(.r2, 100, 9), Asm.call(5),
        Asm.mov(.r3, 0), Asm.mov(.r4, 0), Asm.mov(.r5, 0), Asm.mov(.r6, 0), Asm.mov(.r7, 0), Asm.mov(.r8, 0), Asm.mov(.r9, 0),
        Asm.mov(.r0, 1), Asm.mov(.r0, 2), Asm.exit,
    ])

    /// A legacy packet load out of bounds ends the program (returning 0),
    /// so the load ends a block. Blocks: [0-1], [2-3].
    ///
    ///     0 r6 = r1
    ///     1 r0 = *(u8 *)skb[100]     BPF_LD | BPF_ABS | BPF_B = 0x30
    ///     2 r0 = 1
    ///     3 exit
    static let packetLoad = Program(slots: [
        Asm.movReg(.r6, .r1), Instruction(code: 0x30, immediate: 100), Asm.mov(.r0, 1), Asm.exit,
    ])
}
