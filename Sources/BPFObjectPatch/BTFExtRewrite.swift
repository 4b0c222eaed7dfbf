import BPFInstructions
import BPFObject

/// Rewrites the `insn_off` of `.BTF.ext` records (func_info, line_info,
/// CO-RE) of patched sections, deleting the records the engine deleted.
///
/// Without deletions every other byte stays in place. With deletions the
/// three blocks are written again one after the other behind the original
/// header, and `offsetMap` tells where each old byte went (for
/// `.rel.BTF.ext`).
struct BTFExtRewrite {
    /// Which info block a record is in.
    enum Block: Int, CaseIterable { case funcInfo = 0, lineInfo = 1, core = 2 }

    /// The new section contents.
    var bytes: [UInt8]
    /// For relocations into the section: old offset → new offset, nil when
    /// the byte belonged to a deleted record. Identity when nothing moved.
    var moved: [(old: Range<Int>, new: Int)]?

    /// - Parameters:
    ///   - newOffset: for record `k` (section-local, file order) of `block`
    ///     in program section `section`, its new `insn_off`, nil to delete
    ///     it; not called for sections not in `patched`.
    /// - Complexity: O(b), b the section size.
    init(_ original: [UInt8], btf: BTF, patched: Set<String>,
         newOffset: (Block, String, Int) throws(ObjectPatchError) -> UInt32?) throws(ObjectPatchError) {
        let order: ByteOrder = original.count >= 2 && original[0] == 0xEB ? .bigEndian : .littleEndian
        let e = ByteEdits(byteOrder: order)
        func u32(_ at: Int) -> Int { Int(e.read(original, at: at, width: 4)) }
        let headerLength = u32(4)
        var bytes = original
        var deleted = false
        // Per block: the record size and the kept pieces (old range, kept?).
        struct Info { var nameOffset: UInt32; var records: [(range: Range<Int>, keep: Bool)]; var header: Range<Int> }
        var blocks: [(block: Block, start: Int, recordSize: Int, infos: [Info])] = []
        var counters: [String: [Int]] = [:]
        for block in Block.allCases {
            let field = 8 + 8 * block.rawValue
            guard field + 8 <= headerLength else { continue }
            let offset = u32(field), length = u32(field + 4)
            guard length > 0 else { continue }
            let start = headerLength + offset
            let end = start + length
            let recordSize = u32(start)
            var infos: [Info] = []
            var position = start + 4
            while position < end {
                let nameOffset = UInt32(u32(position))
                let count = u32(position + 4)
                let name: String
                do throws(ObjectError) { name = try btf.string(at: nameOffset) } catch {
                    throw ObjectPatchError(.unsupported, ".BTF.ext: \(error.message)")
                }
                var info = Info(nameOffset: nameOffset, records: [], header: position..<position + 8)
                for k in 0..<count {
                    let r = position + 8 + k * recordSize
                    var keep = true
                    if patched.contains(name) {
                        let local = counters[name, default: [0, 0, 0]][block.rawValue]
                        counters[name, default: [0, 0, 0]][block.rawValue] = local + 1
                        if let value = try newOffset(block, name, local) {
                            e.write(UInt64(value), into: &bytes, at: r, width: 4)
                        } else {
                            keep = false
                            deleted = true
                        }
                    }
                    info.records.append((r..<r + recordSize, keep))
                }
                infos.append(info)
                position += 8 + count * recordSize
            }
            blocks.append((block, start, recordSize, infos))
        }
        guard deleted else {
            self.bytes = bytes
            self.moved = nil
            return
        }
        // Rebuild: header, then each block's kept records.
        var out = Array(bytes[0..<headerLength])
        var moved: [(old: Range<Int>, new: Int)] = [(0..<headerLength, 0)]
        for (block, start, recordSize, infos) in blocks {
            let blockStart = out.count
            moved.append((start..<start + 4, out.count))
            e.append(UInt64(recordSize), to: &out, width: 4)
            for info in infos {
                let kept = info.records.filter(\.keep)
                guard !kept.isEmpty else { continue }   // libbpf rejects empty section entries
                moved.append((info.header, out.count))
                e.append(UInt64(info.nameOffset), to: &out, width: 4)
                e.append(UInt64(kept.count), to: &out, width: 4)
                for record in kept {
                    moved.append((record.range, out.count))
                    out.append(contentsOf: bytes[record.range])
                }
            }
            let field = 8 + 8 * block.rawValue
            e.write(UInt64(blockStart - headerLength), into: &out, at: field, width: 4)
            e.write(UInt64(out.count - blockStart), into: &out, at: field + 4, width: 4)
        }
        self.bytes = out
        self.moved = moved.sorted { $0.old.lowerBound < $1.old.lowerBound }
    }

    /// Where an old byte offset went; nil when its record was deleted.
    ///
    /// - Complexity: O(log p), p the number of moved pieces.
    func newOffset(of old: Int) -> Int? {
        guard let moved else { return old }
        // The last piece starting at or before `old` (pieces do not overlap).
        var low = 0, high = moved.count
        while low < high {
            let mid = (low + high) / 2
            if moved[mid].old.lowerBound <= old { low = mid + 1 } else { high = mid }
        }
        guard low > 0, moved[low - 1].old.contains(old) else { return nil }
        return moved[low - 1].new + (old - moved[low - 1].old.lowerBound)
    }
}
