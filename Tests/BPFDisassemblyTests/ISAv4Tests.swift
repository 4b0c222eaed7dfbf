import BPFDisassembly
import BPFInstructions
import BPFTestSupport
import Foundation
import Testing

/// ISA v4 instructions (absent from the corpus) compiled at test time with
/// the toolchain's clang and compared with llvm-objdump.
@Suite struct ISAv4Tests {
    static let cSource = """
    typedef unsigned long long u64; typedef long long s64; typedef int s32; typedef unsigned int u32;
    typedef short s16; typedef signed char s8;
    struct ctx { s64 a; s32 b; s16 c; s8 d; u64 e; };
    __attribute__((section("xdp"))) int prog(struct ctx *x) {
      s64 r = x->a / x->b;
      r += x->a % (s64)x->c;
      r += (s64)x->d + (s64)(s32)x->e + (s64)(s16)x->e + (s64)(s8)x->e;
      r += __builtin_bswap64(x->e) + __builtin_bswap32((u32)x->e) + __builtin_bswap16((unsigned short)x->e);
      __sync_fetch_and_add(&x->e, 1);
      r += __sync_fetch_and_or(&x->e, 2) + __sync_fetch_and_and(&x->e, 3) + __sync_fetch_and_xor(&x->e, 4);
      r += __sync_lock_test_and_set(&x->e, 5) + __sync_val_compare_and_swap(&x->e, 6, 7);
      u32 *p = (u32 *)&x->b;
      r += __sync_fetch_and_add(p, 1) + __sync_val_compare_and_swap(p, 1, 2) + __atomic_exchange_n(p, 9, __ATOMIC_SEQ_CST);
      __atomic_fetch_or(p, 8, __ATOMIC_RELAXED);
      __atomic_fetch_and(p, 8, __ATOMIC_RELAXED);
      __atomic_fetch_xor(&x->e, 8, __ATOMIC_RELAXED);
      r += __atomic_load_n(&x->e, __ATOMIC_ACQUIRE) + __atomic_load_n(&x->c, __ATOMIC_ACQUIRE);
      __atomic_store_n(&x->e, r, __ATOMIC_RELEASE);
      __atomic_store_n(&x->d, 1, __ATOMIC_RELEASE);
      for (int i = 0; i < 1000; i++) { if (x->a > i) r += i * 3; }
      return (int)r;
    }
    __attribute__((section("tc"))) int prog2(void *ctx) {
      asm volatile("may_goto +1\\n\\tgotol +1\\n\\tr0 = 1\\n\\tcallx r1\\n\\t"
                   "r1 = addr_space_cast(r2, 0, 1)\\n\\tw1 = (s8)w2\\n\\tw1 = (s16)w2\\n\\tw1 s/= 3\\n\\tw3 s%%= w4\\n\\t"
                   "r1 = le16 r1\\n\\tr1 = be32 r1\\n\\tr0 = *(u8 *)skb[4]\\n\\tr0 = *(u32 *)skb[r3]\\n\\t"
                   "r1 = -r1\\n\\tw2 = -w2\\n\\tif w1 s< 5 goto +1\\n\\tif r1 & r2 goto +0\\n\\t"
                   "*(u16 *)(r10 - 4) = 7\\n\\tlock *(u64 *)(r1 + 8) ^= r2\\n\\tr1 = *(s32 *)(r2 - 8)\\n\\t"
                   "w1 = load_acquire((u8 *)(r2 + 0))\\n\\tstore_release((u32 *)(r1 + 4), w2)"
                   ::: "r0", "r1", "r2", "r3");
      return 0;
    }
    """

    @Test(.enabled(if: ExternalTools.clang != nil && ExternalTools.objdump != nil, "needs clang and llvm-objdump (LLVM 21)"))
    func compiledV4ObjectMatchesLLVM() throws {
        let clang = try #require(ExternalTools.clang)
        let scratch = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let source = scratch.appendingPathComponent("v4.c")
        let object = scratch.appendingPathComponent("v4.o")
        try Self.cSource.write(to: source, atomically: true, encoding: .utf8)
        _ = try Subprocess.output(clang, ["-target", "bpf", "-mcpu=v4", "-O2", "-Xclang", "-fno-split-cold-code",
                                      "-c", source.path, "-o", object.path])
        let comparison = try compareObject(at: object.path, scratch: scratch)
        print("ISA v4 object: \(comparison.sections) sections, \(comparison.instructions) instructions compared, \(comparison.mismatches.count) mismatches")
        for mismatch in comparison.mismatches.prefix(20) { print("  mismatch: \(mismatch)") }
        #expect(comparison.sections == 2)
        #expect(comparison.instructions > 80)
        #expect(comparison.mismatches.isEmpty)

        // The object must really contain the v4 forms (else the comparison proves little).
        let listing = String(decoding: try Subprocess.output(ExternalTools.objdump!, ["-d", "--no-show-raw-insn", object.path]), as: UTF8.self)
        for form in ["s/=", "s%=", "(s8)", "(s16)", "(s32)", "*(s8 *)", "bswap64", "bswap16", "atomic_fetch_xor",
                     "xchg_64", "cmpxchg32_32", "load_acquire", "store_release", "may_goto", "gotol", "callx",
                     "addr_space_cast", "skb[", "lock"] {
            #expect(listing.contains(form), "clang output lacks \(form)")
        }
    }
}
