import BPFDisassembly
import BPFInstructions
import BPFTestSupport
import Foundation

/// Compares our disassembly of raw slots with llvm-objdump's listing of the same section.
struct Comparison {
    var sections = 0
    var instructions = 0
    var mismatches: [String] = []

    /// Adds one section: llvm's (slot, text) lines against ours.
    mutating func compare(_ context: String, expected: [(slot: Int, text: String)], slots: [Instruction],
                          disassembler: Disassembler = Disassembler()) {
        sections += 1
        // llvm re-synchronises byte by byte after a wide load cut off by the
        // end of the section, printing `<unknown>` once per byte at the same
        // slot index; our slot-based walk prints that slot once.
        var expected = expected
        expected = expected.enumerated().filter { k, line in
            k == 0 || line.text != "<unknown>" || expected[k - 1].slot != line.slot || expected[k - 1].text != "<unknown>"
        }.map(\.element)
        let ours = disassembler.lines(slots)
        let count = max(ours.count, expected.count)
        for k in 0..<count {
            let want = k < expected.count ? "\(expected[k].slot): \(expected[k].text)" : "(nothing)"
            let got = k < ours.count ? "\(ours[k].index.rawValue): \(ours[k].text)" : "(nothing)"
            instructions += 1
            if want != got {
                let slot = k < ours.count ? ours[k].index.rawValue : expected[k].slot
                let hex = slot < slots.count ? slots[slot].hex : "-"
                mismatches.append("\(context) [\(hex)] llvm: \(want) | ours: \(got)")
            }
        }
    }

    mutating func merge(_ other: Comparison) {
        sections += other.sections
        instructions += other.instructions
        mismatches += other.mismatches
    }
}

/// Reads the ELF identification: byte order from EI_DATA and e_machine.
struct ELFIdentity {
    var byteOrder: ByteOrder
    var machine: UInt16

    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 20, bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46,
              bytes[4] == 2 else { return nil }
        switch bytes[5] {
        case 1:
            byteOrder = .littleEndian
            machine = UInt16(bytes[18]) | UInt16(bytes[19]) << 8
        case 2:
            byteOrder = .bigEndian
            machine = UInt16(bytes[18]) << 8 | UInt16(bytes[19])
        default:
            return nil
        }
    }

    /// Extra llvm-objdump arguments: objects not marked EM_BPF (247) need the
    /// target named; `+alu32` is what llvm assumes for EM_BPF objects.
    var objdumpArguments: [String] {
        machine == 247 ? [] : ["--triple=" + (byteOrder == .littleEndian ? "bpfel" : "bpfeb"), "--mattr=+alu32"]
    }
}

/// Disassembles one object with llvm-objdump, extracts each listed section
/// with llvm-objcopy and compares our text with llvm's.
func compareObject(at path: String, scratch: URL) throws -> Comparison {
    guard let objdump = ExternalTools.objdump, let objcopy = ExternalTools.objcopy else {
        throw Subprocess.Failure(description: "llvm tools missing")
    }
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    guard let identity = ELFIdentity(bytes) else { return Comparison() }
    let listing = ObjdumpListing(String(decoding: try Subprocess.output(
        objdump, ["-d", "--no-show-raw-insn"] + identity.objdumpArguments + [path]), as: UTF8.self))
    var comparison = Comparison()
    let names = listing.sections.map(\.name)
    let unique = names.filter { name in names.filter { $0 == name }.count == 1 && !name.contains("=") }
    guard !unique.isEmpty else { return comparison }
    var arguments: [String] = []
    var files: [String: URL] = [:]
    for (k, name) in unique.enumerated() {
        let file = scratch.appendingPathComponent("section-\(k).bin")
        files[name] = file
        arguments += ["--dump-section", name + "=" + file.path]
    }
    _ = try Subprocess.output(objcopy, arguments + [path, scratch.appendingPathComponent("out.o").path])
    for section in listing.sections {
        guard let file = files[section.name] else { continue }
        let raw = try [UInt8](Data(contentsOf: file))
        let program: Program
        do {
            program = try Program(decoding: raw, byteOrder: identity.byteOrder, allowTruncatedWideLoad: true)
        } catch {
            comparison.mismatches.append("\(path) \(section.name): cannot decode: \(error)")
            continue
        }
        comparison.compare("\(path) \(section.name)", expected: section.lines, slots: program.slots)
        for other in section.otherLines {
            comparison.mismatches.append("\(path) \(section.name): unexpected llvm line \(other)")
        }
    }
    return comparison
}
