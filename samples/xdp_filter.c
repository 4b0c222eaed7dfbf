/* XDP: drop IPv4 UDP datagrams to port 9 (discard), pass everything else.
 * Direct packet access with the bounds checks the verifier demands. */
#include "bpf_defs.h"

SEC("xdp")
int xdp_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;

	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	if (ip->protocol != IPPROTO_UDP)
		return XDP_PASS;

	u32 header = (ip->ihl_version & 0x0f) * 4;
	if (header < sizeof(*ip))
		return XDP_DROP;
	struct udphdr *udp = (void *)ip + header;
	if ((void *)(udp + 1) > data_end)
		return XDP_PASS;
	return udp->dest == bpf_htons(9) ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
