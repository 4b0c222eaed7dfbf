import Testing
import BPFInstructions
import BPFObject
import BPFTestSupport
@testable import BPFKernel

/// Expected slot counts come from `llvm-readelf -S/-s` (section and
/// function symbol sizes ÷ 8); function counts from the symbol table.
@Suite struct ObjectLoaderTests {
    func loader(_ relative: String) throws -> ObjectLoader {
        try ObjectLoader(path: TestCorpus.path(relative))
    }

    func report(_ loader: ObjectLoader, _ name: String, readInfo: Bool = true) throws -> LoadReport {
        let candidate = try #require(loader.candidates.first { $0.name == name })
        return loader.load(candidate, readInfo: readInfo)
    }

    @Test(.needsCorpus, .needsKernel) func legacySocketFilterLoadsAndRuns() throws {
        let loader = try loader("ebpf-samples/linux/sockex1_kern.o")
        let report = try report(loader, "socket1")
        #expect(report.isLoaded, "\(report.summary)")
        #expect(report.type == .socketFilter)
        #expect(report.slotCount == 0x78 / 8)  // section socket1 is 0x78 bytes
        let info = try #require(report.info)
        #expect(info.type == .socketFilter)
        #expect(info.translated.count > 0 && info.translated.count < 4 * report.slotCount)
        #expect(info.verifiedInstructions > 0)
        #expect(info.mapIDs.count == 1)  // my_map, the only legacy map it uses
        // sockex1_kern.c always returns 0 after counting skb->len.
        var packet = [UInt8](repeating: 0, count: 64)
        packet[12] = 0x08  // ETH_P_IP
        let result = try #require(report.program).testRun(TestRunRequest(data: packet))
        #expect(result.returnValue == 0)
    }

    @Test(.needsCorpus, .needsKernel) func btfLineInfoSurvivesToXlated() throws {
        let loader = try loader("ebpf-samples/build/packet_access.o")
        let report = try report(loader, "test_packet_access")
        #expect(report.isLoaded, "\(report.summary)")
        #expect(report.usedBTF)
        #expect(report.slotCount == 224 / 8)
        let info = try #require(report.info)
        #expect(info.funcInfo.count == 1)
        #expect(info.funcInfo.first?.instruction == 0)
        #expect(!info.lineInfo.isEmpty)
        #expect(info.lineInfo.allSatisfy { $0.instruction.rawValue < info.translated.count })
        #expect(info.btfID != 0)
    }

    @Test(.needsCorpus, .needsKernel) func pseudoFuncAndSubprogramAreLinked() throws {
        let loader = try loader("cilium-ebpf/testdata/subprog_reloc-el.elf")
        let report = try report(loader, "fp_relocation")
        #expect(report.isLoaded, "\(report.summary)")
        #expect(report.slotCount == 240 / 8 + 112 / 8)  // fp_relocation + sub_prog
        let info = try #require(report.info)
        #expect(info.funcInfo.count == 2)  // the kernel found both functions
    }

    @Test(.needsCorpus, .needsKernel) func crossSectionCallsAndGlobalData() throws {
        let loader = try loader("cilium-ebpf/testdata/loader-clang-17-el.elf")
        let xdp = try report(loader, "xdp_prog")
        #expect(xdp.isLoaded, "\(xdp.summary)")
        // xdp_prog 256 B + static_fn 24 + global_fn 96 + global_fn2 24 + global_fn3 24
        #expect(xdp.slotCount == (256 + 24 + 96 + 24 + 24) / 8)
        #expect(xdp.info?.funcInfo.count == 5)
        let data = try report(loader, "data_sections")
        #expect(data.isLoaded, "\(data.summary)")
        #expect(data.slotCount == 240 / 8)

        let unknown = try report(loader, "static_fn", readInfo: false)
        #expect(!unknown.isLoaded)
        #expect(unknown.failure?.category == .unknownProgramType)
        let extern = try report(loader, "asm_relocation", readInfo: false)
        #expect(extern.failure?.category == .unsupportedExtern)
    }

    @Test(.needsCorpus) func bigEndianObjectIsReportedNotLoaded() throws {
        let loader = try loader("cilium-ebpf/testdata/subprog_reloc-eb.elf")
        let reports = loader.loadAll()
        #expect(reports.count == 1)
        #expect(reports.allSatisfy { !$0.isLoaded && $0.failure?.category == .object })
    }

    @Test(.needsCorpus, .needsKernel) func replacedInstructionsAreLoaded() throws {
        let loader = try loader("ebpf-samples/linux/sockex1_kern.o")
        let candidate = try #require(loader.candidates.first { $0.name == "socket1" })
        var linked = try loader.link(candidate)
        #expect(linked.program.count == 15)
        #expect(linked.maps.count == 1)
        // The map ld_imm64 now carries BPF_PSEUDO_MAP_FD and the map's fd.
        let mapLoad = try #require(linked.program.slots.first { $0.isLoadImmediate64 })
        #expect(mapLoad.srcNumber == 1)
        #expect(mapLoad.immediate == linked.maps[0].rawValue)

        linked.program = Program(slots: [.mov(.r0, 3), .exit])
        let replaced = loader.load(linked, readInfo: true)
        #expect(replaced.isLoaded)
        #expect(replaced.info?.translated.slots == linked.program.slots)

        linked.program = Program(slots: [.exit])
        let rejected = loader.load(linked)
        #expect(!rejected.isLoaded)
        #expect(rejected.failure?.category == .kernelRejected)
        #expect(rejected.failure?.errno == .accessDenied)
        #expect(rejected.failure?.lastLogLine == "R0 !read_ok")
    }

    @Test func sectionConventions() {
        // From libbpf's "Program Types and ELF Sections" table.
        #expect(SectionConvention.match("socket")?.programType == .socketFilter)
        #expect(SectionConvention.match("kprobe/do_unlinkat")?.programType == .kprobe)
        #expect(SectionConvention.match("kretprobe/x")?.programType == .kprobe)
        #expect(SectionConvention.match("xdp")?.attachType == .xdp)
        #expect(SectionConvention.match("xdp/devmap")?.attachType == .xdpDevmap)
        #expect(SectionConvention.match("xdp.frags")?.flags == 1 << 5)
        #expect(SectionConvention.match("tc")?.programType == .schedClassifier)
        #expect(SectionConvention.match("tracepoint/syscalls/sys_enter_open")?.programType == .tracepoint)
        #expect(SectionConvention.match("cgroup_skb/egress")?.attachType == .cgroupInetEgress)
        #expect(SectionConvention.match("cgroup/connect6")?.programType == .cgroupSockAddr)
        #expect(SectionConvention.match("fentry/tcp_v4_connect")?.needsAttachTarget == true)
        #expect(SectionConvention.match("lsm.s/file_open")?.flags == 1 << 4)
        // Legacy bare prefixes of Linux samples/bpf.
        #expect(SectionConvention.match("socket1")?.programType == .socketFilter)
        #expect(SectionConvention.match("xdp_redirect_map")?.programType == .xdp)
        // Not prefixes: "xdpfoo/" style extras need the separator for `type+` rules only.
        #expect(SectionConvention.match("from-netdev") == nil)
        #expect(SectionConvention.match("tcx/ingress")?.attachType == .tcxIngress)
    }
}

extension ObjectLoaderTests {
    /// PREVAIL's test objects keep their one program in `.text`; with a
    /// fallback type they load, exercising BTF `.maps` map-in-map and
    /// global data sections.
    @Test(.needsCorpus, .needsKernel, arguments: ["map_in_map.o", "global_variable.o", "twomaps_btf.o"])
    func textOnlyObjectsWithFallbackType(_ file: String) throws {
        let loader = try loader("ebpf-samples/build/" + file)
        #expect(loader.candidates.map(\.name) == ["func"])
        let unknown = loader.loadAll()
        #expect(unknown.first?.failure?.category == .unknownProgramType)
        loader.fallbackConvention = SectionConvention("xdp", .xdp, .xdp)
        let reports = loader.loadAll(readInfo: true)
        #expect(reports.count == 1)
        #expect(reports[0].isLoaded, "\(reports[0].summary)")
        #expect((reports[0].info?.translated.count ?? 0) > 0)
    }
}
