// SPDX-License-Identifier: BSD-2-Clause
/* out_text.c: the traceroute-like text table, one direction or two side by side. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "answer.h"
#include "wire_names.h"
#include "output.h"
#include "rtr_wire.h"

/* Appends to a fixed buffer, silently truncating (cells are for humans). */
static void add(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(char *buf, size_t cap, const char *fmt, ...)
{
	size_t used = strlen(buf);
	if (used + 1 >= cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + used, cap - used, fmt, ap);
	va_end(ap);
}

const struct rtr_eng_hop *rtr_out_sp_hop(const struct rtr_tracer *e, unsigned ttl)
{
	static const struct rtr_eng_hop none;
	const struct rtr_engine *sp = rtr_engine_of(e);
	return sp ? &sp->hop[ttl] : &none;
}

unsigned rtr_out_sp_settled(const struct rtr_tracer *e)
{
	const struct rtr_engine *sp = rtr_engine_of(e);
	return sp ? sp->settled : 0;
}

const char *rtr_unreach_mark(int family, unsigned code, char *buf, size_t cap)
{
	const char *m = NULL;
	if (family == 4)
		m = code == 0				    ? "!N"
		    : code == 1				    ? "!H"
		    : code == 2				    ? "!P"
		    : code == 9 || code == 10 || code == 13 ? "!X"
							    : NULL;
	else
		m = code == 0 ? "!N" : code == 1 ? "!X" : code == 3 ? "!H" : NULL;
	if (m)
		snprintf(buf, cap, "%s", m);
	else
		snprintf(buf, cap, "!<%u>", code);
	return buf;
}

/* traceroute's annotations for Destination Unreachable codes. */
static void unreach_mark(const struct rtr_eng_probe *p, int family, char *buf, size_t cap)
{
	if (p->kind != RTR_ANS_DEST_UNREACH || p->verdict == RTR_HOP_DEST)
		return;
	char m[16];
	add(buf, cap, " %s", rtr_unreach_mark(family, p->icmp_code, m, sizeof(m)));
}

/* The text after the hop number: addresses, names and RTTs of every probe. */
static void hop_cell(const struct rtr_run *r, const struct rtr_tracer *e, unsigned ttl, char *buf,
		     size_t cap)
{
	buf[0] = 0;
	/* While the trace runs (streaming), the settled hops are the result so far. */
	unsigned last = e && e->stop == RTR_STOP_NONE ? rtr_out_sp_settled(e) : e ? e->last_ttl : 0;
	if (!e || ttl < e->cfg.first_ttl || ttl > last)
		return;
	const struct rtr_eng_hop *h = rtr_out_sp_hop(e, ttl);
	bool reverse = e->cfg.direction == RTR_REVERSE;
	const struct rtr_addr *prev = NULL;
	for (unsigned i = 0; i < h->nsent; i++) {
		const struct rtr_eng_probe *p = &h->probe[i];
		if (i)
			add(buf, cap, "  ");
		if (p->status != RTR_PS_ANSWERED) {
			add(buf, cap, "*");
			continue;
		}
		if (reverse && p->kernel_echo) {
			add(buf, cap, "!E");
			continue;
		}
		if (reverse && p->state != RTR_STATE_OK) {
			add(buf, cap, "!S%u", p->state);
			continue;
		}
		if (!prev || !rtr_addr_eq(prev, &p->from)) {
			char a[RTR_ADDR_STRLEN];
			rtr_addr_format(&p->from, a, sizeof(a));
			const char *name = rtr_name_of(&p->from, !r->opts->no_resolve);
			if (name)
				add(buf, cap, "%s (%s)  ", name, a);
			else
				add(buf, cap, "%s  ", a);
			prev = &p->from;
		}
		if (reverse && p->server_rtt_unknown)
			add(buf, cap, "? ms");
		else
			add(buf, cap, "%.3f ms",
			    (double)(reverse ? p->server_rtt_ns : p->rtt_ns) / 1e6);
		if (!reverse)
			unreach_mark(p, e->cfg.family, buf, cap);
	}
}

static const char *dir_word(const struct rtr_tracer *e)
{
	return e->cfg.direction == RTR_FORWARD ? "forward" : "reverse";
}

const char *rtr_stop_message(const struct rtr_run *r, const struct rtr_tracer *e, char *buf,
			     size_t cap)
{
	char dst[RTR_ADDR_STRLEN];
	rtr_addr_format(&r->dst, dst, sizeof(dst));
	if (e->stop == RTR_STOP_NO_SERVER) {
		snprintf(buf, cap, "no reverse traceroute server at %s (%s): %s", r->target, dst,
			 e->kernel_echo ? "its kernel echoed the request"
					: "no answer to the presence check");
		return buf;
	}
	if (e->stop == RTR_STOP_UNREACHABLE && e->cfg.direction == RTR_REVERSE && !e->last_ttl) {
		/* CLI-15: a router said the server cannot be reached. */
		const struct rtr_eng_probe *p = NULL;
		for (unsigned i = 0; i < e->presence_sent; i++)
			if (e->presence[i].verdict == RTR_HOP_UNREACH)
				p = &e->presence[i];
		char from[RTR_ADDR_STRLEN] = "?", mark[16] = "?";
		if (p) {
			rtr_addr_format(&p->from, from, sizeof(from));
			rtr_unreach_mark(r->family, p->icmp_code, mark, sizeof(mark));
		}
		snprintf(buf, cap,
			 "the reverse traceroute server at %s (%s) is unreachable: %s from %s "
			 "(ICMP code %u) to the presence check",
			 r->target, dst, mark, from, p ? p->icmp_code : 0);
		return buf;
	}
	if (e->stop == RTR_STOP_COMPLETED && e->ended_elsewhere) {
		char end[RTR_ADDR_STRLEN], src[RTR_ADDR_STRLEN];
		rtr_addr_format(&rtr_out_sp_hop(e, e->last_ttl)->probe[0].from, end, sizeof(end));
		/* Multipath: the hop's one node (the MDA engine ends there only then). */
		const struct rtr_mda *m = rtr_mda_of(e);
		if (m && m->hop[e->last_ttl].nnodes == 1)
			rtr_addr_format(&m->hop[e->last_ttl].node[0].addr, end, sizeof(end));
		for (unsigned i = 0; i < rtr_out_sp_hop(e, e->last_ttl)->nsent; i++)
			if (rtr_out_sp_hop(e, e->last_ttl)->probe[i].status == RTR_PS_ANSWERED)
				rtr_addr_format(&rtr_out_sp_hop(e, e->last_ttl)->probe[i].from, end,
						sizeof(end));
		rtr_addr_format(&r->src, src, sizeof(src));
		snprintf(buf, cap,
			 "the path ended at %s, which answered two TTLs in a row but is not our "
			 "address %s (a NAT's public side?)",
			 end, src);
		return buf;
	}
	if (e->stop == RTR_STOP_REFUSED) {
		const struct rtr_eng_probe *p = NULL;
		for (unsigned i = 0; i < rtr_out_sp_hop(e, e->last_ttl)->nsent; i++)
			if (rtr_out_sp_hop(e, e->last_ttl)->probe[i].verdict == RTR_HOP_REFUSED)
				p = &rtr_out_sp_hop(e, e->last_ttl)->probe[i];
		/* Multipath: the MDA engine keeps its own requests. */
		const struct rtr_mda *m = rtr_mda_of(e);
		for (uint32_t i = 0; m && i < m->nprobes; i++)
			if (m->probe[i].ttl == e->last_ttl &&
			    m->probe[i].verdict == RTR_HOP_REFUSED)
				p = &m->probe[i];
		snprintf(buf, cap, "the server at %s refused the request: state %u, %s", dst,
			 p ? p->state : 0, rtr_state_words(p ? p->state : 0));
		return buf;
	}
	return NULL;
}

const char *rtr_limit_message(const struct rtr_run *r, const struct rtr_tracer *e, char *buf,
			      size_t cap)
{
	if (!e->limited)
		return NULL;
	char dst[RTR_ADDR_STRLEN];
	rtr_addr_format(&r->dst, dst, sizeof(dst));
	snprintf(buf, cap,
		 "the server at %s dropped requests: %u were answered only when sent again, so "
		 "unanswered requests point at its rate limit, not at the path; slowed down to "
		 "%.1f requests/s (--rate, -N and -w lower the load)",
		 dst, e->stats.recovered, e->pace_ns ? 1e9 / (double)e->pace_ns : 0.0);
	return buf;
}

static void stop_line(FILE *f, const struct rtr_run *r, const struct rtr_tracer *e)
{
	char msg[384];
	const char *m = rtr_stop_message(r, e, msg, sizeof(msg));
	fprintf(f, "%s stop: %s after hop %u", dir_word(e), rtr_stop_name(e->stop), e->last_ttl);
	if (m)
		fprintf(f, ": %s", m);
	fprintf(f, " (%u packets sent, %u answered", e->stats.sent, e->stats.matched);
	/* Requests still in flight when the trace ended were never going to count. */
	if (e->stats.abandoned)
		fprintf(f, ", %u abandoned", e->stats.abandoned);
	if (e->stats.retried)
		fprintf(f, ", %u sent again", e->stats.retried);
	fputs(")\n", f);
	if ((m = rtr_limit_message(r, e, msg, sizeof(msg))))
		fprintf(f, "%s note: %s\n", dir_word(e), m);
}

static void header(FILE *f, const struct rtr_run *r)
{
	char src[RTR_ADDR_STRLEN], dst[RTR_ADDR_STRLEN];
	rtr_addr_format(&r->src, src, sizeof(src));
	rtr_addr_format(&r->dst, dst, sizeof(dst));
	const struct rtr_tracer *e = r->fwd ? r->fwd : r->rev;
	static const char *modes[] = {"forward", "reverse", "two-way"};
	if (r->opts->multipath) {
		fprintf(f, "rtr-client %s %s multipath: %s (%s) <-> %s, flows from %u, TTL %u-%u\n",
			modes[r->opts->mode], r->opts->proto_name, r->target, dst, src,
			rtr_core_flow(e), e->cfg.first_ttl, e->cfg.max_ttl);
		return;
	}
	fprintf(f, "rtr-client %s %s singlepath: %s (%s) <-> %s, flow %u, TTL %u-%u, %u probe%s\n",
		modes[r->opts->mode], r->opts->proto_name, r->target, dst, src, rtr_core_flow(e),
		e->cfg.first_ttl, e->cfg.max_ttl, e->cfg.probes, e->cfg.probes == 1 ? "" : "s");
}

int rtr_out_text(FILE *f, const struct rtr_run *r)
{
	header(f, r);
	if (r->opts->multipath) {
		/* Directions one after the other: a hop may have many interfaces. */
		if (r->fwd)
			rtr_out_mda_text(f, r, r->fwd);
		if (r->rev)
			rtr_out_mda_text(f, r, r->rev);
		rtr_out_aliases_text(f, r);
		if (r->fwd)
			stop_line(f, r, r->fwd);
		if (r->rev)
			stop_line(f, r, r->rev);
		return ferror(f) ? -1 : 0;
	}
	char a[1024], b[1024];
	if (r->fwd && r->rev) {
		unsigned last =
			r->fwd->last_ttl > r->rev->last_ttl ? r->fwd->last_ttl : r->rev->last_ttl;
		/* Both directions start at -f: no empty rows before it. */
		unsigned first = r->fwd->cfg.first_ttl;
		int width = 30;
		for (unsigned t = first; t <= last; t++) {
			hop_cell(r, r->fwd, t, a, sizeof(a));
			if ((int)strlen(a) > width)
				width = (int)strlen(a);
		}
		fprintf(f, "%3s  %-*s  %s\n", "hop", width, "forward (towards the target)",
			"reverse (back from the target)");
		for (unsigned t = first; t <= last; t++) {
			hop_cell(r, r->fwd, t, a, sizeof(a));
			hop_cell(r, r->rev, t, b, sizeof(b));
			if (b[0])
				fprintf(f, "%3u  %-*s  %s\n", t, width, a, b);
			else
				fprintf(f, "%3u  %s\n", t, a); /* no trailing blanks */
		}
		stop_line(f, r, r->fwd);
		stop_line(f, r, r->rev);
	} else {
		struct rtr_text_stream s = {.f = f, .run = r, .next = 1}; /* header is out */
		return rtr_out_text_finish(&s);
	}
	return ferror(f) ? -1 : 0;
}

/* Prints the header if it is not out yet, then hops from s->next up to last (inclusive). */
static void hops_upto(struct rtr_text_stream *s, unsigned last)
{
	const struct rtr_tracer *e = s->run->fwd ? s->run->fwd : s->run->rev;
	char a[1024];
	if (!s->next)
		header(s->f, s->run);
	if (s->next < e->cfg.first_ttl)
		s->next = e->cfg.first_ttl;
	for (; s->next <= last; s->next++) {
		hop_cell(s->run, e, s->next, a, sizeof(a));
		fprintf(s->f, "%3u  %s\n", s->next, a);
	}
}

/* The header, and hops settled but not printed yet, while the trace runs. */
static bool stream_ready(const struct rtr_text_stream *s)
{
	const struct rtr_tracer *e = s->run->fwd ? s->run->fwd : s->run->rev;
	return !s->next || (e->stop == RTR_STOP_NONE && rtr_out_sp_settled(e) >= s->next);
}

int rtr_out_text_stream(struct rtr_text_stream *s)
{
	const struct rtr_tracer *e = s->run->fwd ? s->run->fwd : s->run->rev;
	if (stream_ready(s)) {
		hops_upto(s, e->stop == RTR_STOP_NONE ? rtr_out_sp_settled(e) : 0);
		fflush(s->f);
	}
	return ferror(s->f) ? -1 : 0;
}

bool rtr_out_text_round(void *stream, bool print)
{
	bool ready = stream_ready(stream);
	if (print && ready)
		rtr_out_text_stream(stream);
	return ready;
}

int rtr_out_text_finish(struct rtr_text_stream *s)
{
	const struct rtr_tracer *e = s->run->fwd ? s->run->fwd : s->run->rev;
	hops_upto(s, e->last_ttl);
	stop_line(s->f, s->run, e);
	return ferror(s->f) ? -1 : 0;
}
