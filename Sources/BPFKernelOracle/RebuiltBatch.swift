import BPFInstructions
import BPFPatch

/// Closes the loop on `bpfpatch stats`: the kernel's own patches, read off
/// the xlated program, are applied to the original by the batch engine,
/// and the engine's reference adjustment is compared with the kernel's.
///
/// The batch: a removed site becomes a removal; a site whose slots
/// changed becomes a replacement by its xlated slice. The slices carry
/// the kernel's displacements of the final layout. A jump whose target is
/// inside its slice keeps its meaning under kernel semantics (a target
/// inside a patch stays). A jump that leaves its slice points at the
/// start of some original instruction's replacement in the final layout;
/// with kernel semantics its raw displacement would be re-read in the
/// layout of the moment, so it is re-targeted symbolically at that
/// original instruction (`PatchSequence.Target.original`) and the engine's
/// result is compared with the kernel's. Original jumps at untouched
/// sites are left alone and must come out with exactly the kernel's
/// displacement.
public enum RebuiltBatch {
    /// The displacement a xlated slot holds. After JIT the kernel shows a
    /// bpf-to-bpf call with its displacement in `off` and the callee's
    /// subprogram number in `imm`, and a pseudo-func `ld_imm64` with its
    /// displacement in `imm` and the subprogram number in the second
    /// slot's `imm` (observed on Linux 6.18). Without JIT the call is as in
    /// the input and the pseudo-func's `imm` is not known to be a
    /// displacement (nil: not compared).
    static func kernelDisplacement(_ insn: Instruction, isJITed: Bool) -> Int? {
        if insn.isCall && insn.srcNumber == 1 { return isJITed ? Int(insn.offset) : Int(insn.immediate) }
        if insn.isLoadImmediate64 && insn.srcNumber == 4 { return isJITed ? Int(insn.immediate) : nil }
        return insn.displacement
    }

    /// The xlated program in input form: bpf-to-bpf calls with `imm` =
    /// displacement and `off` 0, pseudo-func second slots with `imm` 0.
    static func normalized(_ xlated: Program, isJITed: Bool) -> Program {
        guard isJITed else { return xlated }
        var slots = xlated.slots
        var i = 0
        while i < slots.count {
            let insn = slots[i]
            if insn.isCall && insn.srcNumber == 1 {
                slots[i].immediate = Int32(insn.offset)
                slots[i].offset = 0
            } else if insn.isLoadImmediate64 {
                if insn.srcNumber == 4 && i + 1 < slots.count { slots[i + 1].immediate = 0 }
                i += 2
                continue
            }
            i += 1
        }
        return Program(slots: slots)
    }

    /// Rebuilds and applies the kernel's batch and compares.
    ///
    /// - Complexity: O(n + x), original and xlated slots.
    public static func check(_ map: KernelPatchMap, original: Program, xlated: Program, isJITed: Bool) -> RebuiltBatchCheck {
        var check = RebuiltBatchCheck()
        let target = normalized(xlated, isJITed: isJITed)
        var siteAtStart: [Int: SlotIndex] = [:]
        for site in map.sites {
            if let range = site.xlated, !range.isEmpty { siteAtStart[range.lowerBound] = site.slot }
        }
        var patches = PatchSet()
        var notCompared = Set<Int>()            // xlated slots excluded from the final comparison
        var exits: [(xlated: Int, kernel: Int)] = []  // slice exits to compare
        var kept: [(site: SlotIndex, xlated: Int)] = []  // untouched references to compare
        for site in map.sites {
            guard let range = site.xlated else { continue }
            let x = site.slot.rawValue
            if range.isEmpty {
                patches.remove(site.slot, count: site.width)
                continue
            }
            let before = Array(original.slots[x..<x + site.width])
            let after = Array(xlated.slots[range])
            if range.count == site.width && InPlaceRewrite.kind(original: before, xlated: after) == nil {
                let first = before[0]
                if first.referenceField != nil {
                    if kernelDisplacement(after[0], isJITed: isJITed) != nil {
                        kept.append((site.slot, range.lowerBound))
                    } else {
                        notCompared.formUnion(range)
                    }
                }
                continue
            }
            var sequence = PatchSequence()
            var j = range.lowerBound
            // A reference we cannot express: point it at itself, compare nothing.
            func selfReference(_ insn: Instruction) {
                let me = sequence.makeLabel()
                sequence.bind(me)
                sequence.append(insn, to: .label(me))
                notCompared.insert(j)
                if insn.isLoadImmediate64 { notCompared.insert(j + 1) }
            }
            while j < range.upperBound {
                let insn = target.slots[j]
                let width = insn.isLoadImmediate64 ? 2 : 1
                if let displacement = kernelDisplacement(xlated.slots[j], isJITed: isJITed) {
                    let destination = j + displacement + 1
                    if range.contains(destination) {
                        sequence.append(insn)  // stays inside its patch
                    } else if let slot = siteAtStart[destination] {
                        sequence.append(insn, to: .original(slot))
                        exits.append((j, displacement))
                    } else {
                        selfReference(insn)
                        check.sliceExitsNotCompared += 1
                    }
                } else if insn.referenceField != nil {
                    selfReference(insn)  // a pseudo-func without JIT: imm is no displacement
                } else {
                    sequence.append(insn)
                }
                if width == 2 && j + 1 < range.upperBound { sequence.append(target.slots[j + 1]) }
                j += width
            }
            do throws(PatchError) {
                try patches.replace(site.slot, with: sequence)
            } catch {
                check.engineError = "\(error)"
                return check
            }
            if site.width == 2 { patches.remove(site.slot.advanced(by: 1)) }
        }
        check.patches = patches.count
        let result: PatchResult
        do throws(PatchError) {
            result = try patches.apply(to: original)
        } catch {
            check.engineError = "\(error)"
            return check
        }
        let output = result.program

        for site in map.sites {
            guard let range = site.xlated else { continue }
            let ours = result.indexMap.newRange(of: site.slot).lowerBound
                ..< result.indexMap.newRange(of: site.slot.advanced(by: site.width - 1)).upperBound
            if ours.lowerBound.rawValue == range.lowerBound && ours.upperBound.rawValue == range.upperBound {
                check.positionsAgree += 1
            } else {
                check.positionsDisagree += 1
                note(&check, "site \(site.slot): engine slots \(ours.lowerBound.rawValue)..<\(ours.upperBound.rawValue), kernel \(range)")
            }
        }
        func displacement(at slot: Int) -> Int? {
            slot < output.count ? output.slots[slot].displacement : nil
        }
        for (site, xlatedSlot) in kept {
            let ours = result.indexMap.newRange(of: site).lowerBound.rawValue
            let kernel = kernelDisplacement(xlated.slots[xlatedSlot], isJITed: isJITed)
            if ours == xlatedSlot, let kernel, displacement(at: ours) == kernel {
                check.agree += 1
            } else {
                check.disagree += 1
                note(&check, "jump at original \(site): engine \(displacement(at: ours).map(String.init) ?? "-") at \(ours), kernel \(kernel.map(String.init) ?? "-") at \(xlatedSlot)")
            }
        }
        for exit in exits {
            if displacement(at: exit.xlated) == exit.kernel {
                check.sliceExitsAgree += 1
            } else {
                check.sliceExitsDisagree += 1
                note(&check, "slice exit at xlated \(exit.xlated): engine \(displacement(at: exit.xlated).map(String.init) ?? "-"), kernel \(exit.kernel)")
            }
        }
        check.slotsNotCompared = notCompared.count
        if output.count == target.count {
            let differing = (0..<output.count).filter { !notCompared.contains($0) && output.slots[$0] != target.slots[$0] }
            check.programIdentical = differing.isEmpty
            for slot in differing.prefix(3) {
                note(&check, "slot \(slot): engine \(output.slots[slot].hex), kernel \(target.slots[slot].hex)")
            }
        } else {
            note(&check, "engine output \(output.count) slots, kernel \(target.count)")
        }
        return check
    }

    private static func note(_ check: inout RebuiltBatchCheck, _ text: String) {
        if check.details.count < 8 { check.details.append(text) }
    }
}
