import BPFObject

/// Lays out an ELF file again after some sections changed size: every
/// section keeps its place in file order, the gaps between sections are
/// copied as they were (re-padded to the section's alignment when a size
/// changed), and the header fields that locate sections are updated.
/// With no size change the output is the input, byte for byte.
enum ELFLayout {
    /// Writes the object with `replaced` section contents (by section index).
    ///
    /// - Throws: `ObjectPatchError` (`.unsupported`) when sections overlap
    ///   in the input, so that no order can be kept.
    /// - Complexity: O(f + s log s), f the file size and s the section count.
    static func write(_ object: ObjectFile, replacing replaced: [Int: [UInt8]]) throws(ObjectPatchError) -> [UInt8] {
        let bytes = object.bytes
        let edits = ByteEdits(byteOrder: object.byteOrder)
        let headerTableOffset = Int(edits.read(bytes, at: 40, width: 8))
        let headerTableSize = object.sections.count * 64
        // Relocatable objects have no program headers; segments would need their own layout.
        guard edits.read(bytes, at: 56, width: 2) == 0 else {
            throw ObjectPatchError(.unsupported, "the object has program headers (e_phnum \(edits.read(bytes, at: 56, width: 2))); only relocatable objects are rewritten")
        }

        enum Item { case elfHeader, section(Int), headerTable }
        var items: [(start: Int, size: Int, alignment: Int, item: Item)] = [(0, 64, 1, .elfHeader)]
        for s in object.sections where s.hasFileContents && s.size > 0 {
            // Alignment is honoured when it is a sane power of two; a hostile
            // 2^63 must not make the writer pad forever.
            let a = s.alignment
            let alignment = a > 1 && a <= 4096 && a & (a - 1) == 0 ? Int(a) : 1
            items.append((Int(s.offset), Int(s.size), alignment, .section(s.index)))
        }
        if headerTableSize > 0 { items.append((headerTableOffset, headerTableSize, 8, .headerTable)) }
        items.sort { ($0.start, $0.size) < ($1.start, $1.size) }

        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + replaced.values.reduce(0) { $0 + $1.count })
        var oldEnd = 0
        var newOffsets: [Int: Int] = [:]      // section index → new offset
        var shifts: [(oldStart: Int, shift: Int)] = []
        var newHeaderTable = headerTableOffset
        for (start, size, alignment, item) in items {
            guard start >= oldEnd else {
                throw ObjectPatchError(.unsupported, "the sections at file offsets \(oldEnd) and \(start) overlap; cannot keep their order")
            }
            out.append(contentsOf: bytes[oldEnd..<start])
            // Keep the alignment the input had.
            if start % alignment == 0 && out.count % alignment != 0 {
                out.append(contentsOf: repeatElement(0, count: alignment - out.count % alignment))
            }
            shifts.append((start, out.count - start))
            switch item {
            case .elfHeader:
                out.append(contentsOf: bytes[0..<64])
            case .section(let index):
                newOffsets[index] = out.count
                if let contents = replaced[index] { out.append(contentsOf: contents) }
                else { out.append(contentsOf: bytes[start..<start + size]) }
            case .headerTable:
                newHeaderTable = out.count
                out.append(contentsOf: bytes[start..<start + size])
            }
            oldEnd = start + size
        }
        if oldEnd < bytes.count { out.append(contentsOf: bytes[oldEnd..<bytes.count]) }

        // Header fields: e_shoff, then every sh_offset and sh_size.
        if headerTableSize > 0 { edits.write(UInt64(newHeaderTable), into: &out, at: 40, width: 8) }
        for s in object.sections {
            let h = newHeaderTable + s.index * 64
            if let offset = newOffsets[s.index] {
                edits.write(UInt64(offset), into: &out, at: h + 24, width: 8)
            } else if s.offset < UInt64(Int.max / 2) {
                // Empty or NOBITS: move with what precedes it.
                let old = Int(s.offset)
                let shift = shifts.last { $0.oldStart <= old }?.shift ?? 0
                if shift != 0 { edits.write(UInt64(old + shift), into: &out, at: h + 24, width: 8) }
            }
            if let contents = replaced[s.index] {
                edits.write(UInt64(contents.count), into: &out, at: h + 32, width: 8)
                if contents.isEmpty { edits.write(UInt64(newOffsets[s.index] ?? Int(s.offset)), into: &out, at: h + 24, width: 8) }
            }
        }
        return out
    }
}
