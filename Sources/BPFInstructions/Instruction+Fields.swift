extension Instruction {
    /// `ld_imm64`'s opcode (`BPF_LD | BPF_IMM | BPF_DW`).
    public static let loadImmediate64Code: UInt8 = 0x18
    /// The opcode of an `ld_imm64`'s second slot (all zero: it carries only
    /// the upper 32 bits in `imm`).
    public static let loadImmediate64SecondCode: UInt8 = 0x00
    /// `gotol`'s opcode (`BPF_JMP32 | BPF_JA`): the jump whose displacement is in `imm`.
    public static let longJumpCode: UInt8 = 0x06
    /// `call`'s opcode (`BPF_JMP | BPF_CALL | BPF_K`), for helpers, bpf-to-bpf
    /// calls and kfuncs alike (the kind is in `src_reg`).
    public static let callCode: UInt8 = InstructionClass.jmp.rawValue | JumpOperation.call.rawValue

    /// The instruction class (low three bits of `code`).
    @inlinable
    public var instructionClass: InstructionClass {
        InstructionClass(rawValue: code & 0x07)!
    }

    /// The destination register, or nil for a nibble above 10.
    @inlinable public var dst: Register? { Register(rawValue: dstNumber) }
    /// The source register, or nil for a nibble above 10.
    @inlinable public var src: Register? { Register(rawValue: srcNumber) }

    /// The operand source bit for arithmetic and jump classes.
    @inlinable
    public var operandSource: OperandSource { code & 0x08 == 0 ? .immediate : .register }

    /// The arithmetic operation (meaningful for `alu`/`alu64`).
    @inlinable public var aluOperation: ALUOperation { ALUOperation(rawValue: code) }
    /// The jump operation (meaningful for `jmp`/`jmp32`).
    @inlinable public var jumpOperation: JumpOperation { JumpOperation(rawValue: code) }
    /// The access size (meaningful for load/store classes).
    @inlinable public var accessSize: AccessSize { AccessSize(rawValue: code & 0x18)! }
    /// The access mode (meaningful for load/store classes).
    @inlinable public var accessMode: AccessMode { AccessMode(rawValue: code) }
    /// The atomic operation in `imm` (meaningful for `BPF_ATOMIC`).
    @inlinable public var atomicOperation: AtomicOperation { AtomicOperation(rawValue: immediate) }

    /// True for the first slot of an `ld_imm64`.
    @inlinable public var isLoadImmediate64: Bool { code == Self.loadImmediate64Code }
    /// The `ld_imm64` kind (its `src_reg`); meaningful only when `isLoadImmediate64`.
    @inlinable public var loadImmediateKind: LoadImmediateKind { LoadImmediateKind(rawValue: srcNumber) }

    /// True for `call` in `JMP` (and the rare `JMP32`) class.
    @inlinable
    public var isCall: Bool { instructionClass.isJump && jumpOperation == .call }
    /// The call kind (its `src_reg`); meaningful only when `isCall`.
    @inlinable public var callKind: CallKind { CallKind(rawValue: srcNumber) }
    /// True for `exit`.
    @inlinable
    public var isExit: Bool { instructionClass.isJump && jumpOperation == .exit }

    /// The PC-relative field of this slot, if it has one (the spec's
    /// "references that move"), or nil when nothing in it moves.
    ///
    /// - `ld_imm64` with `src_reg` 4 (pseudo-func): `imm`.
    /// - `call` with `src_reg` 1 (bpf-to-bpf): `imm`.
    /// - `gotol` (code `0x06` exactly): `imm`.
    /// - every other `JMP`/`JMP32` op except `exit` and `call`: `off`.
    @inlinable
    public var referenceField: ReferenceField? {
        let cls = code & 0x07   // the class bits, as `instructionClass` reads them
        if cls == InstructionClass.jmp.rawValue || cls == InstructionClass.jmp32.rawValue {
            let op = code & 0xf0   // the operation bits, as `jumpOperation` reads them
            if op == JumpOperation.call.rawValue { return srcNumber == CallKind.pseudoCall.rawValue ? .immediate : nil }
            if op == JumpOperation.exit.rawValue { return nil }
            return code == Self.longJumpCode ? .immediate : .offset
        }
        if code == Self.loadImmediate64Code && srcNumber == LoadImmediateKind.function.rawValue { return .immediate }
        return nil
    }

    /// `referenceField != nil`.
    @inlinable
    public var hasReference: Bool { referenceField != nil }

    /// `referenceField` for every code and `src_reg`, packed for loops that
    /// classify slots without a branch: entry `code` has bit `src` set when
    /// an instruction with that code and source register has a reference,
    /// and bit 16 (`referenceTableImmediateBit`) when the field is `imm`.
    /// Derived from `referenceField`, so the two cannot disagree.
    ///
    ///     let entry = Instruction.referenceTable[Int(insn.code)]
    ///     let isReference = (entry >> UInt32(insn.srcNumber)) & 1 == 1
    public static let referenceTable: [UInt32] = (0..<256).map { code in
        var entry: UInt32 = 0
        for src in 0..<16 {
            switch Instruction(code: UInt8(code), registers: UInt8(src << 4)).referenceField {
            case .offset: entry |= 1 << UInt32(src)
            case .immediate: entry |= 1 << UInt32(src) | 1 << UInt32(referenceTableImmediateBit)
            case nil: break
            }
        }
        return entry
    }

    /// The bit of a `referenceTable` entry set when the field is `imm`.
    public static let referenceTableImmediateBit = 16

    /// The displacement stored in the reference field, if any.
    @inlinable
    public var displacement: Int? {
        switch referenceField {
        case .offset: Int(offset)
        case .immediate: Int(immediate)
        case nil: nil
        }
    }

    /// The 64-bit value of an `ld_imm64` given its second slot.
    @inlinable
    public func wideImmediate(second: Instruction) -> UInt64 {
        UInt64(UInt32(bitPattern: immediate)) | (UInt64(UInt32(bitPattern: second.immediate)) << 32)
    }
}

/// Which field of a slot holds a PC-relative displacement.
public enum ReferenceField: Sendable, Hashable {
    /// The signed 16-bit `off` field (conditional jumps, `ja`).
    case offset
    /// The signed 32-bit `imm` field (`gotol`, pseudo calls, pseudo-func `ld_imm64`).
    case immediate

    /// The range a displacement must fit in.
    public var range: ClosedRange<Int> {
        switch self {
        case .offset: Int(Int16.min)...Int(Int16.max)
        case .immediate: Int(Int32.min)...Int(Int32.max)
        }
    }
}
