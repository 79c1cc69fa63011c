/* SPDX-License-Identifier: BSD-2-Clause */
/* trace.h: one trace's setup, shared by a single run and a campaign: the servers list, target
 * resolution, the engines of each direction. */
#ifndef RTR_CLIENT_TRACE_H
#define RTR_CLIENT_TRACE_H

#include <stddef.h>

#include "cli.h"
#include "endpoints.h"
#include "tracer.h"
#include "output.h"

/*
 * Loads --endpoints FILE, or the shipped list (found through datadir.h).
 * Returns the list (free it), or NULL: *code is then 0 when there simply is no
 * shipped list (and need is false), or an exit code after one line in err.
 * need: the list is wanted (--list-endpoints, --all-endpoints), so its absence
 * is an error. *path (may be NULL) receives the file read.
 */
struct rtr_endpoints *rtr_trace_endpoints(const struct rtr_opts *o, bool need, char *path,
					  size_t pathcap, int *code, char *err, size_t errlen);

/*
 * TARGET as a literal address, a NAME of list (may be NULL), or through the
 * resolver (first answer), of family want (0 = any). Returns 0, or an exit
 * code with one line in err.
 */
int rtr_trace_resolve(const struct rtr_endpoints *list, const char *target, int want,
		      struct rtr_addr *out, char *err, size_t errlen);

/*
 * Our source address towards dst (of family): -s checked (an IP address of
 * that family, of this host), or the one the kernel picks. Returns 0, or an
 * exit code with one line in err.
 */
int rtr_trace_source(const struct rtr_opts *o, int family, const char *target,
		     const struct rtr_addr *dst, struct rtr_addr *src, char *err, size_t errlen);

/*
 * Creates the traces (singlepath or multipath engines) run->opts asks for towards run->dst from
 * run->src (run->family set), into eng[] (2 slots) and run->fwd / run->rev. rate_pps: the rate
 * these engines share themselves (0: none, or a driver paces them). first_hop: the forward first
 * hop's nexthops (multipath, 0 = unknown). Returns the number of engines, or -1 (out of memory or a
 * configuration the engine refuses) with everything freed.
 */
int rtr_trace_engines(struct rtr_run *run, struct rtr_tracer **eng, double rate_pps,
		      unsigned first_hop);

/* Frees what rtr_trace_engines made. */
void rtr_trace_free(struct rtr_tracer **eng, int count);

/*
 * Multipath forward from TTL 1: the nexthops of our own route to run->dst (0
 * when unknown or not wanted), with a note on stderr when the kernel will use
 * only one of several.
 */
unsigned rtr_trace_first_hop(const struct rtr_run *run);

#endif
