// SPDX-License-Identifier: GPL-2.0-only
/* rtr.bpf.c: tc ingress program that answers reverse traceroute requests (IPv4 and IPv6). */
#include "vmlinux.h"

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "rtr_server.h"
#include "rtr_wire.h"
#include "bpf/defs.h"

/*
 * One packet in, at most one decision: a request becomes a probe (or an error
 * response) in place and is redirected; an answer to a pending probe becomes
 * the response in place and is redirected; malformed or refused requests are
 * dropped and counted; everything else returns RTR_PASS untouched. Sessions
 * live in one preallocated table (rtr_server.h) and carry a timestamp: expiry
 * is checked on lookup and by the loader's sweeper, never by bpf_timer (ENOMEM
 * under bursts).
 */

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

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ROUTE_SLOTS);
	__type(key, __u32);
	__type(value, struct route_slot);
} route_cache SEC(".maps");

/* Per CPU: the counter whose SipHash gives the next identity (the loader starts each at random). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} id_ctr SEC(".maps");

/* The program's parts, by concern (each included once, here: they use the maps above). */
#include "bpf/stats.h"
#include "bpf/csum.h"
#include "bpf/parse.h"
#include "bpf/route.h"
#include "bpf/emit.h"
#include "bpf/respond.h"
#include "bpf/ratelimit.h"
#include "bpf/ext.h"
#include "bpf/probe.h"
#include "bpf/table.h"
#include "bpf/quote.h"

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
		return RTR_PASS;
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
		return RTR_PASS;
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
	if ((k->family == 4 &&
	     (k->dst[RTR_MAPPED_V4_OFF] >= 224 || k->src[RTR_MAPPED_V4_OFF] >= 224)) ||
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
		x->fo.tot_len =
			(k->family == 4 ? RTR_IPV4_HDR_MIN : RTR_IPV6_HDR_LEN) + RTR_RSP_ERR_LEN;
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
	x->fo.tot_len = 60; /* any probe: the FIB only compares it with the MTU */
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
 * Handles a possible answer (ICMP error, Echo Reply, TCP to port 1021).
 * Returns RTR_PASS for anything that does not complete a session.
 */
__noinline int handle_answer(struct __sk_buff *skb, struct pkt *k, __u32 kind)
{
	if (!k)
		return RTR_PASS;
	__u32 zero = 0;
	struct ans_scratch *x = bpf_map_lookup_elem(&ans_scratch, &zero);
	__u64 now, rtt;
	__s64 s;
	void *data, *end;
	__u32 l4off;
	__u8 *l4;

	if (!x)
		return RTR_PASS;
	/* What the lookup reads; the rest is cleared only once a session is found. */
	__builtin_memset(&x->sn, 0, sizeof(x->sn));
	if (k->fragment || k->l4len > ANS_MAX_LEN)
		return RTR_PASS;
	if (pull(skb, k->l4off + k->l4len))
		return RTR_PASS;
	data = pkt_data(skb);
	end = pkt_end(skb);
	l4off = k->l4off;
	if (l4off > 80)
		return RTR_PASS;
	vbound(l4off, 0x7f);
	l4 = data + l4off;
	if ((void *)(l4 + RTR_ICMP_HDR_LEN) > end || k->l4len < RTR_ICMP_HDR_LEN)
		return RTR_PASS;
	if (k->proto == RTR_IPPROTO_TCP &&
	    ((void *)(l4 + RTR_TCP_HDR_MIN) > end || k->l4len < RTR_TCP_HDR_MIN))
		return RTR_PASS;

	if (kind == RTR_ANS_TIME_EXCEEDED || kind == RTR_ANS_DEST_UNREACH) {
		if (parse_quote(skb, k, k->l4off + RTR_ICMP_HDR_LEN, &x->sn))
			return RTR_PASS;
	} else if (kind == RTR_ANS_ECHO_REPLY) {
		__builtin_memcpy(x->sn.key.client, k->src, 16);
		__builtin_memcpy(x->sn.server, k->dst, 16);
		x->sn.key.family = k->family;
		x->sn.key.proto = k->proto;
		x->sn.l4 = rd32(l4 + RTR_ICMP_OFF_ID);
		x->sn.key.id = x->sn.l4;
	} else {
		if ((void *)(l4 + RTR_TCP_HDR_MIN) > end)
			return RTR_PASS;
		__builtin_memcpy(x->sn.key.client, k->src, 16);
		__builtin_memcpy(x->sn.server, k->dst, 16);
		x->sn.key.family = k->family;
		x->sn.key.proto = RTR_IPPROTO_TCP;
		x->sn.flow = rd16(l4 + RTR_TCP_OFF_SPORT);
		x->sn.has_flow = 1;
		x->sn.ack = rd32(l4 + RTR_TCP_OFF_ACK);
		x->sn.l4 = x->sn.ack - 1;
		x->sn.key.id = x->sn.l4;
		x->sn.is_synack = kind == RTR_ANS_TCP_SYNACK;
	}

	if (tbl_find(&x->sn.key, &x->v, &x->t))
		return RTR_PASS; /* a copy: the sweeper may end the session at any time */
	__builtin_memset(&x->fo, 0, sizeof(x->fo));
	__builtin_memset(&x->fr, 0, sizeof(x->fr));
	__builtin_memset(&x->rs, 0, sizeof(x->rs));

	/* Checksum of the whole answer: a corrupt packet never ends a session. */
	s = sum_pkt(skb, k->l4off, k->l4len, ANS_MAX_LEN);
	if (s < 0)
		return RTR_PASS;
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
			return RTR_PASS;
		data = pkt_data(skb);
		end = pkt_end(skb);
		l4 = data + l4off;
		if ((void *)(l4 + RTR_TCP_HDR_MIN) > end)
			return RTR_PASS;
		ps = sum_addr(k->src, k->family) + sum_addr(k->dst, k->family) + k->l4len +
		     RTR_IPPROTO_TCP;
		if (rd16(l4 + RTR_TCP_OFF_CSUM) != fold16(ps))
			return RTR_PASS;
	}

	now = bpf_ktime_get_ns();
	if (now - x->v.ts_ns >= cfg_timeout_ns) {
		if (claim(&x->sn.key, &x->v, &x->t))
			count(RTR_C_TIMEOUTS, 1);
		return RTR_PASS;
	}
	/* Strict match: every identity field the answer carries (rtr_answer_match). */
	if (!addr_eq(x->sn.server, x->v.server) || (x->sn.has_flow && x->sn.flow != x->v.flow) ||
	    (x->sn.key.proto != RTR_IPPROTO_UDP && x->sn.l4 != x->v.l4) ||
	    (x->sn.key.proto == RTR_IPPROTO_UDP && x->sn.l4 != (x->v.l4 & 0xffff)) ||
	    (x->sn.has_ipid && x->sn.ip_id != x->v.ip_id) ||
	    (x->sn.has_tag && x->sn.tag != x->v.tag) ||
	    (x->sn.has_len && x->sn.len_extra != x->v.len_extra)) {
		count(RTR_C_FORGED, 1);
		return RTR_PASS;
	}
	__builtin_memcpy(x->fo.src, x->v.server, 16);
	__builtin_memcpy(x->fo.dst, x->sn.key.client, 16);
	x->fo.family = k->family;
	x->fo.now = now;
	x->fo.l4proto = k->family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	x->fo.tot_len = (k->family == 4 ? RTR_IPV4_HDR_MIN : RTR_IPV6_HDR_LEN) + RTR_RSP_OK_LEN;
	if (route(skb, &x->fo, &x->r))
		return RTR_PASS;
	if (x->sn.is_synack) {
		x->fr = x->fo;
		x->fr.l4proto = RTR_IPPROTO_TCP;
		x->fr.sport = RTR_PROBE_SPORT;
		x->fr.dport = x->v.flow;
		x->fr.tot_len =
			(k->family == 4 ? RTR_IPV4_HDR_MIN : RTR_IPV6_HDR_LEN) + RTR_TCP_HDR_MIN;
		if (route(skb, &x->fr, &x->rr))
			return RTR_PASS;
	}
	if (!claim(&x->sn.key, &x->v, &x->t))
		return RTR_PASS; /* a concurrent answer or the sweeper ended it first */
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
		return RTR_PASS;
	if (!parse_ip(skb, data, end, &k))
		return RTR_PASS;
	if (k.l4off > 200)
		return RTR_PASS;
	l4 = data + k.l4off;
	if (!k.first_fragment)
		return RTR_PASS; /* no L4 header to judge by */
	if ((void *)(l4 + 4) > end)
		return RTR_PASS;
	/* Only a request is judged behind IPv6 extension headers; anything else passes (SRV-7). */
	if (k.exthdr &&
	    (k.proto != RTR_IPPROTO_ICMPV6 || l4[RTR_ICMP_OFF_TYPE] != RTR_ICMP6_ECHO_REQUEST ||
	     l4[RTR_ICMP_OFF_CODE] != RTR_CODE_RTR))
		return RTR_PASS;

	if (k.proto == RTR_IPPROTO_TCP) {
		__u32 fl;

		if ((void *)(l4 + RTR_TCP_FLAGS_END) > end ||
		    rd16(l4 + RTR_TCP_OFF_DPORT) != RTR_PROBE_SPORT)
			return RTR_PASS;
		fl = l4[RTR_TCP_OFF_FLAGS];
		/* Both answers acknowledge our SYN; RST wins over SYN (rtr_answer_decode). */
		if (!(fl & RTR_TCP_ACK))
			return RTR_PASS;
		if (fl & RTR_TCP_RST)
			return handle_answer(skb, &k, RTR_ANS_TCP_RST);
		if (fl & RTR_TCP_SYN)
			return handle_answer(skb, &k, RTR_ANS_TCP_SYNACK);
		return RTR_PASS;
	}
	type = l4[RTR_ICMP_OFF_TYPE];
	code = l4[RTR_ICMP_OFF_CODE];
	if (type == (k.family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST) &&
	    code == RTR_CODE_RTR) {
		/*
		 * Ours only when the frame is for this host and the destination is
		 * one of its unicast addresses (SRV-11): anything else, malformed
		 * or not, is transit or the kernel's to refuse.
		 */
		if (ctx_u32(skb, pkt_type) != PACKET_HOST ||
		    !bpf_map_lookup_elem(&local_addrs, k.dst))
			return RTR_PASS;
		return handle_request(skb, &k);
	}
	if (k.family == 4) {
		if (type == RTR_ICMP4_TIME_EXCEEDED && code == RTR_CODE_TTL_EXCEEDED)
			return handle_answer(skb, &k, RTR_ANS_TIME_EXCEEDED);
		if (type == RTR_ICMP4_DEST_UNREACH)
			return handle_answer(skb, &k, RTR_ANS_DEST_UNREACH);
		if (type == RTR_ICMP4_ECHO_REPLY && code == 0)
			return handle_answer(skb, &k, RTR_ANS_ECHO_REPLY);
		return RTR_PASS;
	}
	if (type == RTR_ICMP6_TIME_EXCEEDED && code == RTR_CODE_TTL_EXCEEDED)
		return handle_answer(skb, &k, RTR_ANS_TIME_EXCEEDED);
	if (type == RTR_ICMP6_DEST_UNREACH)
		return handle_answer(skb, &k, RTR_ANS_DEST_UNREACH);
	if (type == RTR_ICMP6_ECHO_REPLY && code == 0)
		return handle_answer(skb, &k, RTR_ANS_ECHO_REPLY);
	return RTR_PASS;
}

/* A program that does nothing: the bench baseline measured in the same run. */
SEC("tc")
int rtr_trivial(struct __sk_buff *skb)
{
	return RTR_PASS;
}
