/// A BTF type kind (`BTF_KIND_*`, bits 24–28 of `info`). An open code space.
public struct BTFKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `BTF_KIND_INT`
    public static let int = BTFKind(rawValue: 1)
    /// `BTF_KIND_PTR`
    public static let pointer = BTFKind(rawValue: 2)
    /// `BTF_KIND_ARRAY`
    public static let array = BTFKind(rawValue: 3)
    /// `BTF_KIND_STRUCT`
    public static let structure = BTFKind(rawValue: 4)
    /// `BTF_KIND_UNION`
    public static let union = BTFKind(rawValue: 5)
    /// `BTF_KIND_ENUM`
    public static let enumeration = BTFKind(rawValue: 6)
    /// `BTF_KIND_FWD`
    public static let forward = BTFKind(rawValue: 7)
    /// `BTF_KIND_TYPEDEF`
    public static let typedef = BTFKind(rawValue: 8)
    /// `BTF_KIND_VOLATILE`
    public static let volatile = BTFKind(rawValue: 9)
    /// `BTF_KIND_CONST`
    public static let const = BTFKind(rawValue: 10)
    /// `BTF_KIND_RESTRICT`
    public static let restrict = BTFKind(rawValue: 11)
    /// `BTF_KIND_FUNC`
    public static let function = BTFKind(rawValue: 12)
    /// `BTF_KIND_FUNC_PROTO`
    public static let functionPrototype = BTFKind(rawValue: 13)
    /// `BTF_KIND_VAR`
    public static let variable = BTFKind(rawValue: 14)
    /// `BTF_KIND_DATASEC`
    public static let dataSection = BTFKind(rawValue: 15)
    /// `BTF_KIND_FLOAT`
    public static let float = BTFKind(rawValue: 16)
    /// `BTF_KIND_DECL_TAG`
    public static let declarationTag = BTFKind(rawValue: 17)
    /// `BTF_KIND_TYPE_TAG`
    public static let typeTag = BTFKind(rawValue: 18)
    /// `BTF_KIND_ENUM64`
    public static let enumeration64 = BTFKind(rawValue: 19)

    /// The number of 32-bit words that follow the 12-byte common header for
    /// a type of this kind with `vlen` members, or nil for an unknown kind.
    public func trailingWords(vlen: Int) -> Int? {
        switch rawValue {
        case 1, 14, 17: 1
        case 2, 7, 8, 9, 10, 11, 12, 16, 18: 0
        case 3: 3
        case 4, 5, 15, 19: 3 * vlen
        case 6, 13: 2 * vlen
        default: nil
        }
    }

    public var description: String {
        switch rawValue {
        case 1: "INT"
        case 2: "PTR"
        case 3: "ARRAY"
        case 4: "STRUCT"
        case 5: "UNION"
        case 6: "ENUM"
        case 7: "FWD"
        case 8: "TYPEDEF"
        case 9: "VOLATILE"
        case 10: "CONST"
        case 11: "RESTRICT"
        case 12: "FUNC"
        case 13: "FUNC_PROTO"
        case 14: "VAR"
        case 15: "DATASEC"
        case 16: "FLOAT"
        case 17: "DECL_TAG"
        case 18: "TYPE_TAG"
        case 19: "ENUM64"
        default: "KIND_\(rawValue)"
        }
    }
}
