// SPDX-License-Identifier: GPL-2.0-only
/* l4hash.bpf.c: tc ingress program for lab routers: hashes addresses, protocol and the first
 * 4 bytes after the IP header (ports for UDP/TCP; type, code and checksum for ICMP), as
 * commodity routers do, and stores it as the packet's L4 hash. With
 * fib_multipath_hash_policy=1 the kernel then picks the ECMP next hop from that hash, so ICMP
 * flows with different checksums spread over the branches (Linux alone never spreads ICMP). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* Entry 0: the node's seed, so routers in series do not all choose alike. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} l4hash_seed SEC(".maps");

static __always_inline __u32 mix(__u32 h, __u32 v)
{
	h ^= v;
	h *= 0x9e3779b1u;
	return h ^ (h >> 15);
}

SEC("tc")
int l4hash(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	__u32 key = 0, h, first4;
	__u8 *l4;

	if ((void *)(eth + 1) > end)
		return TC_ACT_OK;
	__u32 *seed = bpf_map_lookup_elem(&l4hash_seed, &key);
	h = seed ? *seed : 0;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);
		if ((void *)(ip + 1) > end || ip->ihl < 5)
			return TC_ACT_OK;
		if (ip->frag_off & bpf_htons(0x1fff))
			return TC_ACT_OK; /* later fragments carry no L4 header */
		l4 = (__u8 *)ip + ip->ihl * 4;
		if ((void *)(l4 + 4) > end)
			return TC_ACT_OK;
		h = mix(h, ip->saddr);
		h = mix(h, ip->daddr);
		h = mix(h, ip->protocol);
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);
		if ((void *)(ip6 + 1) > end)
			return TC_ACT_OK;
		l4 = (__u8 *)(ip6 + 1); /* no extension headers in the lab */
		if ((void *)(l4 + 4) > end)
			return TC_ACT_OK;
		for (int i = 0; i < 4; i++) {
			h = mix(h, ip6->saddr.in6_u.u6_addr32[i]);
			h = mix(h, ip6->daddr.in6_u.u6_addr32[i]);
		}
		h = mix(h, ip6->nexthdr);
	} else {
		return TC_ACT_OK;
	}
	__builtin_memcpy(&first4, l4, 4);
	h = mix(h, first4);
	bpf_set_hash(skb, h ? h : 1);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
