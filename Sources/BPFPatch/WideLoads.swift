import BPFInstructions

/// Where `ld_imm64` second halves are, decided locally.
///
/// Walking a program from its start, the slot after any slot whose code is
/// not `ld_imm64` is never a second half, and inside a run of `ld_imm64`
/// codes halves alternate. So slot x is a second half exactly when an odd
/// number of `ld_imm64` codes stand right before it.
enum WideLoads {
    @inline(__always)
    static func isSecondHalf(_ slots: UnsafeBufferPointer<Instruction>, _ x: Int) -> Bool {
        guard x > 0, slots[x - 1].code == Instruction.loadImmediate64Code else { return false }
        var k = x - 1
        var run = 0
        while k >= 0 && slots[k].code == Instruction.loadImmediate64Code {
            run += 1
            k -= 1
        }
        return run & 1 == 1
    }

    static func isSecondHalf(_ slots: [Instruction], _ x: Int) -> Bool {
        slots.withUnsafeBufferPointer { isSecondHalf($0, x) }
    }
}
