import BPFInstructions
import BPFPatch
import Testing

/// PATCHES.json / TABLES.json reading and writing.
@Suite("JSON documents")
struct JSONDocumentTests {
    @Test("the spec's example document")
    func specExample() throws {
        let doc = #"{"patches": [{"at": 12, "insns": ["b701000005000000", "9500000000000000"]}, {"at": 40, "remove": 3}]}"#
        let set = try PatchSet(json: Array(doc.utf8))
        // b7 01 0000 05000000: r1 = 5; 95…: exit (hand-decoded little-endian).
        #expect(set.patches == [
            Patch(site: 12, operation: .replace([Instruction(code: 0xb7, registers: 1, offset: 0, immediate: 5), Instruction(code: 0x95)])),
            Patch(site: 40, operation: .remove(count: 3)),
        ])
        #expect(try PatchSet(json: Array(set.json().utf8)) == set)
    }

    @Test("malformed documents never crash and name where", arguments: [
        (#"{"patches": [{"at": 1.5, "remove": 1}]}"#, "line 1, column 21: expected an integer"),
        (#"{"patches": [{"at": 99999999999999999999, "remove": 1}]}"#, "bad or too large integer"),
        (#"{"patches": "x"}"#, "patches: expected an array, found a string"),
        (#"{"patches": [{"at": 1, "remove": 1, "insns": []}]}"#, "patches[0]: has both"),
        (#"{"patches": [{"at": 1, "insns": [5]}]}"#, "patches[0].insns[0]: expected a string, found an integer"),
        (#"{"patches": ["#, "unexpected end of document"),
        (#"{"patches": [], "patches": []}"#, "patches: duplicate key"),
        (String(repeating: "[", count: 200), "nesting too deep"),
        ("\"abc", "unterminated string"),
        ("", "unexpected end of document"),
    ])
    func malformed(document: String, message: String) {
        do {
            _ = try PatchSet(json: Array(document.utf8))
            Issue.record("accepted: \(document)")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test("numbers are bounded when read: huge or negative sites, counts and table slots are errors, not traps", arguments: [
        #"{"patches": [{"at": 9223372036854775807, "remove": 1}]}"#,
        #"{"patches": [{"at": 9223372036854775807, "insns": ["9500000000000000"]}]}"#,
        #"{"patches": [{"at": 1, "remove": 9223372036854775807}]}"#,
        #"{"patches": [{"at": -1, "remove": 1}]}"#,
        #"{"patches": [{"at": 1, "remove": -3}]}"#,
        #"{"patches": [{"at": 2147483648, "remove": 1}]}"#,
        #"{"patches": [{"at": -9223372036854775808, "remove": 1}]}"#,
    ])
    func boundedPatchNumbers(document: String) {
        #expect { try PatchSet(json: Array(document.utf8)) } throws: { error in
            (error as? JSONDocumentError)?.kind == .outOfRange
        }
    }

    @Test("table slots are bounded too; -1 only in insn arrays", arguments: [
        #"{"lineInfo": [-1]}"#, #"{"subprogs": [0, 9223372036854775807]}"#, #"{"pokes": [2147483648]}"#,
        #"{"insnArrays": [[-2]]}"#, #"{"insnArrays": [[9223372036854775807]]}"#,
    ])
    func boundedTableNumbers(document: String) {
        #expect { try SideTables(json: Array(document.utf8)) } throws: { error in
            (error as? JSONDocumentError)?.kind == .outOfRange
        }
    }

    @Test("the largest accepted site reaches the engine as a plain range error")
    func largestSite() throws {
        let set = try PatchSet(json: Array(#"{"patches": [{"at": 2147483647, "remove": 2147483647}]}"#.utf8))
        #expect(throws: PatchError.self) { try set.apply(to: Program(slots: [Instruction(code: 0x95)])) }
    }

    @Test("tables: read, -1 as deleted, written back with origIdx")
    func tables() throws {
        let doc = #"{"lineInfo": [0, 3], "subprogs": [0, 2, 5], "pokes": [4], "insnArrays": [[1, -1], []], "origIdx": [9]}"#
        let tables = try SideTables(json: Array(doc.utf8))
        #expect(tables.lineInfo?.slots == [0, 3])
        #expect(tables.subprograms?.starts == [0, 2, 5])
        #expect(tables.pokes?.slots == [4])
        #expect(tables.instructionArrays.map(\.entries) == [[1, nil], []])
        let out = tables.json(originalIndices: [0, 0, 1]).filter { !$0.isWhitespace }
        #expect(out == #"{"lineInfo":[0,3],"subprogs":[0,2,5],"pokes":[4],"insnArrays":[[1,-1],[]],"origIdx":[0,0,1]}"#)
        #expect(throws: JSONDocumentError.self) { try SideTables(json: Array(#"{"lineinfo": []}"#.utf8)) }
        #expect(throws: JSONDocumentError.self) { try SideTables(json: Array(#"{"insnArrays": [[1, "x"]]}"#.utf8)) }
    }
}
