import BPFInstructions
import BPFObject
import BPFObjectPatch
import BPFPatch

extension Workload {
    /// A real program section with the rewrites a verifier pass makes:
    /// every division and modulo by register gets a zero-divisor guard
    /// (the original instruction kept inside it), every fourth 32-bit ALU
    /// operation an explicit zero extension, `bpf_map_lookup_elem` and
    /// `bpf_get_smp_processor_id` calls are inlined, and `ja +0` nops are
    /// removed. The sequences are shaped like the kernel's (same lengths and
    /// jumps out of the patch), not copied from it.
    ///
    /// The whole section is one program; `SectionTables` gives the
    /// subprogram starts and line info, tail calls the pokes.
    /// Pseudo calls of an object file that are still relocations (their
    /// target outside the section) become plain helper calls so that the
    /// program is valid.
    ///
    /// - Parameters:
    ///   - path: the ELF object.
    ///   - section: the program section; the one with the most slots when nil.
    /// - Throws: `BenchError` of kind `.unreadableCorpus` naming the file.
    /// - Complexity: O(N + r), where r is the size of the object's tables.
    public static func corpus(path: String, section: String? = nil) throws(BenchError) -> Workload {
        let object: ObjectFile
        do {
            object = try ObjectFile(path: path)
        } catch {
            throw BenchError(.unreadableCorpus, workload: path, "\(error)")
        }
        let chosen = section.flatMap { object.programSection(named: $0) }
            ?? object.programSections.max { $0.program.count < $1.program.count }
        guard let programSection = chosen, programSection.program.count > 0 else {
            throw BenchError(.unreadableCorpus, workload: path, "no program section\(section.map { " named \($0)" } ?? "")")
        }
        var slots = programSection.program.slots
        let n = slots.count
        let secondHalf = Program(slots: slots).secondHalfMask()
        for i in 0..<n where !secondHalf[i] {
            guard let d = slots[i].displacement else { continue }
            let t = i + d + 1
            if t < 0 || t >= n || secondHalf[t] {
                slots[i].srcNumber = 0   // an unresolved relocation: treat it as a plain call
                if slots[i].code != Instruction.callCode { slots[i].offset = 0 }
            }
        }

        var patches = PatchSet()
        var aluCount = 0
        var pokes: [SlotIndex] = []
        for i in 0..<n where !secondHalf[i] {
            let insn = slots[i]
            let cls = insn.instructionClass
            let op = insn.aluOperation
            let byRegister = insn.operandSource == .register
            let dst = insn.dst ?? .r0, src = insn.src ?? .r0
            if cls.isArithmetic && byRegister && (op == .div || op == .mod) {
                let wide = cls == .alu64
                // `if src <operation> 0 goto +offset`, as wide as the division.
                func test(_ operation: JumpOperation, offset: Int16) -> Instruction {
                    wide ? .jump(operation, src, 0, offset: offset) : .jump32(operation, src, 0, offset: offset)
                }
                if op == .div {
                    // if src != 0 goto div; dst = 0; goto next; div
                    patches.replace(SlotIndex(i), with: [
                        test(.jne, offset: 2),
                        wide ? .mov(dst, 0) : .mov32(dst, 0),
                        .ja(1),
                        insn,
                    ])
                } else if wide {
                    // if src == 0 goto next; mod
                    patches.replace(SlotIndex(i), with: [test(.jeq, offset: 1), insn])
                } else {
                    // if src == 0 goto zext; mod; goto next; zext
                    patches.replace(SlotIndex(i), with: [
                        test(.jeq, offset: 2),
                        insn,
                        .ja(1),
                        .mov32(dst, dst),
                    ])
                }
            } else if cls == .alu && op != .end {
                aluCount += 1
                if aluCount % 4 == 0 {
                    patches.replace(SlotIndex(i), with: [insn, .mov32(dst, dst)])
                }
            } else if Self.callsHelper(insn, .mapLookupElem) {
                patches.replace(SlotIndex(i), with: [
                    .alu(.add, .r1, 272),                 // r1 += offsetof(array, value)
                    .load(.word, .r0, .r2),               // r0 = *(u32 *)(r2 + 0)
                    .jump(.jge, .r0, 256, offset: 3),     // if r0 >= max_entries goto null
                    .alu(.lsh, .r0, 3),                   // r0 <<= 3
                    .alu(.add, .r0, .r1),                 // r0 += r1
                    .ja(1),                               // goto next
                    .mov(.r0, 0),                         // null: r0 = 0
                ])
            } else if Self.callsHelper(insn, .getSmpProcessorID) {
                patches.replace(SlotIndex(i), with: [
                    .mov32(.r0, 0x2_0000),                // w0 = &cpu_number
                    .mov(.r0, .r0),                       // r0 = this_cpu_ptr(r0)
                    .load(.word, .r0, .r0),               // r0 = *(u32 *)r0
                ])
            } else if insn.code == Instruction.ja(0).code && insn.offset == 0 {
                patches.remove(SlotIndex(i))
            } else if Self.callsHelper(insn, .tailCall) {
                pokes.append(SlotIndex(i))
            }
        }

        var tables = SectionTables(object: object, section: programSection).sideTables
        tables.pokes = PokeTable(slots: pokes)
        let file = path.split(separator: "/").suffix(2).joined(separator: "/")
        return Workload(name: "corpus-\(file):\(programSection.name)",
                        source: .corpus(file: path, section: programSection.name),
                        program: Program(slots: slots), patches: patches, tables: tables)
    }

    /// True for `call helper` with this helper id (`JMP | CALL`, `src_reg` 0).
    static func callsHelper(_ insn: Instruction, _ helper: HelperID) -> Bool {
        insn.code == Instruction.callCode && insn.callKind == .helper && insn.immediate == helper.rawValue
    }
}
