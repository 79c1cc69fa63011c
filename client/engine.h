/* SPDX-License-Identifier: BSD-2-Clause */
/* engine.h: the singlepath trace engine (no I/O): one flow, hop by hop, with what each probe saw.
 */
#ifndef RTR_CLIENT_ENGINE_H
#define RTR_CLIENT_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "tracer.h"

/*
 * Singlepath: every probe of a trace uses the configured flow; cfg.probes
 * probes per TTL, from first_ttl up, cfg.parallel in flight; a hop is decided
 * once all its probes are final, and the trace stops at the first decided
 * prefix that says so (the destination, an unreachable, gap_limit silent
 * hops, max_ttl). Reverse traces first prove a server (the presence check of
 * tracer_core.h) and send a silent request again (CLI-14). Multipath is the
 * peer engine of mda.h; both run behind tracer.h.
 */

struct rtr_eng_hop {
	uint8_t verdict; /* enum rtr_eng_verdict, valid once final */
	uint8_t nsent;
	struct rtr_eng_probe probe[RTR_ENG_MAX_PROBES];
};

struct rtr_engine {
	struct rtr_tracer t; /* first: what drivers and renderers read */
	uint8_t settled;     /* every hop from first_ttl to this one is decided */
	uint16_t horizon;    /* no TTL above this is sent */
	uint16_t next_ttl;
	uint8_t next_idx;
	struct rtr_eng_hop hop[256]; /* indexed by TTL */
};

/*
 * Checks cfg and resets e to the start of a trace; e->t is then driven through
 * tracer.h. Returns RTR_OK or RTR_E_INVAL (impossible values) or RTR_E_PROTO
 * (protocol not valid for the family). Allocates nothing.
 */
int rtr_engine_init(struct rtr_engine *e, const struct rtr_engine_cfg *cfg);

/* The singlepath engine behind t, or NULL when t is another engine's. */
const struct rtr_engine *rtr_engine_of(const struct rtr_tracer *t);

/* The resolved flow this trace uses (the protocol's default applied). */
static inline uint16_t rtr_engine_flow(const struct rtr_engine *e)
{
	return rtr_core_flow(&e->t);
}

#endif
