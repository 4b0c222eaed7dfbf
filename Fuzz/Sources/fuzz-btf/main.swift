import Foundation
import BPFInstructions
import BPFObject
import FuzzSupport

/// `.BTF` and `.BTF.ext` parsing. The first two bytes give the length of
/// the `.BTF` part; the rest is `.BTF.ext`, resolved against it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBTF(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let split = Int(input.u16())
    let btfBytes = Array(input.take(split))
    let extBytes = Array(input.rest)
    guard let btf = try? BTF(bytes: btfBytes, fileOffset: 0x40) else {
        _ = try? BTFExt(bytes: extBytes, btf: BTF(bytes: [0x9f, 0xeb, 1, 0, 24] + [UInt8](repeating: 0, count: 19)))
        return 0
    }
    _ = btf.typeBytes.count + btf.stringBytes.count
    for offset in [0, 1, UInt32(btf.header.stringLength) &- 1, btf.header.stringLength, .max] as [UInt32] {
        _ = try? btf.string(at: offset)
    }
    if let ext = try? BTFExt(bytes: extBytes, btf: btf, fileOffset: 0x1000) {
        _ = ext.funcInfo.count + ext.lineInfo.count + ext.coreRelocations.count
        _ = ext.coreRelocations.map(\.kind.description)
    }
    return 0
}

exit(runFuzzer(fuzzBTF))
