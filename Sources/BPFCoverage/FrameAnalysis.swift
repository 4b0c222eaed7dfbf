import BPFInstructions

/// What the instrumentation needs to know about each frame and block
/// without a verifier: how deep each subprogram's stack use goes, and
/// which registers are certainly initialised (or certainly not) where
/// each block starts.
///
/// Stack use is found by following pointers derived from `r10` (copies,
/// constant adds, 8-byte spills and fills) to every access, helper or
/// callee argument; adding a register known to be ≥ 0 (a zero-extended
/// 32-bit value, a mask, a shift right) cannot go deeper, while any other
/// variable offset added to such a pointer makes the frame's depth unknown. Initialisation follows the verifier's rules:
/// the entry has `r1` (the context), a callee gets `r1`–`r5` from its
/// call sites, a callback's `r1`–`r5` are unknown, and every call or
/// legacy packet load leaves `r1`–`r5` uninitialised and sets `r0`.
///
/// - Complexity: O(n) for a graph of n slots: a block is re-analysed only
///   when its entry state changes, which the lattice bounds (30 bits of
///   register state) and widening bounds for frame offsets: after
///   `wideningLimit` decreases of a block's offsets (or of a frame's
///   spilled offset) they jump to the clamp, so a loop that walks a
///   pointer down the stack costs a few passes, not one per byte.
public struct FrameAnalysis: Hashable, Sendable {
    /// Per subprogram: the deepest stack byte used, as a positive count
    /// of bytes below `r10` (0 when the frame is unused).
    public let stackDepths: [Int]
    /// Per subprogram: true when some pointer into the frame got a variable offset.
    public let hasVariableStackOffset: [Bool]
    /// Per block: registers certainly initialised at its start (bit k = `rk`).
    public let definitelyInitialized: [UInt16]
    /// Per block: registers possibly initialised at its start.
    public let possiblyInitialized: [UInt16]
    /// Per block: false when no path from an entry reaches it.
    public let isReachable: [Bool]

    /// Beyond this the offset is clamped: the frame is certainly over 512 bytes.
    static let offsetClamp = 1024
    /// Decreases of a block's frame offsets (or of a frame's spilled
    /// offset) taken one by one before they widen to `-offsetClamp`.
    static let wideningLimit = 8
    static let argumentRegisters: UInt16 = 0b11_1110  // r1...r5

    enum CallResult { case value, none, unknown }

    /// Helpers declared to return void (`RET_VOID`): `bpf_tail_call`,
    /// `bpf_spin_lock`, `bpf_spin_unlock`, `bpf_ringbuf_submit`,
    /// `bpf_ringbuf_discard`, `bpf_ringbuf_submit_dynptr`, `bpf_ringbuf_discard_dynptr`.
    static let voidHelpers: Set<Int32> = [
        HelperID.tailCall.rawValue,
        93, 94,     // BPF_FUNC_spin_lock, BPF_FUNC_spin_unlock
        132, 133,   // BPF_FUNC_ringbuf_submit, BPF_FUNC_ringbuf_discard
        198, 199,   // BPF_FUNC_ringbuf_submit_dynptr, BPF_FUNC_ringbuf_discard_dynptr
    ]

    struct State: Equatable {
        var must: UInt16
        var may: UInt16
        /// Per register r0...r9: the lowest offset from this frame's `r10` it may hold.
        var frameOffset: [Int?]
        /// Registers certainly holding a value ≥ 0 as a signed 64-bit number
        /// (so adding them to a frame pointer cannot go deeper).
        var nonNegative: UInt16 = 0

        static func entry(must: UInt16, may: UInt16) -> State {
            State(must: must, may: may, frameOffset: Array(repeating: nil, count: 10))
        }

        /// Merges another path's state; returns whether self changed and
        /// whether an offset went down. With `widen`, an offset that goes
        /// down goes straight to the clamp.
        mutating func merge(_ other: State, widen: Bool = false) -> (changed: Bool, lowered: Bool) {
            let old = self
            var lowered = false
            must &= other.must
            may |= other.may
            nonNegative &= other.nonNegative
            for r in 0..<10 {
                switch (frameOffset[r], other.frameOffset[r]) {
                case (let a?, let b?) where b < a:
                    frameOffset[r] = widen ? -FrameAnalysis.offsetClamp : b
                    lowered = true
                case (nil, let b?): frameOffset[r] = b
                default: break
                }
            }
            return (self != old, lowered)
        }

        mutating func define(_ r: UInt8, offset: Int? = nil, nonNegative known: Bool = false) {
            guard r < 10 else { return }
            must |= 1 << r
            may |= 1 << r
            frameOffset[Int(r)] = offset
            if known { nonNegative |= 1 << r } else { nonNegative &= ~(1 << r) }
        }

        func isNonNegative(_ r: UInt8) -> Bool { r < 10 && nonNegative & (1 << r) != 0 }

        /// A call: `r1`–`r5` become uninitialised; `r0` holds the result,
        /// except after a helper returning void (the verifier leaves `r0`
        /// uninitialised) or a kfunc, whose return type is unknown here.
        mutating func call(_ result: CallResult = .value) {
            must &= ~FrameAnalysis.argumentRegisters
            may &= ~FrameAnalysis.argumentRegisters
            for r in 1...5 { frameOffset[r] = nil }
            nonNegative &= ~FrameAnalysis.argumentRegisters
            switch result {
            case .value: define(0)
            case .none: must &= ~1; may &= ~1; frameOffset[0] = nil
            case .unknown: must &= ~1; may |= 1; frameOffset[0] = nil
            }
        }

        /// The frame offset a register holds (`r10` holds 0).
        func offset(_ r: UInt8) -> Int? { r == 10 ? 0 : r < 10 ? frameOffset[Int(r)] : nil }
    }

    /// Analyses every subprogram of `graph`.
    ///
    /// - Parameter zeroedAtEntry: per subprogram, registers the
    ///   instrumentation sets to 0 on entry (bit k = `rk`); they count as
    ///   initialised from there on.
    /// - Complexity: see the type.
    public init(graph: BlockGraph, zeroedAtEntry: [UInt16] = []) {
        let blocks = graph.blocks
        let slots = graph.program.slots
        let subCount = graph.subprograms.count
        var entry = [State?](repeating: nil, count: blocks.count)
        var depth = [Int](repeating: 0, count: subCount)
        var variable = [Bool](repeating: false, count: subCount)
        var spilledOffset = [Int?](repeating: nil, count: subCount)
        var blockAt: [Int: Int] = [:]
        for sub in graph.subprograms { blockAt[sub.slots.lowerBound.rawValue] = sub.blocks.lowerBound }

        var work: [Int] = []
        var queued = [Bool](repeating: false, count: blocks.count)
        var zeroed = [UInt16](repeating: 0, count: blocks.count)
        var lowerings = [Int](repeating: 0, count: blocks.count)
        var spillChanges = [Int](repeating: 0, count: subCount)
        for (s, sub) in graph.subprograms.enumerated() where s < zeroedAtEntry.count {
            zeroed[sub.blocks.lowerBound] = zeroedAtEntry[s]
        }
        func push(_ b: Int, _ incoming: State) {
            var state = incoming
            for r in 0..<10 where zeroed[b] & (1 << r) != 0 {
                state.define(UInt8(r))
            }
            if var existing = entry[b] {
                let (changed, lowered) = existing.merge(state, widen: lowerings[b] >= Self.wideningLimit)
                guard changed else { return }
                if lowered { lowerings[b] += 1 }
                entry[b] = existing
            } else {
                entry[b] = state
            }
            if !queued[b] { queued[b] = true; work.append(b) }
        }
        push(0, .entry(must: 0b10, may: 0b10))
        for sub in graph.subprograms.dropFirst() where !sub.isCalled && !sub.isCallback {
            // A start known only from func info: assume nothing about its arguments.
            push(sub.blocks.lowerBound, .entry(must: 0, may: Self.argumentRegisters))
        }

        func clamp(_ value: Int) -> Int { max(-Self.offsetClamp, min(Self.offsetClamp, value)) }

        while let b = work.popLast() {
            queued[b] = false
            guard var state = entry[b] else { continue }
            let block = blocks[b]
            let sub = block.subprogram
            var spilledChanged = false
            func use(_ frameOffset: Int?, _ off: Int = 0) {
                guard let frameOffset else { return }
                depth[sub] = max(depth[sub], min(Self.offsetClamp, -(frameOffset + off)))
            }
            var i = block.slots.lowerBound.rawValue
            let end = block.slots.upperBound.rawValue
            while i < end {
                let insn = slots[i]
                let dst = insn.dstNumber, src = insn.srcNumber
                let off = Int(insn.offset)
                switch insn.instructionClass {
                case .alu64, .alu:
                    let is64 = insn.instructionClass == .alu64
                    let operation = insn.aluOperation
                    let dstOffset = state.offset(dst)
                    let immediate = insn.operandSource == .immediate
                    var result: Int? = nil
                    if is64 && operation == .mov && !immediate && insn.offset == 0 {
                        result = state.offset(src)
                    } else if is64, let base = dstOffset, operation == .add || operation == .sub {
                        if immediate {
                            result = clamp(base + (operation == .add ? Int(insn.immediate) : -Int(insn.immediate)))
                        } else if operation == .add && state.isNonNegative(src) {
                            result = base  // moves towards r10: no deeper than before
                        } else {
                            variable[sub] = true
                            result = base
                        }
                    }
                    // A 32-bit result is zero-extended (except byte swaps, which
                    // may be 64-bit); masks, shifts right and small constants are ≥ 0.
                    let nonNegative = result == nil && (
                        (!is64 && operation != .end)
                        || (immediate && insn.immediate >= 0 && (operation == .mov || operation == .and))
                        || (immediate && insn.immediate > 0 && operation == .rsh)
                        || (operation == .mov && !immediate && insn.offset == 0 && state.isNonNegative(src)))
                    state.define(dst, offset: result, nonNegative: nonNegative)
                    use(result)
                case .ldx:
                    use(state.offset(src), off)
                    let filled = insn.accessMode == .mem && insn.accessSize == .doubleWord && state.offset(src) != nil
                        ? spilledOffset[sub] : nil
                    // Loads narrower than 8 bytes are zero-extended.
                    state.define(dst, offset: filled, nonNegative: insn.accessMode == .mem && insn.accessSize != .doubleWord)
                    use(filled)
                case .st:
                    use(state.offset(dst), off)
                case .stx:
                    if insn.accessMode == .atomic {
                        let operation = insn.atomicOperation
                        if operation == .loadAcquire {
                            use(state.offset(src), off)
                            state.define(dst)
                        } else {
                            use(state.offset(dst), off)
                            if operation == .cmpxchg {
                                state.define(0)
                            } else if operation.rawValue & AtomicOperation.fetch.rawValue != 0 {
                                state.define(src)
                            }
                        }
                    } else {
                        use(state.offset(dst), off)
                        if state.offset(dst) != nil, insn.accessSize == .doubleWord, let spilled = state.offset(src) {
                            let lower = min(spilled, spilledOffset[sub] ?? spilled)
                            if lower != spilledOffset[sub] {
                                // Each change re-queues the frame's blocks: widen after a few.
                                spilledOffset[sub] = spillChanges[sub] >= Self.wideningLimit ? -Self.offsetClamp : lower
                                spillChanges[sub] += 1
                                spilledChanged = true
                            }
                        }
                    }
                case .ld:
                    if insn.isLoadImmediate64 {
                        if insn.srcNumber == LoadImmediateKind.function.rawValue, let target = insn.displacement.map({ i + $0 + 1 }), let callee = blockAt[target] {
                            push(callee, .entry(must: 0, may: Self.argumentRegisters))
                        }
                        state.define(dst)
                    } else {
                        // Legacy packet loads act as calls.
                        state.call()
                    }
                case .jmp, .jmp32:
                    if insn.isCall {
                        for r in UInt8(1)...5 { use(state.offset(r)) }
                        if insn.callKind == .pseudoCall, let target = insn.displacement.map({ i + $0 + 1 }),
                           let callee = blockAt[target] {
                            let arguments = Self.argumentRegisters
                            push(callee, .entry(must: state.must & arguments, may: state.may & arguments))
                        }
                        switch insn.callKind {
                        case .helper: state.call(Self.voidHelpers.contains(insn.immediate) ? .none : .value)
                        case .pseudoCall: state.call()
                        default: state.call(.unknown)
                        }
                    }
                }
                i += insn.isLoadImmediate64 ? 2 : 1
            }
            for successor in block.successors { push(successor, state) }
            if spilledChanged {
                for other in graph.subprograms[sub].blocks where entry[other] != nil && !queued[other] {
                    queued[other] = true
                    work.append(other)
                }
            }
        }
        stackDepths = depth
        hasVariableStackOffset = variable
        definitelyInitialized = entry.map { $0?.must ?? 0 }
        possiblyInitialized = entry.map { $0?.may ?? 0 }
        isReachable = entry.map { $0 != nil }
    }
}
