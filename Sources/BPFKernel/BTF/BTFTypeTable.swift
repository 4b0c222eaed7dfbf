/// A parsed BTF blob: the type records (id 0 is `void`, not stored) and the
/// string section, enough to read map definitions, resolve names, fix up
/// what the kernel needs changed, and re-encode.
///
///     var table = try BTFTypeTable(parsing: object.btf.bytes)
///     let id = table.typeID(named: "my_map", kind: .variable)
public struct BTFTypeTable: Hashable, Sendable {
    /// Types by id − 1.
    public var types: [BTFType]
    /// The string section (starts with a NUL).
    public var strings: [UInt8]

    public init(types: [BTFType] = [], strings: [UInt8] = [0]) {
        self.types = types
        self.strings = strings
    }

    /// Parses a little-endian BTF blob.
    ///
    /// - Throws: `BTFError` naming the byte offset of the bad record.
    /// - Complexity: O(b) in the blob size.
    public init(parsing bytes: [UInt8]) throws(BTFError) {
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        guard bytes.count >= 24 else { throw BTFError(.truncated, at: 0, "BTF of \(bytes.count) bytes has no header") }
        guard bytes[0] == 0x9f, bytes[1] == 0xeb else {
            if bytes[0] == 0xeb && bytes[1] == 0x9f {
                throw BTFError(.unsupported, at: 0, "big-endian BTF cannot be loaded into this kernel")
            }
            throw BTFError(.badHeader, at: 0, "bad BTF magic")
        }
        let headerLength = Int(u32(4))
        let typeOffset = Int(u32(8)), typeLength = Int(u32(12))
        let stringOffset = Int(u32(16)), stringLength = Int(u32(20))
        let typeStart = headerLength + typeOffset, stringStart = headerLength + stringOffset
        guard headerLength >= 24, typeStart >= 0, typeStart + typeLength <= bytes.count,
              stringStart + stringLength <= bytes.count, typeLength % 4 == 0 else {
            throw BTFError(.badHeader, at: 0, "BTF sections out of bounds")
        }
        self.strings = Array(bytes[stringStart..<stringStart + stringLength])
        var types: [BTFType] = []
        var at = typeStart
        let end = typeStart + typeLength
        while at < end {
            guard at + 12 <= end else { throw BTFError(.truncated, at: at, "type header crosses the end") }
            var type = BTFType(nameOffset: u32(at), kind: .int, sizeOrType: u32(at + 8))
            type.info = u32(at + 4)
            guard let words = type.kind.trailingWords(vlen: type.vlen) else {
                throw BTFError(.unsupported, at: at, "unknown BTF kind \(type.kind.rawValue) (type \(types.count + 1))")
            }
            guard at + 12 + 4 * words <= end else {
                throw BTFError(.truncated, at: at, "\(type.kind) type \(types.count + 1) crosses the end")
            }
            type.trailing = (0..<words).map { u32(at + 12 + 4 * $0) }
            types.append(type)
            at += 12 + 4 * words
        }
        self.types = types
    }

    /// The type with `id` (nil for void, 0, or an id out of range).
    public subscript(id: UInt32) -> BTFType? {
        id >= 1 && Int(id) <= types.count ? types[Int(id) - 1] : nil
    }

    /// The longest string `string(at:)` returns; longer ones are cut
    /// there, so a hostile table whose names all point into one long
    /// unterminated run costs bounded work per lookup.
    public static let stringLimit = 16384

    /// The string at `offset` in the string section ("" when out of range),
    /// at most `stringLimit` bytes.
    ///
    /// - Complexity: O(min(k, stringLimit)), k being the string's length.
    public func string(at offset: UInt32) -> String {
        guard Int(offset) < strings.count else { return "" }
        let tail = strings[Int(offset)...].prefix(Self.stringLimit)
        return String(decoding: tail.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The name of type `id`.
    public func name(of id: UInt32) -> String { self[id].map { string(at: $0.nameOffset) } ?? "" }

    /// The first type id with `name` (and `kind`, if given).
    public func typeID(named name: String, kind: BTFKind? = nil) -> UInt32? {
        for (i, type) in types.enumerated() where kind == nil || type.kind == kind {
            if string(at: type.nameOffset) == name { return UInt32(i + 1) }
        }
        return nil
    }

    /// Adds a string (reusing an existing identical one) and returns its offset.
    public mutating func addString(_ text: String) -> UInt32 {
        if text.isEmpty { return 0 }
        if let existing = offset(of: text) { return existing }
        let offset = UInt32(strings.count)
        strings.append(contentsOf: Array(text.utf8))
        strings.append(0)
        return offset
    }

    /// The offset of a NUL-terminated string equal to `text`, if present.
    ///
    /// - Complexity: O(s) in the string section size.
    public func offset(of text: String) -> UInt32? {
        let needle = Array(text.utf8)
        var start = 0
        while start < strings.count {
            var end = start
            while end < strings.count && strings[end] != 0 { end += 1 }
            if end - start == needle.count && strings[start..<end].elementsEqual(needle) { return UInt32(start) }
            start = end + 1
        }
        return nil
    }

    /// Appends a type and returns its id.
    @discardableResult
    public mutating func add(_ type: BTFType) -> UInt32 {
        types.append(type)
        return UInt32(types.count)
    }

    /// The longest chain of modifiers, typedefs or array dimensions any
    /// walk follows before giving up: type references may form cycles
    /// (`typedef T T`, an array of itself) in a hostile blob. Real BTF
    /// nests far less deeply (libbpf stops at 32 as well).
    public static let maximumChainLength = 32

    /// Skips typedefs and CV qualifiers (and type tags) to the underlying type id.
    ///
    /// After `maximumChainLength` steps (a cycle) the id reached is
    /// returned, which is still a modifier; callers that then look for a
    /// sized or composite kind find none.
    ///
    /// - Complexity: O(1): at most `maximumChainLength` steps.
    public func resolved(_ id: UInt32) -> UInt32 {
        var current = id
        for _ in 0..<Self.maximumChainLength {
            guard let type = self[current] else { return current }
            switch type.kind {
            case .typedef, .volatile, .const, .restrict, .typeTag: current = type.sizeOrType
            default: return current
            }
        }
        return current
    }

    /// The byte size of type `id`, following typedefs, arrays and pointers (8).
    ///
    /// - Returns: nil for a type without a size, a chain longer than
    ///   `maximumChainLength` (cycles: an array of itself), or a size that
    ///   does not fit 64 bits (nested arrays of 0xffffffff elements).
    /// - Complexity: O(1): at most `maximumChainLength` array dimensions,
    ///   each resolved in at most `maximumChainLength` steps.
    public func size(of id: UInt32) -> UInt64? {
        var elements: UInt64 = 1   // the product of the array dimensions crossed so far
        var current = id
        for _ in 0..<Self.maximumChainLength {
            guard let type = self[resolved(current)] else { return nil }
            let unit: UInt64
            switch type.kind {
            case .int, .structure, .union, .enumeration, .enumeration64, .dataSection, .float:
                unit = UInt64(type.sizeOrType)
            case .pointer:
                unit = 8
            case .array:
                guard let info = type.arrayInfo else { return nil }
                let (product, overflow) = elements.multipliedReportingOverflow(by: UInt64(info.count))
                guard !overflow else { return nil }
                elements = product
                current = info.element
                continue
            default:
                return nil
            }
            let (size, overflow) = elements.multipliedReportingOverflow(by: unit)
            return overflow ? nil : size
        }
        return nil
    }

    /// The encoded blob (version 1, flags 0, types then strings).
    ///
    /// - Complexity: O(t + s).
    public func encoded() -> [UInt8] {
        var typeBytes: [UInt8] = []
        for type in types {
            typeBytes.appendLittleEndian(type.nameOffset)
            typeBytes.appendLittleEndian(type.info)
            typeBytes.appendLittleEndian(type.sizeOrType)
            for word in type.trailing { typeBytes.appendLittleEndian(word) }
        }
        var bytes: [UInt8] = [0x9f, 0xeb, 1, 0]
        bytes.appendLittleEndian(UInt32(24))
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(UInt32(typeBytes.count))
        bytes.appendLittleEndian(UInt32(typeBytes.count))
        bytes.appendLittleEndian(UInt32(strings.count))
        bytes += typeBytes
        bytes += strings
        return bytes
    }
}
