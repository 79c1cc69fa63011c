// SPDX-License-Identifier: BSD-2-Clause
/* test_engine_rev.c: the engine's reverse traces against a scripted server (no sockets). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"
#include "ip.h"
#include "pkt.h"
#include "request.h"
#include "response.h"
#include "rtr_wire.h"
#include "sim.h"

enum server_mode { SERVER_OK, SERVER_ABSENT, SERVER_SILENT, SERVER_MUTE_TRACE };

/* A server whose probes back towards us cross nrouters routers. */
struct server {
	int mode;
	unsigned nrouters;
	struct rtr_addr router[8];
	uint8_t refuse_state; /* answer TTL > 0 requests with this error state */
	bool dup;
	bool forge; /* wrong-source and wrong-identifier responses arrive first */
	unsigned forged;
	bool presence_ok; /* a broken server: TTL 0 answered with success, naming router[0] */
	bool behind_nat;  /* the server's probes end at nat, not at our address */
	struct rtr_addr nat;
	unsigned requests;
	uint16_t idents[600];
	/* A token bucket as rtr-server's --rate/--burst: requests over it are dropped. */
	double rate, burst, tokens;
	uint64_t refilled_ns;
	unsigned dropped;
	unsigned silent_ttl; /* the router at this TTL never answers the server's probes */
};

/* True when the bucket lets this request through (rtr-server drops it silently otherwise). */
static bool bucket_pass(struct server *sv, uint64_t now)
{
	if (sv->rate <= 0)
		return true;
	sv->tokens += (double)(now - sv->refilled_ns) / 1e9 * sv->rate;
	if (sv->tokens > sv->burst)
		sv->tokens = sv->burst;
	sv->refilled_ns = now;
	if (sv->tokens < 1) {
		sv->dropped++;
		return false;
	}
	sv->tokens -= 1;
	return true;
}

static void net_server(struct sim *s, const struct rtr_eng_tx *tx)
{
	struct server *sv = s->ctx;
	struct rtr_ip ip;
	int hl = rtr_ip_decode(&ip, tx->pkt, tx->len, 0);
	assert_true(hl > 0);
	assert_int_equal(ip.proto, tx->family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6);
	assert_true(rtr_addr_eq(&ip.dst, &s->e.t.cfg.dst));
	struct rtr_l3 l3 = {.family = ip.family, .src = ip.src, .dst = ip.dst};
	struct rtr_request rq;
	assert_int_equal(rtr_request_decode(&rq, &l3, tx->pkt + hl, tx->len - (size_t)hl),
			 (int)(tx->len - (size_t)hl));
	/* What the engine asks for, verified on the wire. */
	assert_int_equal(rq.ttl, tx->ttl);
	assert_int_equal(rq.proto, s->e.t.cfg.proto);
	assert_int_equal(rq.flow, rtr_engine_flow(&s->e));
	assert_int_not_equal(rq.seq, 0);
	for (unsigned i = 0; i < sv->requests; i++)
		assert_int_not_equal(sv->idents[i], rq.ident);
	sv->idents[sv->requests++] = rq.ident;

	uint8_t out[700];
	size_t n;
	if (sv->mode == SERVER_SILENT || !bucket_pass(sv, s->now))
		return;
	if (rq.ttl && rq.ttl == sv->silent_ttl)
		return;
	if (sv->mode == SERVER_ABSENT) {
		n = pkt_kernel_echo(out, sizeof(out), tx->pkt, tx->len);
		sim_deliver(s, 2 * SIM_MS, out, n);
		return;
	}
	struct rtr_response rsp = {.ident = rq.ident};
	if (rq.ttl == 0 && sv->presence_ok) {
		rsp.hop = sv->router[0];
	} else if (rq.ttl == 0) {
		rsp.state = RTR_STATE_TTL;
	} else if (sv->mode == SERVER_MUTE_TRACE) {
		return;
	} else if (sv->refuse_state) {
		rsp.state = sv->refuse_state;
		rsp.value = 7;
	} else {
		rsp.state = RTR_STATE_OK;
		rsp.hop = rq.ttl <= sv->nrouters ? sv->router[rq.ttl - 1]
			  : sv->behind_nat	 ? sv->nat
						 : s->e.t.cfg.src;
		rsp.rtt_ns = rq.ttl * 1000000ull + 123;
	}
	n = pkt_response(out, sizeof(out), tx->pkt, tx->len, &rsp);
	if (sv->forge) {
		uint8_t fake[700];
		struct rtr_response bad = rsp;
		bad.ident ^= 0x0101;
		size_t m = pkt_response(fake, sizeof(fake), tx->pkt, tx->len, &bad);
		sim_deliver(s, SIM_MS, fake, m);
		/* the right identifier from the wrong source */
		memcpy(fake, out, n);
		size_t src_off = tx->family == 4 ? 12 : 8 + 15;
		fake[src_off] ^= 1;
		if (tx->family == 4) {
			fake[10] = fake[11] = 0;
			struct rtr_ip fix;
			assert_true(rtr_ip_decode(&fix, fake, n, RTR_IP_QUOTED) > 0);
			assert_int_equal(rtr_ip_encode(fake, 20, &fix, n - 20), 20);
		}
		sim_deliver(s, SIM_MS, fake, n);
		sv->forged += 2;
	}
	sim_deliver(s, 3 * SIM_MS + rq.ttl * SIM_MS, out, n);
	if (sv->dup)
		sim_deliver(s, 3 * SIM_MS + rq.ttl * SIM_MS, out, n);
}

static void server_init(struct server *sv, int family, unsigned nrouters)
{
	memset(sv, 0, sizeof(*sv));
	sv->nrouters = nrouters;
	char text[64];
	for (unsigned i = 0; i < nrouters; i++) {
		if (family == 4)
			snprintf(text, sizeof(text), "203.0.113.%u", 200 + i);
		else
			snprintf(text, sizeof(text), "2001:db8:2::%u", 200 + i);
		assert_int_equal(rtr_addr_parse(&sv->router[i], text), family);
	}
}

static void check_trace(const struct sim *s, const struct server *sv, unsigned hops)
{
	const struct rtr_engine *e = &s->e;
	assert_true(e->t.present);
	assert_int_equal(e->t.presence[0].state, RTR_STATE_TTL);
	assert_int_equal(e->t.last_ttl, hops);
	for (unsigned t = 1; t <= hops; t++) {
		const struct rtr_eng_hop *h = &e->hop[t];
		assert_int_equal(h->verdict, t == hops ? RTR_HOP_DEST : RTR_HOP_TRANSIT);
		for (unsigned i = 0; i < h->nsent; i++) {
			const struct rtr_eng_probe *p = &h->probe[i];
			assert_int_equal(p->status, RTR_PS_ANSWERED);
			assert_int_equal(p->state, RTR_STATE_OK);
			const struct rtr_addr *want =
				t <= sv->nrouters ? &sv->router[t - 1] : &e->t.cfg.src;
			assert_true(rtr_addr_eq(&p->from, want));
			assert_int_equal(p->server_rtt_ns, t * 1000000ull + 123);
			/* Our own RTT is of the send that was answered (CLI-14). */
			if (p->tries == 1)
				assert_int_equal(p->rtt_ns, 3 * SIM_MS + t * SIM_MS);
			assert_int_equal(p->reply_ttl, RTR_RSP_TTL);
			assert_int_equal(p->icmp_code, RTR_CODE_RTR);
		}
	}
}

static void run_complete(int family, uint8_t proto)
{
	struct server sv;
	server_init(&sv, family, 3);
	struct rtr_engine_cfg cfg = sim_cfg(family, RTR_REVERSE, proto);
	struct sim *s = sim_new(&cfg, net_server, &sv);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_COMPLETED);
	check_trace(s, &sv, 4);
	/* The presence check went out alone, before any TTL. */
	assert_int_equal(s->sent[0].ttl, 0);
	assert_int_equal(s->sent[1].ttl, 1);
	assert_true(s->sent_at[1] - s->sent_at[0] == 3 * SIM_MS);
	/* Requests beyond the last hop were in flight when it ended: abandoned, not unanswered. */
	assert_true(s->e.t.stats.abandoned > 0);
	assert_int_equal(s->e.t.stats.matched + s->e.t.stats.abandoned, s->e.t.stats.sent);
	sim_free(s);
}

static void t_udp4(void **st)
{
	(void)st;
	run_complete(4, RTR_IPPROTO_UDP);
}

static void t_tcp6(void **st)
{
	(void)st;
	run_complete(6, RTR_IPPROTO_TCP);
}

static void t_icmp4(void **st)
{
	(void)st;
	run_complete(4, RTR_IPPROTO_ICMP);
}

static void t_icmp6(void **st)
{
	(void)st;
	run_complete(6, RTR_IPPROTO_ICMPV6);
}

static void t_no_server_echo(void **st)
{
	(void)st;
	for (int f = 4; f <= 6; f += 2) {
		struct server sv;
		server_init(&sv, f, 3);
		sv.mode = SERVER_ABSENT;
		struct rtr_engine_cfg cfg = sim_cfg(f, RTR_REVERSE, RTR_IPPROTO_UDP);
		struct sim *s = sim_new(&cfg, net_server, &sv);
		assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_NO_SERVER);
		assert_true(s->e.t.kernel_echo);
		assert_true(s->e.t.presence[0].kernel_echo);
		assert_int_equal(s->e.t.stats.sent, 1);
		assert_int_equal(s->e.t.last_ttl, 0);
		sim_free(s);
	}
}

static void t_no_server_silent(void **st)
{
	(void)st;
	struct server sv;
	server_init(&sv, 4, 3);
	sv.mode = SERVER_SILENT;
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_REVERSE, RTR_IPPROTO_UDP);
	struct sim *s = sim_new(&cfg, net_server, &sv);
	uint64_t t0 = s->now;
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_NO_SERVER);
	assert_false(s->e.t.kernel_echo);
	/* q presence requests, one after the other, each given the full wait. */
	assert_int_equal(s->e.t.stats.sent, 3);
	assert_int_equal(s->now - t0, 3 * cfg.wait_ns);
	sim_free(s);
}

static void t_refused(void **st)
{
	(void)st;
	for (uint8_t state = RTR_STATE_PROTOCOL; state <= RTR_STATE_PADDING; state++) {
		struct server sv;
		server_init(&sv, 6, 3);
		sv.refuse_state = state;
		struct rtr_engine_cfg cfg = sim_cfg(6, RTR_REVERSE, RTR_IPPROTO_UDP);
		struct sim *s = sim_new(&cfg, net_server, &sv);
		assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_REFUSED);
		assert_int_equal(s->e.t.last_ttl, 1);
		assert_int_equal(s->e.hop[1].verdict, RTR_HOP_REFUSED);
		assert_int_equal(s->e.hop[1].probe[0].state, state);
		assert_int_equal(s->e.hop[1].probe[0].value, 7);
		sim_free(s);
	}
}

/*
 * A presence check answered with success (no legal server does that) is not a presence proof;
 * the probe keeps the hop the response named, so the output shows no address that no packet
 * named (fuzz_engine found "::" there: fuzz/regressions/engine/presence-success-hop).
 */
static void t_presence_success(void **st)
{
	(void)st;
	for (int family = 4; family <= 6; family += 2) {
		struct server sv;
		server_init(&sv, family, 3);
		sv.presence_ok = true;
		struct rtr_engine_cfg cfg = sim_cfg(family, RTR_REVERSE, RTR_IPPROTO_UDP);
		struct sim *s = sim_new(&cfg, net_server, &sv);
		assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_NO_SERVER);
		assert_false(s->e.t.present);
		assert_int_equal(s->e.t.presence_sent, cfg.probes);
		for (unsigned i = 0; i < s->e.t.presence_sent; i++) {
			const struct rtr_eng_probe *p = &s->e.t.presence[i];
			assert_int_equal(p->status, RTR_PS_ANSWERED);
			assert_int_equal(p->state, RTR_STATE_OK);
			assert_true(rtr_addr_eq(&p->from, &sv.router[0]));
		}
		sim_free(s);
	}
}

static void t_gap_after_presence(void **st)
{
	(void)st;
	struct server sv;
	server_init(&sv, 4, 3);
	sv.mode = SERVER_MUTE_TRACE;
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_REVERSE, RTR_IPPROTO_TCP);
	cfg.gap_limit = 2;
	struct sim *s = sim_new(&cfg, net_server, &sv);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_GAP_LIMIT);
	assert_true(s->e.t.present);
	assert_int_equal(s->e.t.last_ttl, 2);
	sim_free(s);
}

static void t_forged(void **st)
{
	(void)st;
	for (int f = 4; f <= 6; f += 2) {
		struct server sv;
		server_init(&sv, f, 2);
		sv.forge = true;
		struct rtr_engine_cfg cfg = sim_cfg(f, RTR_REVERSE, RTR_IPPROTO_UDP);
		cfg.parallel = 3;
		struct sim *s = sim_new(&cfg, net_server, &sv);
		assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_COMPLETED);
		check_trace(s, &sv, 3);
		assert_int_equal(sv.forged, 20); /* presence + 9 requests, two forgeries each */
		assert_int_equal(s->e.t.stats.ignored, 20);
		sim_free(s);
	}
}

static void t_duplicates(void **st)
{
	(void)st;
	struct server sv;
	server_init(&sv, 4, 2);
	sv.dup = true;
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_REVERSE, RTR_IPPROTO_ICMP);
	cfg.parallel = 3;
	struct sim *s = sim_new(&cfg, net_server, &sv);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_COMPLETED);
	check_trace(s, &sv, 3);
	assert_int_equal(s->e.t.stats.duplicates, 10); /* presence + 9 requests */
	assert_int_equal(s->e.hop[1].probe[0].duplicates, 1);
	sim_free(s);
}

/* Behind a NAT the server's probes end at the NAT's public address, answered at every TTL. */
static void t_nat_end(void **st)
{
	(void)st;
	for (int f = 4; f <= 6; f += 2) {
		struct server sv;
		server_init(&sv, f, 2);
		sv.behind_nat = true;
		assert_int_equal(
			rtr_addr_parse(&sv.nat, f == 4 ? "198.51.100.77" : "2001:db8:77::1"), f);
		struct rtr_engine_cfg cfg = sim_cfg(f, RTR_REVERSE, RTR_IPPROTO_UDP);
		struct sim *s = sim_new(&cfg, net_server, &sv);
		assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_COMPLETED);
		assert_int_equal(s->e.t.last_ttl, 3);
		assert_true(s->e.t.ended_elsewhere);
		assert_int_equal(s->e.hop[2].verdict, RTR_HOP_TRANSIT);
		assert_int_equal(s->e.hop[3].verdict, RTR_HOP_DEST);
		assert_true(rtr_addr_eq(&s->e.hop[3].probe[0].from, &sv.nat));
		sim_free(s);
	}
}

/* Without a TTL after it, a repeat cannot be seen: max TTL, nothing invented. */
static void t_nat_at_max_ttl(void **st)
{
	(void)st;
	struct server sv;
	server_init(&sv, 4, 2);
	sv.behind_nat = true;
	assert_int_equal(rtr_addr_parse(&sv.nat, "198.51.100.77"), 4);
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_REVERSE, RTR_IPPROTO_TCP);
	cfg.max_ttl = 3;
	struct sim *s = sim_new(&cfg, net_server, &sv);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_MAX_TTL);
	assert_false(s->e.t.ended_elsewhere);
	assert_int_equal(s->e.hop[3].verdict, RTR_HOP_TRANSIT);
	sim_free(s);
}

/* A slow server: its presence answer comes after the wait, yet it proves the server is there. */
static void net_slow_presence(struct sim *s, const struct rtr_eng_tx *tx)
{
	struct server *sv = s->ctx;
	struct rtr_ip ip;
	int hl = rtr_ip_decode(&ip, tx->pkt, tx->len, 0);
	struct rtr_l3 l3 = {.family = ip.family, .src = ip.src, .dst = ip.dst};
	struct rtr_request rq;
	assert_true(rtr_request_decode(&rq, &l3, tx->pkt + hl, tx->len - (size_t)hl) > 0);
	struct rtr_response rsp = {.ident = rq.ident};
	if (rq.ttl == 0)
		rsp.state = RTR_STATE_TTL;
	else
		rsp.hop = rq.ttl <= sv->nrouters ? sv->router[rq.ttl - 1] : s->e.t.cfg.src;
	uint8_t out[700];
	size_t n = pkt_response(out, sizeof(out), tx->pkt, tx->len, &rsp);
	sim_deliver(s, rq.ttl == 0 ? s->e.t.cfg.wait_ns + 10 * SIM_MS : SIM_MS, out, n);
}

static void t_late_presence(void **st)
{
	(void)st;
	struct server sv;
	server_init(&sv, 4, 1);
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_REVERSE, RTR_IPPROTO_UDP);
	struct sim *s = sim_new(&cfg, net_slow_presence, &sv);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_COMPLETED);
	assert_true(s->e.t.present);
	assert_int_equal(s->e.t.presence[0].status, RTR_PS_TIMEOUT);
	assert_int_equal(s->e.t.stats.late, 1);
	assert_int_equal(s->e.t.last_ttl, 2);
	sim_free(s);
}

/*
 * A server that rate-limits (--rate 5 --burst 5) in front of a 6-hop path: silent requests
 * are sent again, the engine slows down to what the server answers, and the true path
 * comes out whole, with no '*' and no invented hop 7 (CLI-14).
 */
static void t_rate_limited_server(void **st)
{
	(void)st;
	for (int f = 4; f <= 6; f += 2) {
		struct server sv;
		server_init(&sv, f, 5);
		sv.rate = 5;
		sv.burst = 5;
		sv.tokens = 5;
		struct rtr_engine_cfg cfg = sim_cfg(f, RTR_REVERSE, RTR_IPPROTO_UDP);
		cfg.retries = 2;
		struct sim *s = sim_new(&cfg, net_server, &sv);
		sv.refilled_ns = s->now;
		assert_int_equal(sim_run(s, 600000 * SIM_MS), RTR_STOP_COMPLETED);
		assert_true(sv.dropped > 0);
		check_trace(s, &sv, 6);
		assert_true(s->e.t.limited);
		assert_true(s->e.t.stats.retried > 0);
		assert_true(s->e.t.stats.recovered > 0);
		assert_true(s->e.t.stats.recovered <= s->e.t.stats.retried);
		sim_free(s);
	}
}

/* A router that never answers the server: its requests are sent once more, then '*'. */
static void t_silent_hop_retried_once(void **st)
{
	(void)st;
	struct server sv;
	server_init(&sv, 4, 3);
	sv.silent_ttl = 2;
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_REVERSE, RTR_IPPROTO_ICMP);
	cfg.retries = 2;
	struct sim *s = sim_new(&cfg, net_server, &sv);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_COMPLETED);
	assert_int_equal(s->e.t.last_ttl, 4);
	assert_int_equal(s->e.hop[2].verdict, RTR_HOP_SILENT);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(s->e.hop[2].probe[i].status, RTR_PS_TIMEOUT);
		/* No answer ever came back after a second send: that looks like the path. */
		assert_int_equal(s->e.hop[2].probe[i].tries, 2);
	}
	assert_false(s->e.t.limited);
	assert_int_equal(s->e.t.stats.retried, 3);
	assert_int_equal(s->e.t.stats.recovered, 0);
	sim_free(s);
}

/* A router on the way answers the presence check with Destination Unreachable. */
struct unreach {
	struct rtr_addr router;
	uint8_t code;
	bool wrong_ident;
};

static void net_unreach(struct sim *s, const struct rtr_eng_tx *tx)
{
	struct unreach *u = s->ctx;
	uint8_t copy[RTR_ENG_PKT_MAX], out[700];
	memcpy(copy, tx->pkt, tx->len);
	if (u->wrong_ident)
		copy[(tx->family == 4 ? 20 : 40) + RTR_REQ_OFF_IDENT] ^= 0x55;
	size_t n = pkt_icmp_error(out, sizeof(out), &u->router, tx->family == 4 ? 3 : 1, u->code,
				  copy, tx->len, tx->len);
	sim_deliver(s, 2 * SIM_MS, out, n);
}

static void t_presence_unreachable(void **st)
{
	(void)st;
	static const uint8_t codes4[] = {0, 1, 13}, codes6[] = {0, 1, 3};
	for (int f = 4; f <= 6; f += 2)
		for (unsigned c = 0; c < 3; c++) {
			struct unreach u = {.code = f == 4 ? codes4[c] : codes6[c]};
			assert_int_equal(rtr_addr_parse(&u.router,
							f == 4 ? "203.0.113.1" : "2001:db8:ff::1"),
					 f);
			struct rtr_engine_cfg cfg = sim_cfg(f, RTR_REVERSE, RTR_IPPROTO_UDP);
			struct sim *s = sim_new(&cfg, net_unreach, &u);
			uint64_t t0 = s->now;
			assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_UNREACHABLE);
			/* At once: no waiting out the other presence requests. */
			assert_int_equal(s->e.t.stats.sent, 1);
			assert_true(s->now - t0 < cfg.wait_ns);
			assert_int_equal(s->e.t.last_ttl, 0);
			const struct rtr_eng_probe *p = &s->e.t.presence[0];
			assert_int_equal(p->status, RTR_PS_ANSWERED);
			assert_int_equal(p->verdict, RTR_HOP_UNREACH);
			assert_int_equal(p->icmp_type, f == 4 ? 3 : 1);
			assert_int_equal(p->icmp_code, u.code);
			assert_true(rtr_addr_eq(&p->from, &u.router));
			sim_free(s);
		}
	/* One that quotes a request we never sent is ignored: the check goes on and fails. */
	struct unreach u = {.code = 1, .wrong_ident = true};
	assert_int_equal(rtr_addr_parse(&u.router, "203.0.113.1"), 4);
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_REVERSE, RTR_IPPROTO_UDP);
	struct sim *s = sim_new(&cfg, net_unreach, &u);
	assert_int_equal(sim_run(s, 60000 * SIM_MS), RTR_STOP_NO_SERVER);
	assert_int_equal(s->e.t.stats.ignored, 3);
	sim_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_udp4),
		cmocka_unit_test(t_tcp6),
		cmocka_unit_test(t_icmp4),
		cmocka_unit_test(t_icmp6),
		cmocka_unit_test(t_no_server_echo),
		cmocka_unit_test(t_no_server_silent),
		cmocka_unit_test(t_refused),
		cmocka_unit_test(t_gap_after_presence),
		cmocka_unit_test(t_forged),
		cmocka_unit_test(t_duplicates),
		cmocka_unit_test(t_late_presence),
		cmocka_unit_test(t_nat_end),
		cmocka_unit_test(t_nat_at_max_ttl),
		cmocka_unit_test(t_presence_success),
		cmocka_unit_test(t_rate_limited_server),
		cmocka_unit_test(t_silent_hop_retried_once),
		cmocka_unit_test(t_presence_unreachable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
