/* SPDX-License-Identifier: BSD-2-Clause */
/* fakeroute.h: Fakeroute-style simulated networks (per-flow load balancers) that answer the MDA
 * engine's packets, forward and reverse, with a simulated clock. */
#ifndef RTR_TEST_FAKEROUTE_H
#define RTR_TEST_FAKEROUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "mda.h"

#define FR_MAX_NODES 48
#define FR_MAX_SUCC 16

/*
 * Node 0 is the first router (forward, unless topo.host lists several); the far end of the path
 * (the target forward, the client reverse) is FR_END. Every router picks its successor by a hash of
 * (salt, router, flow), so one flow keeps one path and a new salt draws a new, independent mapping
 * for the next trace.
 */
#define FR_END 255
#define FR_HOST_BIT 63 /* fr_result.incomplete: the host's own ECMP route missed a first router */

struct fr_node {
	uint8_t nsucc;
	uint8_t succ[FR_MAX_SUCC];
	bool silent; /* never answers */
};

struct fr_topo {
	const char *name;
	unsigned nnodes;
	struct fr_node node[FR_MAX_NODES];
	/* Forward: the tracing host's own route to the target. nsucc 0: one nexthop, node 0;
	 * otherwise an ECMP route over these first routers (hashed per flow like a router). */
	struct fr_node host;
	double loss; /* each answer is lost with this probability */
};

struct fr_result {
	int stop;
	uint32_t probes;
	uint64_t duration_ns;
	bool all_nodes, all_links;
	/* Bit i: router i (i < 64) has a successor, or a link to one, that the trace missed: MDA's
	 * alpha bounds this per router, one hypothesis test each. */
	uint64_t incomplete;
	uint32_t first_hop_sent; /* probes sent at the first TTL */
};

/* Runs one trace of m's config against topo with salt; m is initialised and freed here. */
void fr_trace(const struct fr_topo *topo, const struct rtr_mda_cfg *cfg, uint64_t salt,
	      struct fr_result *r);

/* The address of node i (family 4 or 6). */
void fr_addr(int family, unsigned i, struct rtr_addr *a);

#endif
