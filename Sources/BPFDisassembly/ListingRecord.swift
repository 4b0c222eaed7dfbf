import BPFInstructions

/// One instruction of a listing as data: what `bpfpatch disasm --format
/// json` prints for each instruction.
public struct ListingRecord: Codable, Hashable, Sendable {
    /// The slot index of the instruction's first slot.
    public var index: Int
    /// The formatter's text.
    public var text: String
    /// The little-endian hex of each slot the instruction occupies.
    public var hex: [String]
    /// False when the formatter could not decode the slot.
    public var valid: Bool
    /// The function that starts at this slot, if any.
    public var function: String?
    /// The source line recorded for this slot, if any.
    public var source: String?

    public init(index: Int, text: String, hex: [String], valid: Bool, function: String? = nil, source: String? = nil) {
        self.index = index
        self.text = text
        self.hex = hex
        self.valid = valid
        self.function = function
        self.source = source
    }
}

/// A program section's listing as data.
public struct SectionListing: Codable, Hashable, Sendable {
    /// The section name.
    public var section: String
    /// One record per instruction.
    public var instructions: [ListingRecord]

    public init(section: String, instructions: [ListingRecord]) {
        self.section = section
        self.instructions = instructions
    }
}

extension Disassembler {
    /// The program's instructions as records, with the function starting at
    /// each slot (the first label given for it) and its source line.
    ///
    /// - Complexity: O(n + l), where n is the slot count and l the number of labels.
    public func records(_ program: Program, labels: [(SlotIndex, String)] = [],
                        sourceLines: [SlotIndex: String] = [:]) -> [ListingRecord] {
        let names = Dictionary(labels, uniquingKeysWith: { first, _ in first })
        return lines(program).map { line in
            let slots = program.slots[line.index.rawValue..<(line.index.rawValue + line.slotCount)]
            return ListingRecord(index: line.index.rawValue, text: line.text, hex: slots.map(\.hex), valid: line.isValid,
                                 function: names[line.index], source: sourceLines[line.index])
        }
    }
}
