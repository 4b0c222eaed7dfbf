import Foundation
import BPFInstructions
import BPFObject
import FuzzSupport

/// The ELF reader: any bytes open or throw `ObjectError` with a message,
/// and every derived view of an opened object can be computed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzELF(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput(data, size).bytes
    do {
        let object = try ObjectFile(bytes: bytes)
        for program in object.programSections {
            _ = program.program.encoded(byteOrder: object.byteOrder)
            _ = object.funcInfoSlots(for: program)
            _ = object.lineInfoSlots(for: program)
            _ = object.coreRelocationSlots(for: program)
            for f in program.functions { _ = f.slots }
        }
        for s in object.sections { _ = object.contents(of: s) }
        _ = object.license
        _ = object.kernelVersion
        if let btf = object.btf { _ = btf.typeBytes.count + btf.stringBytes.count; _ = try? btf.string(at: 1) }
    } catch {
        if error.message.isEmpty { fuzzFailure("error without a message: \(error.kind)") }
    }
    return 0
}

exit(runFuzzer(fuzzELF))
