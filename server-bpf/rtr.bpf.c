// SPDX-License-Identifier: GPL-2.0-only
/* rtr.bpf.c: tc ingress program that answers reverse traceroute requests (IPv4 and IPv6). */
#include "vmlinux.h"

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "rtr_server.h"
#include "rtr_wire.h"

/*
 * One packet in, at most one decision: a request becomes a probe (or an error
 * response) in place and is redirected; an answer to a pending probe becomes
 * the response in place and is redirected; malformed or refused requests are
 * dropped and counted; everything else returns TC_ACT_OK untouched. Sessions
 * live in one preallocated table (rtr_server.h) and carry a timestamp: expiry
 * is checked on lookup and by the loader's sweeper, never by bpf_timer (ENOMEM
 * under bursts).
 */

#define TC_ACT_OK 0
#define TC_ACT_SHOT 2
#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_FRAGMENT 44
#define PACKET_HOST 0	 /* skb->pkt_type of a frame for this host (uapi if_packet.h) */
#define REQ_MAX_LEN 1024 /* longest request we checksum (ICMP bytes) */
#define ANS_MAX_LEN 1280 /* longest answer we checksum (L4 bytes) */
#define EXT_MAX_OBJS 16	 /* objects per request; more is malformed */

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

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load (skeleton .rodata). */
const volatile __u64 cfg_timeout_ns = RTR_DEFAULT_TIMEOUT_NS;
const volatile __u64 cfg_src_rate = 0;	   /* tokens per second per source; 0 = unlimited */
const volatile __u64 cfg_src_burst = 1;	   /* bucket depth per source */
const volatile __u64 cfg_src_iv_ns = 0;	   /* ns per token of a source: 1e9 / cfg_src_rate */
const volatile __u64 cfg_src_tau_ns = 0;   /* bucket depth in ns: cfg_src_burst * cfg_src_iv_ns */
const volatile __u64 cfg_cpu_rate = 0;	   /* global rate divided by the CPU count; 0 = unlimited */
const volatile __u64 cfg_cpu_burst = 1;	   /* global bucket depth per CPU */
const volatile __s64 cfg_src_sessions = 0; /* pending sessions per source; 0 = unlimited */
const volatile __u8 cfg_log = 0;
const volatile __u64 cfg_src_seed = 0; /* secret: which slot a source prefix uses */
const volatile __u64 cfg_tbl_seed = 0; /* secret: where a session and a pending key live */
const volatile __u64 cfg_id_key0 = 0;  /* secret: the SipHash key of probe identities */
const volatile __u64 cfg_id_key1 = 0;
const volatile __u32 cfg_tbl_mask = 0;	/* session buckets - 1 */
const volatile __u32 cfg_pend_mask = 0; /* pending buckets - 1 */
const volatile __s64 cfg_max_sessions = RTR_DEFAULT_MAX_SESSIONS;

/* Sessions in the table (the sweeper decrements it through the mmapped .bss). */
__s64 live_sessions = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rtr_tbl_bucket);
} sessions SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rtr_pend_bucket);
} pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, RTR_SRC_SLOTS);
	__type(key, __u32);
	__type(value, struct rtr_src_state);
} sources SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rtr_bucket);
} global_bucket SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rtr_counters);
} counters SEC(".maps");

/*
 * This host's unicast addresses (IPv4 as ::ffff:a.b.c.d), kept equal to the
 * kernel's list by the loader (server-bpf/local.c): a request is ours only
 * when its destination is one of them (docs/PROTOCOL.md SRV-11).
 */
#define LOCAL_MAX 4096

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LOCAL_MAX);
	__uint(key_size, 16);
	__uint(value_size, 1);
} local_addrs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} events SEC(".maps");

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

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ROUTE_SLOTS);
	__type(key, __u32);
	__type(value, struct route_slot);
} route_cache SEC(".maps");

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

static __always_inline void count(int idx, __u64 n)
{
	__u32 zero = 0;
	struct rtr_counters *c = bpf_map_lookup_elem(&counters, &zero);
	__u64 i = (__u32)idx;

	/* A 64-bit bound on the very register that indexes (alu32 code checks a copy). */
	if (!c || i >= RTR_C_MAX)
		return;
	vbound(i, 0x1f);
	if (i < RTR_C_MAX)
		c->c[i] += n;
}

static __always_inline void log_event(__u8 kind, const __u8 *addr, const __u8 *hop, __u16 ident,
				      __u8 proto, __u32 value)
{
	struct rtr_event *e;

	if (!cfg_log)
		return;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return;
	e->ts_ns = bpf_ktime_get_ns();
	__builtin_memcpy(e->addr, addr, 16);
	if (hop)
		__builtin_memcpy(e->hop, hop, 16);
	else
		__builtin_memset(e->hop, 0, 16);
	e->value = value;
	e->ident = ident;
	e->kind = kind;
	e->proto = proto;
	/* The loader polls on a timer: a wake-up per packet would cost a VM exit. */
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

static __always_inline int drop(int reason)
{
	count(reason, 1);
	return TC_ACT_SHOT;
}

static __always_inline __u16 fold16(__u64 s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)s;
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

/* Sum of the 16-bit words of an address as it goes into a pseudo-header. */
static __always_inline __u32 sum_addr(const __u8 *a, int family)
{
	__u32 s = 0;

	__u32 w;

	if (family == 4) {
		w = rd32(a + 12);
		return (w >> 16) + (w & 0xffff);
	}
	for (int i = 0; i < 16; i += 4) {
		w = rd32(a + i);
		s += (w >> 16) + (w & 0xffff);
	}
	return s;
}

static __always_inline int addr_eq(const __u8 *a, const __u8 *b)
{
	__u64 x = 0;

	for (int i = 0; i < 16; i++)
		x |= a[i] ^ b[i];
	return x == 0;
}

/*
 * One's complement sum of len packet bytes starting at off (an odd last byte
 * padded with zero), as 16-bit big-endian words. Returns -1 when the bytes are
 * not in the linear area. Open-coded, 8 bytes per step, because a helper call
 * (bpf_csum_diff) costs about as much as summing a whole answer here: the
 * 8-byte loads are added as native 32-bit halves, and since byte order
 * commutes with the one's complement sum (RFC 1071) the folded native sum is
 * byte-swapped back once.
 */
__noinline __s64 sum_pkt(struct __sk_buff *skb, __u32 off, __u32 len, __u32 max)
{
	void *data = pkt_data(skb);
	void *end = pkt_end(skb);
	__u64 s = 0, t = 0;
	__u32 i = 0;
	__u8 *p;

	if (off > 200 || len > max || len > ANS_MAX_LEN)
		return -1;
	/* Masks give the verifier bounds a comparison on a copy would not. */
	vbound(off, 0xff);
	vbound(len, 0x7ff);
	data += off;
	for (int n = 0; n < ANS_MAX_LEN / 8; n++) {
		__u64 w;

		if (i + 8 > len)
			break;
		vbound(i, 0x7ff);
		p = data + i;
		barrier_var(p);
		if ((void *)(p + 8) > end)
			return -1;
		w = *(const __u64 *)p;
		t += (w & 0xffffffffull) + (w >> 32);
		i += 8;
	}
	s = __builtin_bswap16(fold16(t));
	for (int n = 0; n < 3; n++) {
		if (i + 2 > len)
			break;
		vbound(i, 0x7ff);
		p = data + i;
		barrier_var(p);
		if ((void *)(p + 2) > end)
			return -1;
		s += rd16(p);
		i += 2;
	}
	if (i < len) {
		vbound(i, 0x7ff);
		p = data + i;
		barrier_var(p);
		if ((void *)(p + 1) > end)
			return -1;
		s += (__u32)p[0] << 8;
	}
	return (__s64)s;
}

/* Makes the first `need` bytes linear; returns 0 when they are readable. */
static __always_inline int pull(struct __sk_buff *skb, __u32 need)
{
	if (pkt_data(skb) + need <= pkt_end(skb))
		return 0;
	if (need > skb->len)
		return -1;
	if (bpf_skb_pull_data(skb, need))
		return -1;
	return pkt_data(skb) + need <= pkt_end(skb) ? 0 : -1;
}

/*
 * Whether Linux takes the IPv4 options of a packet for this host (what
 * ip_options_compile and ip_rcv_options accept, measured on kernel 6.18;
 * docs/PROTOCOL.md SRV-12): every option fits (type, length >= 2, within
 * IHL), record route and timestamp at most once each with a valid pointer
 * (and room for the entry it points at), router alert of length >= 4. Source
 * routes (refused unless accept_source_route) and CIPSO (refused without a
 * configured DOI) never are. Bytes after an End option do not count.
 * Returns 1 when the kernel would take them.
 */
__noinline int v4_opts_ok(struct __sk_buff *skb, __u32 ihl)
{
	void *data = pkt_data(skb);
	void *end = pkt_end(skb);
	__u32 n = ihl - 20, i = 0, len, ptr, fl;
	int rr = 0, ts = 0;
	__u8 *p;

	if (ihl > 60 || ihl < 20)
		return 0;
	for (int step = 0; step < 40; step++) {
		if (i >= n)
			break;
		vbound(i, 0x3f);
		p = data + ETH_HLEN + 20 + i;
		barrier_var(p);
		if ((void *)(p + 1) > end)
			return 0;
		if (p[0] == 0) /* End of options */
			break;
		if (p[0] == 1) { /* No operation */
			i++;
			continue;
		}
		if (i + 2 > n || (void *)(p + 2) > end)
			return 0;
		len = p[1];
		if (len < 2 || i + len > n)
			return 0;
		switch (p[0]) {
		case 131: /* loose source route */
		case 137: /* strict source route */
		case 134: /* CIPSO */
			return 0;
		case 7: /* record route */
			if (rr++ || len < 3 || (void *)(p + 3) > end)
				return 0;
			ptr = p[2];
			if (ptr < 4 || (ptr <= len && ptr + 3 > len))
				return 0;
			break;
		case 68: /* timestamp */
			if (ts++ || len < 4 || (void *)(p + 4) > end)
				return 0;
			ptr = p[2];
			fl = p[3];
			if (ptr < 5)
				return 0;
			if (ptr <= len) {
				if (ptr + 3 > len)
					return 0;
				/* With addresses, or prespecified: 8 bytes per entry. */
				if (((fl & 0xf) == 1 || (fl & 0xf) == 3) && ptr + 7 > len)
					return 0;
			} else if (fl >> 4 == 15) {
				return 0; /* full, and its overflow counter too */
			}
			break;
		case 148: /* router alert */
			if (len < 4)
				return 0;
			break;
		default:
			break;
		}
		i += len;
	}
	return 1;
}

/*
 * Parses the IP header after Ethernet. Returns 1 for a header we may act on,
 * 0 for anything to pass untouched (also headers the kernel would reject:
 * bad version, length, IPv4 header checksum or options).
 */
static __always_inline int parse_ip(struct __sk_buff *skb, void *data, void *end, struct pkt *k)
{
	__u16 eth_proto = ((__u16 *)data)[6];
	__u8 *ip = data + ETH_HLEN;

	if (eth_proto == bpf_htons(ETH_P_IP)) {
		__u32 ihl, tot, frag;
		__u64 s = 0;

		if ((void *)(ip + 20) > end)
			return 0;
		if (ip[0] >> 4 != 4)
			return 0;
		k->proto = ip[9];
		if (k->proto != RTR_IPPROTO_ICMP && k->proto != RTR_IPPROTO_TCP)
			return 0;
		ihl = (ip[0] & 0xf) * 4;
		tot = rd16(ip + 2);
		if (ihl < 20 || tot < ihl || tot > skb->len - ETH_HLEN)
			return 0;
		if ((void *)(ip + ihl) > end)
			return 0;
		for (__u32 i = 0; i < 20; i += 2)
			s += rd16(ip + i);
		for (__u32 i = 20; i < 60; i += 4) {
			__u8 *o;

			barrier_var(i);
			if (i >= ihl)
				break;
			o = ip + i;
			if ((void *)(o + 4) > end)
				return 0;
			s += rd16(o) + rd16(o + 2);
		}
		if (fold16(s) != 0xffff)
			return 0;
		if (ihl > 20 && !v4_opts_ok(skb, ihl))
			return 0;
		frag = rd16(ip + 6);
		k->fragment = (frag & 0x3fff) != 0;
		k->first_fragment = (frag & 0x1fff) == 0;
		k->exthdr = 0;
		k->family = 4;
		k->l4off = ETH_HLEN + ihl;
		k->l4len = tot - ihl;
		__builtin_memset(k->src, 0, 10);
		k->src[10] = k->src[11] = 0xff;
		__builtin_memcpy(k->src + 12, ip + 12, 4);
		__builtin_memset(k->dst, 0, 10);
		k->dst[10] = k->dst[11] = 0xff;
		__builtin_memcpy(k->dst + 12, ip + 16, 4);
		return 1;
	}
	if (eth_proto == bpf_htons(ETH_P_IPV6)) {
		__u32 plen;

		if ((void *)(ip + 40) > end)
			return 0;
		if (ip[0] >> 4 != 6)
			return 0;
		k->proto = ip[6];
		plen = rd16(ip + 4);
		if (plen > skb->len - ETH_HLEN - 40)
			return 0;
		k->fragment = 0;
		k->first_fragment = 1;
		k->exthdr = 0;
		k->l4off = ETH_HLEN + 40;
		k->l4len = plen;
		/*
		 * Up to 4 Hop-by-Hop, Routing or Destination options headers are
		 * skipped so that a request behind them is recognised (and dropped,
		 * SRV-13); a Routing header with segments left is not for us yet.
		 */
		for (int i = 0; i < 4; i++) {
			__u32 off = k->l4off, hl;
			__u8 *eh;

			if (k->proto != 0 && k->proto != 43 && k->proto != 60)
				break;
			if (off > 160)
				return 0;
			vbound(off, 0xff);
			eh = data + off;
			if ((void *)(eh + 8) > end)
				return 0;
			hl = ((__u32)eh[1] + 1) * 8;
			if (hl > k->l4len || (k->proto == 43 && eh[3]))
				return 0;
			k->exthdr = 1;
			k->proto = eh[0];
			k->l4off += hl;
			k->l4len -= hl;
		}
		if (k->proto == IPPROTO_FRAGMENT) {
			/* RFC 8200 4.5: the L4 header follows when the offset is 0. */
			__u32 off = k->l4off;
			__u8 *fh;

			if (off > 200)
				return 0;
			vbound(off, 0xff);
			fh = data + off;
			if ((void *)(fh + 8) > end || k->l4len < 8)
				return 0;
			k->fragment = 1;
			k->first_fragment = (rd16(fh + 2) & 0xfff8) == 0;
			k->proto = fh[0];
			k->l4off += 8;
			k->l4len -= 8;
		}
		if (k->proto != RTR_IPPROTO_ICMPV6 && k->proto != RTR_IPPROTO_TCP)
			return 0;
		k->family = 6;
		__builtin_memcpy(k->src, ip + 8, 16);
		__builtin_memcpy(k->dst, ip + 24, 16);
		return 1;
	}
	return 0;
}

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
		__builtin_memcpy(&fib.ipv4_src, fo->src + 12, 4);
		__builtin_memcpy(&fib.ipv4_dst, fo->dst + 12, 4);
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

/* Writes the Ethernet header and sends the packet out; returns the tc verdict. */
static __always_inline int transmit(struct __sk_buff *skb, const struct route *r, int family)
{
	void *data = pkt_data(skb);
	void *end = pkt_end(skb);
	__u8 *eth = data;

	if ((void *)(eth + ETH_HLEN) > end)
		return drop(RTR_C_DROP_INTERNAL);
	if (r->neigh)
		return bpf_redirect_neigh(r->ifindex, NULL, 0, 0);
	__builtin_memcpy(eth, r->dmac, 6);
	__builtin_memcpy(eth + 6, r->smac, 6);
	return bpf_redirect(r->ifindex, 0);
}

/* Resizes the packet to l3len bytes after Ethernet; returns the L3 pointer or NULL. */
static __always_inline __u8 *resize(struct __sk_buff *skb, __u32 l3len)
{
	__u32 cur = ctx_u32(skb, len), want = ETH_HLEN + l3len;

	/*
	 * Growing takes headroom after the MAC header (no reallocation when the
	 * skb has the usual NET_SKB_PAD), shrinking trims the tail; every byte
	 * after the Ethernet header is rewritten afterwards either way.
	 */
	if (want > cur) {
		if (bpf_skb_adjust_room(skb, (__s32)(want - cur), BPF_ADJ_ROOM_MAC, 0))
			return NULL;
	} else if (want < cur && bpf_skb_change_tail(skb, want, 0)) {
		return NULL;
	}
	if (pull(skb, ETH_HLEN + l3len))
		return NULL;
	return (__u8 *)pkt_data(skb) + ETH_HLEN;
}

/*
 * Writes an IP header (no options, TOS 0) at ip and returns the sum of the
 * pseudo-header for the L4 checksum. IPv4 responses and probes set DF.
 */
static __always_inline __u32 write_ip(__u8 *ip, int family, const __u8 *src, const __u8 *dst,
				      __u8 proto, __u8 ttl, __u16 id, __u32 l4len)
{
	__u32 ps = sum_addr(src, family) + sum_addr(dst, family);

	if (family == 4) {
		__u32 s;

		wr16(ip, 0x4500);
		wr16(ip + 2, 20 + l4len);
		wr16(ip + 4, id);
		wr16(ip + 6, 0x4000);
		ip[8] = ttl;
		ip[9] = proto;
		__builtin_memcpy(ip + 12, src + 12, 4);
		__builtin_memcpy(ip + 16, dst + 12, 4);
		s = 0x4500 + 20 + l4len + id + 0x4000 + ((__u32)ttl << 8 | proto) + ps;
		wr16(ip + 10, (__u16)~fold16(s));
		return ps + proto + l4len;
	}
	wr32(ip, 0x60000000u | RTR_PROBE_IP_TOS << 20 | RTR_PROBE_FLOWLABEL);
	wr16(ip + 4, l4len);
	ip[6] = proto;
	ip[7] = ttl;
	__builtin_memcpy(ip + 8, src, 16);
	__builtin_memcpy(ip + 24, dst, 16);
	return ps + l4len + proto;
}

/* Response fields (docs/PROTOCOL.md 3). */
struct rsp {
	__u8 state;
	__u16 ident;
	__u16 value;
	__u8 hop[16];
	__u32 rtt;
};

/*
 * Rewrites the packet into a response from `server` to `client` and sends it
 * along the route r. Returns the tc verdict.
 */
__noinline int respond(struct __sk_buff *skb, const struct flow_out *fo, const struct rsp *rs,
		       const struct route *r)
{
	if (!fo || !rs || !r)
		return drop(RTR_C_DROP_INTERNAL);
	int family = fo->family;
	__u32 icmplen = rs->state == RTR_STATE_OK ? RTR_RSP_OK_LEN : RTR_RSP_ERR_LEN;
	__u32 iphl = family == 4 ? 20 : 40;
	__u8 type = family == 4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY;
	__u8 proto = family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	__u8 *ip, *ic;
	void *end;
	__u64 s;

	ip = resize(skb, iphl + icmplen);
	if (!ip)
		return drop(RTR_C_DROP_INTERNAL);
	end = pkt_end(skb);
	/*
	 * The first test is for the verifier (whose view of iphl + icmplen is a
	 * range), the per-family ones for the header and the error fields.
	 */
	if ((void *)(ip + 40 + RTR_RSP_OK_LEN) > end && (void *)(ip + iphl + icmplen) > end)
		return drop(RTR_C_DROP_INTERNAL);
	if (family == 4) {
		if ((void *)(ip + 20 + RTR_RSP_ERR_LEN) > end)
			return drop(RTR_C_DROP_INTERNAL);
	} else if ((void *)(ip + 40 + RTR_RSP_ERR_LEN) > end) {
		return drop(RTR_C_DROP_INTERNAL);
	}
	s = write_ip(ip, family, fo->src, fo->dst, proto, RTR_RSP_TTL, 0, icmplen);
	if (family == 4)
		s = 0; /* ICMPv4 has no pseudo-header */
	ic = ip + iphl;
	ic[0] = type;
	ic[1] = RTR_CODE_RTR;
	wr16(ic + 4, rs->ident);
	wr16(ic + 6, 0);
	ic[8] = rs->state;
	ic[9] = 0;
	wr16(ic + 10, rs->value);
	s += ((__u32)type << 8 | RTR_CODE_RTR) + rs->ident + ((__u32)rs->state << 8) + rs->value;
	if (rs->state == RTR_STATE_OK) {
		if ((void *)(ic + RTR_RSP_OK_LEN) > end)
			return drop(RTR_C_DROP_INTERNAL);
		__builtin_memcpy(ic + RTR_RSP_OFF_HOP, rs->hop, 16);
		s += sum_addr(rs->hop, 6);
		wr32(ic + RTR_RSP_OFF_TIMESPAN, rs->rtt);
		wr32(ic + RTR_RSP_OFF_TIMESPAN + 4, 0);
		s += (rs->rtt >> 16) + (rs->rtt & 0xffff);
	}
	wr16(ic + 2, (__u16)~fold16(s));
	count(RTR_C_RSP_OK + rs->state, 1);
	count(RTR_C_BYTES_OUT, iphl + icmplen);
	return transmit(skb, r, family);
}

/* Token bucket step: 1 when a token was taken. credit is in tokens * 1e9. */
static __always_inline int bucket_take(__u64 *last, __u64 *credit, __u64 now, __u64 rate,
				       __u64 burst)
{
	__u64 el = now - *last, cap = burst * 1000000000ull, c;

	if (el > 10000000000ull)
		el = 10000000000ull;
	c = *credit + el * rate;
	if (c > cap)
		c = cap;
	*last = now;
	if (c < 1000000000ull) {
		*credit = c;
		return 0;
	}
	*credit = c - 1000000000ull;
	return 1;
}

/*
 * One request against a source's bucket, kept as GCRA in one word (the
 * theoretical arrival time): equal to a token bucket of cfg_src_burst tokens
 * refilled at cfg_src_rate, and one compare-and-swap makes it exact when
 * several CPUs take from one bucket at once. 1 when the request may go on.
 * A slot never used holds 0: its first request finds a full bucket.
 */
static __always_inline int src_take(__u64 *tat, __u64 now)
{
	__u64 old = *(volatile __u64 *)tat, next, prev;

	for (int i = 0; i < 4; i++) {
		next = (old > now ? old : now) + cfg_src_iv_ns;
		if (next - now > cfg_src_tau_ns)
			return 0;
		prev = __sync_val_compare_and_swap(tat, old, next);
		if (prev == old)
			return 1;
		old = prev;
	}
	return 0; /* four CPUs raced ahead of us on this very prefix: it is busy enough */
}

/*
 * Per-source, then global rate limit. Returns 0 when the request may go on,
 * else the drop counter; *st is the source's state (for the session cap).
 * The source's own bucket is charged first: a request it refuses never
 * spends the shared budget, so one flooding source cannot starve the others.
 */
static __always_inline int rate_limit(const struct pkt *k, __u64 now, struct rtr_src_state **st)
{
	__u32 zero = 0, slot;
	__s64 n;

	*st = NULL;
	if (cfg_src_rate || cfg_src_sessions) {
		slot = rtr_src_slot(k->src, k->family, cfg_src_seed);
		*st = bpf_map_lookup_elem(&sources, &slot);
		if (*st && cfg_src_rate && !src_take(&(*st)->tat_ns, now))
			return RTR_C_DROP_RATE_SOURCE;
		/*
		 * The prefix's newest session is past the timeout, so all of them
		 * are: its count is stale (nobody swept them yet, or nobody will, the
		 * loader being gone) and must not hold the prefix at its cap.
		 */
		n = *st ? (*st)->sessions : 0;
		if (n > 0 && now - (*st)->newest_ns >= cfg_timeout_ns)
			__sync_val_compare_and_swap(&(*st)->sessions, n, 0);
	}
	if (cfg_cpu_rate) {
		struct rtr_bucket *b = bpf_map_lookup_elem(&global_bucket, &zero);

		if (b && !bucket_take(&b->last_ns, &b->credit, now, cfg_cpu_rate, cfg_cpu_burst))
			return RTR_C_DROP_RATE_GLOBAL;
	}
	return 0;
}

/*
 * Walks the extension structure as rtr_request_decode does: returns 0 or
 * RTR_STATE_EXTENSION (an unknown object wins over a target, whose indirect
 * traces are off), with *value set; -1 when malformed. A zero extension
 * checksum means "not computed" (RFC 4884).
 */
__noinline int check_ext(struct __sk_buff *skb, const struct pkt *k, __u16 *value)
{
	if (!k || !value)
		return -1;
	void *data = pkt_data(skb);
	void *end = pkt_end(skb);
	__u32 len = k->l4len, off = RTR_REQ_OFF_EXT + RTR_EXT_HDR_LEN;
	__u32 l4off = k->l4off;
	__u16 unknown = 0;
	int has_unknown = 0, has_target = 0, has_padding = 0;
	__u8 *o;
	__s64 s;

	if (len < RTR_REQ_OFF_EXT + RTR_EXT_HDR_LEN || len > REQ_MAX_LEN || l4off > 80)
		return -1;
	vbound(l4off, 0x7f);
	o = data + l4off + RTR_REQ_OFF_EXT;
	if ((void *)(o + 4) > end)
		return -1;
	if (rd16(o + 2)) {
		s = sum_pkt(skb, l4off + RTR_REQ_OFF_EXT, len - RTR_REQ_OFF_EXT, REQ_MAX_LEN);
		if (s < 0 || fold16(s) != 0xffff)
			return -1;
		data = pkt_data(skb);
		end = pkt_end(skb);
	}
	for (int i = 0; i < EXT_MAX_OBJS; i++) {
		__u32 olen, cls, ctype;

		if (off >= len)
			break;
		if (off + RTR_EXT_OBJ_HDR_LEN > len)
			return -1;
		vbound(off, 0x7ff);
		o = data + l4off + off;
		barrier_var(o);
		if ((void *)(o + 4) > end)
			return -1;
		olen = rd16(o);
		cls = o[2];
		ctype = o[3];
		if (cls == RTR_EXT_CLASS_TARGET && ctype == 0) {
			/* Reference length 16 counts the data only, RFC 4884's 20 the header too.
			 */
			if ((olen != RTR_EXT_TARGET_LEN_REF && olen != RTR_EXT_TARGET_LEN_RFC) ||
			    has_target)
				return -1;
			olen = RTR_EXT_TARGET_LEN_RFC;
			has_target = 1;
		} else if (cls == RTR_EXT_CLASS_PADDING && ctype == 0) {
			if (has_padding)
				return -1;
			has_padding = 1;
		} else if (!has_unknown) {
			has_unknown = 1;
			unknown = (__u16)(cls << 8 | ctype);
		}
		if (olen < RTR_EXT_OBJ_HDR_LEN || off + olen > len)
			return -1;
		off += olen;
	}
	if (off < len)
		return -1; /* more than EXT_MAX_OBJS objects */
	*value = 0;
	if (has_unknown) {
		*value = unknown;
		return RTR_STATE_EXTENSION;
	}
	if (has_target) {
		*value = RTR_EXT_CLASS_TARGET << 8;
		return RTR_STATE_EXTENSION;
	}
	return 0;
}

/* Per CPU: the counter whose SipHash gives the next identity (the loader starts each at random). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} id_ctr SEC(".maps");

/* 64 unpredictable bits: SipHash-2-4, under the secret key, of this CPU's next counter value. */
static __always_inline __u64 id_bits(void)
{
	__u32 zero = 0;
	__u64 *c = bpf_map_lookup_elem(&id_ctr, &zero);

	if (!c) /* never: the array has its one entry on every CPU */
		return (__u64)bpf_get_prandom_u32() << 32 | bpf_get_prandom_u32();
	return rtr_siphash_u64(cfg_id_key0, cfg_id_key1, (*c)++);
}

/* Identity of a new probe from fresh unpredictable bits; also its session key id. */
static __always_inline void new_identity(struct rtr_sess *v, struct rtr_sess_key *key)
{
	__u64 r = id_bits();
	__u32 r1 = (__u32)r, r2 = (__u32)(r >> 32);

	v->ip_id = key->family == 4 ? (__u16)r2 : 0;
	v->len_extra = 0;
	v->tag = 0;
	v->l4 = r1;
	if (key->proto == RTR_IPPROTO_UDP) {
		/* The UDP checksum field must be a valid non-zero value: 1..0xFFFE. */
		v->l4 = r1 % 0xfffe + 1;
		v->tag = (__u32)id_bits();
		if (key->family == 4) {
			v->len_extra = (r2 >> 16) & 1;
			key->id = (__u32)v->ip_id << 16 | v->l4;
		} else {
			key->id = v->tag;
		}
	} else {
		key->id = v->l4;
	}
}

/* One step of xorshift64* (payload bytes: varied, not secret). */
static __always_inline __u64 xorshift64s(__u64 *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545F4914F6CDD1Dull;
}

/*
 * Writes the probe for session v into the packet (IP header from scratch,
 * random payload) and returns its L3 length, or 0 when resizing failed.
 */
__noinline __u32 write_probe(struct __sk_buff *skb, const struct rtr_sess_key *key,
			     const struct rtr_sess *v)
{
	if (!key || !v)
		return 0;
	int family = key->family;
	__u32 iphl = family == 4 ? 20 : 40, l4len, ps;
	__u8 *ip, *l4;
	void *end;
	__u64 s;

	if (key->proto == RTR_IPPROTO_TCP)
		l4len = RTR_TCP_PROBE_HDR_LEN;
	else if (key->proto == RTR_IPPROTO_UDP)
		l4len = RTR_UDP_HDR_LEN + RTR_PROBE_PAYLOAD_LEN + v->len_extra;
	else
		l4len = RTR_ICMP_HDR_LEN + RTR_PROBE_PAYLOAD_LEN;
	ip = resize(skb, iphl + l4len);
	if (!ip)
		return 0;
	end = pkt_end(skb);
	/* write_ip writes up to 40 bytes: every probe is longer than that. */
	if ((void *)(ip + 40) > end)
		return 0;
	ps = write_ip(ip, family, v->server, key->client, key->proto, v->ttl, v->ip_id, l4len);
	l4 = ip + iphl;
	barrier_var(l4);
	if ((void *)(l4 + RTR_TCP_PROBE_HDR_LEN) > end)
		return 0;
	if (key->proto == RTR_IPPROTO_TCP) {
		__u16 mss = family == 4 ? RTR_TCP_MSS_V4 : RTR_TCP_MSS_V6;

		wr16(l4, RTR_PROBE_SPORT);
		wr16(l4 + 2, v->flow);
		wr32(l4 + 4, v->l4);
		wr32(l4 + 8, 0);
		wr16(l4 + 12, (RTR_TCP_PROBE_HDR_LEN / 4) << 12 | RTR_TCP_SYN);
		wr16(l4 + 14, RTR_TCP_PROBE_WINDOW);
		wr16(l4 + 18, 0);
		wr16(l4 + 20, 0x0204);
		wr16(l4 + 22, mss);
		s = ps + RTR_PROBE_SPORT + v->flow + (v->l4 >> 16) + (v->l4 & 0xffff) +
		    ((RTR_TCP_PROBE_HDR_LEN / 4) << 12 | RTR_TCP_SYN) + RTR_TCP_PROBE_WINDOW +
		    0x0204 + mss;
		wr16(l4 + 16, (__u16)~fold16(s));
		return iphl + l4len;
	}

	/* UDP and ICMP: 32 (+1) payload bytes, compensation word first. */
	__u8 *pl = l4 + 8;
	__u32 want, have;
	__u64 t;

	if ((void *)(pl + RTR_PROBE_PAYLOAD_LEN) > end)
		return 0;
	/*
	 * Payload randomisation (Paris traceroute) needs varied bytes, not
	 * secret ones: xorshift64* fills the 32 bytes with four 8-byte stores,
	 * seeded from the identity's kernel random bits (mixed), which saves two
	 * helper calls per probe; the identity is on the wire anyway, so nothing
	 * is revealed. The compensation word and the tag are written over it.
	 */
	__u64 x = rtr_hash_fin(((__u64)v->l4 << 32 | (v->tag ^ (__u32)v->ip_id << 16)) *
			       0x9e3779b97f4a7c15ull) |
		  1;
	*(__u64 *)pl = xorshift64s(&x);
	*(__u64 *)(pl + 8) = xorshift64s(&x);
	*(__u64 *)(pl + 16) = xorshift64s(&x);
	*(__u64 *)(pl + 24) = xorshift64s(&x);
	wr16(pl + RTR_PROBE_COMP_OFF, 0);
	if (key->proto == RTR_IPPROTO_UDP) {
		wr16(l4, RTR_PROBE_SPORT);
		wr16(l4 + 2, v->flow);
		wr16(l4 + 4, l4len);
		wr32(pl + RTR_PROBE_TAG_OFF, v->tag);
		s = ps + RTR_PROBE_SPORT + v->flow + l4len;
		want = v->l4 & 0xffff;
	} else {
		l4[0] = family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST;
		l4[1] = 0;
		wr32(l4 + 4, v->l4);
		s = (__u32)l4[0] << 8;
		if (family == 6)
			s += ps;
		s += (v->l4 >> 16) + (v->l4 & 0xffff);
		want = v->flow;
	}
	/* The payload as native 32-bit halves; byte order commutes with the sum (RFC 1071). */
	t = 0;
	for (int n = 0; n < RTR_PROBE_PAYLOAD_LEN; n += 8) {
		__u64 w = *(const __u64 *)(pl + n);

		t += (w & 0xffffffffull) + (w >> 32);
	}
	s += __builtin_bswap16(fold16(t));
	if (key->proto == RTR_IPPROTO_UDP && v->len_extra) {
		__u8 *wp = pl + RTR_PROBE_PAYLOAD_LEN;

		if ((void *)(wp + 1) > end)
			return 0;
		wp[0] = (__u8)(x >> 56);
		s += (__u32)wp[0] << 8;
	}
	/* Compensation so the checksum field equals `want` (rtr_csum_compensate). */
	have = (__u16)~fold16(s);
	wr16(pl + RTR_PROBE_COMP_OFF, fold16((__u64)have + (__u16)~want));
	wr16(l4 + (key->proto == RTR_IPPROTO_UDP ? 6 : 2), want);
	return iphl + l4len;
}

/* Where a session is in the table, and the state word it had when found. */
struct tref {
	__u32 ref; /* bucket * RTR_TBL_WAYS + way */
	__u32 st;
};

static __always_inline struct rtr_tbl_bucket *tbl_bucket(__u32 ref)
{
	__u32 b = ref / RTR_TBL_WAYS;

	return bpf_map_lookup_elem(&sessions, &b);
}

static __always_inline int key_eq(const struct rtr_slot *sl, const struct rtr_sess_key *k)
{
	return sl->id == k->id && sl->proto == k->proto && sl->family == k->family &&
	       rtr_rd64(sl->client) == rtr_rd64(k->client) &&
	       rtr_rd64(sl->client + 8) == rtr_rd64(k->client + 8);
}

/*
 * The way of bucket b holding the live session of k (fingerprint fp), or -1.
 * Global functions like this one are verified once, not once per caller path.
 */
__noinline int bucket_find(struct rtr_tbl_bucket *b, const struct rtr_sess_key *k, __u32 fp)
{
	if (!b || !k)
		return -1;
	for (int w = 0; w < RTR_TBL_WAYS; w++) {
		__u32 st = *(volatile __u32 *)&b->state[w];

		if (RTR_ST_KIND(st) == RTR_SLOT_LIVE && RTR_ST_FP(st) == fp &&
		    key_eq(&b->slot[w], k))
			return w;
	}
	return -1;
}

/*
 * Whether bucket b has a live slot with fingerprint fp: inline, so that an
 * answer with no session (ended, expired, never ours) leaves without a call
 * per bucket; bucket_find then compares keys only where this says maybe.
 */
static __always_inline int bucket_maybe(const struct rtr_tbl_bucket *b, __u32 fp)
{
	__u32 want = fp << 8 | RTR_SLOT_LIVE, any = 0;

	for (int w = 0; w < RTR_TBL_WAYS; w++)
		any |= (*(volatile const __u32 *)&b->state[w] & 0xff03u) == want;
	return any;
}

/*
 * Finds the live session of key (copied into *v) and where it is; 0 when
 * found. The copy may be torn by a concurrent reuse of the slot: the claim's
 * compare-and-swap against t->st then fails, so nothing acts on it.
 */
static __always_inline int tbl_find(const struct rtr_sess_key *k, struct rtr_sess *v,
				    struct tref *t)
{
	__u64 h = rtr_sess_hash(k->client, k->proto, k->family, k->id, cfg_tbl_seed);
	__u32 fp = (h >> 24) & 0xff, bi = (__u32)h & cfg_tbl_mask;
	struct rtr_tbl_bucket *b = bpf_map_lookup_elem(&sessions, &bi);
	struct rtr_slot *sl;
	int w;

	if (!b)
		return -1;
	w = bucket_maybe(b, fp) ? bucket_find(b, k, fp) : -1;
	if (w < 0) {
		bi = (__u32)(h >> 32) & cfg_tbl_mask;
		b = bpf_map_lookup_elem(&sessions, &bi);
		if (!b || !bucket_maybe(b, fp))
			return -1;
		w = bucket_find(b, k, fp);
		if (w < 0)
			return -1;
	}
	w &= RTR_TBL_WAYS - 1;
	/*
	 * The state word before the contents, and ordered before them on every
	 * architecture: a fetching atomic is a full barrier in BPF (a plain load
	 * would let the contents be read first, from a previous occupant).
	 */
	t->st = __sync_fetch_and_or(&b->state[w], 0);
	sl = &b->slot[w];
	v->ts_ns = sl->ts_ns;
	__builtin_memcpy(v->server, sl->server, 16);
	v->l4 = sl->l4;
	v->tag = sl->tag;
	v->ip_id = sl->ip_id;
	v->ident = sl->ident;
	v->flow = sl->flow;
	v->len_extra = (t->st & RTR_ST_LEN_EXTRA) ? 1 : 0;
	t->ref = bi * RTR_TBL_WAYS + w;
	/* Re-checked after the copy: a slot ended meanwhile is not acted on. */
	return RTR_ST_KIND(t->st) == RTR_SLOT_LIVE && key_eq(sl, k) ? 0 : -1;
}

/* Clears the pending entry that names slot ref (the claimer's, or an undo's). */
static __always_inline void pend_clear(const __u8 *client, __u8 family, __u16 ident, __u32 ref)
{
	__u64 ph = rtr_pend_hash(client, family, ident, cfg_tbl_seed);
	__u32 pbi = (__u32)ph & cfg_pend_mask;
	struct rtr_pend_bucket *pb = bpf_map_lookup_elem(&pending, &pbi);

	if (!pb)
		return;
	for (int i = 0; i < RTR_PEND_WAYS; i++) {
		__u32 e = pb->e[i];

		if (e && RTR_PEND_REF(e) == ref) {
			__sync_val_compare_and_swap(&pb->e[i], e, 0);
			return;
		}
	}
}

/* Gives back the places of a session whose claim we won (slot ref). */
static __always_inline void release(const __u8 *client, __u8 family, __u16 ident, __u32 ref)
{
	pend_clear(client, family, ident, ref);
	__sync_fetch_and_add(&live_sessions, -1);
	if (cfg_src_rate || cfg_src_sessions) {
		__u32 slot = rtr_src_slot(client, family, cfg_src_seed);
		struct rtr_src_state *st = bpf_map_lookup_elem(&sources, &slot);

		if (st && st->sessions > 0)
			__sync_fetch_and_add(&st->sessions, -1);
	}
}

/*
 * Ends a session we found: the compare-and-swap LIVE -> FREE is the claim,
 * only its winner goes on (and gives back the session's places).
 */
static __always_inline int claim(const struct rtr_sess_key *key, const struct rtr_sess *v,
				 const struct tref *t)
{
	struct rtr_tbl_bucket *b = tbl_bucket(t->ref);
	__u32 w = t->ref % RTR_TBL_WAYS;

	if (!b || __sync_val_compare_and_swap(&b->state[w], t->st, RTR_ST_FREED(t->st)) != t->st)
		return 0;
	release(key->client, key->family, v->ident, t->ref);
	return 1;
}

/*
 * Ends the session in slot ref of bucket b if it is past the timeout at now,
 * as the sweeper would: expiry never depends on the loader, so a stuck or
 * killed sweeper cannot fill the table. 1 when this call ended it.
 */
__noinline int slot_expire(struct rtr_tbl_bucket *b, __u32 ref, __u64 now)
{
	__u32 w = ref % RTR_TBL_WAYS, st;
	struct rtr_slot *sl;
	__u8 client[16];
	__u8 family;
	__u16 ident;
	__u64 ts;

	if (!b)
		return 0;
	st = __sync_fetch_and_or(&b->state[w], 0); /* ordered before the contents */
	if (RTR_ST_KIND(st) != RTR_SLOT_LIVE)
		return 0;
	sl = &b->slot[w];
	ts = sl->ts_ns;
	if (now < ts || now - ts < cfg_timeout_ns)
		return 0;
	__builtin_memcpy(client, sl->client, 16);
	family = sl->family;
	ident = sl->ident;
	if (__sync_val_compare_and_swap(&b->state[w], st, RTR_ST_FREED(st)) != st)
		return 0;
	release(client, family, ident, ref);
	count(RTR_C_TIMEOUTS, 1);
	return 1;
}

/* Ends every expired session of bucket bi (b); returns how many. */
__noinline int bucket_reap(struct rtr_tbl_bucket *b, __u32 bi, __u64 now)
{
	int n = 0;

	if (!b)
		return 0;
	for (__u32 w = 0; w < RTR_TBL_WAYS; w++)
		if (RTR_ST_KIND(*(volatile __u32 *)&b->state[w]) == RTR_SLOT_LIVE)
			n += slot_expire(b, bi * RTR_TBL_WAYS + w, now);
	return n;
}

/*
 * A pending request of the same (client, identifier, family) in pending
 * bucket pb (fingerprint pfp)? Returns -2 for a duplicate, else the first
 * empty entry (-1: none). An entry is trusted only when the slot it names is
 * BUSY or LIVE with the very same client, identifier and family, and a
 * session past the timeout at now is ended here, not counted as a duplicate.
 */
__noinline int pend_scan(struct rtr_pend_bucket *pb, const struct rtr_sess_key *k, __u32 ident,
			 __u32 pfp, __u64 now)
{
	int free = -1;

	if (!pb || !k)
		return -1;
	for (int i = 0; i < RTR_PEND_WAYS; i++) {
		__u32 e = pb->e[i], ref, st;
		struct rtr_tbl_bucket *b;
		struct rtr_slot *sl;

		if (!e) {
			if (free < 0)
				free = i;
			continue;
		}
		if (RTR_PEND_FP(e) != pfp)
			continue;
		ref = RTR_PEND_REF(e);
		b = tbl_bucket(ref);
		if (!b)
			continue;
		st = *(volatile __u32 *)&b->state[ref % RTR_TBL_WAYS];
		sl = &b->slot[ref % RTR_TBL_WAYS];
		if (RTR_ST_KIND(st) != RTR_SLOT_FREE && sl->ident == ident &&
		    sl->family == k->family && rtr_rd64(sl->client) == rtr_rd64(k->client) &&
		    rtr_rd64(sl->client + 8) == rtr_rd64(k->client + 8) &&
		    !slot_expire(b, ref, now))
			return -2;
	}
	if (free >= 0)
		return free;
	/* A full bucket: entries of expired sessions make room (only on this rare path). */
	for (int i = 0; i < RTR_PEND_WAYS; i++) {
		__u32 e = pb->e[i], ref;
		struct rtr_tbl_bucket *b;

		if (!e)
			return i;
		ref = RTR_PEND_REF(e);
		b = tbl_bucket(ref);
		if (b && slot_expire(b, ref, now))
			return i;
	}
	return -1;
}

/* Publishes val in the first empty entry of pb from `from` on; 0 or -1. */
__noinline int pend_put(struct rtr_pend_bucket *pb, int from, __u32 val)
{
	if (!pb)
		return -1;
	for (int i = 0; i < RTR_PEND_WAYS; i++) {
		if (i < from || pb->e[i])
			continue;
		if (!__sync_val_compare_and_swap(&pb->e[i], 0, val))
			return 0;
	}
	return -1;
}

/* Free slots of bucket b, or -1 when the key k (fingerprint fp) is already in it. */
__noinline int bucket_free(struct rtr_tbl_bucket *b, const struct rtr_sess_key *k, __u32 fp)
{
	int n = 0;

	if (!b || !k)
		return 0;
	for (int w = 0; w < RTR_TBL_WAYS; w++) {
		__u32 st = *(volatile __u32 *)&b->state[w];

		if (RTR_ST_KIND(st) == RTR_SLOT_FREE)
			n++;
		else if (RTR_ST_FP(st) == fp && key_eq(&b->slot[w], k))
			return -1;
	}
	return n;
}

/* Takes a FREE slot of b (FREE -> BUSY, next generation kept for LIVE); its way or -1. */
__noinline int way_take(struct rtr_tbl_bucket *b)
{
	if (!b)
		return -1;
	for (int w = 0; w < RTR_TBL_WAYS; w++) {
		__u32 st = *(volatile __u32 *)&b->state[w];

		if (RTR_ST_KIND(st) != RTR_SLOT_FREE)
			continue;
		if (__sync_val_compare_and_swap(&b->state[w], st,
						(st & 0xffff0000u) | RTR_SLOT_BUSY) == st)
			return w;
	}
	return -1;
}

/*
 * Takes a FREE slot for the identity in key: in its first bucket while that
 * has RTR_TBL_SPILL free slots, else in the emptier of its two (the second
 * bucket's line is read for under 1% of sessions of a half-full table). 0
 * with *t (its BUSY word), *fpo and *bo set; -1 when both are full; 1 when
 * the identity is already pending for this client in the bucket(s) read (a
 * twin in an unread second bucket, odds 2^-32 per pending session of the
 * client, would only make the older one expire).
 */
static __always_inline int slot_take(const struct rtr_sess_key *k, struct tref *t, __u32 *fpo,
				     struct rtr_tbl_bucket **bo, __u64 now)
{
	__u64 h = rtr_sess_hash(k->client, k->proto, k->family, k->id, cfg_tbl_seed);
	__u32 fp = (h >> 24) & 0xff, bi = (__u32)h & cfg_tbl_mask;
	__u32 b2 = (__u32)(h >> 32) & cfg_tbl_mask;
	struct rtr_tbl_bucket *p = bpf_map_lookup_elem(&sessions, &bi), *p2;
	/* At -n: the sessions that are past the timeout in the buckets we read make room. */
	int full = *(volatile __s64 *)&live_sessions >= cfg_max_sessions;
	int n1, n2, w = -1;

	if (!p)
		return -1;
	n1 = bucket_free(p, k, fp);
	if (n1 < 0)
		return 1;
	if (n1 < RTR_TBL_SPILL || full)
		n1 += bucket_reap(p, bi, now);
	*fpo = fp;
	if (n1 >= RTR_TBL_SPILL)
		w = way_take(p);
	if (w < 0) {
		p2 = bpf_map_lookup_elem(&sessions, &b2);
		if (!p2)
			return -1;
		n2 = bucket_free(p2, k, fp);
		if (n2 < 0)
			return 1;
		if (n2 < RTR_TBL_SPILL || full)
			n2 += bucket_reap(p2, b2, now);
		if (n2 > n1) {
			w = way_take(p2);
			if (w >= 0) {
				p = p2;
				bi = b2;
			}
		}
		if (w < 0)
			w = way_take(p);
		if (w < 0 && n2 <= n1) {
			w = way_take(p2);
			if (w >= 0) {
				p = p2;
				bi = b2;
			}
		}
		if (w < 0)
			return -1;
	}
	w &= RTR_TBL_WAYS - 1;
	t->ref = bi * RTR_TBL_WAYS + w;
	t->st = *(volatile __u32 *)&p->state[w];
	*bo = p;
	return 0;
}

/*
 * Creates the session of key/v (v->ttl .. ts_ns set; the identity is drawn
 * here) all or nothing: slot taken BUSY and filled, pending entry published,
 * then LIVE. Returns 0 with *t the LIVE slot, or the drop counter.
 */
static __always_inline int create(struct rtr_sess_key *key, struct rtr_sess *v, struct tref *t)
{
	__u64 ph = rtr_pend_hash(key->client, key->family, v->ident, cfg_tbl_seed);
	__u32 pbi = (__u32)ph & cfg_pend_mask, pfp = (__u32)(ph >> 58);
	struct rtr_pend_bucket *pb = bpf_map_lookup_elem(&pending, &pbi);
	struct rtr_tbl_bucket *b = NULL;
	struct rtr_slot *sl;
	__u32 fp = 0, w, live;
	int free, rc = -1;

	if (!pb)
		return RTR_C_DROP_TABLE_FULL;
	free = pend_scan(pb, key, v->ident, pfp, v->ts_ns);
	if (free == -2)
		return RTR_C_DROP_DUPLICATE;
	if (free < 0)
		return RTR_C_DROP_TABLE_FULL;
	/* A random identity may collide with a pending one of the same client: draw again. */
	for (int n = 0; n < 3; n++) {
		new_identity(v, key);
		rc = slot_take(key, t, &fp, &b, v->ts_ns);
		if (rc <= 0)
			break;
	}
	if (rc || !b)
		return RTR_C_DROP_TABLE_FULL;
	w = t->ref % RTR_TBL_WAYS;
	/* Counted after the slot is ours: taking it may have expired sessions below -n. */
	if (__sync_fetch_and_add(&live_sessions, 1) >= cfg_max_sessions) {
		__sync_fetch_and_add(&live_sessions, -1);
		__sync_val_compare_and_swap(&b->state[w], t->st, RTR_ST_FREED(t->st));
		return RTR_C_DROP_TABLE_FULL;
	}
	sl = &b->slot[w];
	sl->ts_ns = v->ts_ns;
	sl->id = key->id;
	sl->l4 = v->l4;
	__builtin_memcpy(sl->client, key->client, 16);
	__builtin_memcpy(sl->server, v->server, 16);
	sl->tag = v->tag;
	sl->ip_id = v->ip_id;
	sl->flow = v->flow;
	sl->ident = v->ident;
	sl->proto = key->proto;
	sl->family = key->family;
	/* Published only when complete: the swap orders the stores before it. */
	if (pend_put(pb, free, pfp << 26 | (t->ref + 1))) {
		__sync_val_compare_and_swap(&b->state[w], t->st, RTR_ST_FREED(t->st));
		__sync_fetch_and_add(&live_sessions, -1);
		return RTR_C_DROP_TABLE_FULL;
	}
	live = (t->st & 0xffff0000u) | fp << 8 | (v->len_extra ? RTR_ST_LEN_EXTRA : 0) |
	       RTR_SLOT_LIVE;
	__sync_val_compare_and_swap(&b->state[w], t->st, live);
	t->st = live;
	return 0;
}

/*
 * Per-CPU scratch space for the two handlers: their state does not fit the
 * 512-byte BPF stack next to the helpers they call. A program run never
 * nests on one CPU (tc runs in softirq), so one slot per CPU is enough.
 */
struct req_scratch {
	struct rtr_sess_key key;
	struct rtr_sess v;
	struct tref t;
	struct route r;
	struct rsp rs;
	struct flow_out fo;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct req_scratch);
} req_scratch SEC(".maps");

__noinline int handle_request(struct __sk_buff *skb, struct pkt *k)
{
	if (!k)
		return TC_ACT_OK;
	void *data = pkt_data(skb);
	void *end = pkt_end(skb);
	struct rtr_src_state *st;
	__u32 zero = 0;
	struct req_scratch *x = bpf_map_lookup_elem(&req_scratch, &zero);
	__u32 l4off = k->l4off;
	__u8 *ic;
	__u8 want_proto, ttl, reqproto;
	__u16 flow;
	__u64 now;
	__s64 s;
	int state = 0, lim;
	__u32 l3len;

	if (!x)
		return TC_ACT_OK;
	__builtin_memset(x, 0, sizeof(*x));
	count(RTR_C_REQUESTS, 1);
	count(RTR_C_BYTES_IN, k->l4len + k->l4off - ETH_HLEN);
	/* Behind IPv6 extension headers: never ours to answer, never the kernel's to echo. */
	if (k->exthdr)
		return drop(k->fragment ? RTR_C_DROP_FRAGMENT : RTR_C_DROP_MALFORMED);
	/* A bound the verifier sees: Ethernet + IPv4 with options or IPv6 + fragment header. */
	if (l4off > 80)
		return drop(RTR_C_DROP_MALFORMED);
	vbound(l4off, 0x7f);
	ic = data + l4off;
	if (k->fragment)
		return drop(RTR_C_DROP_FRAGMENT);
	if (k->l4len < RTR_REQ_LEN || (void *)(ic + RTR_REQ_LEN) > end)
		return drop(RTR_C_DROP_SHORT);
	if (k->l4len > REQ_MAX_LEN)
		return drop(RTR_C_DROP_MALFORMED);
	/* Never answer from or to a group address. */
	if ((k->family == 4 && (k->dst[12] >= 224 || k->src[12] >= 224)) ||
	    (k->family == 6 && (k->dst[0] == 0xff || k->src[0] == 0xff)))
		return drop(RTR_C_DROP_MALFORMED);

	if (k->l4len == RTR_REQ_LEN) {
		s = 0;
		for (int i = 0; i < RTR_REQ_LEN; i += 2)
			s += rd16(ic + i);
	} else {
		s = sum_pkt(skb, k->l4off, k->l4len, REQ_MAX_LEN);
		data = pkt_data(skb);
		end = pkt_end(skb);
		ic = data + l4off;
		if ((void *)(ic + RTR_REQ_LEN) > end)
			return drop(RTR_C_DROP_SHORT);
	}
	if (s < 0)
		return drop(RTR_C_DROP_SHORT);
	if (k->family == 6)
		s += sum_addr(k->src, 6) + sum_addr(k->dst, 6) + k->l4len + RTR_IPPROTO_ICMPV6;
	if (fold16(s) != 0xffff)
		return drop(RTR_C_DROP_CHECKSUM);

	x->rs.ident = rd16(ic + RTR_REQ_OFF_IDENT);
	ttl = ic[RTR_REQ_OFF_TTL];
	reqproto = ic[RTR_REQ_OFF_PROTO];
	flow = rd16(ic + RTR_REQ_OFF_FLOW);
	if (k->l4len >= RTR_REQ_OFF_EXT + 1 && (void *)(ic + RTR_REQ_OFF_EXT + 1) <= end &&
	    ic[RTR_REQ_OFF_EXT] >> 4 == RTR_EXT_VERSION) {
		state = check_ext(skb, k, &x->rs.value);
		if (state < 0)
			return drop(RTR_C_DROP_MALFORMED);
	}

	now = bpf_ktime_get_ns();
	lim = rate_limit(k, now, &st);
	if (lim)
		return drop(lim);

	/* Validation order: TTL, protocol, extensions (docs/PROTOCOL.md 2). */
	want_proto = reqproto;
	if (reqproto == RTR_PROTO_DEFAULT)
		want_proto = k->family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	if (ttl == 0) {
		state = RTR_STATE_TTL;
		x->rs.value = 0;
	} else if (!(want_proto == RTR_IPPROTO_UDP || want_proto == RTR_IPPROTO_TCP ||
		     (k->family == 4 && want_proto == RTR_IPPROTO_ICMP) ||
		     (k->family == 6 && want_proto == RTR_IPPROTO_ICMPV6))) {
		state = RTR_STATE_PROTOCOL;
		x->rs.value = 0;
	}
	__builtin_memcpy(x->fo.src, k->dst, 16);
	__builtin_memcpy(x->fo.dst, k->src, 16);
	x->fo.family = k->family;
	x->fo.now = now;
	if (state) {
		x->rs.state = state;
		x->fo.l4proto = k->proto;
		x->fo.tot_len = (k->family == 4 ? 20 : 40) + RTR_RSP_ERR_LEN;
		if (route(skb, &x->fo, &x->r))
			return drop(RTR_C_DROP_NO_ROUTE);
		log_event(RTR_EV_ANSWER, k->src, NULL, x->rs.ident, reqproto, state);
		return respond(skb, &x->fo, &x->rs, &x->r);
	}

	if (!flow)
		flow = want_proto == RTR_IPPROTO_UDP   ? RTR_DEFAULT_UDP_DPORT
		       : want_proto == RTR_IPPROTO_TCP ? RTR_DEFAULT_TCP_DPORT
						       : RTR_DEFAULT_ICMP_CSUM;
	if (want_proto == RTR_IPPROTO_UDP || want_proto == RTR_IPPROTO_TCP) {
		x->fo.sport = RTR_PROBE_SPORT;
		x->fo.dport = flow;
	}
	x->fo.l4proto = want_proto;
	x->fo.tot_len = 60;
	if (route(skb, &x->fo, &x->r))
		return drop(RTR_C_DROP_NO_ROUTE);

	if (cfg_src_sessions && st && st->sessions >= cfg_src_sessions)
		return drop(RTR_C_DROP_SOURCE_CAP);

	__builtin_memcpy(x->key.client, k->src, 16);
	x->key.proto = want_proto;
	x->key.family = k->family;
	x->v.ts_ns = now;
	__builtin_memcpy(x->v.server, k->dst, 16);
	x->v.ident = x->rs.ident;
	x->v.flow = flow;
	x->v.ttl = ttl;
	lim = create(&x->key, &x->v, &x->t);
	if (lim)
		return drop(lim);
	if (st && (cfg_src_rate || cfg_src_sessions)) {
		__sync_fetch_and_add(&st->sessions, 1);
		st->newest_ns = now; /* racing CPUs store nearly equal times: any one will do */
	}

	l3len = write_probe(skb, &x->key, &x->v);
	if (!l3len) {
		/* Undo through the claim, so a concurrent answer cannot double-end it. */
		claim(&x->key, &x->v, &x->t);
		return drop(RTR_C_DROP_INTERNAL);
	}
	count(want_proto == RTR_IPPROTO_UDP   ? RTR_C_PROBE_UDP
	      : want_proto == RTR_IPPROTO_TCP ? RTR_C_PROBE_TCP
					      : RTR_C_PROBE_ICMP,
	      1);
	count(RTR_C_BYTES_OUT, l3len);
	log_event(RTR_EV_SESSION, k->src, NULL, x->rs.ident, want_proto, ttl);
	return transmit(skb, &x->r, k->family);
}

/* The probe an answer shows, as far as it shows it. */
struct seen {
	struct rtr_sess_key key;
	__u8 server[16]; /* the probe's source */
	__u16 flow;
	__u16 ip_id;
	__u32 l4;
	__u32 tag;
	__u8 has_ipid;
	__u8 has_tag;
	__u8 has_flow;
	__u8 len_extra;
	__u8 has_len;
	__u8 is_synack;
	__u32 ack; /* SYN-ACK: the RST's sequence number */
};

struct ans_scratch {
	struct seen sn;
	struct rtr_sess v;
	struct tref t;
	struct flow_out fo;
	struct flow_out fr;
	struct route r;
	struct route rr;
	struct rsp rs;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ans_scratch);
} ans_scratch SEC(".maps");

/*
 * Parses the probe quoted by an ICMP error at byte offset q, as
 * rtr_probe_decode(RTR_IP_QUOTED) does; 0 when it is one of our probes and
 * shows enough identity to be matched.
 */
__noinline int parse_quote(struct __sk_buff *skb, const struct pkt *k, __u32 q, struct seen *sn)
{
	if (!k || !sn)
		return -1;
	void *data = pkt_data(skb);
	void *end = pkt_end(skb);
	__u32 avail, hl, qtot, l4avail;
	__u8 *ip, *l4;

	if (q > 128 || k->l4len < 8)
		return -1;
	vbound(q, 0xff);
	avail = k->l4len - 8;
	ip = data + q;
	if ((void *)(ip + 40) > end && (void *)(ip + 20) > end)
		return -1;
	if (k->family == 4) {
		if ((void *)(ip + 20) > end || avail < 20 || ip[0] >> 4 != 4)
			return -1;
		hl = (ip[0] & 0xf) * 4;
		qtot = rd16(ip + 2);
		if (hl < 20 || avail < hl || qtot < hl || (rd16(ip + 6) & 0x3fff))
			return -1;
		sn->key.proto = ip[9];
		if (sn->key.proto != RTR_IPPROTO_UDP && sn->key.proto != RTR_IPPROTO_TCP &&
		    sn->key.proto != RTR_IPPROTO_ICMP)
			return -1;
		sn->ip_id = rd16(ip + 4);
		sn->has_ipid = 1;
		__builtin_memset(sn->server, 0, 10);
		sn->server[10] = sn->server[11] = 0xff;
		__builtin_memcpy(sn->server + 12, ip + 12, 4);
		__builtin_memset(sn->key.client, 0, 10);
		sn->key.client[10] = sn->key.client[11] = 0xff;
		__builtin_memcpy(sn->key.client + 12, ip + 16, 4);
	} else {
		if ((void *)(ip + 40) > end || avail < 40 || ip[0] >> 4 != 6)
			return -1;
		hl = 40;
		qtot = 40 + rd16(ip + 4);
		if (qtot > 0xffff)
			return -1;
		sn->key.proto = ip[6];
		if (sn->key.proto != RTR_IPPROTO_UDP && sn->key.proto != RTR_IPPROTO_TCP &&
		    sn->key.proto != RTR_IPPROTO_ICMPV6)
			return -1; /* also a Fragment header: never one of our probes */
		__builtin_memcpy(sn->server, ip + 8, 16);
		__builtin_memcpy(sn->key.client, ip + 24, 16);
	}
	l4avail = (avail < qtot ? avail : qtot) - hl;
	if (l4avail < RTR_QUOTE_L4_MIN)
		return -1; /* RTR_E_QUOTE_SHORT */
	vbound(hl, 0x3f);
	l4 = ip + hl;
	if ((void *)(l4 + 8) > end)
		return -1;
	sn->key.family = k->family;
	if (sn->key.proto == RTR_IPPROTO_UDP) {
		__u32 ulen = rd16(l4 + 4);

		if (rd16(l4) != RTR_PROBE_SPORT || ulen < RTR_UDP_HDR_LEN + RTR_PROBE_PAYLOAD_LEN ||
		    ulen - RTR_UDP_HDR_LEN - RTR_PROBE_PAYLOAD_LEN > (k->family == 4 ? 1u : 0u))
			return -1;
		sn->flow = rd16(l4 + 2);
		sn->has_flow = 1;
		sn->l4 = rd16(l4 + 6);
		if (k->family == 4) {
			sn->len_extra = ulen - RTR_UDP_HDR_LEN - RTR_PROBE_PAYLOAD_LEN;
			sn->has_len = 1;
		}
		if (l4avail >= RTR_UDP_HDR_LEN + RTR_PROBE_TAG_OFF + 4) {
			__u8 *t = l4 + RTR_UDP_HDR_LEN + RTR_PROBE_TAG_OFF;

			if ((void *)(t + 4) > end)
				return -1;
			sn->tag = rd32(t);
			sn->has_tag = 1;
		}
		if (k->family == 4)
			sn->key.id = (__u32)sn->ip_id << 16 | sn->l4;
		else if (sn->has_tag)
			sn->key.id = sn->tag;
		else
			return -1; /* IPv6 UDP needs the tag (RTR_E_QUOTE_SHORT) */
		return 0;
	}
	if (sn->key.proto == RTR_IPPROTO_TCP) {
		if (rd16(l4) != RTR_PROBE_SPORT)
			return -1;
		/* The flags lie beyond a minimal quote: checked when present. */
		if (l4avail >= 14) {
			if ((void *)(l4 + 14) > end)
				return -1;
			if ((l4[13] & (RTR_TCP_SYN | RTR_TCP_ACK | RTR_TCP_RST | RTR_TCP_FIN)) !=
			    RTR_TCP_SYN)
				return -1;
		}
		sn->flow = rd16(l4 + 2);
		sn->has_flow = 1;
		sn->l4 = rd32(l4 + 4);
		sn->key.id = sn->l4;
		return 0;
	}
	if (l4[0] != (k->family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST) || l4[1])
		return -1;
	sn->flow = rd16(l4 + 2);
	sn->has_flow = 1;
	sn->l4 = rd32(l4 + 4);
	sn->key.id = sn->l4;
	return 0;
}

/*
 * Rewrites a SYN-ACK into the RST its sender must get (seq = its ack number,
 * no ACK flag) and sends a clone of it; the packet stays ours to rewrite into
 * the response. Returns -1 only when the packet was left unusable.
 */
__noinline int send_rst(struct __sk_buff *skb, const struct flow_out *fo, __u32 ack,
			const struct route *rr)
{
	if (!fo || !rr)
		return -1;
	int family = fo->family;
	__u32 iphl = family == 4 ? 20 : 40, ps;
	__u16 flow = fo->dport;
	__u8 *ip, *t;
	void *data, *end;
	__u64 ts;

	ip = resize(skb, iphl + 20);
	if (!ip)
		return -1;
	end = pkt_end(skb);
	if ((void *)(ip + 40) > end)
		return -1;
	ps = write_ip(ip, family, fo->src, fo->dst, RTR_IPPROTO_TCP, 64, 0, 20);
	t = ip + iphl;
	barrier_var(t);
	if ((void *)(t + 20) > end)
		return -1;
	wr16(t, RTR_PROBE_SPORT);
	wr16(t + 2, flow);
	wr32(t + 4, ack);
	wr32(t + 8, 0);
	wr16(t + 12, 5 << 12 | RTR_TCP_RST);
	wr16(t + 14, 0);
	wr16(t + 18, 0);
	ts = ps + RTR_PROBE_SPORT + flow + (ack >> 16) + (ack & 0xffff) + (5 << 12 | RTR_TCP_RST);
	wr16(t + 16, (__u16)~fold16(ts));
	data = pkt_data(skb);
	end = pkt_end(skb);
	if (data + ETH_HLEN > end)
		return -1;
	if (!rr->neigh) {
		__builtin_memcpy(data, rr->dmac, 6);
		__builtin_memcpy(data + 6, rr->smac, 6);
	}
	if (!bpf_clone_redirect(skb, rr->ifindex, 0)) {
		count(RTR_C_RST_SENT, 1);
		count(RTR_C_BYTES_OUT, iphl + 20);
	}
	return 0;
}

/*
 * Handles a possible answer (ICMP error, Echo Reply, TCP to port 1021).
 * Returns TC_ACT_OK for anything that does not complete a session.
 */
__noinline int handle_answer(struct __sk_buff *skb, struct pkt *k, __u32 kind)
{
	if (!k)
		return TC_ACT_OK;
	__u32 zero = 0;
	struct ans_scratch *x = bpf_map_lookup_elem(&ans_scratch, &zero);
	__u64 now, rtt;
	__s64 s;
	void *data, *end;
	__u32 l4off;
	__u8 *l4;

	if (!x)
		return TC_ACT_OK;
	/* What the lookup reads; the rest is cleared only once a session is found. */
	__builtin_memset(&x->sn, 0, sizeof(x->sn));
	if (k->fragment || k->l4len > ANS_MAX_LEN)
		return TC_ACT_OK;
	if (pull(skb, k->l4off + k->l4len))
		return TC_ACT_OK;
	data = pkt_data(skb);
	end = pkt_end(skb);
	l4off = k->l4off;
	if (l4off > 80)
		return TC_ACT_OK;
	vbound(l4off, 0x7f);
	l4 = data + l4off;
	if ((void *)(l4 + 8) > end || k->l4len < 8)
		return TC_ACT_OK;
	if (k->proto == RTR_IPPROTO_TCP && ((void *)(l4 + 20) > end || k->l4len < 20))
		return TC_ACT_OK;

	if (kind == RTR_ANS_TIME_EXCEEDED || kind == RTR_ANS_DEST_UNREACH) {
		if (parse_quote(skb, k, k->l4off + 8, &x->sn))
			return TC_ACT_OK;
	} else if (kind == RTR_ANS_ECHO_REPLY) {
		__builtin_memcpy(x->sn.key.client, k->src, 16);
		__builtin_memcpy(x->sn.server, k->dst, 16);
		x->sn.key.family = k->family;
		x->sn.key.proto = k->proto;
		x->sn.l4 = rd32(l4 + 4);
		x->sn.key.id = x->sn.l4;
	} else {
		if ((void *)(l4 + 20) > end)
			return TC_ACT_OK;
		__builtin_memcpy(x->sn.key.client, k->src, 16);
		__builtin_memcpy(x->sn.server, k->dst, 16);
		x->sn.key.family = k->family;
		x->sn.key.proto = RTR_IPPROTO_TCP;
		x->sn.flow = rd16(l4);
		x->sn.has_flow = 1;
		x->sn.ack = rd32(l4 + 8);
		x->sn.l4 = x->sn.ack - 1;
		x->sn.key.id = x->sn.l4;
		x->sn.is_synack = kind == RTR_ANS_TCP_SYNACK;
	}

	if (tbl_find(&x->sn.key, &x->v, &x->t))
		return TC_ACT_OK; /* a copy: the sweeper may end the session at any time */
	__builtin_memset(&x->fo, 0, sizeof(x->fo));
	__builtin_memset(&x->fr, 0, sizeof(x->fr));
	__builtin_memset(&x->rs, 0, sizeof(x->rs));

	/* Checksum of the whole answer: a corrupt packet never ends a session. */
	s = sum_pkt(skb, k->l4off, k->l4len, ANS_MAX_LEN);
	if (s < 0)
		return TC_ACT_OK;
	if (k->family == 6 || k->proto == RTR_IPPROTO_TCP)
		s += sum_addr(k->src, k->family) + sum_addr(k->dst, k->family) + k->l4len +
		     k->proto;
	if (fold16(s) != 0xffff) {
		/*
		 * A TCP answer from a local stack over veth or virtio can arrive
		 * CHECKSUM_PARTIAL: its field then holds the folded pseudo-header
		 * sum only (what Linux writes before offload). Accept exactly that.
		 */
		__u32 ps;

		if (k->proto != RTR_IPPROTO_TCP)
			return TC_ACT_OK;
		data = pkt_data(skb);
		end = pkt_end(skb);
		l4 = data + l4off;
		if ((void *)(l4 + 20) > end)
			return TC_ACT_OK;
		ps = sum_addr(k->src, k->family) + sum_addr(k->dst, k->family) + k->l4len +
		     RTR_IPPROTO_TCP;
		if (rd16(l4 + 16) != fold16(ps))
			return TC_ACT_OK;
	}

	now = bpf_ktime_get_ns();
	if (now - x->v.ts_ns >= cfg_timeout_ns) {
		if (claim(&x->sn.key, &x->v, &x->t))
			count(RTR_C_TIMEOUTS, 1);
		return TC_ACT_OK;
	}
	/* Strict match: every identity field the answer carries (rtr_answer_match). */
	if (!addr_eq(x->sn.server, x->v.server) || (x->sn.has_flow && x->sn.flow != x->v.flow) ||
	    (x->sn.key.proto != RTR_IPPROTO_UDP && x->sn.l4 != x->v.l4) ||
	    (x->sn.key.proto == RTR_IPPROTO_UDP && x->sn.l4 != (x->v.l4 & 0xffff)) ||
	    (x->sn.has_ipid && x->sn.ip_id != x->v.ip_id) ||
	    (x->sn.has_tag && x->sn.tag != x->v.tag) ||
	    (x->sn.has_len && x->sn.len_extra != x->v.len_extra)) {
		count(RTR_C_FORGED, 1);
		return TC_ACT_OK;
	}
	__builtin_memcpy(x->fo.src, x->v.server, 16);
	__builtin_memcpy(x->fo.dst, x->sn.key.client, 16);
	x->fo.family = k->family;
	x->fo.now = now;
	x->fo.l4proto = k->family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	x->fo.tot_len = (k->family == 4 ? 20 : 40) + RTR_RSP_OK_LEN;
	if (route(skb, &x->fo, &x->r))
		return TC_ACT_OK;
	if (x->sn.is_synack) {
		x->fr = x->fo;
		x->fr.l4proto = RTR_IPPROTO_TCP;
		x->fr.sport = RTR_PROBE_SPORT;
		x->fr.dport = x->v.flow;
		x->fr.tot_len = (k->family == 4 ? 20 : 40) + 20;
		if (route(skb, &x->fr, &x->rr))
			return TC_ACT_OK;
	}
	if (!claim(&x->sn.key, &x->v, &x->t))
		return TC_ACT_OK; /* a concurrent answer or the sweeper ended it first */
	count(RTR_C_ANSWERS, 1);

	rtt = now - x->v.ts_ns;
	x->rs.rtt = rtt >= 0xffffffffull ? RTR_RTT_UNKNOWN : (__u32)rtt;
	x->rs.state = RTR_STATE_OK;
	x->rs.ident = x->v.ident;
	__builtin_memcpy(x->rs.hop, k->src, 16);

	if (x->sn.is_synack && send_rst(skb, &x->fr, x->sn.ack, &x->rr))
		return drop(RTR_C_DROP_INTERNAL);
	log_event(RTR_EV_ANSWER, x->sn.key.client, x->rs.hop, x->rs.ident, x->sn.key.proto, 0);
	return respond(skb, &x->fo, &x->rs, &x->r);
}

SEC("tc")
int rtr_ingress(struct __sk_buff *skb)
{
	void *data = pkt_data(skb);
	void *end = pkt_end(skb);
	struct pkt k;
	__u8 *l4, type, code;

	if (data + ETH_HLEN > end)
		return TC_ACT_OK;
	if (!parse_ip(skb, data, end, &k))
		return TC_ACT_OK;
	if (k.l4off > 200)
		return TC_ACT_OK;
	l4 = data + k.l4off;
	if (!k.first_fragment)
		return TC_ACT_OK; /* no L4 header to judge by */
	if ((void *)(l4 + 4) > end)
		return TC_ACT_OK;
	/* Only a request is judged behind IPv6 extension headers; anything else passes (SRV-7). */
	if (k.exthdr && (k.proto != RTR_IPPROTO_ICMPV6 || l4[0] != RTR_ICMP6_ECHO_REQUEST ||
			 l4[1] != RTR_CODE_RTR))
		return TC_ACT_OK;

	if (k.proto == RTR_IPPROTO_TCP) {
		__u32 fl;

		if ((void *)(l4 + 14) > end || rd16(l4 + 2) != RTR_PROBE_SPORT)
			return TC_ACT_OK;
		fl = l4[13];
		/* Both answers acknowledge our SYN; RST wins over SYN (rtr_answer_decode). */
		if (!(fl & RTR_TCP_ACK))
			return TC_ACT_OK;
		if (fl & RTR_TCP_RST)
			return handle_answer(skb, &k, RTR_ANS_TCP_RST);
		if (fl & RTR_TCP_SYN)
			return handle_answer(skb, &k, RTR_ANS_TCP_SYNACK);
		return TC_ACT_OK;
	}
	type = l4[0];
	code = l4[1];
	if (type == (k.family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST) &&
	    code == RTR_CODE_RTR) {
		/*
		 * Ours only when the frame is for this host and the destination is
		 * one of its unicast addresses (SRV-11): anything else, malformed
		 * or not, is transit or the kernel's to refuse.
		 */
		if (ctx_u32(skb, pkt_type) != PACKET_HOST ||
		    !bpf_map_lookup_elem(&local_addrs, k.dst))
			return TC_ACT_OK;
		return handle_request(skb, &k);
	}
	if (k.family == 4) {
		if (type == RTR_ICMP4_TIME_EXCEEDED && code == RTR_CODE_TTL_EXCEEDED)
			return handle_answer(skb, &k, RTR_ANS_TIME_EXCEEDED);
		if (type == RTR_ICMP4_DEST_UNREACH)
			return handle_answer(skb, &k, RTR_ANS_DEST_UNREACH);
		if (type == RTR_ICMP4_ECHO_REPLY && code == 0)
			return handle_answer(skb, &k, RTR_ANS_ECHO_REPLY);
		return TC_ACT_OK;
	}
	if (type == RTR_ICMP6_TIME_EXCEEDED && code == RTR_CODE_TTL_EXCEEDED)
		return handle_answer(skb, &k, RTR_ANS_TIME_EXCEEDED);
	if (type == RTR_ICMP6_DEST_UNREACH)
		return handle_answer(skb, &k, RTR_ANS_DEST_UNREACH);
	if (type == RTR_ICMP6_ECHO_REPLY && code == 0)
		return handle_answer(skb, &k, RTR_ANS_ECHO_REPLY);
	return TC_ACT_OK;
}

/* A program that does nothing: the bench baseline measured in the same run. */
SEC("tc")
int rtr_trivial(struct __sk_buff *skb)
{
	return TC_ACT_OK;
}
