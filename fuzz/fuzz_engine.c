// SPDX-License-Identifier: BSD-2-Clause
/* fuzz_engine.c: the client engines (singlepath, MDA; forward, reverse) driven by scripted answers.
 *
 * The input is a script (fuzz_engine.h): a header that picks the trace's configuration and
 * records, each of which turns into one packet built against a probe or request the engine really
 * sent (so identities, quotes and checksums are right), optionally mutated, and delivered after a
 * delay on a virtual clock. Properties checked after every run:
 *  - the trace ends within its budget: bounded polls, sends and virtual time, and every WAIT names
 *    a wake-up time in the future;
 *  - no hop is invented: every hop address in the JSON output was named by an input packet (as
 *    its IP source, or as the hop field of a reverse response);
 *  - the JSON output (client/out_json.c) parses with json-c and has the documented shape.
 */
/* fuzz-sources: fuzz/engine_script.c client/tracer_core.c client/tracer_fwd.c client/tracer_rev.c
 * client/engine.c
 * client/mda.c client/mda_stop.c client/mda_match.c client/out_json.c client/out_text.c
 * client/out_dot.c client/out_mda.c client/names.c */
/* fuzz-cflags: -Iclient -Ifuzz */
/* fuzz-libs: -ljson-c -lm */
#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "fuzz.h"
#include "engine_script.h"
#include "ip.h"
#include "mda.h"
#include "output.h"
#include "request.h"
#include "response.h"
#include "rtr_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned seed);

#define MAX_TX 1200
#define MAX_NAMED 1024

struct run {
	struct fe_cfg c;
	struct rtr_engine *e;
	struct rtr_mda *m;
	struct rtr_tracer *t; /* what is driven: &e->t or &m->t */
	uint64_t rng, now, start;
	unsigned ntx, polls, fed;
	struct rtr_eng_tx *tx; /* [MAX_TX]: everything the engine asked to send */
	unsigned nnamed;
	struct rtr_addr named[MAX_NAMED]; /* addresses input packets named */
};

static void fe_random(void *ctx, void *buf, size_t len)
{
	struct run *r = ctx;
	uint8_t *b = buf;
	for (size_t i = 0; i < len; i++) {
		r->rng ^= r->rng << 13;
		r->rng ^= r->rng >> 7;
		r->rng ^= r->rng << 17;
		b[i] = (uint8_t)(r->rng >> 29);
	}
}

static void name(struct run *r, const struct rtr_addr *a)
{
	for (unsigned i = 0; i < r->nnamed; i++)
		if (rtr_addr_eq(&r->named[i], a))
			return;
	FUZZ_CHECK(r->nnamed < MAX_NAMED); /* one record names at most two addresses */
	r->named[r->nnamed++] = *a;
}

static bool named(const struct run *r, const char *text)
{
	char s[RTR_ADDR_STRLEN];
	for (unsigned i = 0; i < r->nnamed; i++)
		if (!strcmp(rtr_addr_format(&r->named[i], s, sizeof(s)), text))
			return true;
	return false;
}

/*
 * Records what a packet names, read from its raw bytes (not through proto/, which the engine
 * uses): the IP source address, and the 16 bytes where a response carries its hop.
 */
static void note_named(struct run *r, const uint8_t *p, size_t len)
{
	struct rtr_addr a;
	size_t hl;
	if (len >= 20 && p[0] >> 4 == 4) {
		rtr_addr_from_v4(&a, p + 12);
		hl = (size_t)(p[0] & 15) * 4;
	} else if (len >= 40 && p[0] >> 4 == 6) {
		rtr_addr_from_v6(&a, p + 8);
		hl = 40;
	} else {
		return;
	}
	name(r, &a);
	if (hl + RTR_RSP_OFF_HOP + 16 <= len) {
		memcpy(a.b, p + hl + RTR_RSP_OFF_HOP, 16);
		name(r, &a);
	}
}

static int poll_engine(struct run *r, struct rtr_eng_tx *tx, uint64_t *wake)
{
	r->polls++;
	return rtr_tracer_poll(r->t, r->now, tx, wake);
}

static void feed(struct run *r, const uint8_t *pkt, size_t len)
{
	note_named(r, pkt, len);
	r->fed++;
	/* A private copy of exactly len bytes, so ASan sees any read past the packet. */
	uint8_t *copy = malloc(len ? len : 1);
	FUZZ_CHECK(copy != NULL);
	memcpy(copy, pkt, len);
	rtr_tracer_receive(r->t, r->now, copy, len);
	free(copy);
}

/*
 * Polls until the engine waits or is done, sending (recording) everything it asks for.
 * Returns RTR_ENG_WAIT with *wake set, or RTR_ENG_DONE.
 */
static int drain(struct run *r, uint64_t *wake)
{
	for (;;) {
		struct rtr_eng_tx tx;
		int a = poll_engine(r, &tx, wake);
		FUZZ_CHECK(r->polls <= fe_poll_bound(&r->c, r->ntx, r->fed));
		if (a == RTR_ENG_DONE)
			return a;
		if (a == RTR_ENG_SEND) {
			FUZZ_CHECK(tx.len > 0 && tx.len <= sizeof(tx.pkt));
			FUZZ_CHECK(r->ntx < fe_send_bound(&r->c));
			r->tx[r->ntx++] = tx;
			continue;
		}
		FUZZ_CHECK(a == RTR_ENG_WAIT);
		/* A trace never hangs: it always names a time to come back. */
		FUZZ_CHECK(*wake > r->now && *wake != UINT64_MAX);
		return a;
	}
}

static bool start(struct run *r)
{
	struct rtr_engine_cfg cfg;
	fe_engine_cfg(&r->c, &cfg);
	cfg.random = fe_random;
	cfg.random_ctx = r;
	r->e = calloc(1, sizeof(*r->e));
	FUZZ_CHECK(r->e != NULL);
	if (rtr_engine_init(r->e, &cfg))
		return false; /* fe_engine_cfg only makes valid configurations */
	if (r->c.multipath) {
		struct rtr_mda_cfg mc = {.base = cfg,
					 .alpha = 0.05,
					 .max_probes = r->c.max_probes,
					 .time_limit_ns = r->c.time_limit_ns,
					 .first_hop_nexthops = r->c.nexthops};
		r->m = calloc(1, sizeof(*r->m));
		FUZZ_CHECK(r->m != NULL);
		FUZZ_CHECK(rtr_mda_init(r->m, &mc) == 0);
	}
	r->t = r->m ? &r->m->t : &r->e->t;
	return true;
}

/* The JSON document must parse and have the shape docs/JSON.md gives; its hops must be named. */
static void check_addresses(const struct run *r, json_object *o, const char *key, bool in_path)
{
	if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v)
		{
			/* "src"/"dst" are the trace's own endpoints; below "hops", "nodes", "links"
			 * and "probes" every address is a claim about the path. */
			bool path = in_path || !strcmp(k, "hops") || !strcmp(k, "nodes") ||
				    !strcmp(k, "links") || !strcmp(k, "probes") ||
				    !strcmp(k, "presence_checks");
			check_addresses(r, v, k, path);
		}
	} else if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++)
			check_addresses(r, json_object_array_get_idx(o, i), key, in_path);
	} else if (in_path && key &&
		   (!strcmp(key, "address") || !strcmp(key, "from") || !strcmp(key, "to"))) {
		FUZZ_CHECK(json_object_is_type(o, json_type_string));
		const char *s = json_object_get_string(o);
		if (!named(r, s))
			fprintf(stderr, "hop %s named by no input packet\n", s);
		FUZZ_CHECK(named(r, s));
	}
}

static json_object *member(json_object *o, const char *k, json_type t)
{
	json_object *v = NULL;
	FUZZ_CHECK(json_object_object_get_ex(o, k, &v));
	FUZZ_CHECK(json_object_is_type(v, t));
	return v;
}

static void check_json(const struct run *r)
{
	struct rtr_opts op = {
		.mode = r->c.reverse ? RTR_MODE_REVERSE : RTR_MODE_FORWARD,
		.proto_name = fe_proto_name(&r->c),
		.multipath = r->c.multipath,
		.alpha = 0.05,
		.max_probes = r->c.max_probes,
		.time_limit_s = (double)r->c.time_limit_ns / 1e9,
		.probes = r->c.probes,
		.first_ttl = r->c.first_ttl,
		.max_ttl = r->c.max_ttl,
		.wait_s = (double)r->c.wait_ns / 1e9,
		.gap_limit = r->c.gap_limit,
		.parallel = r->c.parallel,
		.no_resolve = true,
	};
	struct rtr_run run = {.opts = &op, .family = r->c.family, .target = "fuzz-target"};
	fe_addrs(&r->c, &run.src, &run.dst);
	run.start.tv_sec = 1700000000;
	if (r->c.reverse) {
		run.rev = r->t;
		run.duration_ns[1] = r->t->end_ns - r->t->start_ns;
	} else {
		run.fwd = r->t;
		run.duration_ns[0] = r->t->end_ns - r->t->start_ns;
	}
	char *s = rtr_json_string(&run);
	FUZZ_CHECK(s != NULL);
	/* For a human reading a regression input: the run as rtr-client would print it. */
	if (getenv("FUZZ_ENGINE_PRINT"))
		fprintf(stderr, "%s\n", s);
	enum json_tokener_error err;
	json_object *o = json_tokener_parse_verbose(s, &err);
	if (!o)
		fprintf(stderr, "JSON does not parse (%s):\n%s\n", json_tokener_error_desc(err), s);
	FUZZ_CHECK(o != NULL);
	FUZZ_CHECK(!strcmp(json_object_get_string(member(o, "schema", json_type_string)),
			   "rtr-client/1"));
	json_object *traces = member(o, "traces", json_type_array);
	FUZZ_CHECK(json_object_array_length(traces) == 1);
	json_object *t = json_object_array_get_idx(traces, 0);
	FUZZ_CHECK(!strcmp(json_object_get_string(member(t, "direction", json_type_string)),
			   r->c.reverse ? "reverse" : "forward"));
	const char *stop = json_object_get_string(member(t, "stop_reason", json_type_string));
	FUZZ_CHECK(strcmp(stop, rtr_stop_name(RTR_STOP_NONE)) != 0);
	int last = json_object_get_int(member(t, "last_ttl", json_type_int));
	FUZZ_CHECK(last <= r->c.max_ttl);
	json_object *hops = member(t, "hops", json_type_array);
	int prev = 0;
	for (size_t i = 0; i < json_object_array_length(hops); i++) {
		json_object *h = json_object_array_get_idx(hops, i);
		int ttl = json_object_get_int(member(h, "ttl", json_type_int));
		FUZZ_CHECK(ttl > prev && ttl >= r->c.first_ttl && ttl <= last);
		prev = ttl;
		member(h, r->c.multipath ? "interfaces" : "probes", json_type_array);
	}
	json_object *counts = member(t, "probe_counts", json_type_object);
	FUZZ_CHECK(json_object_get_int64(member(counts, "sent", json_type_int)) == r->ntx);
	if (r->c.reverse)
		member(t, "server", json_type_object);
	check_addresses(r, o, NULL, false);
	json_object_put(o);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run *r = calloc(1, sizeof(*r));
	FUZZ_CHECK(r != NULL);
	if (!fe_parse_cfg(&r->c, data, size)) {
		free(r);
		return 0;
	}
	r->tx = calloc(MAX_TX, sizeof(*r->tx));
	FUZZ_CHECK(r->tx != NULL);
	r->rng = 0x9E3779B97F4A7C15ull ^ r->c.seed;
	r->now = r->start = 1000000000ull;
	if (!start(r))
		goto out;

	const uint8_t *rec = data + FE_HDR_LEN;
	size_t nrec = (size - FE_HDR_LEN) / FE_REC_LEN;
	size_t next = 0;
	uint64_t wake;
	int a = drain(r, &wake);
	while (a != RTR_ENG_DONE) {
		/* The next scripted packet is due delay after the previous event. */
		if (next < nrec && r->ntx > 0) {
			const uint8_t *x = rec + next * FE_REC_LEN;
			uint64_t at = r->now + fe_delay(&r->c, x);
			if (at < wake) {
				r->now = at;
				next++;
				if (fe_is_interrupt(x)) {
					rtr_tracer_interrupt(r->t);
				} else {
					uint8_t pkt[FE_PKT_MAX];
					size_t len =
						fe_build(&r->c, x, r->tx, r->ntx, pkt, sizeof(pkt));
					feed(r, pkt, len);
					if (fe_is_twice(x))
						feed(r, pkt, len);
				}
				a = drain(r, &wake);
				continue;
			}
		}
		r->now = wake;
		a = drain(r, &wake);
	}
	/* Every trace ends within the time its configuration allows. */
	FUZZ_CHECK(r->now - r->start <= fe_time_bound(&r->c));
	FUZZ_CHECK(rtr_tracer_stop_reason(r->t) != RTR_STOP_NONE);
	FUZZ_CHECK(r->t->last_ttl <= r->c.max_ttl);
	check_json(r);
out:
	if (r->m) {
		rtr_tracer_release(&r->m->t);
		free(r->m);
	}
	free(r->e);
	free(r->tx);
	free(r);
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned seed)
{
	return fe_mutate(data, size, max, seed);
}
