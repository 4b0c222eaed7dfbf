import BPFInstructions
import BPFObject
import Foundation
import OutputFiles

/// A program input: an ELF object or a raw file of little-endian slots,
/// told apart by the ELF magic.
enum InputFile {
    case object(ObjectFile)
    case raw(Program)

    static func open(_ path: String) throws -> InputFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("\(path): cannot read the file")
        }
        let bytes = [UInt8](data)
        if bytes.starts(with: [0x7f, 0x45, 0x4c, 0x46]) {
            do {
                return .object(try ObjectFile(bytes: bytes))
            } catch {
                throw CLIError("\(path): \(error)")
            }
        }
        do {
            return .raw(try Program(decoding: bytes, byteOrder: .littleEndian))
        } catch {
            throw CLIError("\(path): \(error)")
        }
    }

    /// The program sections to work on: all of an object's (or the one
    /// named), or the raw program as a single unnamed section.
    func programs(section name: String?, path: String) throws -> [(name: String, program: Program, section: ProgramSection?)] {
        switch self {
        case .raw(let program):
            if let name { throw CLIError("\(path): --section \(name) given, but the file is raw slots, not an ELF object") }
            return [("raw", program, nil)]
        case .object(let object):
            if let name {
                guard let section = object.programSection(named: name) else {
                    let names = object.programSections.map(\.name).joined(separator: ", ")
                    throw CLIError("\(path): no program section named \(name) (have: \(names))")
                }
                return [(section.name, section.program, section)]
            }
            return object.programSections.map { ($0.name, $0.program, $0) }
        }
    }
}

/// A one-line error for stderr.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Writes every output or none, through the one write path
/// (`OutputFiles.write`): temporary files made safely next to each
/// destination, renamed into place only once all are written.
func writeOutputs(_ files: [OutputFile]) throws {
    do {
        try OutputFiles.write(files)
    } catch {
        throw CLIError("\(error)")
    }
}

/// Prints `message` on stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Encodes a `Codable` value as pretty JSON with sorted keys.
func jsonText(encoding value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// Encodes the JSON document of a run (`verify`, `stats`, `cover`) as pretty
/// JSON with sorted keys, with a `"version"` field beside the document's own
/// keys (`bpfpatch --version`), so a result names the code that produced it.
func runJSONText(_ document: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: try encoder.encode(VersionedDocument(document: document)), as: UTF8.self)
}

/// A document's keys plus `"version"`.
private struct VersionedDocument<Document: Encodable>: Encodable {
    var document: Document
    private enum Key: String, CodingKey { case version }
    func encode(to encoder: any Encoder) throws {
        try document.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(BPFPatchVersion.string, forKey: .version)
    }
}
