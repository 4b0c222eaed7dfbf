import BPFInstructions

/// Formats instructions in the kernel verifier / `bpftool prog dump xlated`
/// style, e.g. `(b7) r1 = 5`, `(61) r0 = *(u32 *)(r7 +112)`,
/// `(a6) if w0 < 0x65 goto pc+3`, `(85) call bpf_map_lookup_elem#1`.
///
/// Every line starts with the opcode byte in parentheses. Arithmetic and
/// memory immediates are decimal, jump comparands are 32-bit hex, memory
/// offsets are signed decimals after a space (`(r10 -8)`), branch targets
/// are `pc+N`. The syntax was learned by observing bpftool 7.1 dumps of
/// programs loaded into Linux 6.18; the ISA v4 forms that this bpftool does
/// not know yet follow the llvm spellings with kernel-style operands
/// (`r1 s/= -3`, `r1 = (s8)r2`, `r1 = bswap16 r1`, `gotol pc+100`,
/// `may_goto pc+2`, `r0 = load_acquire((u64 *)(r1 +0))`,
/// `store_release((u32 *)(r1 +4), w2)`, `r1 = addr_space_cast(r2, 0, 1)`).
/// As bpftool does, atomics name registers `rN` at every width
/// (`(c3) r3 = atomic_fetch_and((u32 *)(r7 +0), r3)`), `ld_imm64` map
/// loads show `map[id:N]` / `map[id:N][0]+off`, other wide loads unsigned
/// hex, and a bpf-to-bpf call `call pc+N` (bpftool appends `#name`, which
/// needs the kernel's symbols). Helper calls read `call NAME#imm` with the
/// name from `callName` (empty when unknown: `call #16`).
/// Kernel-internal modes are tagged like `(39) r1 = *(u64 *)(r2 +8) /* probe_mem */`;
/// `(c2) nospec`, `(f5) tail_call`, `(bf) r1 = &(void __percpu *)(r2)`.
/// Undecodable slots render as `(xx) unknown`. Registers above r10 are
/// rejected (the kernel has no r11 in programs).
///
///     KernelFormatter().text(.mov(.r1, 5))   // "(b7) r1 = 5"
public struct KernelFormatter: InstructionFormatter, ClassSyntax {
    /// Names a helper for `call` (`src_reg` 0) by its id, or a kfunc
    /// (`src_reg` 2) by its BTF id; nil leaves the name out (`call #5`).
    public var callName: @Sendable (_ kind: CallKind, _ immediate: Int32) -> String?

    /// True for programs read back from the kernel (`xlated`): there a
    /// bpf-to-bpf call keeps its pc-relative displacement in `off` and the
    /// subprogram index in `imm`. False (the default) for object files,
    /// where the displacement is in `imm`.
    public var xlated: Bool

    public init(xlated: Bool = false,
                callName: @escaping @Sendable (_ kind: CallKind, _ immediate: Int32) -> String? = { kind, imm in
                    kind == .helper ? KernelFormatter.helperNames[imm] : nil
                }) {
        self.xlated = xlated
        self.callName = callName
    }

    /// Names of the most common helpers by id (`bpf_` + the `BPF_FUNC_` name).
    public static let helperNames: [Int32: String] = [
        1: "bpf_map_lookup_elem", 2: "bpf_map_update_elem", 3: "bpf_map_delete_elem",
        4: "bpf_probe_read", 5: "bpf_ktime_get_ns", 6: "bpf_trace_printk", 7: "bpf_get_prandom_u32",
        8: "bpf_get_smp_processor_id", 12: "bpf_tail_call", 14: "bpf_get_current_pid_tgid",
        15: "bpf_get_current_uid_gid", 16: "bpf_get_current_comm", 23: "bpf_redirect",
        25: "bpf_perf_event_output", 26: "bpf_skb_load_bytes", 51: "bpf_redirect_map",
    ]

    public func format(_ first: Instruction, next: Instruction?) -> FormattedInstruction {
        let tag = "(" + Self.hexByte(first.code) + ") "
        if first.code == Instruction.loadImmediate64Code {
            if let next, first.offset == 0, let dst = Self.register(first.dstNumber) {
                return FormattedInstruction(text: tag + wideLoad(dst, first, next), slotCount: 2, isValid: true)
            }
            return FormattedInstruction(text: tag + "unknown", slotCount: 1, isValid: false)
        }
        if let text = single(first) {
            return FormattedInstruction(text: tag + text, slotCount: 1, isValid: true)
        }
        return FormattedInstruction(text: tag + "unknown", slotCount: 1, isValid: false)
    }

    // MARK: - Spelling

    static func hexByte(_ value: UInt8) -> String {
        let digits = String(value, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }

    static func register(_ number: UInt8, wide: Bool = true) -> String? {
        guard number <= 10 else { return nil }
        return (wide ? "r" : "w") + String(number)
    }

    /// `(r10 -8)` / `(r6 +112)`.
    static func address(_ base: String, _ offset: Int16) -> String {
        "(" + base + " " + (offset < 0 ? "-" : "+") + String(offset.magnitude) + ")"
    }

    static func jumpTarget<T: BinaryInteger>(_ value: T) -> String {
        "pc" + (value < 0 ? "-" : "+") + String(value.magnitude)
    }

    // MARK: - Classes

    private func wideLoad(_ dst: String, _ first: Instruction, _ second: Instruction) -> String {
        switch first.loadImmediateKind {
        case .mapFD:
            return "\(dst) = map[id:\(UInt32(bitPattern: first.immediate))]"
        case .mapValue:
            return "\(dst) = map[id:\(UInt32(bitPattern: first.immediate))][0]+\(UInt32(bitPattern: second.immediate))"
        default:
            return "\(dst) = 0x" + String(first.wideImmediate(second: second), radix: 16)
        }
    }

    func legacyLoad(_ insn: Instruction) -> String? {
        guard insn.accessSize != .doubleWord else { return nil }
        let type = Spell.unsignedType(insn.accessSize)
        switch insn.accessMode {
        case .abs: return "r0 = *(\(type) *)skb[\(insn.immediate)]"
        case .ind:
            guard let src = Self.register(insn.srcNumber) else { return nil }
            return "r0 = *(\(type) *)skb[\(src) + \(insn.immediate)]"
        default: return nil
        }
    }

    func load(_ insn: Instruction) -> String? {
        guard let dst = Self.register(insn.dstNumber), let base = Self.register(insn.srcNumber) else { return nil }
        let address = Self.address(base, insn.offset)
        let size = insn.accessSize
        switch insn.accessMode {
        case .mem: return "\(dst) = *(\(Spell.unsignedType(size)) *)\(address)"
        case .memsx: return size == .doubleWord ? nil : "\(dst) = *(\(Spell.signedType(size)) *)\(address)"
        case .probeMem: return "\(dst) = *(\(Spell.unsignedType(size)) *)\(address) /* probe_mem */"
        case .probeMemsx: return "\(dst) = *(\(Spell.signedType(size)) *)\(address) /* probe_memsx */"
        case .probeMem32: return "\(dst) = *(\(Spell.unsignedType(size)) *)\(address) /* probe_mem32 */"
        default: return nil
        }
    }

    func storeImmediate(_ insn: Instruction) -> String? {
        if insn.isSpeculationBarrier { return "nospec" }
        guard let base = Self.register(insn.dstNumber) else { return nil }
        let text = "*(\(Spell.unsignedType(insn.accessSize)) *)\(Self.address(base, insn.offset)) = \(insn.immediate)"
        switch insn.accessMode {
        case .mem: return text
        case .probeMem32: return text + " /* probe_mem32 */"
        default: return nil
        }
    }

    func storeRegister(_ insn: Instruction) -> String? {
        let size = insn.accessSize
        guard let base = Self.register(insn.dstNumber), let plainValue = Self.register(insn.srcNumber) else { return nil }
        let type = Spell.unsignedType(size)
        let address = Self.address(base, insn.offset)
        switch insn.accessMode {
        case .mem: return "*(\(type) *)\(address) = \(plainValue)"
        case .probeMem32: return "*(\(type) *)\(address) = \(plainValue) /* probe_mem32 */"
        case .atomic: return atomic(insn, type: type, address: address, value: plainValue)
        case .probeAtomic: return atomic(insn, type: type, address: address, value: plainValue).map { $0 + " /* probe_atomic */" }
        default: return nil
        }
    }

    private func atomic(_ insn: Instruction, type: String, address: String, value: String) -> String? {
        let wide = insn.accessSize == .doubleWord
        let family = wide ? "atomic64" : "atomic"
        let memory = "(\(type) *)\(address)"
        let names: [Int32: String] = [0x00: "add", 0x40: "or", 0x50: "and", 0xa0: "xor"]
        let symbols: [Int32: String] = [0x00: "+=", 0x40: "|=", 0x50: "&=", 0xa0: "^="]
        let imm = insn.immediate
        let isWordSized = insn.accessSize == .word || wide
        switch imm {
        case 0x100:
            guard let dst = Self.register(insn.dstNumber), let base = Self.register(insn.srcNumber) else { return nil }
            return "\(dst) = load_acquire((\(type) *)\(Self.address(base, insn.offset)))"
        case 0x110:
            return "store_release(\(memory), \(value))"
        case _ where !isWordSized:
            return nil
        case 0x00, 0x40, 0x50, 0xa0:
            return "lock *\(memory) \(symbols[imm]!) \(value)"
        case 0x01, 0x41, 0x51, 0xa1:
            return "\(value) = \(family)_fetch_\(names[imm - 1]!)(\(memory), \(value))"
        case 0xe1:
            return "\(value) = \(family)_xchg(\(memory), \(value))"
        case 0xf1:
            return "r0 = \(family)_cmpxchg(\(memory), r0, \(value))"
        default:
            return nil
        }
    }

    func arithmetic(_ insn: Instruction) -> String? {
        let wide = insn.instructionClass == .alu64
        let byRegister = insn.operandSource == .register
        guard let dst = Self.register(insn.dstNumber, wide: wide) else { return nil }
        let src = Self.register(insn.srcNumber, wide: wide)
        switch insn.aluOperation {
        case .neg:
            return "\(dst) = -\(dst)"
        case .end:
            let bits = insn.immediate
            guard bits == 16 || bits == 32 || bits == 64, let reg = Self.register(insn.dstNumber) else { return nil }
            if wide && byRegister { return nil }
            let name = wide ? "bswap" : (byRegister ? "be" : "le")
            return "\(reg) = \(name)\(bits) \(reg)"
        case .mov:
            guard byRegister else { return "\(dst) = \(insn.immediate)" }
            guard let src else { return nil }
            switch insn.offset {
            case 8, 16, 32: return "\(dst) = (s\(insn.offset))\(src)"
            case 1 where wide:
                let imm = UInt32(bitPattern: insn.immediate)
                return "\(dst) = addr_space_cast(\(src), \(imm >> 16), \(imm & 0xffff))"
            case -1 where wide: return "\(dst) = &(void __percpu *)(\(src))"
            default: return "\(dst) = \(src)"
            }
        default:
            guard let symbol = Spell.aluSymbols[insn.aluOperation] else { return nil }
            let signed = (insn.aluOperation == .div || insn.aluOperation == .mod) && insn.offset == 1
            let operand: String
            if byRegister {
                guard let src else { return nil }
                operand = src
            } else {
                operand = String(insn.immediate)
            }
            return "\(dst) \(signed ? "s" : "")\(symbol) \(operand)"
        }
    }

    func jump(_ insn: Instruction) -> String? {
        let narrow = insn.instructionClass == .jmp32
        let byRegister = insn.operandSource == .register
        switch insn.jumpOperation {
        case .ja:
            if byRegister { return Self.register(insn.dstNumber).map { "gotox \($0)" } }
            return narrow ? "gotol \(Self.jumpTarget(insn.immediate))" : "goto \(Self.jumpTarget(insn.offset))"
        case .call:
            if byRegister { return Self.register(insn.dstNumber).map { "callx \($0)" } }
            switch insn.callKind {
            case .pseudoCall:
                return "call \(xlated ? Self.jumpTarget(insn.offset) : Self.jumpTarget(insn.immediate))"
            case let kind:
                return "call \(callName(kind, insn.immediate) ?? "")#\(insn.immediate)"
            }
        case .exit:
            return "exit"
        case .jcond:
            return "may_goto \(Self.jumpTarget(insn.offset))"
        case let operation:
            if operation.rawValue == 0xf0 { return "tail_call" }
            guard let symbol = Spell.jumpSymbols[operation], let dst = Self.register(insn.dstNumber, wide: !narrow) else { return nil }
            let operand: String
            if byRegister {
                guard let src = Self.register(insn.srcNumber, wide: !narrow) else { return nil }
                operand = src
            } else {
                operand = "0x" + String(UInt32(bitPattern: insn.immediate), radix: 16)
            }
            return "if \(dst) \(symbol) \(operand) goto \(Self.jumpTarget(insn.offset))"
        }
    }
}
