import BPFInstructions
import BPFPatch

extension ObjectPatchSet {
    /// Reads PATCHES.json for an object: the raw form (`at`, `insns` or
    /// `remove`) plus, per patch, the program `section`, an optional
    /// `function` symbol (then `at` counts from its first slot), the
    /// `original` position of a replacement (the slot that re-emits the
    /// replaced instruction and carries its relocation), and `relocations`
    /// to add for inserted `ld_imm64`s and calls:
    ///
    ///     {"patches": [
    ///       {"section": "xdp", "function": "xdp_prog", "at": 4,
    ///        "insns": ["1801000000000000", "0000000000000000", "7b1a...", "85100000ffffffff"],
    ///        "original": 3, "relocations": [{"at": 0, "symbol": "counters"}]},
    ///       {"section": "xdp", "at": 40, "remove": 1}]}
    ///
    /// - Parameter defaultSection: the section of patches without a
    ///   `section` key (the CLI's `--section`); nil makes the key required.
    /// - Throws: `JSONDocumentError` naming where, e.g. `patches[2].section: missing key`.
    /// - Complexity: O(n), n the document's byte count.
    public init(json bytes: [UInt8], defaultSection: String? = nil) throws(JSONDocumentError) {
        let root = try JSONValue(parsing: bytes)
        let top = try root.keyed(at: "", allowed: ["patches"])
        guard let list = top["patches"] else { throw JSONDocumentError(.badKey, at: "patches", "missing key") }
        var patches: [ObjectPatch] = []
        for (k, element) in try list.elements(at: "patches").enumerated() {
            let path = "patches[\(k)]"
            let fields = try element.keyed(at: path, allowed: ["section", "function", "at", "insns", "remove", "original", "relocations"])
            let section: String
            if let value = fields["section"] { section = try value.string(at: jsonPath(path, "section")) }
            else if let defaultSection { section = defaultSection }
            else { throw JSONDocumentError(.badKey, at: jsonPath(path, "section"), "missing key (an object out needs each patch's program section)") }
            let function = try fields["function"].map { v throws(JSONDocumentError) in try v.string(at: jsonPath(path, "function")) }
            let plain = try Patch(jsonFields: fields, at: path)
            let at = plain.site.rawValue
            let operation = plain.operation
            let original = try fields["original"].map { v throws(JSONDocumentError) in
                try v.integer(at: jsonPath(path, "original"), in: JSONLimits.slot)
            }
            var relocations: [AddedRelocation] = []
            if let list = fields["relocations"] {
                for (j, entry) in try list.elements(at: jsonPath(path, "relocations")).enumerated() {
                    let where_ = "\(path).relocations[\(j)]"
                    let r = try entry.keyed(at: where_, allowed: ["at", "symbol"])
                    guard let position = r["at"], let symbol = r["symbol"] else {
                        throw JSONDocumentError(.badKey, at: where_, "needs \"at\" and \"symbol\"")
                    }
                    relocations.append(AddedRelocation(position: try position.integer(at: jsonPath(where_, "at"), in: JSONLimits.slot),
                                                       symbol: try symbol.string(at: jsonPath(where_, "symbol"))))
                }
            }
            patches.append(ObjectPatch(section: section, function: function, site: SlotIndex(at), operation: operation,
                                       original: original, relocations: relocations))
        }
        self.init(patches)
    }
}
