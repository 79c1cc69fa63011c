// SPDX-License-Identifier: BSD-2-Clause
/* sim.c: event loop with a simulated clock that drives the engine against scripted answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim.h"
#include "rtr_wire.h"

static void sim_random(void *ctx, void *buf, size_t len)
{
	struct sim *s = ctx;
	uint8_t *b = buf;
	for (size_t i = 0; i < len; i++) {
		/* xorshift64: deterministic runs, distinct values */
		s->rng ^= s->rng << 13;
		s->rng ^= s->rng >> 7;
		s->rng ^= s->rng << 17;
		b[i] = (uint8_t)(s->rng >> 24);
	}
}

struct sim *sim_new(const struct rtr_engine_cfg *cfg, sim_net_fn net, void *ctx)
{
	struct sim *s = calloc(1, sizeof(*s));
	assert_non_null(s);
	s->net = net;
	s->ctx = ctx;
	s->rng = 0x9E3779B97F4A7C15ull;
	s->now = 1000 * SIM_MS;
	struct rtr_engine_cfg c = *cfg;
	c.random = sim_random;
	c.random_ctx = s;
	assert_int_equal(rtr_engine_init(&s->e, &c), 0);
	s->t = &s->e.t;
	s->max_polls = 100000;
	s->record = true;
	return s;
}

struct sim *sim_attach(struct rtr_tracer *t, uint64_t now, sim_net_fn net, void *ctx)
{
	struct sim *s = calloc(1, sizeof(*s));
	assert_non_null(s);
	s->t = t;
	s->net = net;
	s->ctx = ctx;
	s->now = now;
	s->max_polls = 200000;
	s->expect_match = true;
	return s;
}

void sim_free(struct sim *s)
{
	free(s);
}

void sim_deliver(struct sim *s, uint64_t delay, const uint8_t *pkt, size_t len)
{
	assert_true(s->nq < SIM_MAX_QUEUE);
	assert_true(len <= sizeof(s->q[0].pkt));
	struct sim_delivery *d = &s->q[s->nq++];
	d->at = s->now + delay;
	d->len = len;
	memcpy(d->pkt, pkt, len);
}

/* Feeds every delivery due by now, earliest first (stable for equal times). */
static void deliver_due(struct sim *s)
{
	for (;;) {
		int best = -1;
		for (unsigned i = 0; i < s->nq; i++)
			if (s->q[i].at <= s->now && (best < 0 || s->q[i].at < s->q[best].at))
				best = (int)i;
		if (best < 0)
			return;
		struct sim_delivery d = s->q[best];
		memmove(&s->q[best], &s->q[best + 1],
			(s->nq - (unsigned)best - 1) * sizeof(s->q[0]));
		s->nq--;
		bool hit = rtr_tracer_receive(s->t, d.at, d.pkt, d.len);
		if (s->expect_match)
			assert_true(hit);
	}
}

int sim_run(struct sim *s, uint64_t limit_ns)
{
	uint64_t end = s->now + limit_ns;
	for (;;) {
		struct rtr_eng_tx tx;
		uint64_t wake = 0;
		assert_true(++s->polls < s->max_polls);
		int a = rtr_tracer_poll(s->t, s->now, &tx, &wake);
		if (a == RTR_ENG_DONE)
			return rtr_tracer_stop_reason(s->t);
		if (a == RTR_ENG_SEND) {
			assert_true(tx.len > 0 && tx.len <= sizeof(tx.pkt));
			if (s->record) {
				assert_true(s->nsent < SIM_MAX_SENT);
				s->sent_at[s->nsent] = s->now;
				s->sent[s->nsent] = tx;
			}
			s->nsent++;
			if (s->net)
				s->net(s, &tx);
			continue;
		}
		assert_int_equal(a, RTR_ENG_WAIT);
		/* The engine must always name a time to come back: a trace never hangs. */
		assert_true(wake > s->now && wake != UINT64_MAX);
		uint64_t next = wake;
		for (unsigned i = 0; i < s->nq; i++)
			if (s->q[i].at < next)
				next = s->q[i].at;
		if (next > end)
			return -1;
		s->now = next;
		deliver_due(s);
	}
}

struct rtr_engine_cfg sim_cfg(int family, int direction, uint8_t proto)
{
	struct rtr_engine_cfg c = {
		.direction = (uint8_t)direction,
		.family = (uint8_t)family,
		.proto = proto,
		.first_ttl = 1,
		.max_ttl = 30,
		.probes = 3,
		.gap_limit = 5,
		.parallel = 16,
		.wait_ns = 1000 * SIM_MS,
	};
	if (family == 4) {
		rtr_addr_parse(&c.src, "198.51.100.1");
		rtr_addr_parse(&c.dst, "203.0.113.9");
	} else {
		rtr_addr_parse(&c.src, "2001:db8::1");
		rtr_addr_parse(&c.dst, "2001:db8:ff::9");
	}
	return c;
}
