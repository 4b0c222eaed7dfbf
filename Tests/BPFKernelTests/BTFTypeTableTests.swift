import Testing
import BPFInstructions
import BPFObject
@testable import BPFKernel

@Suite struct BTFTypeTableTests {
    /// A hand-encoded blob: header, INT "int" (4 bytes, signed 32), PTR → 1.
    static let blob: [UInt8] = [
        0x9f, 0xeb, 1, 0, 24, 0, 0, 0,   // magic, version, flags, hdr_len
        0, 0, 0, 0, 28, 0, 0, 0,         // type_off 0, type_len 28
        28, 0, 0, 0, 5, 0, 0, 0,         // str_off 28, str_len 5
        1, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, 32, 0, 0, 1,  // [1] INT name@1 size 4, signed|32
        0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0,               // [2] PTR → 1
        0, 0x69, 0x6e, 0x74, 0,                           // "\0int\0"
    ]

    @Test func parsesAndReencodesByteForByte() throws {
        let table = try BTFTypeTable(parsing: Self.blob)
        #expect(table.types.count == 2)
        #expect(table[1]?.kind == .int)
        #expect(table.name(of: 1) == "int")
        #expect(table[2]?.kind == .pointer)
        #expect(table.size(of: 2) == 8)
        #expect(table.size(of: 1) == 4)
        #expect(table.encoded() == Self.blob)
    }

    @Test func truncatedTypeIsAnError() {
        var bad = Self.blob
        bad[12] = 30  // type_len past the types
        #expect(throws: BTFError.self) { try BTFTypeTable(parsing: bad) }
        #expect(throws: BTFError.self) { try BTFTypeTable(parsing: Array(Self.blob.prefix(10))) }
    }

    @Test func mapDeclarationFromBTF() throws {
        // struct { int (*type)[2]; int (*max_entries)[4]; int *key; long long *value; } m SEC(".maps");
        var t = BTFTypeTable()
        let int = t.add(BTFType(nameOffset: t.addString("int"), kind: .int, sizeOrType: 4, trailing: [1 << 24 | 32]))
        let long = t.add(BTFType(nameOffset: t.addString("long long"), kind: .int, sizeOrType: 8, trailing: [1 << 24 | 64]))
        let index = t.add(BTFType(nameOffset: t.addString("__ARRAY_SIZE_TYPE__"), kind: .int, sizeOrType: 4, trailing: [32]))
        let arr2 = t.add(BTFType(nameOffset: 0, kind: .array, sizeOrType: 0, trailing: [int, index, 2]))
        let arr4 = t.add(BTFType(nameOffset: 0, kind: .array, sizeOrType: 0, trailing: [int, index, 4]))
        let p2 = t.add(BTFType(nameOffset: 0, kind: .pointer, sizeOrType: arr2))
        let p4 = t.add(BTFType(nameOffset: 0, kind: .pointer, sizeOrType: arr4))
        let pk = t.add(BTFType(nameOffset: 0, kind: .pointer, sizeOrType: int))
        let pv = t.add(BTFType(nameOffset: 0, kind: .pointer, sizeOrType: long))
        let members: [UInt32] = [t.addString("type"), p2, 0, t.addString("max_entries"), p4, 64,
                                 t.addString("key"), pk, 128, t.addString("value"), pv, 192]
        let s = t.add(BTFType(nameOffset: 0, kind: .structure, vlen: 4, sizeOrType: 32, trailing: members))
        let v = t.add(BTFType(nameOffset: t.addString("m"), kind: .variable, sizeOrType: s, trailing: [1]))
        t.add(BTFType(nameOffset: t.addString(".maps"), kind: .dataSection, vlen: 1, sizeOrType: 32, trailing: [v, 0, 32]))
        let maps = try t.mapDeclarations()
        #expect(maps.count == 1)
        #expect(maps[0].name == "m")
        #expect(maps[0].definition.type == .array)
        #expect(maps[0].definition.maxEntries == 4)
        #expect(maps[0].definition.keySize == 4)
        #expect(maps[0].definition.valueSize == 8)
        #expect(maps[0].definition.btfKeyTypeID == int)
        #expect(maps[0].definition.btfValueTypeID == long)
    }

    @Test func sanitizeSortsDataSectionsAndFixesLinkage() {
        var t = BTFTypeTable()
        let int = t.add(BTFType(nameOffset: t.addString("int"), kind: .int, sizeOrType: 4, trailing: [1 << 24 | 32]))
        let a = t.add(BTFType(nameOffset: t.addString("a"), kind: .variable, sizeOrType: int, trailing: [1]))
        let b = t.add(BTFType(nameOffset: t.addString("b"), kind: .variable, sizeOrType: int, trailing: [2]))
        let sec = t.add(BTFType(nameOffset: t.addString(".data"), kind: .dataSection, vlen: 2, sizeOrType: 8,
                                trailing: [a, 4, 4, b, 0, 4]))
        let proto = t.add(BTFType(nameOffset: 0, kind: .functionPrototype, sizeOrType: int))
        let f = t.add(BTFType(nameOffset: t.addString("f"), kind: .function, vlen: 2, sizeOrType: proto))
        let changes = t.sanitizeForKernel()
        #expect(changes == 3)
        #expect(t[sec]?.trailing == [b, 0, 4, a, 4, 4])
        #expect(t[b]?.trailing == [1])
        #expect(t[f]?.kind == .int)
    }
}

@Suite struct CORERelocatorTests {
    /// Local `struct task { int a; int b; }` vs kernel `struct task { long x; int b; }`:
    /// `b` moves from byte 4 to byte 8 (hand derivation), `a` does not exist.
    @Test func fieldOffsetFollowsTheKernelLayout() throws {
        var local = BTFTypeTable()
        let int = local.add(BTFType(nameOffset: local.addString("int"), kind: .int, sizeOrType: 4, trailing: [1 << 24 | 32]))
        let task = local.add(BTFType(nameOffset: local.addString("task"), kind: .structure, vlen: 2, sizeOrType: 8,
                                     trailing: [local.addString("a"), int, 0, local.addString("b"), int, 32]))
        var kernel = BTFTypeTable()
        let kint = kernel.add(BTFType(nameOffset: kernel.addString("int"), kind: .int, sizeOrType: 4, trailing: [1 << 24 | 32]))
        let klong = kernel.add(BTFType(nameOffset: kernel.addString("long"), kind: .int, sizeOrType: 8, trailing: [1 << 24 | 64]))
        kernel.add(BTFType(nameOffset: kernel.addString("task"), kind: .structure, vlen: 2, sizeOrType: 16,
                           trailing: [kernel.addString("x"), klong, 0, kernel.addString("b"), kint, 64]))
        let relocator = CORERelocator(local: local, target: try VmlinuxBTF(bytes: kernel.encoded()))
        func value(_ access: String, _ kind: CORERelocationKind, type: UInt32 = task) -> UInt64? {
            try? relocator.value(for: CORERelocation(section: "s", offset: 0, typeID: type, accessString: access, kind: kind)).get()
        }
        #expect(value("0:1", .fieldByteOffset) == 8)
        #expect(value("0:1", .fieldByteSize) == 4)
        #expect(value("0:1", .fieldExists) == 1)
        #expect(value("0:1", .fieldSigned) == 1)
        #expect(value("0:0", .fieldExists) == 0)
        #expect(value("0:0", .fieldByteOffset) == nil)
        #expect(value("0", .typeSize) == 16)
        #expect(value("0", .typeExists) == 1)
    }

    @Test func patchWritesTheRightField() {
        var slots = [Instruction.load(.word, .r1, .r2, offset: 4),           // r1 = *(u32 *)(r2 + 4)
                     Instruction.mov(.r0, 4)]                                 // r0 = 4
            + Instruction.loadImm64(.r0, 0)                                   // r0 = 0 ll, patched below
        #expect(ObjectLoader.patch(&slots, at: 0, with: 8, kind: .fieldByteOffset) == nil)
        #expect(ObjectLoader.patch(&slots, at: 1, with: 8, kind: .fieldByteOffset) == nil)
        #expect(ObjectLoader.patch(&slots, at: 2, with: 0x1_0000_0002, kind: .typeSize) == nil)
        #expect(slots[0].offset == 8)
        #expect(slots[1].immediate == 8)
        #expect(slots[2].immediate == 2 && slots[3].immediate == 1)
        #expect(ObjectLoader.patch(&slots, at: 0, with: 8, kind: .fieldByteSize) != nil)
    }
}
