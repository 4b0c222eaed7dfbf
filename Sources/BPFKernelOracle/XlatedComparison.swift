import BPFInstructions

/// A slot-by-slot comparison of two xlated programs, masking the fields
/// that legitimately differ between two loads of the same code.
///
/// Masked: the `imm` of both slots of an `ld_imm64` with `src_reg` 4
/// (`BPF_PSEUDO_FUNC`), as a safeguard: without JIT it may hold the
/// callback's address, which differs per load. On Linux 6.18 with JIT it
/// was observed to hold the displacement (first slot) and the subprogram
/// number (second slot), identical across loads, so nothing needed the
/// mask (`maskedSlots` counts the slots where it mattered). Everything else
/// must match byte for byte: map `ld_imm64`s show map ids (both loads
/// share their maps), helper calls the same helper offsets, bpf-to-bpf
/// calls the same displacement and subprogram number.
public struct XlatedComparison: Hashable, Sendable, Codable {
    /// Slots compared with a mask.
    public var maskedSlots: Int
    /// Slot indices that differ (after masking).
    public var differingSlots: [Int]
    /// The two lengths.
    public var leftCount: Int
    public var rightCount: Int

    /// True when the programs match.
    public var isIdentical: Bool { leftCount == rightCount && differingSlots.isEmpty }

    /// Compares `left` and `right`.
    ///
    /// - Complexity: O(n), the longer program's slot count.
    public init(_ left: Program, _ right: Program) {
        maskedSlots = 0
        differingSlots = []
        leftCount = left.count
        rightCount = right.count
        var i = 0
        let common = min(left.count, right.count)
        while i < common {
            let a = left.slots[i], b = right.slots[i]
            if a.isLoadImmediate64 && a.srcNumber == 4 && i + 1 < common {
                let c = right.slots[i + 1], d = left.slots[i + 1]
                var a0 = a, b0 = b, c0 = c, d0 = d
                a0.immediate = 0; b0.immediate = 0; c0.immediate = 0; d0.immediate = 0
                if a0 != b0 { differingSlots.append(i) }
                if d0 != c0 { differingSlots.append(i + 1) }
                if a != b || c != d { maskedSlots += 2 }
                i += 2
                continue
            }
            if a != b { differingSlots.append(i) }
            i += 1
        }
    }
}
