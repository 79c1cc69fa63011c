/* SPDX-License-Identifier: BSD-2-Clause */
/* mda.h: the multipath (MDA-Lite) trace engine (no I/O), a peer of the singlepath engine behind
 * tracer.h. */
#ifndef RTR_CLIENT_MDA_H
#define RTR_CLIENT_MDA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mda_stop.h"
#include "tracer.h"

#define RTR_MDA_MAX_FLOWS 2048 /* distinct flows one trace may use */
#define RTR_MDA_MAX_NODES 64   /* distinct interfaces per hop */

/*
 * A multipath trace discovers every interface and link between us and the
 * target, in either direction. A probe is one (TTL, flow) pair: a packet
 * towards the target (forward) or one request with that TTL and flow to the
 * server (reverse, answered by the server's response hop). Flow i is the
 * protocol's default flow + i (UDP/TCP destination port, ICMP checksum).
 *
 * Stopping (MDA-Lite, Vermeulen et al. 2018, on MDA's stopping points):
 *  - hop level: TTL t is explored by n_k flows, k = interfaces seen at t;
 *  - links: every interface at t has one of its flows answered at t - 1;
 *  - where t - 1 has several interfaces and either t has several too (the
 *    meshing test: a node may reach several successors) or the flows at t - 1
 *    are spread unevenly (the uniformity test), hop t falls back to full MDA:
 *    every node u at t - 1 gets n_{s(u)} of its own flows probed at t,
 *    s(u) = successors seen.
 * Probes of every open hop go out together (interleaved, up to cfg.parallel
 * in flight). A probe budget and a wall-clock limit bound the run.
 */
struct rtr_mda_cfg {
	struct rtr_engine_cfg base; /* probes (-q) and gap_limit as for singlepath */
	double alpha;		    /* failure probability per hop, (0, 1) */
	uint32_t max_probes;	    /* budget, >= 1 */
	uint64_t time_limit_ns;	    /* wall-clock limit from the first poll; 0 = none */
	/* Forward from TTL 1: nexthops of our own route to the target (rtr_fib_nexthops); 0 = not
	 * known. With 1, one router answers TTL 1 for every flow: one answer there suffices. */
	unsigned first_hop_nexthops;
};

struct rtr_mda_node {
	struct rtr_addr addr;
	uint16_t flows;	 /* answered probes at this TTL that came from it */
	uint8_t verdict; /* enum rtr_eng_verdict of its answers */
};

struct rtr_mda_hop {
	uint16_t sent, answered, pending;
	uint16_t refused; /* answers that named no hop: the server refused, or its kernel echoed */
	uint8_t nnodes;
	bool done;	 /* nothing more to learn here */
	bool full;	 /* fell back to full MDA (meshing or uniformity test) */
	bool meshed;	 /* a node at t-1 reaches several of t's and one of t's has several preds */
	bool nonuniform; /* t-1's or t's flows unevenly spread */
	bool split;	 /* after a branch, a node at t-1 reaches several nodes at t */
	struct rtr_mda_node node[RTR_MDA_MAX_NODES];
};

struct rtr_mda {
	struct rtr_tracer t; /* first: cfg, stop, times, counters, the presence check */
	struct rtr_mda_cfg cfg;
	struct rtr_mda_table tab;
	uint32_t nprobes;
	struct rtr_eng_probe *probe; /* [max_probes], in sending order */
	int16_t *pnode;		     /* [max_probes]: node index at its TTL, -1 none */
	uint16_t *pflow;	     /* [max_probes]: flow index */
	uint16_t *fmap;		     /* [(max_ttl + 1) * MAX_FLOWS]: probe index + 1 */
	struct rtr_mda_hop *hop;     /* [max_ttl + 1] */
	uint16_t nflows;	     /* flows in use: 0 .. nflows - 1 */
	uint8_t top_transit;	     /* highest TTL a router answered */
	uint8_t dest_min;	     /* lowest TTL where the path ended for some flow; 0 none */
	int32_t found;		     /* reverse: the request the last response matched */
	bool found_was_sent;
};

/*
 * Checks cfg (as rtr_engine_init, plus alpha and budget) and allocates; m->t is then driven
 * through tracer.h, and rtr_tracer_release(&m->t) frees. RTR_OK or an error.
 */
int rtr_mda_init(struct rtr_mda *m, const struct rtr_mda_cfg *cfg);

/* The multipath engine behind t, or NULL when t is another engine's. */
const struct rtr_mda *rtr_mda_of(const struct rtr_tracer *t);

/* Flow value of flow index i. */
uint16_t rtr_mda_flow_value(const struct rtr_mda *m, unsigned i);

/* The probe of flow index fi at ttl, or NULL. */
const struct rtr_eng_probe *rtr_mda_probe_at(const struct rtr_mda *m, unsigned ttl, unsigned fi);

/*
 * The node index flow fi answered from at ttl (into hop[ttl].node), or -1 (none, pending, silent).
 * At a first hop the FIB names as single (cfg.first_hop_nexthops == 1) that answered from one
 * address, every flow answered at ttl + 1 went through that node, probed at ttl or not.
 */
int rtr_mda_node_of(const struct rtr_mda *m, unsigned ttl, unsigned fi);

#endif
