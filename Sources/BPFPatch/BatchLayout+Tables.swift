import BPFInstructions

extension BatchLayout {
    /// Adjusts every side table in one merge with the sorted patches.
    ///
    /// - Complexity: O(p + t), plus O(1) per poke and instruction-array entry.
    func adjust(_ tables: SideTables) throws(PatchError) -> SideTables {
        var result = tables
        if let lineInfo = tables.lineInfo { result.lineInfo = try adjust(lineInfo) }
        if let subprograms = tables.subprograms { result.subprograms = try adjust(subprograms) }
        if let pokes = tables.pokes { result.pokes = try adjust(pokes) }
        result.instructionArrays = []
        result.instructionArrays.reserveCapacity(tables.instructionArrays.count)
        for (k, array) in tables.instructionArrays.enumerated() {
            result.instructionArrays.append(try adjust(array, number: k))
        }
        return result
    }

    @inline(__always)
    private func newIndex(_ x: Int) -> SlotIndex {
        SlotIndex(map.decodedStart(x))
    }

    /// Line info: a record follows its slot to the first slot of the
    /// slot's replacement. Records in a removed run are dropped, except that
    /// the last one moves to the first surviving slot when that slot has no
    /// record and the run does not end the program; a record carried so onto
    /// the start of the next removed run is treated like one of its own.
    ///
    /// - Complexity: O(r + p), r being the record count: one merge of the
    ///   records with the sorted patches, which keeps the growth so far, so
    ///   a record's new slot is its slot plus that growth (no index-map
    ///   lookup), and validates each record as it passes.
    func adjust(_ table: LineInfoTable) throws(PatchError) -> LineInfoTable {
        let records = table.entries
        var invalid: Int?   // the first record out of order or range
        // At most one record survives per record: carried records replace dropped ones.
        let entries = [LineInfoTable.Entry](unsafeUninitializedCapacity: records.count) { out, initialized in
            records.withUnsafeBufferPointer { records in
                let n = originalCount
                let count = records.count
                var w = 0
                var r = 0
                var previous = -1
                var shift = 0   // the growth of every patch before the slots being merged
                @inline(__always) func emit(_ record: Int, at newSlot: Int) {
                    out[w] = LineInfoTable.Entry(record: record, slot: SlotIndex(newSlot))
                    w &+= 1
                }
                /// The next record's slot, once checked; nil when none is left or it is invalid.
                @inline(__always) func nextSlot() -> Int? {
                    guard r < count, invalid == nil else { return nil }
                    let slot = records[r].slot.rawValue
                    guard slot > previous, slot < n else { invalid = r; return nil }
                    return slot
                }
                var carried: LineInfoTable.Entry? = nil   // waits at original slot `carriedAt`
                var carriedAt = -1
                for patch in placed {
                    let site = patch.site
                    // A carried record lands where no record of its own is: on
                    // the slot it waits at, unless a removed run starts there.
                    if let entry = carried, carriedAt < site || (carriedAt == site && patch.length > 0) {
                        emit(entry.record, at: carriedAt &+ shift)
                        carried = nil
                    }
                    while let slot = nextSlot(), slot < site {
                        emit(records[r].record, at: slot &+ shift)
                        previous = slot
                        r &+= 1
                    }
                    if patch.length > 0 {
                        // The record on a replaced slot covers the whole replacement.
                        if let slot = nextSlot(), slot == site {
                            emit(records[r].record, at: slot &+ shift)
                            previous = slot
                            r &+= 1
                        }
                        shift &+= patch.length &- 1
                        continue
                    }
                    let end = site &+ patch.span
                    var last = carried   // a carried record can only wait at this run's first slot
                    carried = nil
                    while let slot = nextSlot(), slot < end {
                        last = records[r]
                        previous = slot
                        r &+= 1
                    }
                    shift &-= patch.span
                    let survivorHasOwn = nextSlot() == end
                    if let last, end < n, !survivorHasOwn {
                        carried = last
                        carriedAt = end
                    }
                }
                if let entry = carried {
                    emit(entry.record, at: carriedAt &+ shift)
                }
                while let slot = nextSlot() {
                    emit(records[r].record, at: slot &+ shift)
                    previous = slot
                    r &+= 1
                }
                initialized = w
            }
        }
        if let k = invalid {
            let slot = records[k].slot
            throw PatchError(.invalidTable, slot: slot,
                             "lineInfo[\(k)] = \(slot.rawValue): records must be strictly increasing slots below \(originalCount)")
        }
        return LineInfoTable(entries: entries)
    }

    /// Subprogram starts, tracked as the original slot whose new position
    /// they equal ("anchors"): a start at a removal's first slot keeps its
    /// position, which the first surviving slot after the run takes over.
    func adjust(_ table: SubprogramTable) throws(PatchError) -> SubprogramTable {
        var entries = table.entries
        var previous = -1
        for (k, entry) in entries.enumerated() {
            let start = entry.start.rawValue
            guard start > previous, start <= originalCount else {
                throw PatchError(.invalidTable, slot: entry.start,
                                 "subprogs[\(k)] = \(start): starts must be strictly increasing, at most the program length \(originalCount)")
            }
            previous = start
        }
        var deleted = [Bool](repeating: false, count: entries.count)
        var j = 0
        for patch in placed where patch.length == 0 {
            let end = patch.site + patch.span
            while j < entries.count && entries[j].start.rawValue < patch.site { j += 1 }
            var i = j
            while i < entries.count && entries[i].start.rawValue < end {
                let start = entries[i].start.rawValue
                let bodyEnd = i + 1 < entries.count ? entries[i + 1].start.rawValue : originalCount
                if bodyEnd <= end {
                    deleted[i] = true
                } else if start == patch.site {
                    entries[i].start = SlotIndex(end)
                } else {
                    throw PatchError(.subprogramCut, patch: patch.number, slot: SlotIndex(patch.site),
                                     "removes the entry (slot \(start)) of subprogram \(entries[i].subprogram) but not its whole body")
                }
                i += 1
            }
        }
        var out: [SubprogramTable.Entry] = []
        out.reserveCapacity(entries.count)
        for (i, entry) in entries.enumerated() where !deleted[i] {
            out.append(SubprogramTable.Entry(subprogram: entry.subprogram, start: newIndex(entry.start.rawValue)))
        }
        return SubprogramTable(entries: out)
    }

    func adjust(_ table: PokeTable) throws(PatchError) -> PokeTable {
        var out: [SlotIndex] = []
        out.reserveCapacity(table.slots.count)
        for (k, slot) in table.slots.enumerated() {
            let x = slot.rawValue
            guard x >= 0 && x < originalCount else {
                throw PatchError(.invalidTable, slot: slot, "pokes[\(k)] = \(x) is outside the \(originalCount)-slot program")
            }
            if isRemoved(x) {
                let patch = patchCovering(x)!
                throw PatchError(.pokeRemoved, patch: patch.number, slot: SlotIndex(patch.site),
                                 "removes slot \(x), the tail call of poke descriptor \(k)")
            }
            out.append(newIndex(x))
        }
        return PokeTable(slots: out)
    }

    func adjust(_ table: InstructionArrayTable, number: Int) throws(PatchError) -> InstructionArrayTable {
        var out: [SlotIndex?] = []
        out.reserveCapacity(table.entries.count)
        for (k, entry) in table.entries.enumerated() {
            guard let slot = entry else { out.append(nil); continue }
            let x = slot.rawValue
            guard x >= 0 && x < originalCount else {
                throw PatchError(.invalidTable, slot: slot,
                                 "insnArrays[\(number)][\(k)] = \(x) is outside the \(originalCount)-slot program")
            }
            out.append(isRemoved(x) ? nil : newIndex(x))
        }
        return InstructionArrayTable(entries: out)
    }
}
