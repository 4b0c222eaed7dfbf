import BPFInstructions
import BPFPatch
import CBPFBenchBaseline

/// The C contender: the index-map pass written plainly in C
/// (`CBPFBenchBaseline`, compiled with the package's optimisation level:
/// `-O2` or higher in a release build), a yardstick for the engine.
///
/// The bench times the flattening together with `cbb_apply`, as the
/// engine's timed apply includes its own equivalent (`BatchLayout.init`):
/// the batch becomes the arrays a C caller would hand over: one `(site, span, body start, length)` record
/// per patch in ascending order and the replacements back to back.
///
///     let baseline = try CBaseline(workload.patches, programCount: n)
///     let slots = try baseline.apply(to: workload.program)
public struct CBaseline: Sendable {
    let records: [cbb_patch]
    let bodies: [Instruction]
    /// N and the output's slot count.
    public let programCount: Int
    public let outputCount: Int

    /// Why the C contender refused a batch (its `cbb_status`).
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var status: UInt32
        /// The original slot (or patch site) where it was found; -1 if none.
        public var slot: Int
        public var description: String {
            let what = switch status {
            case CBB_BAD_BATCH.rawValue: "patches out of order, overlapping, out of range or sizes disagree"
            case CBB_TARGET_OUTSIDE.rawValue: "a reference lands outside the program"
            case CBB_TARGET_IN_HOLE.rawValue: "a reference lands inside a removed run"
            case CBB_RANGE.rawValue: "a displacement does not fit its field"
            case CBB_SPLIT_WIDE_LOAD.rawValue: "the result splits an ld_imm64 or targets its second slot"
            case CBB_NO_MEMORY.rawValue: "out of memory"
            case CBB_NEEDS_STEP_CHECK.rawValue: "the exact per-step range check would be needed (not modelled)"
            case 100: "a patch carries symbolic fixups (not modelled)"
            default: "status \(status)"
            }
            return "C contender: \(what) (slot \(slot))"
        }
    }

    /// Flattens a batch.
    ///
    /// - Throws: `Failure` for symbolic fixups or a program over 2³¹ slots.
    /// - Complexity: O(P + total replacement length) for a batch in
    ///   ascending order, O(P log P + total replacement length) otherwise.
    public init(_ patches: PatchSet, programCount: Int) throws(Failure) {
        precondition(MemoryLayout<Instruction>.size == MemoryLayout<cbb_insn>.size
                     && MemoryLayout<Instruction>.stride == MemoryLayout<cbb_insn>.stride
                     && MemoryLayout<Instruction>.offset(of: \.immediate) == 4
                     && MemoryLayout<Instruction>.offset(of: \.offset) == 2,
                     "Instruction is laid out as struct bpf_insn")
        // Sorted only when out of order, as the engine's layout does.
        let ascending = zip(patches.patches, patches.patches.dropFirst()).allSatisfy { $0.site < $1.site }
        let sorted = ascending ? patches.patches : patches.patches.sorted { $0.site < $1.site }
        var records: [cbb_patch] = []
        records.reserveCapacity(sorted.count)
        var bodies: [Instruction] = []
        var output = programCount
        for patch in sorted {
            guard patch.fixups.isEmpty else { throw Failure(status: 100, slot: patch.site.rawValue) }
            guard programCount <= Int(Int32.max), bodies.count <= Int(Int32.max) - patch.length else {
                throw Failure(status: CBB_BAD_BATCH.rawValue, slot: patch.site.rawValue)
            }
            records.append(cbb_patch(site: Int32(clamping: patch.site.rawValue), span: Int32(clamping: patch.span),
                                     body_start: Int32(bodies.count), length: Int32(patch.length)))
            if case .replace(let insns) = patch.operation { bodies += insns }
            output += patch.delta
        }
        self.records = records
        self.bodies = bodies
        self.programCount = programCount
        self.outputCount = output
    }

    /// Runs `cbb_apply` into `output`, reusing its storage when it is not
    /// shared and large enough (as the engine's timed runs reuse theirs
    /// through a `PatchWorkspace`). Emptied on a failure.
    ///
    /// - Throws: `Failure` when the C code reports an error.
    /// - Complexity: O(N + P + total replacement length).
    public func apply(to program: Program, into output: inout [Instruction]) throws(Failure) {
        precondition(program.count == programCount, "the program the batch was flattened for")
        let m = max(outputCount, 0)
        if output.count > m {
            output.removeLast(output.count - m)
        } else if output.count < m {
            output.append(contentsOf: repeatElement(Instruction(code: 0), count: m - output.count))
        }
        var status: UInt32 = 0
        var slot: Int32 = -1
        output.withUnsafeMutableBufferPointer { out in
            (status, slot) = run(program, into: out)
        }
        guard status == CBB_OK.rawValue else {
            output.removeAll(keepingCapacity: true)
            throw Failure(status: status, slot: Int(slot))
        }
    }

    /// Runs `cbb_apply` into a fresh output array.
    ///
    /// - Throws: `Failure` when the C code reports an error.
    /// - Complexity: O(N + P + total replacement length).
    public func apply(to program: Program) throws(Failure) -> [Instruction] {
        precondition(program.count == programCount, "the program the batch was flattened for")
        var status: UInt32 = 0
        var slot: Int32 = -1
        let m = max(outputCount, 0)
        let output = [Instruction](unsafeUninitializedCapacity: m) { out, initialized in
            (status, slot) = run(program, into: out)
            // On an error the content is unspecified: keep none of it.
            initialized = status == CBB_OK.rawValue ? m : 0
        }
        guard status == CBB_OK.rawValue else { throw Failure(status: status, slot: Int(slot)) }
        return output
    }

    /// One call of `cbb_apply` writing `out.count` slots: the C status and
    /// the slot it names.
    private func run(_ program: Program, into out: UnsafeMutableBufferPointer<Instruction>) -> (UInt32, Int32) {
        var slot: Int32 = -1
        let status = program.slots.withUnsafeBufferPointer { orig in
            records.withUnsafeBufferPointer { patches in
                bodies.withUnsafeBufferPointer { bodies in
                    cbb_apply(UnsafeRawPointer(orig.baseAddress)?.assumingMemoryBound(to: cbb_insn.self),
                              Int32(clamping: orig.count), patches.baseAddress, Int32(patches.count),
                              UnsafeRawPointer(bodies.baseAddress)?.assumingMemoryBound(to: cbb_insn.self),
                              UnsafeMutableRawPointer(out.baseAddress)?.assumingMemoryBound(to: cbb_insn.self),
                              Int32(clamping: out.count), &slot).rawValue
                }
            }
        }
        return (status, slot)
    }
}
