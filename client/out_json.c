// SPDX-License-Identifier: BSD-2-Clause
/* out_json.c: the run as JSON through json-c, schema "rtr-client/1" (docs/JSON.md). */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer.h"
#include "wire_names.h"
#include "output.h"
#include "rtr_wire.h"

#define RTR_JSON_SCHEMA "rtr-client/1"

static json_object *jaddr(const struct rtr_addr *a)
{
	char s[RTR_ADDR_STRLEN];
	return json_object_new_string(rtr_addr_format(a, s, sizeof(s)));
}

/* Milliseconds with microsecond digits, serialised exactly as shown. */
static json_object *jms(uint64_t ns)
{
	char s[32];
	snprintf(s, sizeof(s), "%.3f", (double)ns / 1e6);
	return json_object_new_double_s((double)ns / 1e6, s);
}

static void put(json_object *o, const char *k, json_object *v)
{
	json_object_object_add(o, k, v);
}

/* A string from outside (the command line, a message quoting it): JSON must be valid UTF-8. */
static json_object *jtext(const char *s)
{
	if (!s)
		return NULL;
	size_t cap = 4 * strlen(s) + 1;
	char *safe = malloc(cap);
	if (!safe)
		return NULL;
	json_object *o = json_object_new_string(rtr_safe_text(s, safe, cap));
	free(safe);
	return o;
}

static const char *verdict_name(int v)
{
	static const char *names[] = {"open",	     "silent",	    "transit",
				      "destination", "unreachable", "refused"};
	return v >= 0 && v <= RTR_HOP_REFUSED ? names[v] : "unknown";
}

static const char *status_name(int s)
{
	static const char *names[] = {"unsent", "pending", "answered", "timeout"};
	return s >= 0 && s <= RTR_PS_TIMEOUT ? names[s] : "unknown";
}

static json_object *jprobe(const struct rtr_run *r, const struct rtr_tracer *e,
			   const struct rtr_eng_probe *p)
{
	json_object *o = json_object_new_object();
	bool reverse = e->cfg.direction == RTR_REVERSE;
	put(o, "ttl", json_object_new_int(p->ttl));
	put(o, "flow", json_object_new_int(p->flow));
	put(o, "status", json_object_new_string(status_name(p->status)));
	bool answered = p->status == RTR_PS_ANSWERED;
	put(o, "answered", json_object_new_boolean(answered));
	if (reverse) {
		put(o, "identifier", json_object_new_int(p->ident));
		put(o, "sequence", json_object_new_int(p->seq));
	}
	if (!answered)
		return o;
	put(o, "rtt_ms", jms(p->rtt_ns));
	put(o, "reply_ttl", json_object_new_int(p->reply_ttl));
	put(o, "icmp_type", json_object_new_int(p->icmp_type));
	put(o, "icmp_code", json_object_new_int(p->icmp_code));
	if (reverse) {
		put(o, "kernel_echo", json_object_new_boolean(p->kernel_echo));
		put(o, "state", json_object_new_int(p->state));
		put(o, "state_words", json_object_new_string(rtr_state_words(p->state)));
		put(o, "value", json_object_new_int(p->value));
		if (p->kernel_echo || p->state != RTR_STATE_OK)
			return o;
		put(o, "server_rtt_ms", p->server_rtt_unknown ? NULL : jms(p->server_rtt_ns));
	} else {
		put(o, "answer", json_object_new_string(rtr_answer_kind_name(p->kind)));
	}
	put(o, "address", jaddr(&p->from));
	const char *name = rtr_name_of(&p->from, !r->opts->no_resolve);
	put(o, "name", name ? json_object_new_string(name) : NULL);
	put(o, "verdict", json_object_new_string(verdict_name(p->verdict)));
	return o;
}

static void jlink(void *ctx, const struct rtr_mda *m, unsigned t, int u, int v,
		  const uint16_t *flows, unsigned n)
{
	json_object *l = json_object_new_object();
	put(l, "from_ttl", json_object_new_int((int)t - 1));
	put(l, "from", jaddr(&m->hop[t - 1].node[u].addr));
	put(l, "to", jaddr(&m->hop[t].node[v].addr));
	json_object *fl = json_object_new_array();
	for (unsigned i = 0; i < n; i++)
		json_object_array_add(fl, json_object_new_int(flows[i]));
	put(l, "flows", fl);
	json_object_array_add(ctx, l);
}

/* Multipath members of a trace: hops with their interfaces, links with flows, every probe. */
static void multipath(json_object *o, const struct rtr_run *r, const struct rtr_tracer *e)
{
	const struct rtr_mda *m = rtr_mda_of(e);
	json_object *hops = json_object_new_array();
	for (unsigned t = e->cfg.first_ttl; t <= e->last_ttl && t >= 1; t++) {
		const struct rtr_mda_hop *h = &m->hop[t];
		json_object *jh = json_object_new_object();
		put(jh, "ttl", json_object_new_int((int)t));
		put(jh, "flows_probed", json_object_new_int(h->sent));
		put(jh, "answered", json_object_new_int(h->answered));
		put(jh, "full_mda", json_object_new_boolean(h->full));
		put(jh, "meshed", json_object_new_boolean(h->meshed));
		put(jh, "nonuniform", json_object_new_boolean(h->nonuniform));
		json_object *ifs = json_object_new_array();
		for (unsigned n = 0; n < h->nnodes; n++) {
			json_object *i = json_object_new_object();
			put(i, "address", jaddr(&h->node[n].addr));
			const char *name = rtr_name_of(&h->node[n].addr, !r->opts->no_resolve);
			put(i, "name", name ? json_object_new_string(name) : NULL);
			put(i, "flows", json_object_new_int(h->node[n].flows));
			put(i, "verdict", json_object_new_string(verdict_name(h->node[n].verdict)));
			json_object_array_add(ifs, i);
		}
		put(jh, "interfaces", ifs);
		json_object_array_add(hops, jh);
	}
	put(o, "hops", hops);
	/* Every distinct interface once, with the TTLs it answered at. */
	json_object *nodes = json_object_new_array();
	for (unsigned t = e->cfg.first_ttl; t <= e->last_ttl && t >= 1; t++)
		for (unsigned n = 0; n < m->hop[t].nnodes; n++) {
			const struct rtr_addr *a = &m->hop[t].node[n].addr;
			bool earlier = false;
			for (unsigned s = e->cfg.first_ttl; s < t && !earlier; s++)
				for (unsigned k = 0; k < m->hop[s].nnodes; k++)
					earlier |= rtr_addr_eq(&m->hop[s].node[k].addr, a);
			if (earlier)
				continue;
			json_object *jn = json_object_new_object();
			put(jn, "address", jaddr(a));
			json_object *ttls = json_object_new_array();
			for (unsigned s = t; s <= e->last_ttl; s++)
				for (unsigned k = 0; k < m->hop[s].nnodes; k++)
					if (rtr_addr_eq(&m->hop[s].node[k].addr, a))
						json_object_array_add(ttls,
								      json_object_new_int((int)s));
			put(jn, "ttls", ttls);
			json_object_array_add(nodes, jn);
		}
	put(o, "nodes", nodes);
	json_object *links = json_object_new_array();
	rtr_mda_each_link(m, jlink, links);
	put(o, "links", links);
	json_object *probes = json_object_new_array();
	for (uint32_t i = 0; i < m->nprobes; i++)
		json_object_array_add(probes, jprobe(r, e, &m->probe[i]));
	put(o, "probes", probes);
}

static json_object *jtrace(const struct rtr_run *r, const struct rtr_tracer *e, uint64_t dur)
{
	json_object *o = json_object_new_object();
	bool reverse = e->cfg.direction == RTR_REVERSE;
	put(o, "direction", json_object_new_string(reverse ? "reverse" : "forward"));
	/* Addresses as the packets of this direction's path travel. */
	put(o, "src", jaddr(reverse ? &r->dst : &r->src));
	put(o, "dst", jaddr(reverse ? &r->src : &r->dst));
	put(o, "flow", json_object_new_int(rtr_core_flow(e)));
	put(o, "stop_reason", json_object_new_string(rtr_stop_name(e->stop)));
	char msg[384];
	const char *m = rtr_stop_message(r, e, msg, sizeof(msg));
	put(o, "stop_message", jtext(m));
	put(o, "last_ttl", json_object_new_int(e->last_ttl));
	put(o, "duration_ms", jms(dur));
	json_object *c = json_object_new_object();
	put(c, "sent", json_object_new_int64(e->stats.sent));
	put(c, "answered", json_object_new_int64(e->stats.matched));
	put(c, "duplicates", json_object_new_int64(e->stats.duplicates));
	put(c, "late", json_object_new_int64(e->stats.late));
	put(c, "ignored", json_object_new_int64(e->stats.ignored));
	put(c, "abandoned", json_object_new_int64(e->stats.abandoned));
	put(c, "retried", json_object_new_int64(e->stats.retried));
	put(c, "recovered", json_object_new_int64(e->stats.recovered));
	put(o, "probe_counts", c);
	if (reverse) {
		json_object *s = json_object_new_object();
		put(s, "present", json_object_new_boolean(e->present));
		put(s, "kernel_echo", json_object_new_boolean(e->kernel_echo));
		put(s, "ended_elsewhere", json_object_new_boolean(e->ended_elsewhere));
		put(s, "limited", json_object_new_boolean(e->limited));
		const char *lm = rtr_limit_message(r, e, msg, sizeof(msg));
		put(s, "limit_message", lm ? json_object_new_string(lm) : NULL);
		json_object *pa = json_object_new_array();
		for (unsigned i = 0; i < e->presence_sent; i++)
			json_object_array_add(pa, jprobe(r, e, &e->presence[i]));
		put(s, "presence_checks", pa);
		put(o, "server", s);
	}
	if (rtr_mda_of(e)) {
		multipath(o, r, e);
		return o;
	}
	json_object *hops = json_object_new_array();
	for (unsigned t = e->cfg.first_ttl; t <= e->last_ttl && t >= 1; t++) {
		const struct rtr_eng_hop *h = rtr_out_sp_hop(e, t);
		json_object *jh = json_object_new_object();
		put(jh, "ttl", json_object_new_int((int)t));
		put(jh, "verdict", json_object_new_string(verdict_name(h->verdict)));
		json_object *ps = json_object_new_array();
		for (unsigned i = 0; i < h->nsent; i++)
			json_object_array_add(ps, jprobe(r, e, &h->probe[i]));
		put(jh, "probes", ps);
		json_object_array_add(hops, jh);
	}
	put(o, "hops", hops);
	return o;
}

static json_object *rtr_json_build(const struct rtr_run *r)
{
	const struct rtr_opts *op = r->opts;
	const struct rtr_tracer *e = r->fwd ? r->fwd : r->rev;
	json_object *o = json_object_new_object();
	put(o, "schema", json_object_new_string(RTR_JSON_SCHEMA));
	json_object *tool = json_object_new_object();
	put(tool, "name", json_object_new_string("rtr-client"));
	put(tool, "version", json_object_new_string(RTR_CLIENT_VERSION));
	put(o, "tool", tool);
	static const char *modes[] = {"forward", "reverse", "two-way"};
	put(o, "direction", json_object_new_string(modes[op->mode]));
	put(o, "method", json_object_new_string(op->multipath ? "multipath" : "singlepath"));
	put(o, "protocol", json_object_new_string(op->proto_name));
	put(o, "family", json_object_new_int(r->family));
	put(o, "target", jtext(r->target));
	put(o, "src", jaddr(&r->src));
	put(o, "dst", jaddr(&r->dst));
	json_object *start = json_object_new_object();
	put(start, "sec", json_object_new_int64(r->start.tv_sec));
	put(start, "usec", json_object_new_int64(r->start.tv_usec));
	char iso[40];
	struct tm tm;
	gmtime_r(&r->start.tv_sec, &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	put(start, "iso8601", json_object_new_string(iso));
	put(o, "start", start);
	json_object *p = json_object_new_object();
	put(p, "flow", json_object_new_int(rtr_core_flow(e)));
	put(p, "probes", json_object_new_int((int)op->probes));
	put(p, "first_ttl", json_object_new_int((int)op->first_ttl));
	put(p, "max_ttl", json_object_new_int((int)op->max_ttl));
	put(p, "wait_ms", json_object_new_double(op->wait_s * 1000));
	put(p, "rate_pps", json_object_new_double(op->rate_pps));
	put(p, "gap_limit", json_object_new_int((int)op->gap_limit));
	put(p, "parallel", json_object_new_int((int)op->parallel));
	put(p, "retries", json_object_new_int((int)op->retries));
	put(p, "resolve", json_object_new_boolean(!op->no_resolve));
	put(p, "interface", jtext(op->iface));
	if (op->multipath) {
		put(p, "alpha", json_object_new_double(op->alpha));
		put(p, "max_probes", json_object_new_int((int)op->max_probes));
		put(p, "time_limit_s", json_object_new_double(op->time_limit_s));
	}
	put(o, "parameters", p);
	json_object *traces = json_object_new_array();
	if (r->fwd)
		json_object_array_add(traces, jtrace(r, r->fwd, r->duration_ns[0]));
	if (r->rev)
		json_object_array_add(traces, jtrace(r, r->rev, r->duration_ns[1]));
	put(o, "traces", traces);
	if (op->multipath && r->fwd && r->rev) {
		struct rtr_alias al[256];
		unsigned n = rtr_run_aliases(r, al, 256);
		json_object *ja = json_object_new_array();
		for (unsigned i = 0; i < n; i++) {
			static const char *why[] = {"", "same-address", "mate-of-forward-next-hop",
						    "mate-of-reverse-next-hop"};
			char w[200];
			json_object *x = json_object_new_object();
			put(x, "forward", jaddr(&al[i].fwd));
			put(x, "reverse", jaddr(&al[i].rev));
			put(x, "evidence", json_object_new_string(why[al[i].why]));
			put(x, "prefix",
			    al[i].why == RTR_ALIAS_SAME ? NULL
							: json_object_new_int((int)al[i].prefix));
			put(x, "via", al[i].why == RTR_ALIAS_SAME ? NULL : jaddr(&al[i].via));
			put(x, "words",
			    json_object_new_string(rtr_alias_words(&al[i], w, sizeof(w))));
			json_object_array_add(ja, x);
		}
		put(o, "same_router", ja);
	}
	return o;
}

/* The document as a malloc'd string in json-c's layout flags (pretty, or plain: one line). */
static char *json_text(const struct rtr_run *r, int layout)
{
	json_object *o = rtr_json_build(r);
	const char *s = json_object_to_json_string_ext(o, layout | JSON_C_TO_STRING_NOSLASHESCAPE);
	char *copy = s ? strdup(s) : NULL;
	json_object_put(o);
	return copy;
}

char *rtr_json_string(const struct rtr_run *r)
{
	return json_text(r, JSON_C_TO_STRING_PRETTY);
}

int rtr_out_jsonl(FILE *f, const struct rtr_run *r)
{
	/* json-c escapes every control character inside strings: the plain form is one line. */
	char *s = json_text(r, JSON_C_TO_STRING_PLAIN);
	int rc = !s || fprintf(f, "%s\n", s) < 0 ? -1 : 0;
	free(s);
	return rc;
}

int rtr_out_json(FILE *f, const struct rtr_run *r)
{
	char *s = rtr_json_string(r);
	int rc = !s || fprintf(f, "%s\n", s) < 0 ? -1 : 0;
	free(s);
	return rc;
}
