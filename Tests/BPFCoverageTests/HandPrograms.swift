import BPFInstructions

/// Socket-filter programs with known paths. `r1` is the `__sk_buff`;
/// `*(u32 *)(r1 + 0)` is `skb->len`, the test packet's length, which
/// picks the path.
enum HandPrograms {
    /// Blocks: [0-1]. Every run: block 0.
    static let straightLine = Program(slots: [Instruction.mov(.r0, 1), Instruction.exit])

    /// Blocks: [0-1] len test, [2-3] len ≤ 100 (fallthrough), [4-5] len > 100 (taken).
    ///
    ///     0 r2 = skb->len
    ///     1 if r2 > 100 goto +2      → 4
    ///     2 r0 = 1
    ///     3 exit
    ///     4 r0 = 2
    ///     5 exit
    static let ifElse = Program(slots: [
        Instruction.load(.word, .r2, .r1, offset: 0), Instruction.jump(.jgt, .r2, 100, offset: 2),
        Instruction.mov(.r0, 1), Instruction.exit,
        Instruction.mov(.r0, 2), Instruction.exit,
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
        Program(slots: [Instruction.mov(.r3, 0), Instruction.alu(.add, .r3, 1), Instruction.jump(.jlt, .r3, k, offset: -2), Instruction.mov(.r0, .r3), Instruction.exit])
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
        Instruction.mov(.r1, 5), Instruction.call(relative: 5), Instruction.mov(.r6, .r0), Instruction.mov(.r1, 1), Instruction.call(relative: 2),
        Instruction.alu(.add, .r0, .r6), Instruction.exit,
        Instruction.mov(.r0, .r1), Instruction.jump(.jgt, .r1, 3, offset: 1), Instruction.mov(.r0, 0), Instruction.exit,
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
        Instruction.mov(.r1, 3)] + Instruction.loadFunction(.r2, relative: 6) + [
        Instruction.mov(.r3, 0), Instruction.mov(.r4, 0), Instruction.call(helper: HelperID(rawValue: 181)),
        Instruction.mov(.r0, 0), Instruction.exit,
        Instruction.mov(.r0, 0), Instruction.exit,
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
            Instruction.load(.word, .r2, .r1, offset: 0), Instruction.store(.doubleWord, .r10, offset: -depth, 7),
            Instruction.mov(.r0, 1), Instruction.mov(.r3, 3), Instruction.mov(.r4, 4), Instruction.mov(.r5, 5), Instruction.mov(.r6, 6),
            Instruction.mov(.r7, 7), Instruction.mov(.r8, 8), Instruction.mov(.r9, 9), Instruction.mov(.r1, 10),
            Instruction.jump(.jgt, .r2, 100, offset: 1),
            Instruction.alu(.add, .r0, .r3),
            Instruction.alu(.add, .r0, .r9), Instruction.alu(.add, .r0, .r4), Instruction.load(.doubleWord, .r5, .r10, offset: -depth), Instruction.alu(.add, .r0, .r5), Instruction.exit,
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
        Instruction.load(.word, .r2, .r1, offset: 0), Instruction.jump(.jgt, .r2, 100, offset: 9), Instruction.call(helper: HelperID(rawValue: 5)),
        Instruction.mov(.r3, 0), Instruction.mov(.r4, 0), Instruction.mov(.r5, 0), Instruction.mov(.r6, 0), Instruction.mov(.r7, 0), Instruction.mov(.r8, 0), Instruction.mov(.r9, 0),
        Instruction.mov(.r0, 1), Instruction.mov(.r0, 2), Instruction.exit,
    ])

    /// A legacy packet load out of bounds ends the program (returning 0),
    /// so the load ends a block. Blocks: [0-1], [2-3].
    ///
    ///     0 r6 = r1
    ///     1 r0 = *(u8 *)skb[100]     BPF_LD | BPF_ABS | BPF_B = 0x30
    ///     2 r0 = 1
    ///     3 exit
    static let packetLoad = Program(slots: [
        Instruction.mov(.r6, .r1), Instruction.loadPacket(.byte, offset: 100), Instruction.mov(.r0, 1), Instruction.exit,
    ])
}
