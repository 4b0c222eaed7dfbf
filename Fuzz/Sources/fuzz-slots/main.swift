import Foundation
import BPFDisassembly
import BPFInstructions
import FuzzSupport

/// Raw slot decoding: any bytes, both byte orders, with and without a
/// truncated final ld_imm64. A decoded program re-encodes to its input and
/// disassembles in both formats without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSlots(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzInput(data, size).bytes
    for order in [ByteOrder.littleEndian, .bigEndian] {
        for allowTruncated in [false, true] {
            guard let program = try? Program(decoding: bytes, byteOrder: order, allowTruncatedWideLoad: allowTruncated) else {
                continue
            }
            guard program.encoded(byteOrder: order) == bytes else { fuzzFailure("decode/encode round trip changed the bytes") }
            if order == .littleEndian {
                _ = Disassembler().lines(program)
                _ = Disassembler(formatter: KernelFormatter()).lines(program)
            }
        }
    }
    return 0
}

exit(runFuzzer(fuzzSlots))
