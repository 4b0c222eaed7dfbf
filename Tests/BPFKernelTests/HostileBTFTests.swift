import BPFInstructions
import BPFObject
import BPFTestSupport
import Foundation
import Testing
@testable import BPFKernel

/// BTF built to hurt: cycles, sizes past 64 bits, access strings that are
/// not indices. Every query terminates with nil or a typed error; before
/// the fix each of these trapped (stack overflow, multiply overflow,
/// negative index) and took a whole `verify`/`stats` run down with it.
@Suite struct HostileBTFTests {
    static func int(_ t: inout BTFTypeTable, _ name: String = "int", size: UInt32 = 4) -> UInt32 {
        t.add(BTFType(nameOffset: t.addString(name), kind: .int, sizeOrType: size, trailing: [1 << 24 | size * 8]))
    }

    @Test func selfReferencingArrayAndTypedefCycleHaveNoSize() throws {
        var t = BTFTypeTable()
        // [1] ARRAY of [1] (itself), 2 elements; [2] TYPEDEF → [3] TYPEDEF → [2].
        t.add(BTFType(nameOffset: 0, kind: .array, sizeOrType: 0, trailing: [1, 1, 2]))
        t.add(BTFType(nameOffset: t.addString("a"), kind: .typedef, sizeOrType: 3))
        t.add(BTFType(nameOffset: t.addString("b"), kind: .typedef, sizeOrType: 2))
        let table = try BTFTypeTable(parsing: t.encoded())
        #expect(table.size(of: 1) == nil)
        #expect(table.size(of: 2) == nil)
        // The walk stops after maximumChainLength steps on a modifier.
        #expect(table[table.resolved(2)]?.kind == .typedef)
    }

    @Test func nestedHugeArraysDoNotOverflow() {
        var t = BTFTypeTable()
        let int = Self.int(&t)                                                                  // [1] 4 bytes
        let a = t.add(BTFType(nameOffset: 0, kind: .array, sizeOrType: 0, trailing: [int, int, 0xffff_ffff]))
        let b = t.add(BTFType(nameOffset: 0, kind: .array, sizeOrType: 0, trailing: [a, int, 0xffff_ffff]))
        let c = t.add(BTFType(nameOffset: 0, kind: .array, sizeOrType: 0, trailing: [b, int, 0]))
        // 4 · (2³² − 1) fits; 4 · (2³² − 1)² ≈ 7.4 · 10¹⁹ > 2⁶⁴ does not.
        #expect(t.size(of: a) == 4 * 0xffff_ffff)
        #expect(t.size(of: b) == nil)
        // Zero elements of anything are 0 bytes: the product is taken
        // outside in, so the overflow inside is never computed.
        #expect(t.size(of: c) == 0)
    }

    @Test func mapThatHoldsItselfIsAnError() {
        // struct m { int (*type)[12]; struct m *(*values)[]; } m SEC(".maps"): 12 = ARRAY_OF_MAPS,
        // and its inner template is m again.
        var t = BTFTypeTable()
        let int = Self.int(&t)
        let twelve = t.add(BTFType(nameOffset: 0, kind: .array, sizeOrType: 0, trailing: [int, int, 12]))
        let pType = t.add(BTFType(nameOffset: 0, kind: .pointer, sizeOrType: twelve))
        let structID = UInt32(t.types.count + 3)
        let pStruct = t.add(BTFType(nameOffset: 0, kind: .pointer, sizeOrType: structID))
        let values = t.add(BTFType(nameOffset: 0, kind: .array, sizeOrType: 0, trailing: [pStruct, int, 0]))
        let s = t.add(BTFType(nameOffset: t.addString("m"), kind: .structure, vlen: 2, sizeOrType: 16,
                              trailing: [t.addString("type"), pType, 0, t.addString("values"), values, 64]))
        #expect(s == structID)
        let v = t.add(BTFType(nameOffset: t.addString("m"), kind: .variable, sizeOrType: s, trailing: [1]))
        t.add(BTFType(nameOffset: t.addString(".maps"), kind: .dataSection, vlen: 1, sizeOrType: 16, trailing: [v, 0, 16]))
        #expect(throws: BTFError.self) { try t.mapDeclarations() }
    }

    /// Local `struct task { int a; int b; int arr[4]; }`, kernel `struct task
    /// { int a; int b; struct big arr[2]; }` with `big` of 0xffffffff bytes.
    static func relocator() throws -> (CORERelocator, task: UInt32, color: UInt32) {
        var local = BTFTypeTable()
        let int = Self.int(&local)
        let arr = local.add(BTFType(nameOffset: 0, kind: .array, sizeOrType: 0, trailing: [int, int, 4]))
        let task = local.add(BTFType(nameOffset: local.addString("task"), kind: .structure, vlen: 3, sizeOrType: 24,
                                     trailing: [local.addString("a"), int, 0, local.addString("b"), int, 32,
                                                local.addString("arr"), arr, 64]))
        let color = local.add(BTFType(nameOffset: local.addString("color"), kind: .enumeration, vlen: 1, sizeOrType: 4,
                                      trailing: [local.addString("RED"), 7]))
        var kernel = BTFTypeTable()
        let kint = Self.int(&kernel)
        let big = kernel.add(BTFType(nameOffset: kernel.addString("big"), kind: .structure, sizeOrType: 0xffff_ffff))
        let karr = kernel.add(BTFType(nameOffset: 0, kind: .array, sizeOrType: 0, trailing: [big, kint, 2]))
        kernel.add(BTFType(nameOffset: kernel.addString("task"), kind: .structure, vlen: 3, sizeOrType: 0xffff_ffff,
                           trailing: [kernel.addString("a"), kint, 0, kernel.addString("b"), kint, 32,
                                      kernel.addString("arr"), karr, 64]))
        kernel.add(BTFType(nameOffset: kernel.addString("color"), kind: .enumeration, vlen: 1, sizeOrType: 4,
                           trailing: [kernel.addString("RED"), 9]))
        return (CORERelocator(local: local, target: try VmlinuxBTF(bytes: kernel.encoded())), task, color)
    }

    @Test(arguments: ["", ":", "-1", "0:-1", "+1", "0::1", "1:x", "0:", " 0", "0:1 ",
                      "2147483648", "9223372036854775807", "-9223372036854775808", "0:4294967295",
                      Array(repeating: "0", count: 65).joined(separator: ":")])
    func malformedAccessStringsAreRejected(_ access: String) throws {
        let (relocator, task, color) = try Self.relocator()
        for kind in [CORERelocationKind.fieldByteOffset, .fieldByteSize, .fieldExists, .fieldLShiftU64] {
            let result = relocator.value(for: CORERelocation(section: "s", offset: 0, typeID: task, accessString: access, kind: kind))
            #expect(throws: CORERelocationError.self) { try result.get() }
            if case .failure(let error) = result { #expect(error.kind == .badAccessString) }
        }
        for kind in [CORERelocationKind.enumValueExists, .enumValueValue] {
            let result = relocator.value(for: CORERelocation(section: "s", offset: 0, typeID: color, accessString: access, kind: kind))
            #expect(throws: CORERelocationError.self) { try result.get() }
        }
    }

    @Test func wellFormedAccessStringsStillWork() throws {
        let (relocator, task, color) = try Self.relocator()
        func value(_ access: String, _ kind: CORERelocationKind, _ type: UInt32) -> UInt64? {
            try? relocator.value(for: CORERelocation(section: "s", offset: 0, typeID: type, accessString: access, kind: kind)).get()
        }
        #expect(value("0:1", .fieldByteOffset, task) == 4)
        #expect(value("0:2:1", .fieldByteOffset, task) == 8 + 0xffff_ffff)   // arr at 8, element 1 of 0xffffffff bytes
        #expect(value("0", .enumValueValue, color) == 9)
        #expect(CORERelocator.accessIndices("0:12:3") == [0, 12, 3])
        #expect(CORERelocator.accessIndices("2147483647") == [2_147_483_647])
        #expect(CORERelocator.accessIndices(Array(repeating: "1", count: 64).joined(separator: ":"))?.count == 64)
    }

    @Test func offsetsPastSixtyFourBitsAreErrorsNotTraps() throws {
        let (relocator, task, _) = try Self.relocator()
        // Root index 2³¹ − 1 times a 0xffffffff-byte root, times 8 bits: ≈ 7.4 · 10¹⁹ > 2⁶⁴.
        // Array index 2³¹ − 1 times a 0xffffffff-byte element: the same.
        for access in ["2147483647", "2147483647:1", "0:2:2147483647"] {
            let result = relocator.value(for: CORERelocation(section: "s", offset: 0, typeID: task, accessString: access, kind: .fieldByteOffset))
            guard case .failure(let error) = result else { Issue.record("\(access) gave \(result)"); continue }
            #expect(error.kind == .badAccessString)
        }
    }

    @Test func anonymousMemberCycleEnds() throws {
        // Kernel: struct s { struct s; } — an anonymous member of its own
        // type, 65535 times over. Looking up a missing name visits each
        // type once instead of 65535^depth paths.
        var local = BTFTypeTable()
        let int = Self.int(&local)
        let s = local.add(BTFType(nameOffset: local.addString("s"), kind: .structure, vlen: 1, sizeOrType: 4,
                                  trailing: [local.addString("x"), int, 0]))
        var kernel = BTFTypeTable()
        let members = (0..<0xffff).flatMap { _ -> [UInt32] in [0, 1, 0] }
        kernel.add(BTFType(nameOffset: kernel.addString("s"), kind: .structure, vlen: 0xffff, sizeOrType: 4, trailing: members))
        let relocator = CORERelocator(local: local, target: try VmlinuxBTF(bytes: kernel.encoded()))
        let result = relocator.value(for: CORERelocation(section: "s", offset: 0, typeID: s, accessString: "0:0", kind: .fieldByteOffset))
        guard case .failure(let error) = result else { Issue.record("found a member that is not there"); return }
        #expect(error.kind == .noKernelMember)
    }

    // MARK: Inputs that crashed the fuzz targets (Tests/Fixtures/fuzz-crashes).

    static func crashInputs(_ target: String) -> [URL] {
        let directory = PackageLayout.root.appendingPathComponent("Tests/Fixtures/fuzz-crashes/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0) }
    }

    /// What `fuzz-btf-table` does with its input.
    @Test func btfTableCrashInputs() throws {
        let inputs = Self.crashInputs("fuzz-btf-table")
        #expect(!inputs.isEmpty)
        var parsed = 0
        for url in inputs {
            let bytes = [UInt8](try Data(contentsOf: url))
            guard var table = try? BTFTypeTable(parsing: bytes) else { continue }
            parsed += 1
            for id in 0...UInt32(table.types.count + 1) {
                _ = table.resolved(id)
                _ = table.size(of: id)
            }
            _ = try? table.mapDeclarations()
            table.sanitizeForKernel()
            #expect(try BTFTypeTable(parsing: table.encoded()) == table, "\(url.lastPathComponent)")
        }
        #expect(parsed > 0, "no crash input parsed: the walk above checked nothing")
    }

    /// What `fuzz-core` does with its input: 4-byte length, local BTF,
    /// 4-byte length, BTF.ext, rest the target BTF (local when empty).
    @Test func coreCrashInputs() throws {
        let inputs = Self.crashInputs("fuzz-core")
        #expect(!inputs.isEmpty)
        for url in inputs {
            var bytes = ArraySlice([UInt8](try Data(contentsOf: url)))
            func chunk() -> [UInt8] {
                let n = bytes.prefix(4).reversed().reduce(0) { $0 << 8 | Int($1) } & 0xff_ffff
                bytes = bytes.dropFirst(4)
                defer { bytes = bytes.dropFirst(n) }
                return Array(bytes.prefix(n))
            }
            let localBytes = chunk(), extBytes = chunk()
            let targetBytes = bytes.isEmpty ? localBytes : Array(bytes)
            let local = try BTFTypeTable(parsing: localBytes)
            let relocator = CORERelocator(local: local, target: try VmlinuxBTF(bytes: targetBytes))
            var records: [CORERelocation] = []
            if let btf = try? BTF(bytes: localBytes), let ext = try? BTFExt(bytes: extBytes, btf: btf) { records = ext.coreRelocations }
            if records.isEmpty {
                records = (0..<UInt32(min(local.types.count + 1, 8))).map {
                    CORERelocation(section: "s", offset: 0, typeID: $0, accessString: "0:0", kind: .fieldByteOffset)
                }
            }
            for record in records {
                for kind in 0...13 as ClosedRange<UInt32> {
                    var r = record
                    r.kind = CORERelocationKind(rawValue: kind)
                    _ = relocator.value(for: r)
                }
            }
        }
    }
}
