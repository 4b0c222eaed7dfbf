/* tc (sched_cls): classify by EtherType into skb->mark and skb->priority,
 * drop frames too short for an Ethernet header. */
#include "bpf_defs.h"

SEC("tc")
int tc_classify(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return TC_ACT_SHOT;

	switch (bpf_ntohs(eth->h_proto)) {
	case ETH_P_IP:
		skb->mark = 4;
		break;
	case ETH_P_IPV6:
		skb->mark = 6;
		break;
	default:
		skb->mark = 1;
		break;
	}
	skb->priority = skb->len > 1000 ? 1 : 0;
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
