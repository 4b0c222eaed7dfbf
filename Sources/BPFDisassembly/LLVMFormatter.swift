import BPFInstructions

/// Formats instructions exactly as `llvm-objdump -d` (LLVM 21, BPF target
/// with the `alu32` feature that llvm enables for `EM_BPF` objects) prints
/// them, minus the ` <symbol+0x..>` annotation llvm adds after some jumps.
///
/// The accepted encodings mirror llvm's decoder, including its leniency:
/// fields an instruction does not use are ignored (e.g. `imm` of a register
/// ALU op, `src_reg` of an immediate one), fields it fixes must match
/// (e.g. `off == 0` on ALU ops, `imm == 0` on `exit`), and register numbers
/// above 11 are rejected. Rejected slots render as `<unknown>` and take one
/// slot. Syntax summary, learned by observation of llvm-objdump:
///
///     w1 += 0x5          r1 s/= r2           w1 = (s8)w2       r1 = -r1
///     r1 = le16 r1       r1 = bswap64 r1     r1 = addr_space_cast(r2, 0x1, 0x0)
///     if w1 > 0x5 goto +0x3     goto -0x8    gotol +0x10   may_goto +0x2
///     call 0x1           callx r1            exit
///     r1 = 0x100000002 ll                    ld_pseudo\tr1, 0x2, 0x7
///     r0 = *(u16 *)skb[0x10]                 r0 = *(u8 *)skb[r2]
///     w1 = *(u32 *)(r2 - 0x8)   r1 = *(s16 *)(r2 + 0x0)
///     *(u64 *)(r10 - 0x8) = r1  *(u32 *)(r1 + 0x4) = 0x5
///     lock *(u64 *)(r1 + 0x0) += r2          w2 = atomic_fetch_or((u32 *)(r1 + 0x0), w2)
///     r2 = xchg_64(r1 + 0x0, r2)             w0 = cmpxchg32_32(r1 + 0x0, w0, w2)
///     w1 = load_acquire((u8 *)(r2 + 0x0))    store_release((u64 *)(r1 + 0x0), r2)
///
/// Kernel-internal encodings that appear only in translated (xlated) dumps
/// have no llvm syntax; llvm prints `<unknown>` for them, and so does this
/// formatter unless `Options.kernelExtensions` is set, in which case they
/// render in a made-up form: the closest llvm text followed by a comment
/// naming the internal mode, e.g. `r1 = *(u64 *)(r2 + 0x8) /* probe_mem */`,
/// `w1 = *(u32 *)(r2 + 0x0) /* probe_mem32 */`,
/// `lock *(u64 *)(r1 + 0x0) += r2 /* probe_atomic */`, `nospec`,
/// `r1 = percpu_addr(r2)` (`mov` with `off == -1`), `tail_call`
/// (`BPF_JMP | 0xf0`), and the ISA's indirect jump `gotox r1` which LLVM 21
/// does not know.
public struct LLVMFormatter: InstructionFormatter, ClassSyntax, Hashable {
    /// Formatting choices.
    public struct Options: Hashable, Sendable {
        /// Render kernel-internal encodings (PROBE_MEM & co.) in a made-up
        /// readable form instead of `<unknown>`.
        public var kernelExtensions: Bool

        public init(kernelExtensions: Bool = false) {
            self.kernelExtensions = kernelExtensions
        }
    }

    /// What llvm prints for a slot it cannot decode.
    public static let unknownText = "<unknown>"

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    public func format(_ first: Instruction, next: Instruction?) -> FormattedInstruction {
        if first.code == Instruction.loadImmediate64Code {
            if let next, let text = wideLoad(first, next) {
                return FormattedInstruction(text: text, slotCount: 2, isValid: true)
            }
            return FormattedInstruction(text: Self.unknownText, slotCount: 1, isValid: false)
        }
        if let text = single(first) {
            return FormattedInstruction(text: text, slotCount: 1, isValid: true)
        }
        return FormattedInstruction(text: Self.unknownText, slotCount: 1, isValid: false)
    }

    // MARK: - Classes

    private func wideLoad(_ first: Instruction, _ second: Instruction) -> String? {
        guard first.offset == 0, let dst = Spell.register(first.dstNumber) else { return nil }
        if first.srcNumber == 0 {
            let value = Int64(bitPattern: first.wideImmediate(second: second))
            return "\(dst) = \(Spell.signedHex(value)) ll"
        }
        // llvm shows only the low 32 bits of a pseudo load.
        return "ld_pseudo\t\(dst), \(Spell.unsignedHex(first.srcNumber)), \(Spell.unsignedHex(UInt32(bitPattern: first.immediate)))"
    }

    func legacyLoad(_ insn: Instruction) -> String? {
        guard insn.accessSize != .doubleWord else { return nil }
        let type = Spell.unsignedType(insn.accessSize)
        switch insn.accessMode {
        case .abs:
            return "r0 = *(\(type) *)skb[\(Spell.signedHex(insn.immediate))]"
        case .ind:
            guard let src = Spell.register(insn.srcNumber) else { return nil }
            return "r0 = *(\(type) *)skb[\(src)]"
        default:
            return nil
        }
    }

    func load(_ insn: Instruction) -> String? {
        let size = insn.accessSize
        guard let base = Spell.register(insn.srcNumber) else { return nil }
        let address = Spell.address(base, insn.offset)
        switch insn.accessMode {
        case .mem:
            guard let dst = Spell.register(insn.dstNumber, wide: size == .doubleWord) else { return nil }
            return "\(dst) = *(\(Spell.unsignedType(size)) *)(\(address))"
        case .memsx:
            guard size != .doubleWord, let dst = Spell.register(insn.dstNumber) else { return nil }
            return "\(dst) = *(\(Spell.signedType(size)) *)(\(address))"
        case .probeMem where options.kernelExtensions,
             .probeMem32 where options.kernelExtensions:
            guard let dst = Spell.register(insn.dstNumber, wide: size == .doubleWord) else { return nil }
            let tag = insn.accessMode == .probeMem ? "probe_mem" : "probe_mem32"
            return "\(dst) = *(\(Spell.unsignedType(size)) *)(\(address)) /* \(tag) */"
        case .probeMemsx where options.kernelExtensions:
            guard let dst = Spell.register(insn.dstNumber) else { return nil }
            return "\(dst) = *(\(Spell.signedType(size)) *)(\(address)) /* probe_memsx */"
        default:
            return nil
        }
    }

    func storeImmediate(_ insn: Instruction) -> String? {
        if options.kernelExtensions && insn.isSpeculationBarrier { return "nospec" }
        let mode = insn.accessMode
        guard mode == .mem || (mode == .probeMem32 && options.kernelExtensions),
              let base = Spell.register(insn.dstNumber) else { return nil }
        let text = "*(\(Spell.unsignedType(insn.accessSize)) *)(\(Spell.address(base, insn.offset))) = \(Spell.signedHex(insn.immediate))"
        return mode == .mem ? text : text + " /* probe_mem32 */"
    }

    func storeRegister(_ insn: Instruction) -> String? {
        let size = insn.accessSize
        let wide = size == .doubleWord
        guard let base = Spell.register(insn.dstNumber),
              let value = Spell.register(insn.srcNumber, wide: wide) else { return nil }
        let address = Spell.address(base, insn.offset)
        switch insn.accessMode {
        case .mem:
            return "*(\(Spell.unsignedType(size)) *)(\(address)) = \(value)"
        case .probeMem32 where options.kernelExtensions:
            return "*(\(Spell.unsignedType(size)) *)(\(address)) = \(value) /* probe_mem32 */"
        case .atomic:
            return atomic(insn, address: address, value: value)
        case .probeAtomic where options.kernelExtensions:
            return atomic(insn, address: address, value: value).map { $0 + " /* probe_atomic */" }
        default:
            return nil
        }
    }

    /// llvm's atomic decoding: it checks imm bits 0–8 only, and prefers the
    /// fetch forms (`imm & 0xf == 1`) over load-acquire when both match.
    private func atomic(_ insn: Instruction, address: String, value: String) -> String? {
        let size = insn.accessSize
        let type = Spell.unsignedType(size)
        let imm = UInt32(bitPattern: insn.immediate)
        let operation = (imm >> 4) & 0xf
        let fetch = imm & 0xf == 1
        let ordering = (imm >> 4) & 0x1f  // bit 8 and the operation nibble
        if size == .word || size == .doubleWord {
            let wide = size == .doubleWord
            if fetch {
                switch operation {
                case 0x0: return "\(value) = atomic_fetch_add((\(type) *)(\(address)), \(value))"
                case 0x4: return "\(value) = atomic_fetch_or((\(type) *)(\(address)), \(value))"
                case 0x5: return "\(value) = atomic_fetch_and((\(type) *)(\(address)), \(value))"
                case 0xa: return "\(value) = atomic_fetch_xor((\(type) *)(\(address)), \(value))"
                case 0xe: return wide ? "\(value) = xchg_64(\(address), \(value))" : "\(value) = xchg32_32(\(address), \(value))"
                case 0xf: return wide ? "r0 = cmpxchg_64(\(address), r0, \(value))" : "w0 = cmpxchg32_32(\(address), w0, \(value))"
                default: break
                }
            }
            if ordering != 0x10 && ordering != 0x11 {
                switch operation {
                case 0x0: return "lock *(\(type) *)(\(address)) += \(value)"
                case 0x4: return "lock *(\(type) *)(\(address)) |= \(value)"
                case 0x5: return "lock *(\(type) *)(\(address)) &= \(value)"
                case 0xa: return "lock *(\(type) *)(\(address)) ^= \(value)"
                default: return nil
                }
            }
        }
        switch ordering {
        case 0x10:
            // load-acquire: dst is loaded from [src + off].
            guard let dst = Spell.register(insn.dstNumber, wide: size == .doubleWord),
                  let base = Spell.register(insn.srcNumber) else { return nil }
            return "\(dst) = load_acquire((\(type) *)(\(Spell.address(base, insn.offset))))"
        case 0x11:
            return "store_release((\(type) *)(\(address)), \(value))"
        default:
            return nil
        }
    }

    func arithmetic(_ insn: Instruction) -> String? {
        let wide = insn.instructionClass == .alu64
        let byRegister = insn.operandSource == .register
        guard let dst = Spell.register(insn.dstNumber, wide: wide) else { return nil }
        let operation = insn.aluOperation
        switch operation {
        case .neg:
            return byRegister ? nil : "\(dst) = -\(dst)"
        case .end:
            if wide && byRegister { return nil }
            let bits = insn.immediate
            guard bits == 16 || bits == 32 || bits == 64 else { return nil }
            let name = wide ? "bswap" : (byRegister ? "be" : "le")
            let reg = "r" + String(insn.dstNumber)
            return "\(reg) = \(name)\(bits) \(reg)"
        case .mov:
            guard byRegister else {
                return insn.offset == 0 ? "\(dst) = \(Spell.signedHex(insn.immediate))" : nil
            }
            guard let src = Spell.register(insn.srcNumber, wide: wide) else { return nil }
            switch insn.offset {
            case 0: return "\(dst) = \(src)"
            case 8, 16: return "\(dst) = (s\(insn.offset))\(src)"
            case 32 where wide: return "\(dst) = (s32)\(src)"
            case 1 where wide:
                let imm = UInt32(bitPattern: insn.immediate)
                return "\(dst) = addr_space_cast(\(src), \(Spell.unsignedHex(imm >> 16)), \(Spell.unsignedHex(imm & 0xffff)))"
            case -1 where wide && options.kernelExtensions:
                return "\(dst) = percpu_addr(\(src))"
            default: return nil
            }
        default:
            guard let symbol = Spell.aluSymbols[operation] else { return nil }
            let signedVariant = operation == .div || operation == .mod
            let prefix: String
            switch insn.offset {
            case 0: prefix = ""
            case 1 where signedVariant: prefix = "s"
            default: return nil
            }
            let operand: String
            if byRegister {
                guard let src = Spell.register(insn.srcNumber, wide: wide) else { return nil }
                operand = src
            } else {
                operand = Spell.signedHex(insn.immediate)
            }
            return "\(dst) \(prefix)\(symbol) \(operand)"
        }
    }

    func jump(_ insn: Instruction) -> String? {
        let narrow = insn.instructionClass == .jmp32
        let byRegister = insn.operandSource == .register
        let operation = insn.jumpOperation
        switch operation {
        case .ja:
            if byRegister {
                guard options.kernelExtensions, !narrow, let dst = Spell.register(insn.dstNumber) else { return nil }
                return "gotox \(dst)"
            }
            return narrow ? "gotol \(Spell.displacement(insn.immediate))" : "goto \(Spell.displacement(insn.offset))"
        case .call:
            guard !narrow else { return nil }
            if byRegister {
                return Spell.register(insn.dstNumber).map { "callx \($0)" }
            }
            return "call \(Spell.signedHex(insn.immediate))"
        case .exit:
            return !narrow && !byRegister && insn.immediate == 0 ? "exit" : nil
        case .jcond:
            return !narrow && !byRegister ? "may_goto \(Spell.displacement(insn.offset))" : nil
        default:
            if operation.rawValue == 0xf0 && options.kernelExtensions && !narrow && !byRegister {
                return "tail_call"
            }
            guard let symbol = Spell.jumpSymbols[operation],
                  let dst = Spell.register(insn.dstNumber, wide: !narrow) else { return nil }
            let operand: String
            if byRegister {
                guard let src = Spell.register(insn.srcNumber, wide: !narrow) else { return nil }
                operand = src
            } else {
                operand = Spell.signedHex(insn.immediate)
            }
            return "if \(dst) \(symbol) \(operand) goto \(Spell.displacement(insn.offset))"
        }
    }
}
