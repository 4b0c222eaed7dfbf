/// The operation field (high four bits) of `ALU`/`ALU64` opcodes.
///
/// An open code space: unknown values are representable and round-trip.
public struct ALUOperation: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue & 0xf0 }

    /// `BPF_ADD`
    public static let add = ALUOperation(rawValue: 0x00)
    /// `BPF_SUB`
    public static let sub = ALUOperation(rawValue: 0x10)
    /// `BPF_MUL`
    public static let mul = ALUOperation(rawValue: 0x20)
    /// `BPF_DIV`; with `off == 1`, signed division (`sdiv`).
    public static let div = ALUOperation(rawValue: 0x30)
    /// `BPF_OR`
    public static let or = ALUOperation(rawValue: 0x40)
    /// `BPF_AND`
    public static let and = ALUOperation(rawValue: 0x50)
    /// `BPF_LSH`
    public static let lsh = ALUOperation(rawValue: 0x60)
    /// `BPF_RSH`
    public static let rsh = ALUOperation(rawValue: 0x70)
    /// `BPF_NEG`
    public static let neg = ALUOperation(rawValue: 0x80)
    /// `BPF_MOD`; with `off == 1`, signed modulo (`smod`).
    public static let mod = ALUOperation(rawValue: 0x90)
    /// `BPF_XOR`
    public static let xor = ALUOperation(rawValue: 0xa0)
    /// `BPF_MOV`; with `off` 8/16/32, sign-extending move (`movsx`).
    public static let mov = ALUOperation(rawValue: 0xb0)
    /// `BPF_ARSH`
    public static let arsh = ALUOperation(rawValue: 0xc0)
    /// `BPF_END`: byte swap (`le`/`be` in `ALU`, `bswap` in `ALU64`).
    public static let end = ALUOperation(rawValue: 0xd0)
}

/// The operation field (high four bits) of `JMP`/`JMP32` opcodes.
public struct JumpOperation: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue & 0xf0 }

    /// `BPF_JA`: unconditional jump (`gotol` in `JMP32`, `gotox` with `BPF_X`).
    public static let ja = JumpOperation(rawValue: 0x00)
    /// `BPF_JEQ`
    public static let jeq = JumpOperation(rawValue: 0x10)
    /// `BPF_JGT`
    public static let jgt = JumpOperation(rawValue: 0x20)
    /// `BPF_JGE`
    public static let jge = JumpOperation(rawValue: 0x30)
    /// `BPF_JSET`
    public static let jset = JumpOperation(rawValue: 0x40)
    /// `BPF_JNE`
    public static let jne = JumpOperation(rawValue: 0x50)
    /// `BPF_JSGT`
    public static let jsgt = JumpOperation(rawValue: 0x60)
    /// `BPF_JSGE`
    public static let jsge = JumpOperation(rawValue: 0x70)
    /// `BPF_CALL`
    ///
    /// This and the other constants `Instruction.referenceField` reads are
    /// computed: a stored static is reached from client modules through its
    /// lazy initializer, even when the classification is inlined.
    @inlinable public static var call: JumpOperation { JumpOperation(rawValue: 0x80) }
    /// `BPF_EXIT`
    @inlinable public static var exit: JumpOperation { JumpOperation(rawValue: 0x90) }
    /// `BPF_JLT`
    public static let jlt = JumpOperation(rawValue: 0xa0)
    /// `BPF_JLE`
    public static let jle = JumpOperation(rawValue: 0xb0)
    /// `BPF_JSLT`
    public static let jslt = JumpOperation(rawValue: 0xc0)
    /// `BPF_JSLE`
    public static let jsle = JumpOperation(rawValue: 0xd0)
    /// `BPF_JCOND`: `may_goto` (with `src_reg` 0).
    public static let jcond = JumpOperation(rawValue: 0xe0)

    /// True for the conditional comparisons (not `ja`, `call`, `exit`, `jcond`).
    public var isConditional: Bool {
        switch self {
        case .ja, .call, .exit, .jcond: false
        default: rawValue <= 0xd0
        }
    }

    /// The comparison that holds exactly when this one does not (`jeq` ↔
    /// `jne`, `jgt` ↔ `jle`, `jge` ↔ `jlt`, `jsgt` ↔ `jsle`, `jsge` ↔
    /// `jslt`); nil for `jset` and the operations that are not comparisons.
    public var negated: JumpOperation? {
        let pairs: [(JumpOperation, JumpOperation)] = [(.jeq, .jne), (.jgt, .jle), (.jge, .jlt), (.jsgt, .jsle), (.jsge, .jslt)]
        for (a, b) in pairs {
            if self == a { return b }
            if self == b { return a }
        }
        return nil
    }
}

/// The mode field (bits 5–7) of load/store opcodes.
public struct AccessMode: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue & 0xe0 }

    /// `BPF_IMM`: `ld_imm64`.
    public static let imm = AccessMode(rawValue: 0x00)
    /// `BPF_ABS`: legacy packet load at a constant offset.
    public static let abs = AccessMode(rawValue: 0x20)
    /// `BPF_IND`: legacy packet load at a register offset.
    public static let ind = AccessMode(rawValue: 0x40)
    /// `BPF_MEM`: regular load/store.
    public static let mem = AccessMode(rawValue: 0x60)
    /// `BPF_MEMSX`: sign-extending load (ISA v4).
    public static let memsx = AccessMode(rawValue: 0x80)
    /// `BPF_ATOMIC`: atomic operation (the operation is in `imm`).
    public static let atomic = AccessMode(rawValue: 0xc0)
    /// `BPF_PROBE_MEM` (kernel-internal, `LDX`): fault-tolerant load, equal to `BPF_ABS`.
    public static let probeMem = AccessMode(rawValue: 0x20)
    /// `BPF_PROBE_MEMSX` (kernel-internal, `LDX`): fault-tolerant sign-extending load, equal to `BPF_IND`.
    public static let probeMemsx = AccessMode(rawValue: 0x40)
    /// `BPF_PROBE_MEM32` (kernel-internal): arena access.
    public static let probeMem32 = AccessMode(rawValue: 0xa0)
    /// `BPF_PROBE_ATOMIC` (kernel-internal): arena atomic.
    public static let probeAtomic = AccessMode(rawValue: 0xe0)
}

/// The operation in `imm` of a `BPF_ATOMIC` instruction.
public struct AtomicOperation: RawRepresentable, Hashable, Sendable {
    public var rawValue: Int32
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `BPF_FETCH` modifier bit.
    public static let fetch = AtomicOperation(rawValue: 0x01)
    /// `BPF_ADD`
    public static let add = AtomicOperation(rawValue: 0x00)
    /// `BPF_OR`
    public static let or = AtomicOperation(rawValue: 0x40)
    /// `BPF_AND`
    public static let and = AtomicOperation(rawValue: 0x50)
    /// `BPF_XOR`
    public static let xor = AtomicOperation(rawValue: 0xa0)
    /// `BPF_XCHG` (`0xe0 | BPF_FETCH`)
    public static let xchg = AtomicOperation(rawValue: 0xe1)
    /// `BPF_CMPXCHG` (`0xf0 | BPF_FETCH`)
    public static let cmpxchg = AtomicOperation(rawValue: 0xf1)
    /// `BPF_LOAD_ACQ`
    public static let loadAcquire = AtomicOperation(rawValue: 0x100)
    /// `BPF_STORE_REL`
    public static let storeRelease = AtomicOperation(rawValue: 0x110)

    /// True when the fetch bit is set (the old value is returned).
    public var fetches: Bool { rawValue & 0x01 != 0 }
}

/// The `src_reg` of an `ld_imm64`: what the 64-bit immediate means.
public struct LoadImmediateKind: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Plain 64-bit constant.
    public static let constant = LoadImmediateKind(rawValue: 0)
    /// `BPF_PSEUDO_MAP_FD`: `imm` is a map file descriptor.
    public static let mapFD = LoadImmediateKind(rawValue: 1)
    /// `BPF_PSEUDO_MAP_VALUE`: map fd plus offset into its value.
    public static let mapValue = LoadImmediateKind(rawValue: 2)
    /// `BPF_PSEUDO_BTF_ID`: a kernel variable by BTF id.
    public static let btfID = LoadImmediateKind(rawValue: 3)
    /// `BPF_PSEUDO_FUNC`: address of a subprogram; `imm` is PC-relative.
    @inlinable public static var function: LoadImmediateKind { LoadImmediateKind(rawValue: 4) }
    /// `BPF_PSEUDO_MAP_IDX`: `imm` is an index into the fd array.
    public static let mapIndex = LoadImmediateKind(rawValue: 5)
    /// `BPF_PSEUDO_MAP_IDX_VALUE`: map by index plus value offset.
    public static let mapIndexValue = LoadImmediateKind(rawValue: 6)
}

/// The `src_reg` of a `call`: what `imm` names.
public struct CallKind: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A helper function by id.
    public static let helper = CallKind(rawValue: 0)
    /// `BPF_PSEUDO_CALL`: bpf-to-bpf call; `imm` is PC-relative.
    @inlinable public static var pseudoCall: CallKind { CallKind(rawValue: 1) }
    /// `BPF_PSEUDO_KFUNC_CALL`: kernel function by BTF id.
    public static let kfunc = CallKind(rawValue: 2)
}

/// Common helper function ids (`enum bpf_func_id`). An open code space.
public struct HelperID: RawRepresentable, Hashable, Sendable {
    public var rawValue: Int32
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `BPF_FUNC_map_lookup_elem`
    public static let mapLookupElem = HelperID(rawValue: 1)
    /// `BPF_FUNC_map_update_elem`
    public static let mapUpdateElem = HelperID(rawValue: 2)
    /// `BPF_FUNC_map_delete_elem`
    public static let mapDeleteElem = HelperID(rawValue: 3)
    /// `BPF_FUNC_ktime_get_ns`
    public static let ktimeGetNs = HelperID(rawValue: 5)
    /// `BPF_FUNC_trace_printk`
    public static let tracePrintk = HelperID(rawValue: 6)
    /// `BPF_FUNC_get_prandom_u32`
    public static let getPrandomU32 = HelperID(rawValue: 7)
    /// `BPF_FUNC_get_smp_processor_id`
    public static let getSmpProcessorID = HelperID(rawValue: 8)
    /// `BPF_FUNC_tail_call`
    public static let tailCall = HelperID(rawValue: 12)
    /// `BPF_FUNC_jiffies64`
    public static let jiffies64 = HelperID(rawValue: 118)
    /// `BPF_FUNC_ktime_get_coarse_ns`
    public static let ktimeGetCoarseNs = HelperID(rawValue: 160)
}
