import BPFInstructions
import BPFPatch

/// The floor every patcher pays: an output buffer of the output's size,
/// every input slot read once and every output slot written once — untouched
/// runs with one `memcpy` each, replacements copied in — and no reference
/// adjusted at all.
///
/// Its output equals the batch engine's on every slot except the reference
/// fields, which it leaves as they were.
public enum LayoutCopy {
    /// Copies the program into the batch's layout.
    ///
    /// - Precondition: `patches` are in ascending site order and do not
    ///   overlap (as `Workload` batches are); this contender does not sort.
    /// - Complexity: O(N + P).
    public static func apply(_ patches: [Patch], to program: Program, outputCount: Int) -> [Instruction] {
        let n = program.count
        return [Instruction](unsafeUninitializedCapacity: outputCount) { out, initialized in
            program.slots.withUnsafeBufferPointer { input in
                guard let source = input.baseAddress, let target = out.baseAddress else { initialized = 0; return }
                var x = 0
                var written = 0
                for patch in patches {
                    let site = patch.site.rawValue
                    precondition(site >= x && written + (site - x) + patch.length <= outputCount, "ascending, non-overlapping batch")
                    let run = site - x
                    (target + written).initialize(from: source + x, count: run)
                    written += run
                    if case .replace(let insns) = patch.operation {
                        insns.withUnsafeBufferPointer { body in
                            if let base = body.baseAddress { (target + written).initialize(from: base, count: body.count) }
                        }
                        written += insns.count
                    }
                    x = site + patch.span
                }
                precondition(written + (n - x) == outputCount, "output count matches the batch")
                (target + written).initialize(from: source + x, count: n - x)
                initialized = outputCount
            }
        }
    }
}

/// The plainest floor: one `memcpy` of the input into an output-sized buffer
/// (the rest of it filled), no layout at all.
public enum PlainCopy {
    /// - Complexity: O(max(N, M)), where M is `outputCount`.
    public static func apply(to program: Program, outputCount: Int) -> [Instruction] {
        [Instruction](unsafeUninitializedCapacity: outputCount) { out, initialized in
            program.slots.withUnsafeBufferPointer { input in
                guard let source = input.baseAddress, let target = out.baseAddress else { initialized = 0; return }
                let copied = min(input.count, outputCount)
                target.initialize(from: source, count: copied)
                (target + copied).initialize(repeating: Instruction(code: 0), count: outputCount - copied)
                initialized = outputCount
            }
        }
    }
}
