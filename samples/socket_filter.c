/* Socket filter: keep whole IPv4 TCP packets, the first 64 bytes of other
 * IPv4 packets, and nothing else. Reads the packet through a helper, as
 * socket filters cannot use direct packet access. */
#include "bpf_defs.h"

SEC("socket")
int socket_filter(struct __sk_buff *skb)
{
	u16 proto;
	u8 ip_proto;

	if (bpf_skb_load_bytes(skb, 12, &proto, sizeof(proto)) < 0)
		return 0;
	if (proto != bpf_htons(ETH_P_IP))
		return 0;
	if (bpf_skb_load_bytes(skb, 14 + 9, &ip_proto, sizeof(ip_proto)) < 0)
		return 0;
	return ip_proto == IPPROTO_TCP ? skb->len : 64;
}

char _license[] SEC("license") = "GPL";
