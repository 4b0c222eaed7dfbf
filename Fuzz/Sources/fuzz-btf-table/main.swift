import Foundation
import BPFKernel
import FuzzSupport

/// The loader's BTF type table: any blob parses or throws `BTFError`; on a
/// parsed table every query (resolution, sizes, names, map declarations,
/// the kernel fix-ups) terminates without trapping, and encoding then
/// parsing gives the table back.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBTFTable(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput(data, size).bytes
    guard var table = try? BTFTypeTable(parsing: bytes) else { return 0 }
    guard (try? BTFTypeTable(parsing: table.encoded())) == table else { fuzzFailure("encode/parse round trip changed the table") }
    let ids = UInt32(0)...UInt32(min(table.types.count + 1, 4096))
    for id in ids {
        _ = table.resolved(id)
        _ = table.size(of: id)
        _ = table.name(of: id)
    }
    _ = try? table.mapDeclarations()
    if let vmlinux = try? VmlinuxBTF(bytes: bytes) {
        for prefix in ["fentry/", "tp_btf/", "lsm/", "iter/"] {
            if let convention = SectionConvention.match(prefix + "x") { _ = vmlinux.attachTarget(section: prefix + "x", convention: convention) }
        }
    }
    table.fixDataSections(sectionSize: { $0.count % 3 == 0 ? nil : UInt64($0.count) * 0x1_0000_0001 },
                          symbolOffset: { _, symbol in symbol.isEmpty ? nil : UInt64(symbol.utf8.count) })
    table.sanitizeForKernel()
    guard (try? BTFTypeTable(parsing: table.encoded())) == table else { fuzzFailure("fixed-up table does not round trip") }
    return 0
}

exit(runFuzzer(fuzzBTFTable))
