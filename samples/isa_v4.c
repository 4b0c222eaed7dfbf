/* ISA v4 (clang -mcpu=v4): sign-extending loads, movsx, sdiv/smod,
 * bswap and gotol. Test-runnable as an XDP program: every path returns
 * XDP_PASS or XDP_DROP. */
#include "bpf_defs.h"

SEC("xdp")
int xdp_v4(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	s8 *bytes = data;
	s64 acc;

	if ((void *)(bytes + 16) > data_end)
		return XDP_PASS;

	/* Sign-extending loads: ldxsb, ldxsh, ldxsw. */
	acc = (bytes[0] + *(s16 *)(bytes + 2)) * (s64)*(s32 *)(bytes + 4);

	/* movsx: sign-extend register contents of a narrower type. */
	s64 wide = (s64)(s8)acc + (s64)(s16)(acc >> 8) + (s64)(s32)(acc >> 16);

	/* Signed division and modulo by a value known only at run time. */
	s64 divisor = (s64)bytes[8] | 1;
	s64 modulus = (s64)*(s16 *)(bytes + 10) | 1;
	wide = wide / divisor + (acc ^ 0x5555) % modulus;

	/* Unconditional byte swaps (bswap16/32/64). */
	u64 swapped = __builtin_bswap64((u64)wide) ^ __builtin_bswap32((u32)wide) ^ __builtin_bswap16((u16)wide);

	/* A 32-bit-offset jump (gotol). Every slot stays reachable, as the
	 * verifier demands: the add is reached by the conditional jump. */
	asm volatile("if %[v] > 5 goto +1\n\t"
		     "gotol +1\n\t"
		     "%[v] += 1\n\t"
		     : [v] "+r"(swapped));

	return (swapped & 1) ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
