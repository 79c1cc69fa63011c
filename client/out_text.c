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

/* traceroute's annotations for Destination Unreachable codes. */
static void unreach_mark(const struct rtr_eng_probe *p, int family, char *buf, size_t cap)
{
	if (p->kind != RTR_ANS_DEST_UNREACH || p->verdict == RTR_HOP_DEST)
		return;
	const char *m = NULL;
	if (family == 4)
		m = p->icmp_code == 0	 ? "!N"
		    : p->icmp_code == 1	 ? "!H"
		    : p->icmp_code == 2	 ? "!P"
		    : p->icmp_code == 13 ? "!X"
					 : NULL;
	else
		m = p->icmp_code == 0	? "!N"
		    : p->icmp_code == 1 ? "!X"
		    : p->icmp_code == 3 ? "!H"
					: NULL;
	if (m)
		add(buf, cap, " %s", m);
	else
		add(buf, cap, " !<%u>", p->icmp_code);
}

/* The text after the hop number: addresses, names and RTTs of every probe. */
static void hop_cell(const struct rtr_run *r, const struct rtr_engine *e, unsigned ttl, char *buf,
		     size_t cap)
{
	buf[0] = 0;
	if (!e || ttl < e->cfg.first_ttl || ttl > e->last_ttl)
		return;
	const struct rtr_eng_hop *h = &e->hop[ttl];
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

static const char *dir_word(const struct rtr_engine *e)
{
	return e->cfg.direction == RTR_FORWARD ? "forward" : "reverse";
}

const char *rtr_stop_message(const struct rtr_run *r, const struct rtr_engine *e, char *buf,
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
	if (e->stop == RTR_STOP_COMPLETED && e->ended_elsewhere) {
		char end[RTR_ADDR_STRLEN], src[RTR_ADDR_STRLEN];
		rtr_addr_format(&e->hop[e->last_ttl].probe[0].from, end, sizeof(end));
		/* Multipath: the hop's one node (the MDA engine ends there only then). */
		if (e->mda && e->mda->hop[e->last_ttl].nnodes == 1)
			rtr_addr_format(&e->mda->hop[e->last_ttl].node[0].addr, end, sizeof(end));
		for (unsigned i = 0; i < e->hop[e->last_ttl].nsent; i++)
			if (e->hop[e->last_ttl].probe[i].status == RTR_PS_ANSWERED)
				rtr_addr_format(&e->hop[e->last_ttl].probe[i].from, end,
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
		for (unsigned i = 0; i < e->hop[e->last_ttl].nsent; i++)
			if (e->hop[e->last_ttl].probe[i].verdict == RTR_HOP_REFUSED)
				p = &e->hop[e->last_ttl].probe[i];
		/* Multipath: the MDA engine keeps its own requests. */
		for (uint32_t i = 0; e->mda && i < e->mda->nprobes; i++)
			if (e->mda->probe[i].ttl == e->last_ttl &&
			    e->mda->probe[i].verdict == RTR_HOP_REFUSED)
				p = &e->mda->probe[i];
		snprintf(buf, cap, "the server at %s refused the request: state %u, %s", dst,
			 p ? p->state : 0, rtr_state_words(p ? p->state : 0));
		return buf;
	}
	return NULL;
}

static void stop_line(FILE *f, const struct rtr_run *r, const struct rtr_engine *e)
{
	char msg[256];
	const char *m = rtr_stop_message(r, e, msg, sizeof(msg));
	fprintf(f, "%s stop: %s after hop %u", dir_word(e), rtr_stop_name(e->stop), e->last_ttl);
	if (m)
		fprintf(f, ": %s", m);
	fprintf(f, " (%u packets sent, %u answered)\n", e->stats.sent, e->stats.matched);
}

static void header(FILE *f, const struct rtr_run *r)
{
	char src[RTR_ADDR_STRLEN], dst[RTR_ADDR_STRLEN];
	rtr_addr_format(&r->src, src, sizeof(src));
	rtr_addr_format(&r->dst, dst, sizeof(dst));
	const struct rtr_engine *e = r->fwd ? r->fwd : r->rev;
	static const char *modes[] = {"forward", "reverse", "two-way"};
	if (r->opts->multipath) {
		fprintf(f, "rtr-client %s %s multipath: %s (%s) <-> %s, flows from %u, TTL %u-%u\n",
			modes[r->opts->mode], r->opts->proto_name, r->target, dst, src,
			rtr_engine_flow(e), e->cfg.first_ttl, e->cfg.max_ttl);
		return;
	}
	fprintf(f, "rtr-client %s %s singlepath: %s (%s) <-> %s, flow %u, TTL %u-%u, %u probes\n",
		modes[r->opts->mode], r->opts->proto_name, r->target, dst, src, rtr_engine_flow(e),
		e->cfg.first_ttl, e->cfg.max_ttl, e->cfg.probes);
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
		int width = 30;
		for (unsigned t = 1; t <= last; t++) {
			hop_cell(r, r->fwd, t, a, sizeof(a));
			if ((int)strlen(a) > width)
				width = (int)strlen(a);
		}
		fprintf(f, "%3s  %-*s  %s\n", "hop", width, "forward (towards the target)",
			"reverse (back from the target)");
		for (unsigned t = 1; t <= last; t++) {
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
		const struct rtr_engine *e = r->fwd ? r->fwd : r->rev;
		for (unsigned t = e->cfg.first_ttl; t <= e->last_ttl; t++) {
			hop_cell(r, e, t, a, sizeof(a));
			fprintf(f, "%3u  %s\n", t, a);
		}
		stop_line(f, r, e);
	}
	return ferror(f) ? -1 : 0;
}
