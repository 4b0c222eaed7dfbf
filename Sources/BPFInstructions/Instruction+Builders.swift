/// Builders for single slots, in the manner of cilium/ebpf's `asm` package:
/// each one names the instruction it makes and spells its opcode from the
/// named constants of `Opcodes.swift` and `InstructionClass.swift`, never
/// from numbers.
///
///     let program = Program(slots: [
///         .mov(.r0, 0),
///         .jump(.jne, .r1, 0, offset: 1),
///         .mov(.r0, 1),
///         .exit,
///     ])
///
/// Arithmetic builders without a suffix are 64-bit (`ALU64`, `rN`); the
/// `32` forms are `ALU` (`wN`). Jumps likewise: `jump` is `JMP`, `jump32`
/// is `JMP32`. Builders that make an `ld_imm64` return both slots.
/// Every builder is O(1).
extension Instruction {
    /// Assembles an opcode byte from its class and the bits above it.
    @inlinable
    static func opcode(_ cls: InstructionClass, _ high: UInt8, _ source: OperandSource = .immediate) -> UInt8 {
        cls.rawValue | source.rawValue | high
    }

    // MARK: Arithmetic

    /// `dst <op>= imm` in 64 bits (`ALU64 | op | K`), e.g. `.alu(.add, .r1, 5)` is `r1 += 5`.
    @inlinable
    public static func alu(_ operation: ALUOperation, _ dst: Register, _ immediate: Int32) -> Instruction {
        Instruction(code: opcode(.alu64, operation.rawValue), dst: dst, immediate: immediate)
    }

    /// `dst <op>= src` in 64 bits (`ALU64 | op | X`), e.g. `.alu(.sub, .r1, .r2)` is `r1 -= r2`.
    @inlinable
    public static func alu(_ operation: ALUOperation, _ dst: Register, _ src: Register) -> Instruction {
        Instruction(code: opcode(.alu64, operation.rawValue, .register), dst: dst, src: src)
    }

    /// `wdst <op>= imm` in 32 bits (`ALU | op | K`).
    @inlinable
    public static func alu32(_ operation: ALUOperation, _ dst: Register, _ immediate: Int32) -> Instruction {
        Instruction(code: opcode(.alu, operation.rawValue), dst: dst, immediate: immediate)
    }

    /// `wdst <op>= wsrc` in 32 bits (`ALU | op | X`).
    @inlinable
    public static func alu32(_ operation: ALUOperation, _ dst: Register, _ src: Register) -> Instruction {
        Instruction(code: opcode(.alu, operation.rawValue, .register), dst: dst, src: src)
    }

    /// `dst = imm` (`ALU64 | MOV | K`); the immediate is sign-extended to 64 bits.
    @inlinable
    public static func mov(_ dst: Register, _ immediate: Int32) -> Instruction { alu(.mov, dst, immediate) }
    /// `dst = src` (`ALU64 | MOV | X`).
    @inlinable
    public static func mov(_ dst: Register, _ src: Register) -> Instruction { alu(.mov, dst, src) }
    /// `wdst = imm` (`ALU | MOV | K`); the upper half of `dst` is zeroed.
    @inlinable
    public static func mov32(_ dst: Register, _ immediate: Int32) -> Instruction { alu32(.mov, dst, immediate) }
    /// `wdst = wsrc` (`ALU | MOV | X`).
    @inlinable
    public static func mov32(_ dst: Register, _ src: Register) -> Instruction { alu32(.mov, dst, src) }

    /// `dst = -dst` (`ALU64 | NEG`).
    @inlinable
    public static func neg(_ dst: Register) -> Instruction { alu(.neg, dst, 0) }
    /// `wdst = -wdst` (`ALU | NEG`).
    @inlinable
    public static func neg32(_ dst: Register) -> Instruction { alu32(.neg, dst, 0) }

    /// The `off` value that selects the signed variant of `div`/`mod` (ISA v4).
    @usableFromInline static let signedOffset: Int16 = 1

    /// `dst s/= imm`: signed division (ISA v4: `DIV` with `off` 1).
    @inlinable
    public static func sdiv(_ dst: Register, _ immediate: Int32) -> Instruction {
        signed(alu(.div, dst, immediate))
    }
    /// `dst s/= src`: signed division (ISA v4).
    @inlinable
    public static func sdiv(_ dst: Register, _ src: Register) -> Instruction { signed(alu(.div, dst, src)) }
    /// `wdst s/= imm`: 32-bit signed division (ISA v4).
    @inlinable
    public static func sdiv32(_ dst: Register, _ immediate: Int32) -> Instruction {
        signed(alu32(.div, dst, immediate))
    }
    /// `wdst s/= wsrc`: 32-bit signed division (ISA v4).
    @inlinable
    public static func sdiv32(_ dst: Register, _ src: Register) -> Instruction { signed(alu32(.div, dst, src)) }
    /// `dst s%= imm`: signed modulo (ISA v4: `MOD` with `off` 1).
    @inlinable
    public static func smod(_ dst: Register, _ immediate: Int32) -> Instruction {
        signed(alu(.mod, dst, immediate))
    }
    /// `dst s%= src`: signed modulo (ISA v4).
    @inlinable
    public static func smod(_ dst: Register, _ src: Register) -> Instruction { signed(alu(.mod, dst, src)) }
    /// `wdst s%= imm`: 32-bit signed modulo (ISA v4).
    @inlinable
    public static func smod32(_ dst: Register, _ immediate: Int32) -> Instruction {
        signed(alu32(.mod, dst, immediate))
    }
    /// `wdst s%= wsrc`: 32-bit signed modulo (ISA v4).
    @inlinable
    public static func smod32(_ dst: Register, _ src: Register) -> Instruction { signed(alu32(.mod, dst, src)) }

    @inlinable
    static func signed(_ insn: Instruction) -> Instruction {
        var insn = insn
        insn.offset = signedOffset
        return insn
    }

    /// The source widths of a sign-extending move (`movsx`, ISA v4).
    public enum SignExtension: Int16, Sendable, Hashable, CaseIterable {
        /// From the low byte.
        case byte = 8
        /// From the low 16 bits.
        case halfWord = 16
        /// From the low 32 bits (64-bit form only).
        case word = 32
    }

    /// `dst = (sN)src`: sign-extending move (ISA v4: `ALU64 | MOV | X` with `off` N).
    @inlinable
    public static func movsx(_ dst: Register, _ src: Register, from width: SignExtension) -> Instruction {
        var insn = alu(.mov, dst, src)
        insn.offset = width.rawValue
        return insn
    }

    /// `wdst = (sN)wsrc`: 32-bit sign-extending move (ISA v4; N is 8 or 16).
    @inlinable
    public static func movsx32(_ dst: Register, _ src: Register, from width: SignExtension) -> Instruction {
        var insn = alu32(.mov, dst, src)
        insn.offset = width.rawValue
        return insn
    }

    /// The byte order a `BPF_END` instruction converts to.
    public enum Endianness: Sendable, Hashable {
        /// `BPF_TO_LE` (`le16`/`le32`/`le64`).
        case little
        /// `BPF_TO_BE` (`be16`/`be32`/`be64`).
        case big
    }

    /// `dst = leN dst` or `dst = beN dst`: byte order conversion (`ALU | END`);
    /// `bits` is 16, 32 or 64 and goes to `imm`.
    @inlinable
    public static func endian(_ order: Endianness, _ dst: Register, bits: Int32) -> Instruction {
        // In `ALU | END` the source bit selects the order: K means to-little, X to-big.
        let source: OperandSource = order == .little ? .immediate : .register
        return Instruction(code: opcode(.alu, ALUOperation.end.rawValue, source), dst: dst, immediate: bits)
    }

    /// `dst = bswapN dst`: unconditional byte swap (ISA v4: `ALU64 | END`); `bits` is 16, 32 or 64.
    @inlinable
    public static func bswap(_ dst: Register, bits: Int32) -> Instruction {
        Instruction(code: opcode(.alu64, ALUOperation.end.rawValue), dst: dst, immediate: bits)
    }

    // MARK: Jumps, calls, exit

    /// `if dst <op> imm goto +offset` (`JMP | op | K`), e.g. `.jump(.jne, .r1, 0, offset: 2)`.
    @inlinable
    public static func jump(_ operation: JumpOperation, _ dst: Register, _ immediate: Int32, offset: Int16) -> Instruction {
        Instruction(code: opcode(.jmp, operation.rawValue), dst: dst, offset: offset, immediate: immediate)
    }

    /// `if dst <op> src goto +offset` (`JMP | op | X`).
    @inlinable
    public static func jump(_ operation: JumpOperation, _ dst: Register, _ src: Register, offset: Int16) -> Instruction {
        Instruction(code: opcode(.jmp, operation.rawValue, .register), dst: dst, src: src, offset: offset)
    }

    /// `if wdst <op> imm goto +offset` (`JMP32 | op | K`).
    @inlinable
    public static func jump32(_ operation: JumpOperation, _ dst: Register, _ immediate: Int32, offset: Int16) -> Instruction {
        Instruction(code: opcode(.jmp32, operation.rawValue), dst: dst, offset: offset, immediate: immediate)
    }

    /// `if wdst <op> wsrc goto +offset` (`JMP32 | op | X`).
    @inlinable
    public static func jump32(_ operation: JumpOperation, _ dst: Register, _ src: Register, offset: Int16) -> Instruction {
        Instruction(code: opcode(.jmp32, operation.rawValue, .register), dst: dst, src: src, offset: offset)
    }

    /// `goto +offset` (`JMP | JA`): the displacement is in `off`.
    @inlinable
    public static func ja(_ offset: Int16) -> Instruction {
        Instruction(code: opcode(.jmp, JumpOperation.ja.rawValue), offset: offset)
    }

    /// `gotol +offset` (`JMP32 | JA`, ISA v4): the displacement is in `imm`.
    @inlinable
    public static func gotol(_ offset: Int32) -> Instruction {
        Instruction(code: opcode(.jmp32, JumpOperation.ja.rawValue), immediate: offset)
    }

    /// `may_goto +offset` (`JMP | JCOND`, `src_reg` 0): a jump the kernel
    /// takes once a loop's budget runs out.
    @inlinable
    public static func mayGoto(_ offset: Int16) -> Instruction {
        Instruction(code: opcode(.jmp, JumpOperation.jcond.rawValue), offset: offset)
    }

    /// `call` of a helper function by id (`JMP | CALL`, `src_reg` 0).
    @inlinable
    public static func call(helper: HelperID) -> Instruction {
        call(kind: .helper, helper.rawValue)
    }

    /// bpf-to-bpf call (`BPF_PSEUDO_CALL`): `imm` is the displacement to the
    /// callee's first slot, counted from the slot after the call.
    @inlinable
    public static func call(relative displacement: Int32) -> Instruction {
        call(kind: .pseudoCall, displacement)
    }

    /// Call of a kernel function by BTF id (`BPF_PSEUDO_KFUNC_CALL`);
    /// `module` is the fd-array index of the BTF that holds it, 0 for vmlinux.
    @inlinable
    public static func call(kfunc btfID: Int32, module: Int16 = 0) -> Instruction {
        var insn = call(kind: .kfunc, btfID)
        insn.offset = module
        return insn
    }

    @inlinable
    static func call(kind: CallKind, _ immediate: Int32) -> Instruction {
        var insn = Instruction(code: opcode(.jmp, JumpOperation.call.rawValue), immediate: immediate)
        insn.srcNumber = kind.rawValue
        return insn
    }

    /// `exit` (`JMP | EXIT`): return `r0`.
    public static let exit = Instruction(code: opcode(.jmp, JumpOperation.exit.rawValue))

    // MARK: Wide loads (two slots)

    /// The opcode of an `ld_imm64`'s second slot: none (only `imm` is used).
    @usableFromInline static let wideLoadSecondCode: UInt8 = 0

    /// Both slots of an `ld_imm64` (`LD | IMM | DW`) of the given kind: the
    /// first slot's `imm` holds `low`, the second slot's `imm` holds `high`.
    @inlinable
    public static func loadImm64(_ dst: Register, kind: LoadImmediateKind, low: Int32, high: Int32 = 0) -> [Instruction] {
        var first = Instruction(code: opcode(.ld, AccessMode.imm.rawValue | AccessSize.doubleWord.rawValue),
                                dst: dst, immediate: low)
        first.srcNumber = kind.rawValue
        return [first, Instruction(code: wideLoadSecondCode, immediate: high)]
    }

    /// `dst = value ll`: a 64-bit constant, two slots.
    @inlinable
    public static func loadImm64(_ dst: Register, _ value: UInt64) -> [Instruction] {
        loadImm64(dst, kind: .constant, low: Int32(truncatingIfNeeded: value),
                  high: Int32(truncatingIfNeeded: value >> 32))
    }

    /// `dst = map[fd]` (`BPF_PSEUDO_MAP_FD`), two slots.
    @inlinable
    public static func loadMap(_ dst: Register, fd: Int32) -> [Instruction] {
        loadImm64(dst, kind: .mapFD, low: fd)
    }

    /// `dst = &map[fd][offset]` (`BPF_PSEUDO_MAP_VALUE`): the address of a
    /// byte of the map's value, two slots.
    @inlinable
    public static func loadMapValue(_ dst: Register, fd: Int32, offset: Int32) -> [Instruction] {
        loadImm64(dst, kind: .mapValue, low: fd, high: offset)
    }

    /// `dst = &subprogram` (`BPF_PSEUDO_FUNC`): `displacement` counts from
    /// the slot after the pair's first slot, like a pseudo call. Two slots.
    @inlinable
    public static func loadFunction(_ dst: Register, relative displacement: Int32) -> [Instruction] {
        loadImm64(dst, kind: .function, low: displacement)
    }

    // MARK: Memory

    /// `dst = *(uN *)(src + offset)` (`LDX | MEM | size`).
    @inlinable
    public static func load(_ size: AccessSize, _ dst: Register, _ src: Register, offset: Int16 = 0) -> Instruction {
        Instruction(code: opcode(.ldx, AccessMode.mem.rawValue | size.rawValue), dst: dst, src: src, offset: offset)
    }

    /// `dst = *(sN *)(src + offset)`: sign-extending load (ISA v4: `LDX | MEMSX | size`;
    /// byte, half word or word).
    @inlinable
    public static func loadSignExtending(_ size: AccessSize, _ dst: Register, _ src: Register, offset: Int16 = 0) -> Instruction {
        Instruction(code: opcode(.ldx, AccessMode.memsx.rawValue | size.rawValue), dst: dst, src: src, offset: offset)
    }

    /// `*(uN *)(dst + offset) = src` (`STX | MEM | size`).
    @inlinable
    public static func store(_ size: AccessSize, _ dst: Register, offset: Int16 = 0, _ src: Register) -> Instruction {
        Instruction(code: opcode(.stx, AccessMode.mem.rawValue | size.rawValue), dst: dst, src: src, offset: offset)
    }

    /// `*(uN *)(dst + offset) = imm` (`ST | MEM | size`).
    @inlinable
    public static func store(_ size: AccessSize, _ dst: Register, offset: Int16 = 0, _ immediate: Int32) -> Instruction {
        Instruction(code: opcode(.st, AccessMode.mem.rawValue | size.rawValue), dst: dst, offset: offset,
                    immediate: immediate)
    }

    /// `r0 = *(uN *)skb[offset]`: legacy packet load at a constant offset
    /// (`LD | ABS | size`, socket filters).
    @inlinable
    public static func loadPacket(_ size: AccessSize, offset: Int32) -> Instruction {
        Instruction(code: opcode(.ld, AccessMode.abs.rawValue | size.rawValue), immediate: offset)
    }

    /// `r0 = *(uN *)skb[src + offset]`: legacy packet load at a register
    /// offset (`LD | IND | size`).
    @inlinable
    public static func loadPacket(_ size: AccessSize, _ src: Register, offset: Int32 = 0) -> Instruction {
        Instruction(code: opcode(.ld, AccessMode.ind.rawValue | size.rawValue), src: src, immediate: offset)
    }

    // MARK: Atomics

    /// An atomic read-modify-write of `*(uN *)(dst + offset)` with `src`
    /// (`STX | ATOMIC | size`, the operation in `imm`); `size` is word or
    /// double word. With a fetching operation the old value lands in `src`
    /// (`r0` for `cmpxchg`).
    ///
    ///     .atomic(.add, .doubleWord, .r1, offset: 8, .r2)           // lock *(u64 *)(r1 + 8) += r2
    ///     .atomic(.add.fetching, .word, .r1, offset: 0, .r2)       // w2 = atomic_fetch_add(...)
    ///     .atomic(.cmpxchg, .doubleWord, .r1, offset: 0, .r2)      // r0 = cmpxchg_64(r1 + 0, r0, r2)
    @inlinable
    public static func atomic(_ operation: AtomicOperation, _ size: AccessSize, _ dst: Register, offset: Int16 = 0,
                              _ src: Register) -> Instruction {
        Instruction(code: opcode(.stx, AccessMode.atomic.rawValue | size.rawValue), dst: dst, src: src,
                    offset: offset, immediate: operation.rawValue)
    }

    /// `dst = load_acquire((uN *)(src + offset))`: a load with acquire
    /// ordering (`STX | ATOMIC | size`, `imm` = `BPF_LOAD_ACQ`). Unlike the
    /// read-modify-write atomics, `dst` receives the value and `src` holds
    /// the address.
    @inlinable
    public static func loadAcquire(_ size: AccessSize, _ dst: Register, _ src: Register, offset: Int16 = 0) -> Instruction {
        Instruction(code: opcode(.stx, AccessMode.atomic.rawValue | size.rawValue), dst: dst, src: src,
                    offset: offset, immediate: AtomicOperation.loadAcquire.rawValue)
    }

    /// `store_release((uN *)(dst + offset), src)`: a store with release
    /// ordering (`STX | ATOMIC | size`, `imm` = `BPF_STORE_REL`).
    @inlinable
    public static func storeRelease(_ size: AccessSize, _ dst: Register, offset: Int16 = 0, _ src: Register) -> Instruction {
        Instruction(code: opcode(.stx, AccessMode.atomic.rawValue | size.rawValue), dst: dst, src: src,
                    offset: offset, immediate: AtomicOperation.storeRelease.rawValue)
    }
}

extension AtomicOperation {
    /// This operation with the `BPF_FETCH` bit set: it returns the old value.
    @inlinable
    public var fetching: AtomicOperation { AtomicOperation(rawValue: rawValue | AtomicOperation.fetch.rawValue) }
}
