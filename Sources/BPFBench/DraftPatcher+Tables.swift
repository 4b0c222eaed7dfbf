import BPFInstructions
import BPFPatch

extension DraftPatcher {
    /// Moves every side table, one binary search per entry.
    ///
    /// - Complexity: O(t log P), where t is the total size of the tables.
    public func adjust(_ tables: SideTables) throws(DraftError) -> SideTables {
        var result = tables
        if let lineInfo = tables.lineInfo { result.lineInfo = adjust(lineInfo) }
        if let subprograms = tables.subprograms { result.subprograms = try adjust(subprograms) }
        if let pokes = tables.pokes {
            var slots: [SlotIndex] = []
            slots.reserveCapacity(pokes.slots.count)
            for slot in pokes.slots {
                guard let moved = survivor(slot.rawValue) else {
                    throw DraftError(.badTable, slot: slot.rawValue, "a removal deletes the slot of a poke descriptor")
                }
                slots.append(SlotIndex(moved))
            }
            result.pokes = PokeTable(slots: slots)
        }
        result.instructionArrays = tables.instructionArrays.map { array in
            InstructionArrayTable(entries: array.entries.map { entry in
                entry.flatMap { survivor($0.rawValue).map { SlotIndex($0) } }
            })
        }
        return result
    }

    /// Line info: a record on a surviving slot follows it; a record in a
    /// removed run survives only as the run's last record, when slots follow
    /// the run and the first of them has no record of its own — it then
    /// moves to that slot (and if that slot starts another removed run, the
    /// same rule applies to it there).
    func adjust(_ table: LineInfoTable) -> LineInfoTable {
        let records = table.entries
        var out: [LineInfoTable.Entry] = []
        out.reserveCapacity(records.count)
        for (r, record) in records.enumerated() {
            let x = record.slot.rawValue
            if let moved = survivor(x) {
                out.append(LineInfoTable.Entry(record: record.record, slot: SlotIndex(moved)))
                continue
            }
            var k = lastPatch(atOrBefore: x)
            let next = r + 1 < records.count ? records[r + 1].slot.rawValue : Int.max
            var end = entries[k].end
            var carried = next >= end
            while carried {
                if end >= originalCount || next == end { carried = false; break }
                if k + 1 < entries.count && entries[k + 1].site == end && entries[k + 1].length == 0 {
                    k += 1
                    end = entries[k].end
                    carried = next >= end
                    continue
                }
                break
            }
            if carried, let moved = survivor(end) {
                out.append(LineInfoTable.Entry(record: record.record, slot: SlotIndex(moved)))
            }
        }
        return LineInfoTable(entries: out)
    }

    /// Subprogram starts: a start in a removed run is deleted with its body
    /// when the whole body lies in the run, keeps its position when it is
    /// the run's first slot, and is an error otherwise.
    func adjust(_ table: SubprogramTable) throws(DraftError) -> SubprogramTable {
        let list = table.entries
        var out: [SubprogramTable.Entry] = []
        out.reserveCapacity(list.count)
        for (i, entry) in list.enumerated() {
            let s = entry.start.rawValue
            if s >= originalCount {
                out.append(SubprogramTable.Entry(subprogram: entry.subprogram, start: SlotIndex(newCount)))
                continue
            }
            let k = lastPatch(atOrBefore: s)
            if k >= 0, s < entries[k].end, entries[k].length == 0 {
                let e = entries[k]
                let bodyEnd = i + 1 < list.count ? list[i + 1].start.rawValue : originalCount
                if bodyEnd <= e.end { continue }
                guard s == e.site else {
                    throw DraftError(.badTable, slot: s, "a removal cuts the entry of subprogram \(entry.subprogram)")
                }
                out.append(SubprogramTable.Entry(subprogram: entry.subprogram, start: SlotIndex(e.newStart)))
                continue
            }
            guard let moved = landing(s) else {
                throw DraftError(.badTable, slot: s, "subprogram \(entry.subprogram) starts inside a removed run")
            }
            out.append(SubprogramTable.Entry(subprogram: entry.subprogram, start: SlotIndex(moved)))
        }
        return SubprogramTable(entries: out)
    }
}
