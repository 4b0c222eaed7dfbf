import BPFObject
import BPFTestSupport
import Foundation
import Testing

/// `bpfpatch info`'s summary of bpf2bpf.o, every number derived by hand:
/// `readelf -S -W` lists 25 section headers (24 without the null one);
/// `.text` is 0xa8 bytes = 21 slots and `test` 0x128 = 37; `readelf -s`
/// gives add1 (0, 104 bytes = 13 slots), add2 (0x68 = slot 13, 64 bytes =
/// 8 slots), func (0, 296 bytes = 37 slots); `readelf -r` gives 2
/// relocations in `.rel.text` and 2 in `.reltest`. `.BTF.ext`: func_info
/// 2 + 1 records (see `BTFExtTests`); line_info is 0x244 bytes = 4 (rec_size)
/// + 8 + 18 × 16 for `.text` + 8 + n × 16 for `test`, so n = 17.
@Suite(.needsCorpus) struct ObjectSummaryTests {
    static let path = TestCorpus.path("ebpf-samples/build/bpf2bpf.o")

    @Test func handDerivedSummaryOfBpf2bpf() throws {
        let summary = ObjectSummary(try ObjectFile(path: Self.path), file: "bpf2bpf.o")
        #expect(summary.byteOrder == "little" && summary.machine == "EM_BPF")
        #expect(summary.btf && summary.btfExt && summary.license == nil)
        #expect(summary.sections.count == 24)
        #expect(summary.sections.first?.index == 1 && summary.sections.first?.name == ".strtab")
        #expect(summary.sections.first?.size == 0x111)
        #expect(summary.maps.isEmpty && summary.warnings.isEmpty)
        let programs = summary.programs
        try #require(programs.count == 2)
        #expect(programs[0].section == ".text" && programs[0].slots == 21 && programs[0].relocations == 2)
        #expect(programs[0].funcInfo == 2 && programs[0].lineInfo == 18 && programs[0].coreRelocations == 0)
        #expect(programs[0].functions.map(\.name) == ["add1", "add2"])
        #expect(programs[0].functions.map(\.start) == [0, 13] && programs[0].functions.map(\.slots) == [13, 8])
        #expect(programs[1].section == "test" && programs[1].slots == 37 && programs[1].relocations == 2)
        #expect(programs[1].funcInfo == 1 && programs[1].lineInfo == 17 && programs[1].coreRelocations == 0)
        #expect(programs[1].functions.map(\.name) == ["func"])
        #expect(programs[1].functions.map(\.start) == [0] && programs[1].functions.map(\.slots) == [37])
        #expect(programs.allSatisfy { $0.warnings.isEmpty })
    }

    /// The table: padded columns as written out by hand.
    @Test func tableLayout() throws {
        let text = ObjectSummary(try ObjectFile(path: Self.path), file: "bpf2bpf.o").text
        #expect(text == """
            bpf2bpf.o: little-endian, machine EM_BPF, BTF present, BTF.ext present
            24 sections, 2 program sections, 0 map sections

            program section                    slots  relocs  func   line  core
            .text                                 21       2     2     18     0
              add1                                13  at slot 0
              add2                                 8  at slot 13
            test                                  37       2     1     17     0
              func                                37  at slot 0

            """)
    }

    /// The JSON form round-trips and names an absent license `null`.
    @Test func jsonRoundTrips() throws {
        let summary = ObjectSummary(try ObjectFile(path: Self.path), file: "bpf2bpf.o")
        let data = try JSONEncoder().encode(summary)
        #expect(try JSONDecoder().decode(ObjectSummary.self, from: data) == summary)
        #expect(String(decoding: data, as: UTF8.self).contains("\"license\":null"))
    }
}
