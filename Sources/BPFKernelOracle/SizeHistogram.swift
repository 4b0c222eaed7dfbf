/// Counts by size (slots), encoded in JSON as an object with decimal keys
/// (`{"0": 880, "2": 1575}`) rather than Foundation's flat array for
/// integer-keyed dictionaries.
public struct SizeHistogram: Hashable, Sendable, Codable {
    public var counts: [Int: Int]

    public init(_ counts: [Int: Int] = [:]) { self.counts = counts }

    public subscript(size: Int) -> Int {
        get { counts[size, default: 0] }
        set { counts[size] = newValue }
    }

    /// (size, count) ascending by size.
    public var sorted: [(size: Int, count: Int)] { counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([String: Int].self)
        counts = Dictionary(raw.compactMap { key, value in Int(key).map { ($0, value) } }, uniquingKeysWith: +)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Dictionary(uniqueKeysWithValues: counts.map { (String($0.key), $0.value) }))
    }
}
