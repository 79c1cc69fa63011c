/* SPDX-License-Identifier: BSD-2-Clause */
/* output.h: rendering a finished run as a text table, JSON (docs/JSON.md) or graphviz DOT. */
#ifndef RTR_CLIENT_OUTPUT_H
#define RTR_CLIENT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/time.h>

#include "cli.h"
#include "engine.h"
#include "mda.h"
#include "tracer.h"
#include "mda_match.h"

/* Everything about one run that the renderers need. */
struct rtr_run {
	const struct rtr_opts *opts;
	int family;
	const char *target;	  /* as the user wrote it */
	struct rtr_addr src, dst; /* our address, the target's */
	struct timeval start;	  /* wall clock at the start */
	uint64_t duration_ns[2];  /* per engine */
	struct rtr_tracer *fwd;	  /* NULL when not traced */
	struct rtr_tracer *rev;
};

/*
 * Streaming text (one direction, singlepath): the header at once, each hop as soon as the engine
 * has settled it, in order, flushed, as traceroute prints; the rest and the stop line at the end.
 */
struct rtr_text_stream {
	FILE *f;
	const struct rtr_run *run;
	unsigned next; /* next TTL to print; 0 before the header */
};
/* Prints what is newly settled. 0, or -1 when writing fails. */
int rtr_out_text_stream(struct rtr_text_stream *s);
/* For rtr_net's on_round: with print false, whether a hop is ready; with print true, prints it. */
bool rtr_out_text_round(void *stream, bool print);
/* Prints the remaining hops and the stop line once the trace has ended. 0 or -1. */
int rtr_out_text_finish(struct rtr_text_stream *s);

/*
 * Copies in to out (cap bytes, always terminated) as printable valid UTF-8: control characters
 * (C0, DEL, C1) and bytes that are not valid UTF-8 become the four characters \xNN; a character
 * that does not fit is dropped whole. Returns out.
 */
const char *rtr_safe_text(const char *in, char *out, size_t cap);

/* Host name of a (cached, escaped by rtr_safe_text), or NULL when -n or there is none. */
const char *rtr_name_of(const struct rtr_addr *a, bool resolve);

/* Each returns 0, or -1 when writing fails. */
int rtr_out_text(FILE *f, const struct rtr_run *r);
int rtr_out_json(FILE *f, const struct rtr_run *r);
int rtr_out_dot(FILE *f, const struct rtr_run *r);
/* The JSON document of rtr_out_json on one line (JSON Lines: one trace per line). */
int rtr_out_jsonl(FILE *f, const struct rtr_run *r);

/* The JSON document as a malloc'd string (free it), or NULL when out of memory. */
char *rtr_json_string(const struct rtr_run *r);

/* Calls fn for every link (node u at ttl - 1, node v at ttl) with the flow values that crossed it.
 */
typedef void (*link_fn)(void *ctx, const struct rtr_mda *m, unsigned ttl, int u, int v,
			const uint16_t *flows, unsigned nflows);
void rtr_mda_each_link(const struct rtr_mda *m, link_fn fn, void *ctx);

/*
 * Singlepath results of e: hop ttl, and how far hops are decided while it runs. For a multipath
 * trace, an empty hop and 0 (its hops are the MDA engine's, rtr_mda_of).
 */
const struct rtr_eng_hop *rtr_out_sp_hop(const struct rtr_tracer *e, unsigned ttl);
unsigned rtr_out_sp_settled(const struct rtr_tracer *e);

/* Multipath: per-hop interfaces and links of one direction (text), the DOT graph. */
void rtr_out_mda_text(FILE *f, const struct rtr_run *r, const struct rtr_tracer *e);
int rtr_out_mda_dot(FILE *f, const struct rtr_run *r);

/* The run rendered by graphviz's dot program as type ("svg", "png") into f. 0 or -1. */
int rtr_out_graphviz(FILE *f, const struct rtr_run *r, const char *type);

/* Two-way multipath runs: forward and reverse interfaces of one router (out holds cap). */
unsigned rtr_run_aliases(const struct rtr_run *r, struct rtr_alias *out, unsigned cap);
/* The evidence of a in words. */
const char *rtr_alias_words(const struct rtr_alias *a, char *buf, size_t cap);
/* The matches as text lines (nothing when there are none). */
void rtr_out_aliases_text(FILE *f, const struct rtr_run *r);

/* traceroute's mark for a Destination Unreachable code ("!N", "!H", "!X", "!P", "!<c>") in buf. */
const char *rtr_unreach_mark(int family, unsigned code, char *buf, size_t cap);

/* CLI-14: one line saying the server dropped requests (its rate limit), or NULL when it did not. */
const char *rtr_limit_message(const struct rtr_run *r, const struct rtr_tracer *e, char *buf,
			      size_t cap);

/* One line for stderr explaining a stop that is not a success, or NULL. */
const char *rtr_stop_message(const struct rtr_run *r, const struct rtr_tracer *e, char *buf,
			     size_t cap);

#endif
