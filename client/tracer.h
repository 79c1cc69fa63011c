/* SPDX-License-Identifier: BSD-2-Clause */
/* tracer.h: the one interface every driver runs a trace through, singlepath or multipath. */
#ifndef RTR_CLIENT_TRACER_H
#define RTR_CLIENT_TRACER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracer_core.h"

/*
 * A trace never touches a socket, a clock or a random source. A driver
 * (client/net.c and the campaign loop with sockets, tests/client/sim.c with a
 * simulated network) asks it what to send at time now, feeds it every packet
 * that arrives with its arrival time, and lets it know the time when nothing
 * arrived. Two engines implement it as peers over tracer_core.h: singlepath
 * (engine.h, rtr_engine_init) and multipath MDA-Lite (mda.h, rtr_mda_init);
 * neither holds the other.
 *
 * Results: the struct rtr_tracer fields (cfg, stop, last_ttl, times, stats,
 * the presence check) mean the same for both engines and are read-only for
 * drivers and renderers; the per-hop results are the engine's own, reached
 * through rtr_engine_of and rtr_mda_of (NULL for the other engine).
 */
struct rtr_tracer_ops {
	int (*poll)(struct rtr_tracer *t, uint64_t now, struct rtr_eng_tx *tx, uint64_t *wake_ns);
	bool (*receive)(struct rtr_tracer *t, uint64_t now, const uint8_t *pkt, size_t len);
	void (*interrupt)(struct rtr_tracer *t);
	void (*free)(struct rtr_tracer *t); /* what init allocated, not t itself */
};

/*
 * Advances the trace to time now (expiring probes, deciding hops) and says what
 * the driver must do next (enum rtr_eng_action). For RTR_ENG_WAIT, *wake_ns is
 * the time the trace next needs to run even if nothing arrives.
 */
static inline int rtr_tracer_poll(struct rtr_tracer *t, uint64_t now, struct rtr_eng_tx *tx,
				  uint64_t *wake_ns)
{
	return t->ops->poll(t, now, tx, wake_ns);
}

/*
 * Feeds one whole IP packet that arrived at time now. Answers that do not
 * strictly match an outstanding probe or request are counted and ignored.
 * Returns true when the packet matched something (first or duplicate answer).
 */
static inline bool rtr_tracer_receive(struct rtr_tracer *t, uint64_t now, const uint8_t *pkt,
				      size_t len)
{
	return t->ops->receive(t, now, pkt, len);
}

/* Ends the trace now with RTR_STOP_INTERRUPTED unless it has already ended. */
static inline void rtr_tracer_interrupt(struct rtr_tracer *t)
{
	t->ops->interrupt(t);
}

/* Frees what the engine's init allocated (t itself stays the caller's). */
static inline void rtr_tracer_release(struct rtr_tracer *t)
{
	if (t->ops && t->ops->free)
		t->ops->free(t);
}

/* enum rtr_stop: RTR_STOP_NONE while running. */
static inline int rtr_tracer_stop_reason(const struct rtr_tracer *t)
{
	return t->stop;
}

#endif
