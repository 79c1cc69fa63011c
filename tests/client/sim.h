/* SPDX-License-Identifier: BSD-2-Clause */
/* sim.h: a scripted network and clock that drive a trace (tracer.h) in unit tests (no sockets). */
#ifndef RTR_TEST_SIM_H
#define RTR_TEST_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "tracer.h"

#define SIM_MS 1000000ull
#define SIM_MAX_QUEUE 512
#define SIM_MAX_SENT 600

struct sim;
/* Called for every packet the engine sends; schedules answers with sim_deliver. */
typedef void (*sim_net_fn)(struct sim *s, const struct rtr_eng_tx *tx);

struct sim_delivery {
	uint64_t at;
	size_t len;
	uint8_t pkt[700];
};

struct sim {
	struct rtr_engine e;  /* sim_new: the singlepath engine */
	struct rtr_tracer *t; /* what sim_run drives: &e.t, or the trace given to sim_attach */
	uint64_t now;
	sim_net_fn net;
	void *ctx;
	uint64_t rng;
	unsigned nq;
	struct sim_delivery q[SIM_MAX_QUEUE];
	unsigned nsent;
	uint64_t sent_at[SIM_MAX_SENT];
	struct rtr_eng_tx sent[SIM_MAX_SENT];
	unsigned polls;
	unsigned max_polls; /* sim_run fails beyond this many polls */
	bool record;	    /* keep what was sent in sent[] (at most SIM_MAX_SENT) */
	bool expect_match;  /* every delivery must match a probe (sim_attach sets it) */
};

/* A heap-allocated sim with cfg (random source replaced by a seeded generator). */
struct sim *sim_new(const struct rtr_engine_cfg *cfg, sim_net_fn net, void *ctx);
void sim_free(struct sim *s);

/*
 * A heap-allocated sim that drives t (initialised by the caller, with its own random source)
 * from time now: nothing sent is kept, and every delivery must match a probe of t.
 */
struct sim *sim_attach(struct rtr_tracer *t, uint64_t now, sim_net_fn net, void *ctx);

/* Delivers pkt to the engine delay ns from now. */
void sim_deliver(struct sim *s, uint64_t delay, const uint8_t *pkt, size_t len);

/* Runs until the engine says DONE (or limit_ns of simulated time); returns the stop reason. */
int sim_run(struct sim *s, uint64_t limit_ns);

/* A config with test addresses (198.51.100.1 -> 203.0.113.9, 2001:db8::1 -> 2001:db8:ff::9). */
struct rtr_engine_cfg sim_cfg(int family, int direction, uint8_t proto);

#endif
