import BPFInstructions

extension PatchSet {
    /// Reads a PATCHES.json document (the CLI's `--patches`):
    ///
    ///     {"patches": [{"at": 12, "insns": ["b701000005000000", "95..."]},
    ///                  {"at": 40, "remove": 3}]}
    ///
    /// Slot indices lie in 0...2³¹−1 and removal counts in 0...2³¹−1 (the
    /// engine's index map is 32-bit); other values are errors here, so no
    /// later arithmetic on them can overflow.
    /// Each instruction is the 8 bytes of one slot in file order as 16 hex
    /// digits (an `ld_imm64` is two entries). Patch numbers in later errors
    /// are positions in this list. Range and overlap checks are left to
    /// `apply`, which names the patch.
    ///
    /// - Throws: `JSONDocumentError` naming where, e.g.
    ///   `patches[3].insns[1]: expected 16 hex digits`.
    /// - Complexity: O(n), where n is the document's byte count.
    public init(json bytes: [UInt8]) throws(JSONDocumentError) {
        let root = try JSONValue(parsing: bytes)
        let top = try root.keyed(at: "", allowed: ["patches"])
        guard let list = top["patches"] else {
            throw JSONDocumentError(.badKey, at: "patches", "missing key")
        }
        var patches: [Patch] = []
        for (k, element) in try list.elements(at: "patches").enumerated() {
            let path = "patches[\(k)]"
            let fields = try element.keyed(at: path, allowed: ["at", "insns", "remove"])
            patches.append(try Patch(jsonFields: fields, at: path))
        }
        self.init(patches)
    }

    /// The PATCHES.json form of this batch (fixups are not representable
    /// and are dropped).
    ///
    /// - Complexity: O(s), where s is the total number of patch slots.
    public func json() -> String {
        let entries = patches.map { patch -> String in
            switch patch.operation {
            case .replace(let insns):
                return "{\"at\": \(patch.site.rawValue), \"insns\": [\(insns.map { "\"\($0.hex)\"" }.joined(separator: ", "))]}"
            case .remove(let count):
                return "{\"at\": \(patch.site.rawValue), \"remove\": \(count)}"
            }
        }
        return "{\"patches\": [\n  " + entries.joined(separator: ",\n  ") + "\n]}\n"
    }
}

extension Patch {
    /// Reads one PATCHES.json entry's `at` and `insns` or `remove` (the keys
    /// an object patch shares with a raw one); other keys are the caller's.
    ///
    /// - Complexity: O(s), where s is the number of slots in `insns`.
    package init(jsonFields fields: [String: JSONValue], at path: String) throws(JSONDocumentError) {
        guard let atValue = fields["at"] else { throw JSONDocumentError(.badKey, at: jsonPath(path, "at"), "missing key") }
        let at = try atValue.integer(at: jsonPath(path, "at"), in: JSONLimits.slot)
        switch (fields["insns"], fields["remove"]) {
        case (let insns?, nil):
            var slots: [Instruction] = []
            for (j, hex) in try insns.elements(at: jsonPath(path, "insns")).enumerated() {
                let where_ = "\(path).insns[\(j)]"
                guard let slot = Instruction(hex: try hex.string(at: where_)) else {
                    throw JSONDocumentError(.badInstruction, at: where_, "expected 16 hex digits")
                }
                slots.append(slot)
            }
            self.init(site: SlotIndex(at), operation: .replace(slots))
        case (nil, let count?):
            self.init(site: SlotIndex(at), operation: .remove(count: try count.integer(at: jsonPath(path, "remove"), in: JSONLimits.count)))
        case (nil, nil):
            throw JSONDocumentError(.badKey, at: path, "needs \"insns\" or \"remove\"")
        case (_?, _?):
            throw JSONDocumentError(.badKey, at: path, "has both \"insns\" and \"remove\"")
        }
    }
}
