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
    /// - Complexity: O(r + p), r being the record count: one validating
    ///   pass, then one merge with the removals writing straight into the
    ///   new table.
    func adjust(_ table: LineInfoTable) throws(PatchError) -> LineInfoTable {
        let records = table.entries
        var previous = -1
        for k in records.indices {
            let slot = records[k].slot.rawValue
            guard slot > previous, slot < originalCount else {
                throw PatchError(.invalidTable, slot: records[k].slot,
                                 "lineInfo[\(k)] = \(slot): records must be strictly increasing slots below \(originalCount)")
            }
            previous = slot
        }
        // At most one record survives per record: carried records replace dropped ones.
        let entries = [LineInfoTable.Entry](unsafeUninitializedCapacity: records.count) { out, initialized in
            records.withUnsafeBufferPointer { records in
              map.withLookup { map in
                @inline(__always) func newIndex(_ x: Int) -> SlotIndex {
                    SlotIndex(map.decodedStart(x))
                }
                var w = 0
                @inline(__always) func emit(_ record: Int, _ x: Int) {
                    out[w] = LineInfoTable.Entry(record: record, slot: newIndex(x))
                    w &+= 1
                }
                var r = 0
                var carried: LineInfoTable.Entry? = nil   // waits at original slot `carriedAt`
                var carriedAt = -1
                for patch in placed where patch.length == 0 {
                    // Records before the run follow their slots; a carried record
                    // waits on a slot that no record of its own occupies.
                    if let entry = carried, carriedAt < patch.site {
                        emit(entry.record, carriedAt)
                        carried = nil
                    }
                    while r < records.count && records[r].slot.rawValue < patch.site {
                        emit(records[r].record, records[r].slot.rawValue)
                        r &+= 1
                    }
                    let end = patch.site + patch.span
                    var last = carried   // a carried record can only wait at this run's first slot
                    carried = nil
                    while r < records.count && records[r].slot.rawValue < end {
                        last = records[r]
                        r &+= 1
                    }
                    let survivorHasOwn = r < records.count && records[r].slot.rawValue == end
                    if let last, end < originalCount, !survivorHasOwn {
                        carried = last
                        carriedAt = end
                    }
                }
                if let entry = carried {
                    emit(entry.record, carriedAt)
                }
                while r < records.count {
                    emit(records[r].record, records[r].slot.rawValue)
                    r &+= 1
                }
                initialized = w
              }
            }
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
