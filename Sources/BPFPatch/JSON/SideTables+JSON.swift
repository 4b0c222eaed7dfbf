import BPFInstructions

extension SideTables {
    /// Reads a TABLES.json document (the CLI's `--tables`):
    ///
    ///     {"lineInfo": [0, 3, 7], "subprogs": [0, 12, 20], "pokes": [5],
    ///      "insnArrays": [[4, 9, -1]]}
    ///
    /// All keys are optional; slots count 8-byte slots (0...2³¹−1); -1 in an insn array
    /// is a deleted entry. An `origIdx` key (as written by `json(originalIndices:)`)
    /// is accepted and ignored, so an output can be fed back in.
    ///
    /// - Throws: `JSONDocumentError` naming where, e.g. `subprogs[2]: expected an integer, found a string`.
    /// - Complexity: O(n), where n is the document's byte count.
    public init(json bytes: [UInt8]) throws(JSONDocumentError) {
        let root = try JSONValue(parsing: bytes)
        let keys = try root.keyed(at: "", allowed: ["lineInfo", "subprogs", "pokes", "insnArrays", "origIdx"])
        func slots(_ key: String) throws(JSONDocumentError) -> [SlotIndex]? {
            guard let value = keys[key] else { return nil }
            var result: [SlotIndex] = []
            for (k, element) in try value.elements(at: key).enumerated() {
                result.append(SlotIndex(try element.integer(at: "\(key)[\(k)]", in: JSONLimits.slot)))
            }
            return result
        }
        self.init()
        lineInfo = try slots("lineInfo").map { LineInfoTable(slots: $0) }
        subprograms = try slots("subprogs").map { SubprogramTable(starts: $0) }
        pokes = try slots("pokes").map { PokeTable(slots: $0) }
        if let arrays = keys["insnArrays"] {
            for (k, array) in try arrays.elements(at: "insnArrays").enumerated() {
                var entries: [SlotIndex?] = []
                for (j, element) in try array.elements(at: "insnArrays[\(k)]").enumerated() {
                    let n = try element.integer(at: "insnArrays[\(k)][\(j)]", in: -1...JSONLimits.slot.upperBound)
                    entries.append(n == -1 ? nil : SlotIndex(n))
                }
                instructionArrays.append(InstructionArrayTable(entries: entries))
            }
        }
    }

    /// The TABLES.json form of these tables plus `origIdx` (one entry per
    /// output slot): the keys of the tables present, `insnArrays` always.
    ///
    ///     {
    ///       "lineInfo": [0, 5],
    ///       "insnArrays": [],
    ///       "origIdx": [0, 0, 0, 1, 2]
    ///     }
    ///
    /// - Complexity: O(t + m), where t is the tables' size and m the slot count.
    public func json(originalIndices: [Int]) -> String {
        func list(_ xs: [Int]) -> String { "[" + xs.map(String.init).joined(separator: ", ") + "]" }
        var lines: [String] = []
        if let lineInfo { lines.append("\"lineInfo\": " + list(lineInfo.slots.map(\.rawValue))) }
        if let subprograms { lines.append("\"subprogs\": " + list(subprograms.starts.map(\.rawValue))) }
        if let pokes { lines.append("\"pokes\": " + list(pokes.slots.map(\.rawValue))) }
        lines.append("\"insnArrays\": [" + instructionArrays.map { list($0.entries.map { $0?.rawValue ?? -1 }) }.joined(separator: ", ") + "]")
        lines.append("\"origIdx\": " + list(originalIndices))
        return "{\n  " + lines.joined(separator: ",\n  ") + "\n}\n"
    }
}
