/* Several functions: bpf-to-bpf calls between __noinline static
 * functions (each gets a BTF func_info record and a subprog), and a
 * callback passed to bpf_loop (an ld_imm64 that refers to a function). */
#include "bpf_defs.h"

struct sum_ctx {
	const u8 *bytes;
	const void *end;
	u32 sum;
};

static __noinline u32 fold(u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	return (sum & 0xffff) + (sum >> 16);
}

static __noinline u32 weight(u32 byte, u32 index)
{
	return index & 1 ? byte : byte << 8;
}

static long add_byte(u32 index, void *data)
{
	struct sum_ctx *c = data;
	const u8 *p = c->bytes + (index & 63);

	if ((const void *)(p + 1) > c->end)
		return 1; /* stop the loop */
	c->sum += weight(*p, index);
	return 0;
}

static __noinline u32 header_sum(struct xdp_md *ctx)
{
	struct sum_ctx c = {
		.bytes = (const u8 *)(long)ctx->data,
		.end = (const void *)(long)ctx->data_end,
		.sum = 0,
	};

	bpf_loop(64, add_byte, &c, 0);
	return fold(c.sum);
}

SEC("xdp")
int xdp_checksum(struct xdp_md *ctx)
{
	u32 sum = header_sum(ctx);

	return fold(sum) == 0xffff ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
