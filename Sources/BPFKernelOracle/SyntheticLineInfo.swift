import BPFInstructions
import BPFKernel

/// Line info that names every instruction: one record per logical
/// instruction, at its slot, with the slot index as the line number.
///
/// Loaded with a program, the kernel moves these records along with its
/// own patches, so the xlated line info read back tells where every
/// original instruction ended up and how many slots replaced it. The line
/// number (22 bits) identifies the record even if records are dropped.
public enum SyntheticLineInfo {
    /// The largest slot index a line number can carry (`line` has 22 bits).
    public static let maximumSlot = (1 << 22) - 1

    /// One record per logical instruction; string offsets 0 (the empty
    /// string, valid in every BTF).
    ///
    /// - Complexity: O(n), the slot count.
    public static func records(for program: Program) -> [KernelLineInfo] {
        program.instructions.map { instruction in
            KernelLineInfo(instruction: instruction.index, fileNameOffset: 0, lineOffset: 0,
                           lineColumn: UInt32(instruction.index.rawValue) << 10)
        }
    }

    /// The original slot a record names (its line number).
    public static func slot(of record: KernelLineInfo) -> SlotIndex { SlotIndex(Int(record.line)) }

    /// The subprogram starts of a linked program: slot 0 and every target
    /// of a bpf-to-bpf call or pseudo-func `ld_imm64`, ascending.
    ///
    /// - Complexity: O(n log n).
    public static func subprogramStarts(of program: Program) -> [SlotIndex] {
        var starts: Set<Int> = [0]
        for instruction in program.instructions {
            let insn = instruction.first
            let isPseudoCall = insn.isCall && insn.srcNumber == 1
            let isPseudoFunc = insn.isLoadImmediate64 && insn.srcNumber == 4
            if isPseudoCall || isPseudoFunc {
                let target = instruction.index.rawValue + Int(insn.immediate) + 1
                if target >= 0 && target < program.count { starts.insert(target) }
            }
        }
        return starts.sorted().map { SlotIndex($0) }
    }

    /// A minimal BTF for objects without one: `int`, a `int (void)`
    /// prototype and one static `FUNC` per subprogram (the kernel wants a
    /// `FUNC` for every func_info record).
    ///
    /// - Returns: the table and the FUNC type id of each subprogram.
    /// - Complexity: O(f), the subprogram count.
    public static func minimalBTF(functionCount: Int) -> (table: BTFTypeTable, functionTypes: [UInt32]) {
        var table = BTFTypeTable()
        let intName = table.addString("int")
        // INT: encoding signed (bit 24), offset 0, 32 bits.
        let int = table.add(BTFType(nameOffset: intName, kind: .int, sizeOrType: 4, trailing: [1 << 24 | 32]))
        let proto = table.add(BTFType(nameOffset: 0, kind: .functionPrototype, sizeOrType: int))
        var functions: [UInt32] = []
        for k in 0..<functionCount {
            let name = table.addString("f\(k)")
            functions.append(table.add(BTFType(nameOffset: name, kind: .function, vlen: 0, sizeOrType: proto)))
        }
        _ = table.addString("bpfpatch.c")
        return (table, functions)
    }
}
