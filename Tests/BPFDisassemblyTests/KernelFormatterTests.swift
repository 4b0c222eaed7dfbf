import BPFDisassembly
import BPFInstructions
import BPFTestSupport
import Foundation
import Testing

@Suite struct KernelFormatterTests {
    static let cSource = """
    struct __sk_buff { unsigned int len, pkt_type, mark, queue_mapping, protocol; };
    typedef unsigned long long u64;
    #define SEC(x) __attribute__((section(x), used))
    struct { int (*type)[2]; int (*max_entries)[4]; int *key; u64 *value; } counts SEC(".maps");
    static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
    static long (*bpf_ktime_get_ns)(void) = (void *)5;
    static long (*bpf_get_prandom_u32)(void) = (void *)7;
    static __attribute__((noinline)) int sub(int a) { return a * 7 - 3; }
    SEC("socket") int prog(struct __sk_buff *skb) {
      int key = 0;
      u64 *val = bpf_map_lookup_elem(&counts, &key);
      long v = skb->len;
      unsigned long long t = bpf_ktime_get_ns();
      if (!val) return 0;
      __sync_fetch_and_add(val, 1);
      long old = __sync_fetch_and_or(val, 2);
      old += __sync_lock_test_and_set(val, 5) + __sync_val_compare_and_swap(val, 6, 7);
      __sync_fetch_and_xor(val, 9);
      unsigned int *w = (unsigned int *)val;
      old += __sync_fetch_and_and(w, 3) + __sync_val_compare_and_swap(w, 1, 2);
      v = v / (unsigned long)(skb->mark | 1) + (signed char)skb->protocol + (short)v + __builtin_bswap32(skb->mark);
      v += (long)(skb->pkt_type % (skb->queue_mapping | 1)) + old + (long)t + bpf_get_prandom_u32();
      v += sub((int)v) + (long)(v >> 63);
      if ((int)v > -5) v ^= 1;
      if (v > 100000) v -= 77;
      return v & 1 ? -1 : 0;
    }
    char _license[] SEC("license") = "GPL";
    """


    /// Loads a program into the running kernel with bpftool, dumps its
    /// translated instructions as text and as raw bytes, and compares our
    /// kernel-style rendering of the bytes with bpftool's text.
    ///
    /// Call names come from kallsyms in bpftool's dump (`call bpf_user_rnd_u32#23440`),
    /// which a formatter cannot know: names are masked on both sides, the
    /// `#imm` part is still compared. Lines bpftool cannot decode (`BUG_..`,
    /// ISA v4 forms in old bpftool) are counted and skipped.
    @Test(.enabled(if: ExternalTools.bpftool != nil && ExternalTools.clang != nil, "needs bpftool and clang"),
          .enabled(if: KernelProbe.isAvailable && FileManager.default.fileExists(atPath: "/sys/fs/bpf"),
                   "needs bpf(2) and a mounted bpffs to load programs"))
    func matchesBpftoolXlatedDump() throws {
        let bpftool = try #require(ExternalTools.bpftool), clang = try #require(ExternalTools.clang)
        let scratch = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let source = scratch.appendingPathComponent("prog.c")
        let object = scratch.appendingPathComponent("prog.o")
        try Self.cSource.write(to: source, atomically: true, encoding: .utf8)
        _ = try Subprocess.output(clang, ["-target", "bpf", "-mcpu=v3", "-O2", "-g", "-c", source.path, "-o", object.path])
        let pin = "/sys/fs/bpf/bpfdisasm-test-" + UUID().uuidString.prefix(8)
        // The kernel works (the probe loaded a program): a refusal here is a failure.
        _ = try Subprocess.output(bpftool, ["prog", "load", object.path, pin, "type", "socket"])
        defer { try? FileManager.default.removeItem(atPath: pin) }
        let text = String(decoding: try Subprocess.output(bpftool, ["prog", "dump", "xlated", "pinned", pin]), as: UTF8.self)
        let raw = scratch.appendingPathComponent("xlated.bin")
        _ = try Subprocess.output(bpftool, ["prog", "dump", "xlated", "pinned", pin, "file", raw.path])
        let program = try Program(decoding: [UInt8](Data(contentsOf: raw)), byteOrder: .littleEndian)

        var expected: [(Int, String)] = []
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"), let index = Int(line[..<colon].trimmingCharacters(in: " ")),
                  line[line.index(after: colon)...].hasPrefix(" ") else { continue }
            expected.append((index, String(line[line.index(colon, offsetBy: 2)...])))
        }
        let ours = Disassembler(formatter: KernelFormatter(xlated: true)).lines(program)
        func masked(_ text: String) -> String {
            guard let call = text.range(of: ") call ") else { return text }
            let rest = text[call.upperBound...]
            if rest.hasPrefix("pc") { return String(text[..<call.upperBound]) + (rest.split(separator: "#").first.map(String.init) ?? "") }
            guard let hash = rest.firstIndex(of: "#") else { return text }
            return String(text[..<call.upperBound]) + rest[hash...]
        }
        var compared = 0, skipped = 0
        var mismatches: [String] = []
        #expect(ours.count == expected.count)
        for (line, (index, want)) in zip(ours, expected) {
            if want.hasPrefix("BUG") { skipped += 1; continue }
            compared += 1
            if line.index.rawValue != index || masked(line.text) != masked(want) {
                mismatches.append("\(index): bpftool: \(want) | ours: \(line.index.rawValue): \(line.text)")
            }
        }
        print("bpftool xlated: \(compared) instructions compared, \(skipped) skipped, \(mismatches.count) mismatches")
        for mismatch in mismatches.prefix(20) { print("  mismatch: \(mismatch)") }
        #expect(compared > 60)
        #expect(mismatches.isEmpty)
    }

    /// Hand-derived spellings for forms a loaded program cannot show.
    @Test(arguments: [
        ("b701000005000000", nil, "(b7) r1 = 5"),
        ("07020000fcffffff", nil, "(07) r2 += -4"),
        ("3f21010000000000", nil, "(3f) r1 s/= r2"),
        ("bf21080000000000", nil, "(bf) r1 = (s8)r2"),
        ("bc21100000000000", nil, "(bc) w1 = (s16)w2"),
        ("bf21010001000000", nil, "(bf) r1 = addr_space_cast(r2, 0, 1)"),
        ("d701000010000000", nil, "(d7) r1 = bswap16 r1"),
        ("dc01000020000000", nil, "(dc) r1 = be32 r1"),
        ("9121f8ff00000000", nil, "(91) r1 = *(s8 *)(r2 -8)"),
        ("7a0af8ff07000000", nil, "(7a) *(u64 *)(r10 -8) = 7"),
        ("3921080000000000", nil, "(39) r1 = *(u64 *)(r2 +8) /* probe_mem */"),
        ("0600000064000000", nil, "(06) gotol pc+100"),
        ("e500020000000000", nil, "(e5) may_goto pc+2"),
        ("d6010300fbffffff", nil, "(d6) if w1 s<= 0xfffffffb goto pc+3"),
        ("db21000000010000", nil, "(db) r1 = load_acquire((u64 *)(r2 +0))"),
        ("c312040010010000", nil, "(c3) store_release((u32 *)(r2 +4), r1)"),
        ("2000000017000000", nil, "(20) r0 = *(u32 *)skb[23]"),
        ("5020000004000000", nil, "(50) r0 = *(u8 *)skb[r2 + 4]"),
        ("8510000005000000", nil, "(85) call pc+5"),
        ("8500000001000000", nil, "(85) call bpf_map_lookup_elem#1"),
        ("8520000010000000", nil, "(85) call #16"),
        ("c200000000000000", nil, "(c2) nospec"),
        ("9500000000000000", nil, "(95) exit"),
        ("1822000007000000", "0000000008000000", "(18) r2 = map[id:7][0]+8"),
        ("18010000ffffffff", "0000000001000000", "(18) r1 = 0x1ffffffff"),
        ("0c00000000000000", nil, "(0c) w0 += w0"),
        ("ff00000000000000", nil, "(ff) unknown"),
    ] as [(String, String?, String)])
    func handDerivedSpellings(first: String, second: String?, expected: String) throws {
        guard let insn = Instruction(hex: first) else {
            #expect(expected.hasSuffix("unknown"), "malformed hex \(first) is only used for negative cases")
            return
        }
        let next = second.flatMap { Instruction(hex: $0) }
        #expect(KernelFormatter().text(insn, next: next) == expected)
    }

    /// Every slot of the opcode sweep renders with its opcode tag, never crashes,
    /// and the kernel style accepts what llvm accepts (apart from r11 and
    /// atomics with stray imm bits).
    @Test func everyOpcodeRenders() {
        let llvm = LLVMFormatter()
        let kernel = KernelFormatter()
        var rejectedByKernelOnly = 0
        for slot in EncodingSweepTests.singleSlotSweep() {
            let formatted = kernel.format(slot, next: nil)
            let tag = "(" + (slot.code < 16 ? "0" : "") + String(slot.code, radix: 16) + ") "
            #expect(formatted.text.hasPrefix(tag) && formatted.text.count > tag.count)
            if llvm.format(slot, next: nil).isValid && !formatted.isValid {
                rejectedByKernelOnly += 1
                // llvm also accepts r11, and atomics whose imm has stray bits
                // outside the nine it checks; the kernel style is exact.
                let strayAtomic = slot.instructionClass == .stx && slot.accessMode == .atomic
                    && ![0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1, 0x100, 0x110].contains(slot.immediate)
                #expect(slot.dstNumber == 11 || slot.srcNumber == 11 || strayAtomic, "kernel style rejects \(slot.hex)")
            }
        }
        #expect(rejectedByKernelOnly > 0)
    }

    @Test func kernelListingLayout() {
        let program = Program(slots: [Instruction(code: 0xb7, dst: .r0, immediate: 2), Instruction(code: 0x95)])
        #expect(Disassembler(formatter: KernelFormatter()).kernelListing(program) == "   0: (b7) r0 = 2\n   1: (95) exit\n")
        // A function name on a line of its own, source lines as bpftool prints line info.
        let listing = Disassembler(formatter: KernelFormatter())
            .kernelListing(program, labels: [(1, "g"), (0, "f")], sourceLines: [0: "return 2;", 1: "return 2;"])
        #expect(listing == "f:\n; return 2;\n   0: (b7) r0 = 2\ng:\n   1: (95) exit\n")
    }
}
