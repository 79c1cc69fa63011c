// SPDX-License-Identifier: GPL-2.0-only
/* bpf/defs.h: constants, context access, wire words and the types the maps and handlers share. */
#ifndef RTR_BPF_DEFS_H
#define RTR_BPF_DEFS_H

/*
 * Included by rtr.bpf.c before its configuration and maps (route_cache holds a
 * struct route_slot). Every function here is static __always_inline.
 */

/*
 * What the program returns for every packet that is not ours: TC_ACT_UNSPEC
 * (-1), which is TCX_NEXT under a tcx link and "no verdict, go on" for a cls_bpf
 * filter, so the programs and filters after ours still see the packet.
 * RTR_PASS (0) would end the chain there: under tcx every legacy tc filter
 * of the interface would stop seeing traffic (SRV-21).
 */
#define RTR_PASS (-1)
#define TC_ACT_SHOT 2
#define ETH_HLEN RTR_ETH_HLEN
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define AF_INET 2
#define AF_INET6 10
#define PACKET_HOST 0	 /* skb->pkt_type of a frame for this host (uapi if_packet.h) */
#define REQ_MAX_LEN 1024 /* longest request we checksum (ICMP bytes) */
#define ANS_MAX_LEN 1280 /* longest answer we checksum (L4 bytes) */

/* Answer kinds, numbered as proto/answer.h enum rtr_answer_kind. */
#define RTR_ANS_TIME_EXCEEDED 1
#define RTR_ANS_DEST_UNREACH 2
#define RTR_ANS_ECHO_REPLY 3
#define RTR_ANS_TCP_RST 4
#define RTR_ANS_TCP_SYNACK 5

/*
 * Masks v in a way clang cannot drop as redundant, so the verifier sees a
 * bound on the very register that is added to a packet pointer (barrier_var,
 * from bpf_helpers.h, likewise keeps a pointer in the register it was checked in).
 */
#define vbound(v, m) asm volatile("%[x] &= %[k]" : [x] "+r"(v) : [k] "i"(m))

/* What the parser learned about the packet's IP header. */
struct pkt {
	__u8 family;
	__u8 proto;
	__u8 fragment;
	__u8 first_fragment; /* fragment offset 0: the L4 header is present */
	__u8 exthdr;	     /* IPv6: Hop-by-Hop, Routing or Destination options before L4 */
	__u32 l4off;	     /* from skb->data */
	__u32 l4len;	     /* L4 bytes per the IP header */
	__u8 src[16];
	__u8 dst[16];
};

/* A packet we send: its addresses and what the FIB hashes on. */
struct flow_out {
	__u8 src[16];
	__u8 dst[16];
	__u8 family;
	__u8 l4proto;
	__u16 sport;
	__u16 dport;
	__u16 tot_len; /* not part of the route cache key: probes are far below any MTU */
	__u64 now;     /* bpf_ktime_get_ns() of this packet */
};
#define FLOW_KEY_LEN 38 /* src .. dport */

/* Where a packet we built will leave, from bpf_fib_lookup. */
struct route {
	__u32 ifindex;
	__u8 smac[6];
	__u8 dmac[6];
	__u8 neigh; /* no neighbour entry yet: bpf_redirect_neigh resolves it */
};

/*
 * A per-CPU, direct-mapped cache of FIB answers, keyed by everything the
 * lookup depends on (addresses, protocol, ports: per-flow ECMP choices stay
 * per flow) and kept ROUTE_TTL_NS: a lookup costs ~190 ns here, a hit ~15, and
 * route or neighbour changes take effect within ROUTE_TTL_NS. Only complete
 * answers (both MAC addresses) are cached.
 */
#define ROUTE_SLOTS 1024
#define ROUTE_TTL_NS 200000000ull

struct route_slot {
	struct flow_out key;
	struct route r;
	__u64 expires;
};

/*
 * skb->data and skb->data_end read with one load each: clang otherwise may
 * form ctx + offset in a register, which the verifier refuses.
 */
static __always_inline void *pkt_data(struct __sk_buff *skb)
{
	void *d;

	asm volatile("%[d] = *(u32 *)(%[ctx] + %[off])"
		     : [d] "=r"(d)
		     : [ctx] "r"(skb), [off] "i"(__builtin_offsetof(struct __sk_buff, data)));
	return d;
}

/* Any other __sk_buff field, loaded the same way. */
#define ctx_u32(skb, field)                                                                        \
	({                                                                                         \
		__u32 v_;                                                                          \
		asm volatile(                                                                      \
			"%[d] = *(u32 *)(%[ctx] + %[off])"                                         \
			: [d] "=r"(v_)                                                             \
			: [ctx] "r"(skb), [off] "i"(__builtin_offsetof(struct __sk_buff, field))); \
		v_;                                                                                \
	})

static __always_inline void *pkt_end(struct __sk_buff *skb)
{
	void *d;

	asm volatile("%[d] = *(u32 *)(%[ctx] + %[off])"
		     : [d] "=r"(d)
		     : [ctx] "r"(skb), [off] "i"(__builtin_offsetof(struct __sk_buff, data_end)));
	return d;
}

/*
 * Wire words are read and written with one (possibly unaligned) load or store
 * and a byte swap: x86 and the verifier allow unaligned packet, stack and map
 * access, and byte-wise code made clang spill past the 512-byte stack.
 */
static __always_inline __u32 rd16(const __u8 *p)
{
	return bpf_ntohs(*(const __u16 *)p);
}

static __always_inline __u32 rd32(const __u8 *p)
{
	return bpf_ntohl(*(const __u32 *)p);
}

static __always_inline void wr16(__u8 *p, __u32 v)
{
	*(__u16 *)p = bpf_htons((__u16)v);
}

static __always_inline void wr32(__u8 *p, __u32 v)
{
	*(__u32 *)p = bpf_htonl(v);
}

static __always_inline int addr_eq(const __u8 *a, const __u8 *b)
{
	__u64 x = 0;

	for (int i = 0; i < 16; i++)
		x |= a[i] ^ b[i];
	return x == 0;
}

#endif
