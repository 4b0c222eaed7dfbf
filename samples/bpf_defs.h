/* bpf_defs.h: the few declarations our samples need, written for this
 * project so that the samples build with nothing but clang (no kernel or
 * libbpf headers). Values are the stable UAPI numbers. */
#ifndef BPFPATCH_SAMPLES_BPF_DEFS_H
#define BPFPATCH_SAMPLES_BPF_DEFS_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

/* Place a function or variable in a named ELF section: the loader derives
 * the program type from the section name (xdp, tc, socket, ...). */
#define SEC(name) __attribute__((section(name), used))

/* Keep a static function a real bpf-to-bpf call instead of inlining it. */
#define __noinline __attribute__((noinline))

/* BTF-defined map fields (the `.maps` section convention): each field's
 * value is carried by the type, not by data. */
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name

/* Helper functions are called by number: a pointer constant that clang
 * turns into `call N`. */
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*bpf_map_update_elem)(void *map, const void *key, const void *value, u64 flags) = (void *)2;
static u64 (*bpf_ktime_get_ns)(void) = (void *)5;
static long (*bpf_skb_load_bytes)(const void *skb, u32 offset, void *to, u32 len) = (void *)26;
static long (*bpf_loop)(u32 nr_loops, void *callback_fn, void *callback_ctx, u64 flags) = (void *)181;

enum { BPF_MAP_TYPE_HASH = 1, BPF_MAP_TYPE_ARRAY = 2, BPF_MAP_TYPE_PERCPU_ARRAY = 6 };
enum { BPF_ANY = 0 };

/* Program return codes. */
enum { XDP_ABORTED = 0, XDP_DROP = 1, XDP_PASS = 2, XDP_TX = 3 };
enum { TC_ACT_OK = 0, TC_ACT_SHOT = 2 };

/* The leading fields of the program contexts, at their UAPI offsets. The
 * verifier checks each context access by offset, so a prefix suffices. */
struct xdp_md {
	u32 data;
	u32 data_end;
	u32 data_meta;
	u32 ingress_ifindex;
	u32 rx_queue_index;
	u32 egress_ifindex;
};

struct __sk_buff {
	u32 len;
	u32 pkt_type;
	u32 mark;
	u32 queue_mapping;
	u32 protocol;
	u32 vlan_present;
	u32 vlan_tci;
	u32 vlan_proto;
	u32 priority;
	u32 ingress_ifindex;
	u32 ifindex;
	u32 tc_index;
	u32 cb[5];
	u32 hash;
	u32 tc_classid;
	u32 data;
	u32 data_end;
};

/* Wire formats (network byte order on the wire). */
struct ethhdr {
	u8 h_dest[6];
	u8 h_source[6];
	u16 h_proto;
} __attribute__((packed));

struct iphdr {
	u8 ihl_version;
	u8 tos;
	u16 tot_len;
	u16 id;
	u16 frag_off;
	u8 ttl;
	u8 protocol;
	u16 check;
	u32 saddr;
	u32 daddr;
};

struct udphdr {
	u16 source;
	u16 dest;
	u16 len;
	u16 check;
};

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define bpf_htons(x) __builtin_bswap16(x)
#define bpf_ntohs(x) __builtin_bswap16(x)
#else
#define bpf_htons(x) (x)
#define bpf_ntohs(x) (x)
#endif

#endif
