/// An index into a program counted in 8-byte slots (an `ld_imm64` counts two).
///
/// Distinct from `ByteOffset`, which `.BTF.ext` and ELF symbols use.
@frozen
public struct SlotIndex: RawRepresentable, Hashable, Comparable, Sendable, Strideable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    public var rawValue: Int
    @inlinable public init(rawValue: Int) { self.rawValue = rawValue }
    @inlinable public init(_ value: Int) { self.rawValue = value }
    @inlinable public init(integerLiteral value: Int) { self.rawValue = value }

    /// The byte offset of this slot from the start of its section.
    @inlinable public var byteOffset: ByteOffset { ByteOffset(rawValue * 8) }

    // Both spelled out: Strideable's defaults compare through
    // `distance(to:)`, which traps for indices more than Int.max apart
    // (a hostile site against a valid one).
    @inlinable public static func == (a: SlotIndex, b: SlotIndex) -> Bool { a.rawValue == b.rawValue }
    @inlinable public static func < (a: SlotIndex, b: SlotIndex) -> Bool { a.rawValue < b.rawValue }
    @inlinable public func distance(to other: SlotIndex) -> Int { other.rawValue - rawValue }
    @inlinable public func advanced(by n: Int) -> SlotIndex { SlotIndex(rawValue + n) }
    public var description: String { String(rawValue) }
}

/// A byte offset into a section or program (slot index × 8).
@frozen
public struct ByteOffset: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    public var rawValue: Int
    @inlinable public init(rawValue: Int) { self.rawValue = rawValue }
    @inlinable public init(_ value: Int) { self.rawValue = value }
    @inlinable public init(integerLiteral value: Int) { self.rawValue = value }

    /// The slot this offset falls in, or nil when it is not a multiple of 8.
    @inlinable
    public var slotIndex: SlotIndex? { rawValue % 8 == 0 ? SlotIndex(rawValue / 8) : nil }

    @inlinable public static func < (a: ByteOffset, b: ByteOffset) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "0x" + String(rawValue, radix: 16) }
}
