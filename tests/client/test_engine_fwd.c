// SPDX-License-Identifier: BSD-2-Clause
/* test_engine_fwd.c: the engine's forward traces against scripted routers and targets (no sockets).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "answer.h"
#include "err.h"
#include "pkt.h"
#include "probe.h"
#include "rtr_wire.h"
#include "sim.h"

/* A line of routers in front of a target, with ways to misbehave. */
struct path {
	unsigned nrouters;
	struct rtr_addr router[12];
	struct rtr_addr target;
	uint32_t silent;      /* bit t: TTL t never answers */
	bool mute;	      /* nothing answers at all */
	unsigned unreach_ttl; /* this TTL answers Destination Unreachable */
	uint8_t unreach_code;
	bool dup;	    /* every answer arrives twice */
	bool forge;	    /* a forged answer (wrong identity) arrives first */
	bool reverse_order; /* higher TTLs answer sooner */
	size_t quote_len;   /* 0: quote the whole probe */
	uint8_t tcp_flags;  /* the target's TCP answer */
	unsigned late_ttl;  /* answers for this TTL arrive after the wait */
	unsigned forged;    /* count of forged answers delivered */
};

static uint64_t delay_of(const struct sim *s, const struct path *p, unsigned ttl)
{
	if (ttl == p->late_ttl)
		return s->e.t.cfg.wait_ns; /* exactly at the deadline: already too late */
	if (p->reverse_order)
		return (100 - ttl) * SIM_MS;
	return 10 * SIM_MS + ttl * SIM_MS;
}

/* Builds what the path answers to probe pkt (TTL ttl). */
static size_t answer(const struct path *p, const uint8_t *pkt, size_t len, unsigned ttl, int family,
		     uint8_t proto, uint8_t *out, size_t cap)
{
	size_t q = p->quote_len ? p->quote_len : len;
	if (ttl <= p->nrouters)
		return pkt_icmp_error(out, cap, &p->router[ttl - 1],
				      family == 4 ? RTR_ICMP4_TIME_EXCEEDED
						  : RTR_ICMP6_TIME_EXCEEDED,
				      0, pkt, len, q);
	if (ttl == p->unreach_ttl)
		return pkt_icmp_error(out, cap, &p->target,
				      family == 4 ? RTR_ICMP4_DEST_UNREACH : RTR_ICMP6_DEST_UNREACH,
				      p->unreach_code, pkt, len, q);
	if (proto == RTR_IPPROTO_UDP)
		return pkt_icmp_error(out, cap, &p->target,
				      family == 4 ? RTR_ICMP4_DEST_UNREACH : RTR_ICMP6_DEST_UNREACH,
				      family == 4 ? 3 : 4, pkt, len, q);
	if (proto == RTR_IPPROTO_TCP)
		return pkt_tcp_answer(out, cap, pkt, len, p->tcp_flags);
	return pkt_echo_reply(out, cap, pkt, len);
}

static void net_path(struct sim *s, const struct rtr_eng_tx *tx)
{
	struct path *p = s->ctx;
	struct rtr_probe_seen seen;
	assert_int_equal(rtr_probe_decode(&seen, tx->pkt, tx->len, 0), RTR_OK);
	assert_int_equal(seen.ttl, tx->ttl);
	assert_int_equal(seen.proto, s->e.t.cfg.proto);
	assert_true(rtr_addr_eq(&seen.dst, &s->e.t.cfg.dst));
	assert_true(rtr_addr_eq(&tx->dst, &s->e.t.cfg.dst));
	assert_int_equal(seen.flow, rtr_engine_flow(&s->e));
	unsigned ttl = seen.ttl;
	if (p->mute || (ttl < 32 && (p->silent >> ttl & 1)))
		return;
	if (p->unreach_ttl && ttl > p->unreach_ttl)
		return;
	uint8_t out[700];
	if (p->forge) {
		uint8_t fake[RTR_ENG_PKT_MAX];
		memcpy(fake, tx->pkt, tx->len);
		size_t l4 = tx->family == 4 ? RTR_IPV4_HDR_MIN : RTR_IPV6_HDR_LEN;
		fake[l4 + 7] ^= 0x01; /* wrong identity: UDP checksum, TCP seq, ICMP seq */
		size_t n = answer(p, fake, tx->len, ttl, tx->family, s->e.t.cfg.proto, out,
				  sizeof(out));
		sim_deliver(s, delay_of(s, p, ttl) / 2, out, n);
		p->forged++;
	}
	size_t n = answer(p, tx->pkt, tx->len, ttl, tx->family, s->e.t.cfg.proto, out, sizeof(out));
	sim_deliver(s, delay_of(s, p, ttl), out, n);
	if (p->dup)
		sim_deliver(s, delay_of(s, p, ttl) + SIM_MS, out, n);
}

static void path_init(struct path *p, int family, unsigned nrouters)
{
	memset(p, 0, sizeof(*p));
	p->nrouters = nrouters;
	p->tcp_flags = RTR_TCP_RST | RTR_TCP_ACK;
	char text[64];
	for (unsigned i = 0; i < nrouters; i++) {
		if (family == 4)
			snprintf(text, sizeof(text), "203.0.113.%u", 100 + i);
		else
			snprintf(text, sizeof(text), "2001:db8:1::%u", 100 + i);
		assert_int_equal(rtr_addr_parse(&p->router[i], text), family);
	}
	assert_int_equal(rtr_addr_parse(&p->target, family == 4 ? "203.0.113.9" : "2001:db8:ff::9"),
			 family);
}

/* Every hop up to the target carries the right address, answer and RTT. */
static void check_path(const struct sim *s, const struct path *p, unsigned hops)
{
	const struct rtr_engine *e = &s->e;
	assert_int_equal(e->t.last_ttl, hops);
	for (unsigned t = 1; t <= hops; t++) {
		const struct rtr_eng_hop *h = &e->hop[t];
		assert_int_equal(h->nsent, e->t.cfg.probes);
		if (p->silent >> t & 1 || t == p->late_ttl) {
			assert_int_equal(h->verdict, RTR_HOP_SILENT);
			for (unsigned i = 0; i < h->nsent; i++)
				assert_int_equal(h->probe[i].status, RTR_PS_TIMEOUT);
			continue;
		}
		const struct rtr_addr *want = t <= p->nrouters ? &p->router[t - 1] : &p->target;
		assert_int_equal(h->verdict, t == hops ? RTR_HOP_DEST : RTR_HOP_TRANSIT);
		for (unsigned i = 0; i < h->nsent; i++) {
			const struct rtr_eng_probe *pr = &h->probe[i];
			assert_int_equal(pr->status, RTR_PS_ANSWERED);
			assert_int_equal(pr->ttl, t);
			assert_true(rtr_addr_eq(&pr->from, want));
			assert_int_equal(pr->rtt_ns, delay_of(s, p, t));
		}
	}
}

static void run_complete(int family, uint8_t proto, uint8_t tcp_flags, uint8_t want_kind)
{
	struct path p;
	path_init(&p, family, 2);
	p.tcp_flags = tcp_flags;
	struct rtr_engine_cfg cfg = sim_cfg(family, RTR_FORWARD, proto);
	struct sim *s = sim_new(&cfg, net_path, &p);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_COMPLETED);
	check_path(s, &p, 3);
	const struct rtr_eng_probe *last = &s->e.hop[3].probe[0];
	assert_int_equal(last->kind, want_kind);
	const struct rtr_eng_probe *first = &s->e.hop[1].probe[0];
	assert_int_equal(first->kind, RTR_ANS_TIME_EXCEEDED);
	assert_int_equal(first->icmp_type,
			 family == 4 ? RTR_ICMP4_TIME_EXCEEDED : RTR_ICMP6_TIME_EXCEEDED);
	assert_int_equal(first->icmp_code, 0);
	assert_int_equal(first->reply_ttl, 60);
	/*
	 * 16 in flight before the first answer (TTLs 1-5 and one of 6), then 3
	 * more as each of TTL 1 and 2 answers; TTL 3 ends the trace at 13 ms.
	 */
	assert_int_equal(s->e.t.stats.sent, 22);
	assert_int_equal(s->e.t.stats.matched, 9);
	assert_int_equal(s->e.t.stats.ignored, 0);
	sim_free(s);
}

static void t_udp4(void **st)
{
	(void)st;
	run_complete(4, RTR_IPPROTO_UDP, 0, RTR_ANS_DEST_UNREACH);
}

static void t_udp6(void **st)
{
	(void)st;
	run_complete(6, RTR_IPPROTO_UDP, 0, RTR_ANS_DEST_UNREACH);
}

static void t_tcp4_rst(void **st)
{
	(void)st;
	run_complete(4, RTR_IPPROTO_TCP, RTR_TCP_RST | RTR_TCP_ACK, RTR_ANS_TCP_RST);
}

static void t_tcp6_synack(void **st)
{
	(void)st;
	run_complete(6, RTR_IPPROTO_TCP, RTR_TCP_SYN | RTR_TCP_ACK, RTR_ANS_TCP_SYNACK);
}

static void t_icmp4(void **st)
{
	(void)st;
	run_complete(4, RTR_IPPROTO_ICMP, 0, RTR_ANS_ECHO_REPLY);
}

static void t_icmp6(void **st)
{
	(void)st;
	run_complete(6, RTR_IPPROTO_ICMPV6, 0, RTR_ANS_ECHO_REPLY);
}

/* One hop at a time when only q probes may be in flight: exactly 3 x 3 probes. */
static void t_parallel_one_hop(void **st)
{
	(void)st;
	struct path p;
	path_init(&p, 4, 2);
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_UDP);
	cfg.parallel = 3;
	struct sim *s = sim_new(&cfg, net_path, &p);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_COMPLETED);
	check_path(s, &p, 3);
	assert_int_equal(s->e.t.stats.sent, 9);
	/* The 4th probe waits for the first answer of TTL 1 (11 ms). */
	assert_int_equal(s->sent_at[3] - s->sent_at[0], 11 * SIM_MS);
	sim_free(s);
}

static void t_probe_fields(void **st)
{
	(void)st;
	struct path p;
	path_init(&p, 4, 5);
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_UDP);
	cfg.flow = 33435;
	struct sim *s = sim_new(&cfg, net_path, &p);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_COMPLETED);
	for (unsigned i = 0; i < s->nsent; i++) {
		struct rtr_probe_seen a, b;
		assert_int_equal(rtr_probe_decode(&a, s->sent[i].pkt, s->sent[i].len, 0), RTR_OK);
		assert_int_equal(a.ttl, 1 + i / 3);
		assert_int_equal(a.flow, 33435);
		assert_int_equal(a.sport, RTR_PROBE_SPORT);
		/* identities differ probe to probe */
		for (unsigned j = 0; j < i; j++) {
			assert_int_equal(rtr_probe_decode(&b, s->sent[j].pkt, s->sent[j].len, 0),
					 RTR_OK);
			assert_false(a.id.ip_id == b.id.ip_id && a.id.l4 == b.id.l4);
		}
	}
	sim_free(s);
}

static void t_gap_limit(void **st)
{
	(void)st;
	struct path p;
	path_init(&p, 4, 10);
	p.silent = ~0u;
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_ICMP);
	cfg.gap_limit = 3;
	struct sim *s = sim_new(&cfg, net_path, &p);
	uint64_t t0 = s->now;
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_GAP_LIMIT);
	assert_int_equal(s->e.t.last_ttl, 3);
	for (unsigned t = 1; t <= 3; t++)
		assert_int_equal(s->e.hop[t].verdict, RTR_HOP_SILENT);
	/* All in flight at once: the trace ends one wait after the start. */
	assert_int_equal(s->now - t0, cfg.wait_ns);
	sim_free(s);
}

/* Silence shorter than the gap limit does not end the trace. */
static void t_gap_reset(void **st)
{
	(void)st;
	struct path p;
	path_init(&p, 4, 5);
	p.silent = 1u << 1 | 1u << 2 | 1u << 4;
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_UDP);
	cfg.gap_limit = 3;
	struct sim *s = sim_new(&cfg, net_path, &p);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_COMPLETED);
	check_path(s, &p, 6);
	sim_free(s);
}

static void t_max_ttl(void **st)
{
	(void)st;
	struct path p;
	path_init(&p, 6, 10);
	struct rtr_engine_cfg cfg = sim_cfg(6, RTR_FORWARD, RTR_IPPROTO_TCP);
	cfg.first_ttl = 2;
	cfg.max_ttl = 4;
	struct sim *s = sim_new(&cfg, net_path, &p);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_MAX_TTL);
	assert_int_equal(s->e.t.last_ttl, 4);
	assert_int_equal(s->e.hop[1].nsent, 0);
	assert_int_equal(s->e.t.stats.sent, 9);
	for (unsigned t = 2; t <= 4; t++)
		assert_true(rtr_addr_eq(&s->e.hop[t].probe[2].from, &p.router[t - 1]));
	sim_free(s);
}

static void t_unreachable(void **st)
{
	(void)st;
	struct path p;
	path_init(&p, 4, 1);
	p.unreach_ttl = 2;
	p.unreach_code = 1; /* host unreachable */
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_UDP);
	struct sim *s = sim_new(&cfg, net_path, &p);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_UNREACHABLE);
	assert_int_equal(s->e.t.last_ttl, 2);
	assert_int_equal(s->e.hop[2].verdict, RTR_HOP_UNREACH);
	assert_int_equal(s->e.hop[2].probe[0].icmp_type, RTR_ICMP4_DEST_UNREACH);
	assert_int_equal(s->e.hop[2].probe[0].icmp_code, 1);
	sim_free(s);
}

static void t_out_of_order(void **st)
{
	(void)st;
	struct path p;
	path_init(&p, 6, 4);
	p.reverse_order = true;
	struct rtr_engine_cfg cfg = sim_cfg(6, RTR_FORWARD, RTR_IPPROTO_UDP);
	struct sim *s = sim_new(&cfg, net_path, &p);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_COMPLETED);
	check_path(s, &p, 5);
	sim_free(s);
}

static void t_duplicates(void **st)
{
	(void)st;
	struct path p;
	path_init(&p, 4, 2);
	p.dup = true;
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_TCP);
	cfg.parallel = 3;
	struct sim *s = sim_new(&cfg, net_path, &p);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_COMPLETED);
	check_path(s, &p, 3);
	assert_int_equal(s->e.t.stats.matched, 9);
	/* The last hop's duplicates arrive after the trace ended and are never read. */
	assert_int_equal(s->e.t.stats.duplicates, 6);
	assert_int_equal(s->e.hop[1].probe[0].duplicates, 1);
	sim_free(s);
}

static void t_forged(void **st)
{
	(void)st;
	static const uint8_t protos4[] = {RTR_IPPROTO_UDP, RTR_IPPROTO_TCP, RTR_IPPROTO_ICMP};
	static const uint8_t protos6[] = {RTR_IPPROTO_UDP, RTR_IPPROTO_TCP, RTR_IPPROTO_ICMPV6};
	for (int f = 4; f <= 6; f += 2)
		for (unsigned i = 0; i < 3; i++) {
			struct path p;
			path_init(&p, f, 2);
			p.forge = true;
			uint8_t proto = f == 4 ? protos4[i] : protos6[i];
			struct rtr_engine_cfg cfg = sim_cfg(f, RTR_FORWARD, proto);
			cfg.parallel = 3;
			struct sim *s = sim_new(&cfg, net_path, &p);
			assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_COMPLETED);
			check_path(s, &p, 3);
			assert_int_equal(p.forged, 9);
			assert_int_equal(s->e.t.stats.ignored, 9);
			assert_int_equal(s->e.t.stats.matched, 9);
			sim_free(s);
		}
}

static void t_late(void **st)
{
	(void)st;
	struct path p;
	path_init(&p, 4, 3);
	p.late_ttl = 2;
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_ICMP);
	struct sim *s = sim_new(&cfg, net_path, &p);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_COMPLETED);
	check_path(s, &p, 4);
	assert_int_equal(s->e.t.stats.late, 3);
	sim_free(s);
}

/* IPv4 routers that quote only 8 L4 bytes still identify the probe (IP ID + L4 identity). */
static void t_short_quote4(void **st)
{
	(void)st;
	struct path p;
	path_init(&p, 4, 3);
	p.quote_len = RTR_IPV4_HDR_MIN + RTR_QUOTE_L4_MIN;
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_UDP);
	struct sim *s = sim_new(&cfg, net_path, &p);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_COMPLETED);
	check_path(s, &p, 4);
	sim_free(s);
}

static void t_rate_limit(void **st)
{
	(void)st;
	struct path p;
	path_init(&p, 4, 3);
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_UDP);
	cfg.interval_ns = 50 * SIM_MS;
	struct sim *s = sim_new(&cfg, net_path, &p);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_COMPLETED);
	check_path(s, &p, 4);
	for (unsigned i = 1; i < s->nsent; i++)
		assert_true(s->sent_at[i] - s->sent_at[i - 1] >= 50 * SIM_MS);
	assert_int_equal(s->sent_at[1] - s->sent_at[0], 50 * SIM_MS);
	sim_free(s);
}

/* A campaign driver's hold: nothing leaves before not_before_ns, and WAIT asks to wake then. */
static void t_driver_hold(void **st)
{
	(void)st;
	struct path p;
	path_init(&p, 4, 3);
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_UDP);
	struct sim *s = sim_new(&cfg, net_path, &p);
	struct rtr_eng_tx tx;
	uint64_t wake = 0;
	s->e.t.not_before_ns = s->now + 70 * SIM_MS;
	assert_int_equal(rtr_tracer_poll(s->t, s->now, &tx, &wake), RTR_ENG_WAIT);
	assert_int_equal(wake, s->now + 70 * SIM_MS);
	assert_int_equal(s->e.t.stats.sent, 0);
	assert_int_equal(rtr_tracer_poll(s->t, s->now + 70 * SIM_MS, &tx, &wake), RTR_ENG_SEND);
	assert_int_equal(s->e.t.stats.sent, 1);
	sim_free(s);
}

static void t_interrupt(void **st)
{
	(void)st;
	struct path p;
	path_init(&p, 4, 3);
	p.silent = ~0u;
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_UDP);
	cfg.gap_limit = 0;
	cfg.parallel = 4;
	struct sim *s = sim_new(&cfg, net_path, &p);
	assert_int_equal(sim_run(s, 500 * SIM_MS), -1);
	rtr_tracer_interrupt(s->t);
	struct rtr_eng_tx tx;
	uint64_t wake;
	assert_int_equal(rtr_tracer_poll(s->t, s->now, &tx, &wake), RTR_ENG_DONE);
	assert_int_equal(rtr_tracer_stop_reason(s->t), RTR_STOP_INTERRUPTED);
	assert_int_equal(s->e.t.last_ttl, 2);
	assert_string_equal(rtr_stop_name(RTR_STOP_INTERRUPTED), "interrupted");
	sim_free(s);
}

/* Without a gap limit a silent path runs to max TTL. */
static void t_silent_max_ttl(void **st)
{
	(void)st;
	struct path p;
	path_init(&p, 4, 3);
	p.silent = ~0u;
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_UDP);
	cfg.gap_limit = 0;
	cfg.max_ttl = 6;
	cfg.probes = 1;
	struct sim *s = sim_new(&cfg, net_path, &p);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_MAX_TTL);
	assert_int_equal(s->e.t.last_ttl, 6);
	assert_int_equal(s->e.t.stats.sent, 6);
	sim_free(s);
}

/* The top of the TTL range: nothing is read or written past TTL 255. */
static void t_ttl_255(void **st)
{
	(void)st;
	struct path p;
	path_init(&p, 4, 3);
	p.mute = true;
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_ICMP);
	cfg.gap_limit = 0;
	cfg.first_ttl = 250;
	cfg.max_ttl = 255;
	cfg.probes = RTR_ENG_MAX_PROBES;
	cfg.parallel = 255;
	struct sim *s = sim_new(&cfg, net_path, &p);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_MAX_TTL);
	assert_int_equal(s->e.t.last_ttl, 255);
	assert_int_equal(s->e.t.stats.sent, 6 * RTR_ENG_MAX_PROBES);
	assert_int_equal(s->sent[s->nsent - 1].ttl, 255);
	sim_free(s);
}

/* Random source whose first 8 bytes are zero, then 0x5a: an IPv4 ID of 0 must be redrawn. */
static void zeros_first(void *ctx, void *buf, size_t len)
{
	unsigned *calls = ctx;
	memset(buf, (*calls)++ ? 0x5a : 0, len);
}

static void t_ipid_never_zero(void **st)
{
	(void)st;
	struct rtr_engine *e = test_malloc(sizeof(*e));
	unsigned calls = 0;
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_UDP);
	cfg.random = zeros_first;
	cfg.random_ctx = &calls;
	assert_int_equal(rtr_engine_init(e, &cfg), RTR_OK);
	struct rtr_eng_tx tx;
	uint64_t wake;
	assert_int_equal(rtr_tracer_poll(&e->t, 1, &tx, &wake), RTR_ENG_SEND);
	struct rtr_probe_seen seen;
	assert_int_equal(rtr_probe_decode(&seen, tx.pkt, tx.len, 0), RTR_OK);
	assert_int_equal(seen.id.ip_id, 0x5a5a);
	assert_int_equal(e->hop[1].probe[0].sent.id.ip_id, 0x5a5a);
	test_free(e);
}

static void noise(void *ctx, void *buf, size_t len);

/* An answer stamped a little before its probe's send time counts as RTT 0, not as late. */
static void t_arrival_before_send(void **st)
{
	(void)st;
	struct rtr_engine *e = test_malloc(sizeof(*e));
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_ICMP);
	cfg.random = noise;
	cfg.probes = 1;
	cfg.parallel = 1;
	assert_int_equal(rtr_engine_init(e, &cfg), RTR_OK);
	struct rtr_eng_tx tx;
	uint64_t wake;
	assert_int_equal(rtr_tracer_poll(&e->t, 5000, &tx, &wake), RTR_ENG_SEND);
	struct rtr_addr r1;
	rtr_addr_parse(&r1, "203.0.113.101");
	uint8_t out[700];
	size_t n = pkt_icmp_error(out, sizeof(out), &r1, RTR_ICMP4_TIME_EXCEEDED, 0, tx.pkt, tx.len,
				  tx.len);
	assert_true(rtr_tracer_receive(&e->t, 4990, out, n));
	assert_int_equal(e->hop[1].probe[0].status, RTR_PS_ANSWERED);
	assert_int_equal(e->hop[1].probe[0].rtt_ns, 0);
	assert_int_equal(e->t.stats.late, 0);
	test_free(e);
}

static void noise(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	memset(buf, 0x5a, len);
}

static void t_init_invalid(void **st)
{
	(void)st;
	struct rtr_engine *e = test_malloc(sizeof(*e));
	struct rtr_engine_cfg ok = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_UDP);
	ok.random = noise;
	assert_int_equal(rtr_engine_init(e, &ok), RTR_OK);
	struct rtr_engine_cfg c = ok;
	c.proto = RTR_IPPROTO_ICMPV6;
	assert_int_equal(rtr_engine_init(e, &c), RTR_E_PROTO);
	c = sim_cfg(6, RTR_FORWARD, RTR_IPPROTO_ICMP);
	c.random = noise;
	assert_int_equal(rtr_engine_init(e, &c), RTR_E_PROTO);
	c = ok;
	c.first_ttl = 0;
	assert_int_equal(rtr_engine_init(e, &c), RTR_E_INVAL);
	c = ok;
	c.first_ttl = 5;
	c.max_ttl = 4;
	assert_int_equal(rtr_engine_init(e, &c), RTR_E_INVAL);
	c = ok;
	c.probes = RTR_ENG_MAX_PROBES + 1;
	assert_int_equal(rtr_engine_init(e, &c), RTR_E_INVAL);
	c = ok;
	c.probes = 0;
	assert_int_equal(rtr_engine_init(e, &c), RTR_E_INVAL);
	c = ok;
	c.wait_ns = 0;
	assert_int_equal(rtr_engine_init(e, &c), RTR_E_INVAL);
	c = ok;
	c.parallel = 0;
	assert_int_equal(rtr_engine_init(e, &c), RTR_E_INVAL);
	c = ok;
	c.random = NULL;
	assert_int_equal(rtr_engine_init(e, &c), RTR_E_INVAL);
	c = ok;
	c.family = 6; /* addresses are IPv4 */
	c.proto = RTR_IPPROTO_UDP;
	assert_int_equal(rtr_engine_init(e, &c), RTR_E_INVAL);
	c = ok;
	c.direction = 7;
	assert_int_equal(rtr_engine_init(e, &c), RTR_E_INVAL);
	test_free(e);
}

static void t_names(void **st)
{
	(void)st;
	assert_string_equal(rtr_stop_name(RTR_STOP_COMPLETED), "completed");
	assert_string_equal(rtr_stop_name(RTR_STOP_GAP_LIMIT), "gap-limit");
	assert_string_equal(rtr_stop_name(RTR_STOP_MAX_TTL), "max-ttl");
	assert_string_equal(rtr_stop_name(RTR_STOP_UNREACHABLE), "unreachable");
	assert_string_equal(rtr_stop_name(RTR_STOP_NO_SERVER), "no-server");
	assert_string_equal(rtr_stop_name(RTR_STOP_REFUSED), "refused");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_udp4),
		cmocka_unit_test(t_udp6),
		cmocka_unit_test(t_tcp4_rst),
		cmocka_unit_test(t_tcp6_synack),
		cmocka_unit_test(t_icmp4),
		cmocka_unit_test(t_icmp6),
		cmocka_unit_test(t_parallel_one_hop),
		cmocka_unit_test(t_probe_fields),
		cmocka_unit_test(t_gap_limit),
		cmocka_unit_test(t_gap_reset),
		cmocka_unit_test(t_max_ttl),
		cmocka_unit_test(t_unreachable),
		cmocka_unit_test(t_out_of_order),
		cmocka_unit_test(t_duplicates),
		cmocka_unit_test(t_forged),
		cmocka_unit_test(t_late),
		cmocka_unit_test(t_short_quote4),
		cmocka_unit_test(t_rate_limit),
		cmocka_unit_test(t_driver_hold),
		cmocka_unit_test(t_interrupt),
		cmocka_unit_test(t_silent_max_ttl),
		cmocka_unit_test(t_init_invalid),
		cmocka_unit_test(t_names),
		cmocka_unit_test(t_ttl_255),
		cmocka_unit_test(t_ipid_never_zero),
		cmocka_unit_test(t_arrival_before_send),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
