import BPFInstructions
import BPFKernel

/// Where the verifier put every original instruction, read from the xlated
/// line info of a program loaded with `SyntheticLineInfo`.
///
/// The kernel's rule: a record at a patched slot covers the whole
/// replacement; records of removed slots are deleted. With one record per
/// instruction, the distance from one surviving record to the next is the
/// size of the kernel's replacement of that instruction.
public struct KernelPatchMap: Hashable, Sendable {
    /// One original instruction and its xlated slots.
    public struct Site: Hashable, Sendable {
        /// The instruction's first original slot.
        public var slot: SlotIndex
        /// 1, or 2 for an `ld_imm64`.
        public var width: Int
        /// Its xlated slots: empty (at the next survivor) when removed;
        /// nil when unmapped.
        public var xlated: Range<Int>?
        /// True when the kernel removed it.
        public var isRemoved: Bool { xlated?.isEmpty ?? false }
    }

    /// Every original instruction, in order.
    public var sites: [Site]
    /// Xlated records that did not name a valid original instruction or
    /// were out of order (ignored).
    public var unmappedRecords: Int
    /// Original instructions whose place is unknown (no usable record
    /// although the program had line info back).
    public var unmappedSites: Int { sites.filter { $0.xlated == nil }.count }

    /// Builds the map.
    ///
    /// Without any record back (line info withheld), every site is unmapped.
    ///
    /// - Complexity: O(n + r), slots plus records.
    public init(original: Program, xlatedCount: Int, lineInfo: [KernelLineInfo]) {
        var starts: [Int: Int] = [:]
        var unmapped = 0
        var lastSlot = -1, lastOffset = -1
        let mask = original.secondHalfMask()
        for record in lineInfo {
            let slot = SyntheticLineInfo.slot(of: record).rawValue
            let offset = record.instruction.rawValue
            guard slot < original.count, !mask[slot], slot > lastSlot, offset > lastOffset, offset < xlatedCount else {
                unmapped += 1
                continue
            }
            starts[slot] = offset
            lastSlot = slot
            lastOffset = offset
        }
        unmappedRecords = unmapped
        var sites: [Site] = []
        var nextStart = xlatedCount
        // Walk backwards so each survivor knows where the next one starts.
        let instructions = Array(original.instructions)
        sites.reserveCapacity(instructions.count)
        for instruction in instructions.reversed() {
            let slot = instruction.index.rawValue
            var site = Site(slot: instruction.index, width: instruction.slotCount, xlated: nil)
            if let start = starts[slot] {
                site.xlated = start..<nextStart
                nextStart = start
            } else if !lineInfo.isEmpty {
                site.xlated = nextStart..<nextStart
            }
            sites.append(site)
        }
        self.sites = sites.reversed()
    }
}
