import Foundation
import BPFInstructions
import BPFKernel
import BPFObject
import FuzzSupport

/// The CO-RE relocator, no kernel needed. Input: a 4-byte length and the
/// local `.BTF`, a 4-byte length and a `.BTF.ext` (its CO-RE records are the
/// relocations), the rest the target (kernel) BTF (the local one when
/// empty). Every record is also tried with every relocation kind and with
/// hostile access strings; each gives a value or a `CORERelocationError`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCORE(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let localBytes = Array(input.take(Int(input.u32() & 0xff_ffff)))
    let extBytes = Array(input.take(Int(input.u32() & 0xff_ffff)))
    let targetBytes = input.isExhausted ? localBytes : Array(input.rest)
    guard let local = try? BTFTypeTable(parsing: localBytes),
          let target = try? VmlinuxBTF(bytes: targetBytes) else { return 0 }
    var relocations: [CORERelocation] = []
    if let btf = try? BTF(bytes: localBytes), let ext = try? BTFExt(bytes: extBytes, btf: btf) {
        relocations = Array(ext.coreRelocations.prefix(64))
    }
    if relocations.isEmpty {
        // Without records, a few guesses on the first types.
        for id in 0..<UInt32(min(local.types.count + 1, 8)) {
            relocations.append(CORERelocation(section: "s", offset: ByteOffset(0), typeID: id, accessString: "0:0", kind: .fieldByteOffset))
        }
    }
    let relocator = CORERelocator(local: local, target: target)
    let hostile = ["", ":", "-1", "0:-1", "0:65535", "9223372036854775807", "0:4294967295:4294967295",
                   "-9223372036854775808", "0:0:0:0:0:0:0:0:0:0:0:0", "1:x", "0::1"]
    for relocation in relocations {
        for kind in 0...13 as ClosedRange<UInt32> {
            var r = relocation
            r.kind = CORERelocationKind(rawValue: kind)
            _ = relocator.value(for: r)
        }
        for access in hostile {
            var r = relocation
            r.accessString = access
            _ = relocator.value(for: r)
            r.kind = .enumValueValue
            _ = relocator.value(for: r)
        }
    }
    return 0
}

exit(runFuzzer(fuzzCORE))
