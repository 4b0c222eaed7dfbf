/* A BTF-defined array map counting packets and bytes per IP protocol,
 * compiled with -g so that the object carries BTF line info. */
#include "bpf_defs.h"

struct counters {
	u64 packets;
	u64 bytes;
	u64 last_seen_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, u32);
	__type(value, struct counters);
} protocol_counters SEC(".maps");

SEC("socket")
int count_protocols(struct __sk_buff *skb)
{
	u8 ip_proto = 0;
	u32 key;
	struct counters *c;

	if (skb->protocol == bpf_htons(ETH_P_IP))
		bpf_skb_load_bytes(skb, 14 + 9, &ip_proto, sizeof(ip_proto));
	key = ip_proto;

	c = bpf_map_lookup_elem(&protocol_counters, &key);
	if (!c)
		return 0;
	__sync_fetch_and_add(&c->packets, 1);
	__sync_fetch_and_add(&c->bytes, skb->len);
	c->last_seen_ns = bpf_ktime_get_ns();
	return skb->len;
}

char _license[] SEC("license") = "GPL";
