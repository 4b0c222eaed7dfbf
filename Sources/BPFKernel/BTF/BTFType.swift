/// One raw BTF type record: the common 12-byte header and the kind-specific
/// words that follow it, kept raw so a table re-encodes byte for byte.
public struct BTFType: Hashable, Sendable {
    /// Offset of the name in the string section (0: anonymous).
    public var nameOffset: UInt32
    /// `info`: vlen (bits 0–15), kind (24–28), kind_flag (31).
    public var info: UInt32
    /// `size` (INT, STRUCT, UNION, ENUM, DATASEC, FLOAT) or `type`
    /// (PTR, TYPEDEF, CV, FUNC, FUNC_PROTO, VAR, TAGs).
    public var sizeOrType: UInt32
    /// The kind-specific trailing words (members, params, array info...).
    public var trailing: [UInt32]

    public init(nameOffset: UInt32, kind: BTFKind, vlen: Int = 0, kindFlag: Bool = false,
                sizeOrType: UInt32, trailing: [UInt32] = []) {
        self.nameOffset = nameOffset
        self.info = UInt32(kind.rawValue) << 24 | UInt32(vlen & 0xffff) | (kindFlag ? 1 << 31 : 0)
        self.sizeOrType = sizeOrType
        self.trailing = trailing
    }

    public var kind: BTFKind { BTFKind(rawValue: UInt8((info >> 24) & 0x1f)) }
    public var vlen: Int { Int(info & 0xffff) }
    public var kindFlag: Bool { info >> 31 == 1 }

    /// A member of a STRUCT/UNION: (name offset, type id, bit offset or packed bitfield offset).
    public func member(_ i: Int) -> (nameOffset: UInt32, type: UInt32, offset: UInt32) {
        (trailing[3 * i], trailing[3 * i + 1], trailing[3 * i + 2])
    }

    /// ARRAY's element type, index type and element count.
    public var arrayInfo: (element: UInt32, index: UInt32, count: UInt32)? {
        kind == .array && trailing.count == 3 ? (trailing[0], trailing[1], trailing[2]) : nil
    }

    /// A DATASEC entry: (VAR type id, offset, size).
    public func sectionVariable(_ i: Int) -> (type: UInt32, offset: UInt32, size: UInt32) {
        (trailing[3 * i], trailing[3 * i + 1], trailing[3 * i + 2])
    }
}
