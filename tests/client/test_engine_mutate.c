// SPDX-License-Identifier: BSD-2-Clause
/* test_engine_mutate.c: mutated answers and responses (bit flips, truncation) never put a wrong hop
 * in a trace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ip.h"
#include "pkt.h"
#include "request.h"
#include "response.h"
#include "rtr_wire.h"
#include "sim.h"

#define NROUTERS 2
#define MUTANTS 12

static uint64_t rng = 0x243F6A8885A308D3ull;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static struct rtr_addr router[2][NROUTERS]; /* [family == 6][i] */

static const struct rtr_addr *hop_truth(const struct rtr_engine *e, unsigned ttl)
{
	if (ttl <= NROUTERS)
		return &router[e->t.cfg.family == 6][ttl - 1];
	return e->t.cfg.direction == RTR_FORWARD ? &e->t.cfg.dst : &e->t.cfg.src;
}

/* Mutants first (one bit flipped, or cut short), then the real packet. */
static void deliver_with_mutants(struct sim *s, const uint8_t *pkt, size_t n)
{
	for (int m = 0; m < MUTANTS; m++) {
		uint8_t bad[700];
		memcpy(bad, pkt, n);
		size_t len = n;
		if (m % 4 == 3)
			len = next_rand() % n; /* truncated */
		else
			bad[next_rand() % n] ^= (uint8_t)(1u << (next_rand() % 8));
		sim_deliver(s, 5 * SIM_MS, bad, len);
	}
	sim_deliver(s, 10 * SIM_MS, pkt, n);
}

static void net_forward(struct sim *s, const struct rtr_eng_tx *tx)
{
	uint8_t out[700];
	size_t n;
	int v6 = tx->family == 6;
	if (tx->ttl <= NROUTERS)
		n = pkt_icmp_error(out, sizeof(out), hop_truth(&s->e, tx->ttl),
				   v6 ? RTR_ICMP6_TIME_EXCEEDED : RTR_ICMP4_TIME_EXCEEDED, 0,
				   tx->pkt, tx->len, tx->len);
	else if (s->e.t.cfg.proto == RTR_IPPROTO_UDP)
		n = pkt_icmp_error(out, sizeof(out), &s->e.t.cfg.dst,
				   v6 ? RTR_ICMP6_DEST_UNREACH : RTR_ICMP4_DEST_UNREACH, v6 ? 4 : 3,
				   tx->pkt, tx->len, tx->len);
	else if (s->e.t.cfg.proto == RTR_IPPROTO_TCP)
		n = pkt_tcp_answer(out, sizeof(out), tx->pkt, tx->len, RTR_TCP_RST | RTR_TCP_ACK);
	else
		n = pkt_echo_reply(out, sizeof(out), tx->pkt, tx->len);
	deliver_with_mutants(s, out, n);
}

static void net_reverse(struct sim *s, const struct rtr_eng_tx *tx)
{
	struct rtr_ip ip;
	int hl = rtr_ip_decode(&ip, tx->pkt, tx->len, 0);
	assert_true(hl > 0);
	struct rtr_l3 l3 = {.family = ip.family, .src = ip.src, .dst = ip.dst};
	struct rtr_request rq;
	assert_true(rtr_request_decode(&rq, &l3, tx->pkt + hl, tx->len - (size_t)hl) > 0);
	struct rtr_response rsp = {.ident = rq.ident};
	if (rq.ttl == 0) {
		rsp.state = RTR_STATE_TTL;
	} else {
		rsp.hop = *hop_truth(&s->e, rq.ttl);
		rsp.rtt_ns = 1000;
	}
	uint8_t out[700];
	size_t n = pkt_response(out, sizeof(out), tx->pkt, tx->len, &rsp);
	deliver_with_mutants(s, out, n);
}

static void run(int family, int direction, uint8_t proto)
{
	struct rtr_engine_cfg cfg = sim_cfg(family, direction, proto);
	cfg.parallel = 3; /* one hop at a time: every mutant meets a waiting probe */
	struct sim *s = sim_new(&cfg, direction == RTR_FORWARD ? net_forward : net_reverse, NULL);
	assert_int_equal(sim_run(s, 600000 * SIM_MS), RTR_STOP_COMPLETED);
	const struct rtr_engine *e = &s->e;
	assert_int_equal(e->t.last_ttl, NROUTERS + 1);
	for (unsigned t = 1; t <= e->t.last_ttl; t++)
		for (unsigned i = 0; i < e->hop[t].nsent; i++) {
			const struct rtr_eng_probe *p = &e->hop[t].probe[i];
			assert_int_equal(p->status, RTR_PS_ANSWERED);
			/* Whatever was accepted, the hop is the true one. */
			assert_true(rtr_addr_eq(&p->from, hop_truth(e, t)));
		}
	/* Nearly every mutant is refused by a checksum, a length or the identity. */
	assert_true(e->t.stats.ignored > e->t.stats.received / 2);
	sim_free(s);
}

static void t_forward(void **st)
{
	(void)st;
	for (int round = 0; round < 40; round++) {
		run(4, RTR_FORWARD, RTR_IPPROTO_UDP);
		run(4, RTR_FORWARD, RTR_IPPROTO_TCP);
		run(4, RTR_FORWARD, RTR_IPPROTO_ICMP);
		run(6, RTR_FORWARD, RTR_IPPROTO_UDP);
		run(6, RTR_FORWARD, RTR_IPPROTO_TCP);
		run(6, RTR_FORWARD, RTR_IPPROTO_ICMPV6);
	}
}

static void t_reverse(void **st)
{
	(void)st;
	for (int round = 0; round < 40; round++) {
		run(4, RTR_REVERSE, RTR_IPPROTO_UDP);
		run(6, RTR_REVERSE, RTR_IPPROTO_TCP);
		run(4, RTR_REVERSE, RTR_IPPROTO_ICMP);
		run(6, RTR_REVERSE, RTR_IPPROTO_ICMPV6);
	}
}

static int setup(void **st)
{
	(void)st;
	char text[64];
	for (int i = 0; i < NROUTERS; i++) {
		snprintf(text, sizeof(text), "203.0.113.%d", 150 + i);
		rtr_addr_parse(&router[0][i], text);
		snprintf(text, sizeof(text), "2001:db8:5::%d", 150 + i);
		rtr_addr_parse(&router[1][i], text);
	}
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_forward),
		cmocka_unit_test(t_reverse),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
