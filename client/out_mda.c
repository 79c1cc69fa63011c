// SPDX-License-Identifier: BSD-2-Clause
/* out_mda.c: multipath results: links with their flows, per-hop interface lists (text), DOT
 * graphs, two-way node matches. */
#include <stdlib.h>
#include <string.h>

#include "mda.h"
#include "output.h"

void rtr_mda_each_link(const struct rtr_mda *m, link_fn fn, void *ctx)
{
	uint16_t *flows = malloc(sizeof(*flows) * (m->nflows ? m->nflows : 1));
	if (!flows)
		return;
	for (unsigned t = m->cfg.base.first_ttl + 1u; t <= m->t.last_ttl; t++) {
		const struct rtr_mda_hop *prev = &m->hop[t - 1], *h = &m->hop[t];
		for (unsigned u = 0; u < prev->nnodes; u++)
			for (unsigned v = 0; v < h->nnodes; v++) {
				unsigned n = 0;
				for (unsigned fi = 0; fi < m->nflows; fi++)
					if (rtr_mda_node_of(m, t - 1, fi) == (int)u &&
					    rtr_mda_node_of(m, t, fi) == (int)v)
						flows[n++] = rtr_mda_flow_value(m, fi);
				if (n)
					fn(ctx, m, t, (int)u, (int)v, flows, n);
			}
	}
	free(flows);
}

static const char *verdict_word(int v)
{
	switch (v) {
	case RTR_HOP_DEST:
		return "destination";
	case RTR_HOP_UNREACH:
		return "unreachable";
	case RTR_HOP_REFUSED:
		return "refused";
	}
	return "transit";
}

/* ---- text ---- */

struct text_ctx {
	FILE *f;
	const struct rtr_run *r;
};

static void text_link(void *ctx, const struct rtr_mda *m, unsigned t, int u, int v,
		      const uint16_t *flows, unsigned n)
{
	struct text_ctx *c = ctx;
	char a[RTR_ADDR_STRLEN], b[RTR_ADDR_STRLEN];
	rtr_addr_format(&m->hop[t - 1].node[u].addr, a, sizeof(a));
	rtr_addr_format(&m->hop[t].node[v].addr, b, sizeof(b));
	fprintf(c->f, "  %3u-%-3u %s -> %s (%u flow%s:", t - 1, t, a, b, n, n == 1 ? "" : "s");
	for (unsigned i = 0; i < n && i < 8; i++)
		fprintf(c->f, " %u", flows[i]);
	fputs(n > 8 ? " ...)\n" : ")\n", c->f);
}

void rtr_out_mda_text(FILE *f, const struct rtr_run *r, const struct rtr_tracer *e)
{
	const struct rtr_mda *m = rtr_mda_of(e);
	bool rev = e->cfg.direction == RTR_REVERSE;
	fprintf(f, "%s multipath (MDA-Lite, alpha %g):\n", rev ? "reverse" : "forward",
		m->cfg.alpha);
	for (unsigned t = m->cfg.base.first_ttl; t <= m->t.last_ttl && t >= 1; t++) {
		const struct rtr_mda_hop *h = &m->hop[t];
		fprintf(f, "%3u  [%u flows%s]", t, h->sent, h->full ? ", full MDA" : "");
		if (!h->nnodes)
			fputs("  *", f);
		fputc('\n', f);
		for (unsigned n = 0; n < h->nnodes; n++) {
			char a[RTR_ADDR_STRLEN];
			rtr_addr_format(&h->node[n].addr, a, sizeof(a));
			const char *name = rtr_name_of(&h->node[n].addr, !r->opts->no_resolve);
			fprintf(f, "     %s", a);
			if (name)
				fprintf(f, " (%s)", name);
			fprintf(f, "  %u flows", h->node[n].flows);
			if (h->node[n].verdict != RTR_HOP_TRANSIT)
				fprintf(f, ", %s", verdict_word(h->node[n].verdict));
			fputc('\n', f);
		}
	}
	fputs("links:\n", f);
	struct text_ctx c = {f, r};
	rtr_mda_each_link(m, text_link, &c);
}

/* ---- DOT ---- */

struct dot_ctx {
	FILE *f;
	const char *color, *tag;
	/* edges already drawn, by address pair: one line per link however many TTLs show it */
	char (*seen)[2 * RTR_ADDR_STRLEN + 2];
	unsigned nseen, cap;
};

static void dot_node(FILE *f, const struct rtr_run *r, const struct rtr_addr *a)
{
	char s[RTR_ADDR_STRLEN];
	rtr_addr_format(a, s, sizeof(s));
	const char *name = rtr_name_of(a, !r->opts->no_resolve);
	fprintf(f, "\t\"%s\" [label=\"%s", s, s);
	if (name) {
		fputs("\\n", f);
		for (; *name; name++)
			fputc(*name == '"' || *name == '\\' || (unsigned char)*name < 0x20 ? '_'
											   : *name,
			      f);
	}
	fputs("\"];\n", f);
}

static void dot_link(void *ctx, const struct rtr_mda *m, unsigned t, int u, int v,
		     const uint16_t *flows, unsigned n)
{
	struct dot_ctx *c = ctx;
	char a[RTR_ADDR_STRLEN], b[RTR_ADDR_STRLEN], key[2 * RTR_ADDR_STRLEN + 2];
	rtr_addr_format(&m->hop[t - 1].node[u].addr, a, sizeof(a));
	rtr_addr_format(&m->hop[t].node[v].addr, b, sizeof(b));
	(void)flows;
	snprintf(key, sizeof(key), "%s %s", a, b);
	for (unsigned i = 0; i < c->nseen; i++)
		if (!strcmp(c->seen[i], key))
			return;
	if (c->nseen == c->cap) {
		unsigned cap = c->cap ? 2 * c->cap : 64;
		void *p = realloc(c->seen, cap * sizeof(*c->seen));
		if (!p)
			return;
		c->seen = p;
		c->cap = cap;
	}
	memcpy(c->seen[c->nseen++], key, sizeof(key));
	fprintf(c->f, "\t\"%s\" -> \"%s\" [color=%s, label=\"%u\"];\n", a, b, c->color, n);
}

static void dot_trace(FILE *f, const struct rtr_run *r, const struct rtr_tracer *e,
		      const struct rtr_addr *start, const char *color, const char *tag)
{
	const struct rtr_mda *m = rtr_mda_of(e);
	char s[RTR_ADDR_STRLEN];
	rtr_addr_format(start, s, sizeof(s));
	unsigned first = m->cfg.base.first_ttl;
	for (unsigned t = first; t <= m->t.last_ttl && t >= 1; t++)
		for (unsigned n = 0; n < m->hop[t].nnodes; n++)
			dot_node(f, r, &m->hop[t].node[n].addr);
	/* The start of the path to the first hop's interfaces. */
	for (unsigned n = 0; first <= m->t.last_ttl && n < m->hop[first].nnodes; n++) {
		char b[RTR_ADDR_STRLEN];
		rtr_addr_format(&m->hop[first].node[n].addr, b, sizeof(b));
		fprintf(f, "\t\"%s\" -> \"%s\" [color=%s];\n", s, b, color);
	}
	struct dot_ctx c = {.f = f, .color = color, .tag = tag};
	rtr_mda_each_link(m, dot_link, &c);
	free(c.seen);
}

int rtr_out_mda_dot(FILE *f, const struct rtr_run *r)
{
	fputs("digraph rtr {\n\tnode [shape=box];\n\trankdir=LR;\n", f);
	dot_node(f, r, &r->src);
	dot_node(f, r, &r->dst);
	if (r->fwd)
		dot_trace(f, r, r->fwd, &r->src, "blue", "forward");
	if (r->rev)
		dot_trace(f, r, r->rev, &r->dst, "red", "reverse");
	fputs("}\n", f);
	return ferror(f) ? -1 : 0;
}

/* ---- SVG / PNG: the DOT graph through graphviz's dot program (a subprocess) ---- */

/* ---- two-way node matching ---- */

struct link_list {
	struct rtr_link *l;
	unsigned n, cap;
};

static void collect_link(void *ctx, const struct rtr_mda *m, unsigned t, int u, int v,
			 const uint16_t *flows, unsigned n)
{
	struct link_list *ll = ctx;
	(void)flows;
	(void)n;
	if (ll->n == ll->cap) {
		unsigned cap = ll->cap ? 2 * ll->cap : 64;
		void *p = realloc(ll->l, cap * sizeof(*ll->l));
		if (!p)
			return;
		ll->l = p;
		ll->cap = cap;
	}
	ll->l[ll->n].near = m->hop[t - 1].node[u].addr;
	ll->l[ll->n].far = m->hop[t].node[v].addr;
	ll->n++;
}

unsigned rtr_run_aliases(const struct rtr_run *r, struct rtr_alias *out, unsigned cap)
{
	if (!r->fwd || !r->rev || !rtr_mda_of(r->fwd) || !rtr_mda_of(r->rev))
		return 0;
	struct link_list f = {0}, v = {0};
	rtr_mda_each_link(rtr_mda_of(r->fwd), collect_link, &f);
	rtr_mda_each_link(rtr_mda_of(r->rev), collect_link, &v);
	unsigned n = rtr_match_two_way(f.l, f.n, v.l, v.n, out, cap);
	free(f.l);
	free(v.l);
	return n;
}

const char *rtr_alias_words(const struct rtr_alias *a, char *buf, size_t cap)
{
	char via[RTR_ADDR_STRLEN];
	rtr_addr_format(&a->via, via, sizeof(via));
	switch (a->why) {
	case RTR_ALIAS_SAME:
		snprintf(buf, cap, "the same address answered in both directions");
		break;
	case RTR_ALIAS_MATE_FWD:
		snprintf(buf, cap,
			 "the reverse address is the /%u mate of %s, the forward hop after the "
			 "forward address",
			 a->prefix, via);
		break;
	default:
		snprintf(buf, cap,
			 "the forward address is the /%u mate of %s, the reverse hop after the "
			 "reverse address",
			 a->prefix, via);
	}
	return buf;
}

void rtr_out_aliases_text(FILE *f, const struct rtr_run *r)
{
	struct rtr_alias al[256];
	unsigned n = rtr_run_aliases(r, al, 256);
	if (!n)
		return;
	fputs("same router (two-way):\n", f);
	for (unsigned i = 0; i < n; i++) {
		char a[RTR_ADDR_STRLEN], b[RTR_ADDR_STRLEN], w[200];
		rtr_addr_format(&al[i].fwd, a, sizeof(a));
		rtr_addr_format(&al[i].rev, b, sizeof(b));
		fprintf(f, "  forward %s = reverse %s: %s\n", a, b,
			rtr_alias_words(&al[i], w, sizeof(w)));
	}
}
