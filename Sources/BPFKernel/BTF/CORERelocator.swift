import BPFInstructions
import BPFObject

/// Computes CO-RE relocation values (`.BTF.ext` `bpf_core_relo` records)
/// against the running kernel's BTF, following the documented CO-RE
/// semantics: types match by "essential" name (without a `___flavour`
/// suffix) and kind; struct members match by name, looking through
/// anonymous members; array steps keep their index.
///
/// Scope: field offset/size/existence/signedness/shifts of non-bitfield
/// members, type id/existence/size/match, enum value existence/value.
/// Bitfields and ambiguous candidates are reported as unresolved.
public struct CORERelocator {
    /// The object's BTF (the relocations' "local" types).
    public let local: BTFTypeTable
    /// The kernel's BTF (the "target" types).
    public let target: VmlinuxBTF

    public init(local: BTFTypeTable, target: VmlinuxBTF) {
        self.local = local
        self.target = target
    }

    /// The value to write into the relocated instruction, or nil (with a
    /// reason) when it cannot be computed.
    ///
    /// - Complexity: O(d · m), the access depth times struct member counts.
    public func value(for relocation: CORERelocation) -> Result<UInt64, CORERelocationError> {
        let kind = relocation.kind.rawValue
        switch kind {
        case 0...5: return fieldValue(relocation)
        case 6: return .success(UInt64(relocation.typeID))
        case 7, 8, 9, 12: return typeValue(relocation)
        case 10, 11: return enumValue(relocation)
        default: return .failure(CORERelocationError(.unsupported, relocation, "unknown CO-RE kind \(kind)"))
        }
    }

    static func essentialName(_ name: String) -> String {
        guard let range = name.range(of: "___") else { return name }
        return String(name[..<range.lowerBound])
    }

    /// The kernel type with the same essential name and kind as local type `id`.
    func candidate(forLocal id: UInt32) -> UInt32? {
        guard let type = local[id] else { return nil }
        let name = Self.essentialName(local.string(at: type.nameOffset))
        guard !name.isEmpty else { return nil }
        return target.typeID(named: name, kind: type.kind)
    }

    /// The longest access string accepted, in steps (libbpf's limit too).
    public static let maximumAccessSteps = 64

    /// The indices of an access string such as `"0:1:2"`: one to
    /// `maximumAccessSteps` decimal numbers below 2³¹, separated by colons.
    ///
    /// - Returns: nil for anything else (empty steps, signs, other
    ///   characters, values that do not fit).
    /// - Complexity: O(k) in the string's length.
    public static func accessIndices(_ access: String) -> [Int]? {
        var indices: [Int] = []
        var value = 0
        var digits = 0
        for byte in access.utf8 {
            if byte == UInt8(ascii: ":") {
                guard digits > 0, indices.count < maximumAccessSteps else { return nil }
                indices.append(value)
                value = 0
                digits = 0
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
            guard value <= Int(Int32.max) else { return nil }
        }
        guard digits > 0, indices.count < maximumAccessSteps else { return nil }
        indices.append(value)
        return indices
    }

    private func fieldValue(_ relocation: CORERelocation) -> Result<UInt64, CORERelocationError> {
        func failure(_ kind: CORERelocationError.Kind, _ message: String) -> Result<UInt64, CORERelocationError> {
            .failure(CORERelocationError(kind, relocation, message))
        }
        guard let indices = Self.accessIndices(relocation.accessString) else {
            return failure(.badAccessString, "bad access string '\(ReasonSafe.clip(relocation.accessString))'")
        }
        let localRoot = local.resolved(relocation.typeID)
        let exists = relocation.kind == .fieldExists
        guard let targetRoot = candidate(forLocal: localRoot) else {
            return exists ? .success(0) : failure(.noKernelType, "no kernel type for '\(local.name(of: localRoot))'")
        }
        let targetTable = target.table
        var localType = localRoot
        var targetType = targetRoot
        guard let rootSize = targetTable.size(of: targetRoot) else {
            return failure(.unsupported, "kernel type '\(local.name(of: localRoot))' has no size")
        }
        // Bit offsets in 64 bits, every step checked: indices and sizes come from the file.
        func scaled(_ index: Int, _ bytes: UInt64) -> UInt64? {
            let (byteOffset, o1) = UInt64(index).multipliedReportingOverflow(by: bytes)
            let (bits, o2) = byteOffset.multipliedReportingOverflow(by: 8)
            return o1 || o2 ? nil : bits
        }
        guard var bitOffset = scaled(indices[0], rootSize) else {
            return failure(.badAccessString, "access index \(indices[0]) overflows the offset")
        }
        func advance(by bits: UInt64) -> Bool {
            let (sum, overflow) = bitOffset.addingReportingOverflow(bits)
            bitOffset = sum
            return !overflow
        }
        for index in indices.dropFirst() {
            guard let localStep = local[local.resolved(localType)] else {
                return failure(.unsupported, "bad local type in access path")
            }
            switch localStep.kind {
            case .structure, .union:
                guard index < localStep.vlen else { return failure(.badAccessString, "member \(index) out of range") }
                let member = localStep.member(index)
                let name = local.string(at: member.nameOffset)
                localType = member.type
                if name.isEmpty { continue }  // anonymous: the next named step searches through it
                guard let found = findMember(named: name, in: targetType, table: targetTable) else {
                    return exists ? .success(0) : failure(.noKernelMember, "kernel lacks field '\(name)'")
                }
                if found.isBitfield { return failure(.unsupported, "bitfield '\(name)' not supported") }
                guard advance(by: found.bitOffset) else { return failure(.unsupported, "field offset overflows") }
                targetType = found.type
            case .array:
                guard let localArray = localStep.arrayInfo,
                      let targetArray = targetTable[targetTable.resolved(targetType)]?.arrayInfo,
                      let elementSize = targetTable.size(of: targetArray.element) else {
                    return exists ? .success(0) : failure(.noKernelMember, "kernel field is not an array")
                }
                guard let bits = scaled(index, elementSize), advance(by: bits) else {
                    return failure(.badAccessString, "array index \(index) overflows the offset")
                }
                localType = localArray.element
                targetType = targetArray.element
            default:
                return failure(.unsupported, "access step into \(localStep.kind)")
            }
        }
        let size = targetTable.size(of: targetType) ?? 0
        switch relocation.kind {
        case .fieldByteOffset:
            return bitOffset % 8 == 0 ? .success(bitOffset / 8) : failure(.unsupported, "field not byte aligned")
        case .fieldByteSize: return .success(size)
        case .fieldExists: return .success(1)
        case .fieldSigned:
            guard let type = targetTable[targetTable.resolved(targetType)] else { return .success(0) }
            switch type.kind {
            case .int: return .success(UInt64((type.trailing.first ?? 0) >> 24 & 1))
            case .enumeration, .enumeration64: return .success(type.kindFlag ? 1 : 0)
            default: return .success(0)
            }
        default:  // left/right shift for a whole (non-bitfield) field on little-endian
            guard size >= 1 && size <= 8 else { return failure(.unsupported, "field of \(size) bytes") }
            return .success(64 - size * 8)
        }
    }

    /// A named member of a struct/union, searched through anonymous members.
    ///
    /// Each composite type is searched at most once and anonymous members
    /// are followed at most `BTFTypeTable.maximumChainLength` deep, so a
    /// hostile table (a struct with an anonymous member of its own type)
    /// costs O(members) and bounded stack.
    private func findMember(named name: String, in typeID: UInt32, table: BTFTypeTable)
        -> (bitOffset: UInt64, type: UInt32, isBitfield: Bool)? {
        var searched: Set<UInt32> = []
        return findMember(named: name, in: typeID, table: table, depth: 0, searched: &searched)
    }

    private func findMember(named name: String, in typeID: UInt32, table: BTFTypeTable, depth: Int,
                            searched: inout Set<UInt32>) -> (bitOffset: UInt64, type: UInt32, isBitfield: Bool)? {
        let id = table.resolved(typeID)
        guard depth < BTFTypeTable.maximumChainLength, searched.insert(id).inserted,
              let type = table[id], type.kind == .structure || type.kind == .union else { return nil }
        for i in 0..<type.vlen {
            let member = type.member(i)
            let offset = UInt64(type.kindFlag ? member.offset & 0xff_ffff : member.offset)
            let bitfieldSize = type.kindFlag ? member.offset >> 24 : 0
            let memberName = table.string(at: member.nameOffset)
            if memberName == name {
                var isBitfield = bitfieldSize != 0
                if let int = table[table.resolved(member.type)], int.kind == .int, let encoding = int.trailing.first {
                    let bits = encoding & 0xff, intOffset = (encoding >> 16) & 0xff
                    if intOffset != 0 || UInt64(bits) != UInt64(int.sizeOrType) * 8 { isBitfield = true }
                }
                return (offset, member.type, isBitfield)
            }
            if memberName.isEmpty,
               let inner = findMember(named: name, in: member.type, table: table, depth: depth + 1, searched: &searched) {
                // Both terms are below 2³² · depth: no overflow.
                return (offset + inner.bitOffset, inner.type, inner.isBitfield)
            }
        }
        return nil
    }

    private func typeValue(_ relocation: CORERelocation) -> Result<UInt64, CORERelocationError> {
        let found = candidate(forLocal: relocation.typeID)
        switch relocation.kind {
        case .typeExists, .typeMatches: return .success(found == nil ? 0 : 1)
        case .typeIDTarget:
            guard let found else { return .failure(CORERelocationError(.noKernelType, relocation, "no kernel type for '\(local.name(of: relocation.typeID))'")) }
            return .success(UInt64(found))
        default:
            guard let found, let size = target.table.size(of: found) else {
                return .failure(CORERelocationError(.noKernelType, relocation, "no sized kernel type for '\(local.name(of: relocation.typeID))'"))
            }
            return .success(size)
        }
    }

    private func enumValue(_ relocation: CORERelocation) -> Result<UInt64, CORERelocationError> {
        let exists = relocation.kind == .enumValueExists
        guard let indices = Self.accessIndices(relocation.accessString), indices.count == 1,
              let index = indices.first, let localEnum = local[local.resolved(relocation.typeID)],
              localEnum.kind == .enumeration || localEnum.kind == .enumeration64, index < localEnum.vlen else {
            return .failure(CORERelocationError(.unsupported, relocation, "bad enum access '\(ReasonSafe.clip(relocation.accessString))'"))
        }
        let stride = localEnum.kind == .enumeration ? 2 : 3
        let name = local.string(at: localEnum.trailing[index * stride])
        guard let targetID = candidate(forLocal: local.resolved(relocation.typeID)),
              let targetEnum = target.table[targetID] else {
            return exists ? .success(0) : .failure(CORERelocationError(.noKernelType, relocation, "no kernel enum for '\(name)'"))
        }
        let targetStride = targetEnum.kind == .enumeration ? 2 : 3
        for i in 0..<targetEnum.vlen where target.table.string(at: targetEnum.trailing[i * targetStride]) == name {
            if exists { return .success(1) }
            let low = UInt64(targetEnum.trailing[i * targetStride + 1])
            if targetEnum.kind == .enumeration {
                // 32-bit enumerators sign-extend when the enum is signed.
                return .success(targetEnum.kindFlag ? UInt64(bitPattern: Int64(Int32(bitPattern: UInt32(low)))) : low)
            }
            return .success(low | UInt64(targetEnum.trailing[i * targetStride + 2]) << 32)
        }
        return exists ? .success(0) : .failure(CORERelocationError(.noKernelMember, relocation, "kernel enum lacks '\(name)'"))
    }
}

/// Why a CO-RE relocation could not be computed.
public struct CORERelocationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An open set.
    public struct Kind: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The kernel has no type with the local type's essential name.
        public static let noKernelType = Kind(rawValue: "no kernel type")
        /// The kernel type lacks the field or enumerator.
        public static let noKernelMember = Kind(rawValue: "no kernel member")
        /// A case this relocator does not handle (bitfields, odd access paths).
        public static let unsupported = Kind(rawValue: "unsupported CO-RE relocation")
        /// The access string is malformed (not colon-separated indices
        /// below 2³¹, too many steps) or an index leaves its type.
        public static let badAccessString = Kind(rawValue: "bad CO-RE access string")
    }

    public var kind: Kind
    /// The section of the relocated instruction.
    public var section: String
    /// The instruction's byte offset in that section.
    public var offset: ByteOffset
    public var message: String

    public init(_ kind: Kind, _ relocation: CORERelocation, _ message: String) {
        self.kind = kind
        self.section = relocation.section
        self.offset = relocation.offset
        self.message = message
    }

    public var description: String { "\(kind.rawValue) at \(section)+\(offset): \(message)" }
}

/// Access strings come from the file: quote at most a short prefix.
enum ReasonSafe {
    static func clip(_ text: String, _ limit: Int = 40) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
