// SPDX-License-Identifier: GPL-2.0-only
/* bpf/route.h: where a packet we build leaves: bpf_fib_lookup behind a per-CPU route cache. */
#ifndef RTR_BPF_ROUTE_H
#define RTR_BPF_ROUTE_H

/*
 * Included once, by rtr.bpf.c, after its configuration and maps: uses the
 * route_cache map. route stays a global (__noinline) function, verified once:
 * both handlers call it, the answer handler twice after a SYN-ACK.
 */

/* Looks up where a packet from src to dst leaves; 0 on success. */
__noinline int route(struct __sk_buff *skb, const struct flow_out *fo, struct route *r)
{
	if (!fo || !r)
		return -1;
	struct bpf_fib_lookup fib = {};
	struct route_slot *c;
	const __u64 *a = (const __u64 *)fo;
	__u64 h = 0, same;
	__u32 slot;
	long rc;

	/* The key's first 32 bytes are the addresses, then family, protocol and ports. */
	for (int i = 0; i < 4; i++)
		h = (h ^ a[i]) * 0x9e3779b97f4a7c15ull;
	h = (h ^ (*(const __u32 *)((const __u8 *)fo + 32) | (__u64)fo->dport << 32)) *
	    0x9e3779b97f4a7c15ull;
	slot = (__u32)(h >> 54) & (ROUTE_SLOTS - 1);
	c = bpf_map_lookup_elem(&route_cache, &slot);
	if (c && c->expires > fo->now) {
		const __u64 *b = (const __u64 *)&c->key;

		same = (a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]);
		if (!same && c->key.family == fo->family && c->key.l4proto == fo->l4proto &&
		    c->key.sport == fo->sport && c->key.dport == fo->dport) {
			*r = c->r;
			return 0;
		}
	}

	fib.family = fo->family == 4 ? AF_INET : AF_INET6;
	fib.l4_protocol = fo->l4proto;
	fib.sport = bpf_htons(fo->sport);
	fib.dport = bpf_htons(fo->dport);
	fib.tot_len = fo->tot_len;
	/*
	 * Looked up as if the packet came in on lo, as the kernel routes what
	 * this host originates (policy rules "iif lo" apply); the helper only
	 * answers for an input device with forwarding on, which the loader
	 * enables on lo alone (LOOPBACK_IFINDEX is 1 in every namespace).
	 */
	fib.ifindex = 1;
	if (fo->family == 4) {
		__builtin_memcpy(&fib.ipv4_src, fo->src + RTR_MAPPED_V4_OFF, 4);
		__builtin_memcpy(&fib.ipv4_dst, fo->dst + RTR_MAPPED_V4_OFF, 4);
	} else {
		__builtin_memcpy(fib.ipv6_src, fo->src, 16);
		__builtin_memcpy(fib.ipv6_dst, fo->dst, 16);
	}
	rc = bpf_fib_lookup(skb, &fib, sizeof(fib), 0);
	if (rc == BPF_FIB_LKUP_RET_SUCCESS) {
		r->ifindex = fib.ifindex;
		__builtin_memcpy(r->smac, fib.smac, 6);
		__builtin_memcpy(r->dmac, fib.dmac, 6);
		r->neigh = 0;
		if (c) {
			c->key = *fo;
			c->r = *r;
			c->expires = fo->now + ROUTE_TTL_NS;
		}
		return 0;
	}
	if (rc == BPF_FIB_LKUP_RET_NO_NEIGH) {
		r->ifindex = fib.ifindex;
		r->neigh = 1;
		return 0;
	}
	return -1;
}

#endif
