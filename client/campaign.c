// SPDX-License-Identifier: BSD-2-Clause
/* campaign.c: the campaign driver: many engine instances multiplexed over shared raw sockets,
 * paced under one global rate, each trace written as it ends. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "campaign.h"
#include "diag.h"
#include "tracer.h"
#include "net.h"
#include "output.h"
#include "trace.h"
#include "targets.h"

/* One trace of the campaign. */
struct item {
	const char *target;
	struct rtr_run run;
	struct rtr_tracer *eng[2];
	int count;
	bool usable; /* resolved, with a source address */
};

struct campaign {
	const struct rtr_opts *o;
	FILE *out;
	struct rtr_net net[2]; /* IPv4, IPv6 (opened when a target needs it) */
	bool open[2];
	struct item *items;
	size_t n;
	size_t *running; /* indices of the traces in flight */
	size_t nrunning, next;
	size_t done, failed;
	uint64_t interval_ns; /* 1 / --rate; 0 = unpaced */
	uint64_t next_slot;   /* no packet of any trace before this time */
	uint64_t credit_ns;   /* how far next_slot may lag behind now (CLI-32) */
	uint64_t sent;	      /* packets sent by the whole campaign */
	uint64_t first_ns, last_ns;
	/* progress line */
	bool progress;
	uint64_t progress_ns, rate_ns, rate_sent;
	double pps;
};

static int fam_index(int family)
{
	return family == 6;
}

static void warn(const char *target, const char *msg)
{
	if (target)
		rtr_warn("%s: %s", target, msg);
	else
		rtr_warn("%s", msg);
}

/* Every target: the arguments, then --targets, then the servers list. */
static int collect(const struct rtr_opts *o, const struct rtr_endpoints *list,
		   struct rtr_targets *t, char *err, size_t errlen)
{
	for (int i = 0; i < o->ntargets; i++)
		if (rtr_targets_add(t, o->targets[i], err, errlen))
			return -1;
	if (o->targets_file) {
		bool in = !strcmp(o->targets_file, "-");
		FILE *f = in ? stdin : fopen(o->targets_file, "r");
		if (!f) {
			snprintf(err, errlen, "cannot read --targets %s: %s", o->targets_file,
				 strerror(errno));
			return -1;
		}
		int rc = rtr_targets_read(t, f, in ? "stdin" : o->targets_file, err, errlen);
		if (!in)
			fclose(f);
		if (rc)
			return -1;
	}
	if (o->all_endpoints) {
		if (!list->count) {
			snprintf(err, errlen, "--all-endpoints: the servers list is empty");
			return -1;
		}
		for (size_t i = 0; i < list->count; i++)
			if (rtr_targets_add(t, list->e[i].name, err, errlen))
				return -1;
	}
	return 0;
}

/* Resolves every target and finds our source towards it; a target that fails is reported. */
static void prepare(struct campaign *c, const struct rtr_targets *t,
		    const struct rtr_endpoints *list)
{
	const struct rtr_opts *o = c->o;
	for (size_t i = 0; i < t->n; i++) {
		struct item *it = &c->items[i];
		char err[512];
		it->target = t->v[i];
		it->run = (struct rtr_run){.opts = o, .target = t->v[i]};
		if (rtr_trace_resolve(list, it->target, o->family, &it->run.dst, err,
				      sizeof(err)) ||
		    (it->run.family = rtr_addr_family(&it->run.dst),
		     rtr_trace_source(o, it->run.family, it->target, &it->run.dst, &it->run.src,
				      err, sizeof(err)))) {
			warn(it->target, err);
			c->failed++;
			c->done++;
			continue;
		}
		it->usable = true;
		c->open[fam_index(it->run.family)] = true;
	}
}

/* Writes a finished trace at once and flushes it: a killed campaign keeps it. */
static int finish(struct campaign *c, struct item *it)
{
	struct rtr_run *r = &it->run;
	/* The progress line goes before a result lands on the same terminal; it is redrawn. */
	if (c->progress) {
		fputs("\r\033[K", stderr);
		c->progress_ns = 0;
	}
	if (r->fwd)
		r->duration_ns[0] = r->fwd->end_ns - r->fwd->start_ns;
	if (r->rev)
		r->duration_ns[1] = r->rev->end_ns - r->rev->start_ns;
	int rc = c->o->format == RTR_FMT_JSONL ? rtr_out_jsonl(c->out, r) : rtr_out_text(c->out, r);
	if (fflush(c->out))
		rc = -1;
	bool failed = false;
	for (int i = 0; i < it->count; i++) {
		char msg[256];
		const char *m = rtr_stop_message(r, it->eng[i], msg, sizeof(msg));
		/* A text table on stdout already ends with it: say it once. */
		if (m && (c->o->format != RTR_FMT_TEXT || c->o->output))
			warn(it->target, m);
		int s = it->eng[i]->stop;
		if (s == RTR_STOP_NO_SERVER || s == RTR_STOP_REFUSED || s == RTR_STOP_INTERRUPTED)
			failed = true;
	}
	c->failed += failed;
	c->done++;
	rtr_trace_free(it->eng, it->count);
	it->count = 0;
	return rc;
}

static bool start(struct campaign *c, struct item *it)
{
	gettimeofday(&it->run.start, NULL);
	it->count = rtr_trace_engines(&it->run, it->eng, 0, rtr_trace_first_hop(&it->run));
	if (it->count < 0) {
		it->count = 0;
		warn(it->target, "cannot start the trace (out of memory)");
		c->failed++;
		c->done++;
		return false;
	}
	return true;
}

/* One status line on a terminal, redrawn at most every 100 ms; erased at the end. */
static void progress(struct campaign *c, bool end)
{
	if (!c->progress)
		return;
	uint64_t now = rtr_net_now();
	if (end) {
		fputs("\r\033[K", stderr);
		return;
	}
	if (now - c->progress_ns < 100000000ull)
		return;
	c->progress_ns = now;
	/* Packets/s over the last second or so, not since the start. */
	if (now - c->rate_ns >= 1000000000ull) {
		c->pps = c->rate_ns ? (double)(c->sent - c->rate_sent) * 1e9 /
					      (double)(now - c->rate_ns)
				    : 0;
		c->rate_ns = now;
		c->rate_sent = c->sent;
	}
	fprintf(stderr, "\rcampaign: %zu/%zu done, %zu running, %zu failed, %.0f packets/s\033[K",
		c->done, c->n, c->nrunning, c->failed, c->pps);
}

/*
 * Polls one engine until it waits or ends, sending what it asks under the
 * global pace. Returns 0, or -1 with err when a packet could not be sent.
 */
static int drive(struct campaign *c, struct rtr_tracer *e, int fam, uint64_t *wake, bool *done,
		 char *err, size_t errlen)
{
	struct rtr_eng_tx tx;
	uint64_t w = UINT64_MAX;
	int a;
	uint64_t now = rtr_net_now();
	/* The pace starts at the first packet: setting up the first traces earns no credit. */
	if (!c->sent && c->next_slot < now)
		c->next_slot = now;
	e->not_before_ns = c->next_slot;
	while ((a = rtr_tracer_poll(e, now, &tx, &w)) == RTR_ENG_SEND) {
		if (rtr_net_send(&c->net[fam], &tx, err, errlen))
			return -1;
		if (!c->sent++)
			c->first_ns = now;
		c->last_ns = now;
		if (c->interval_ns) {
			/* A little credit: late wake-ups (a loaded host) are caught up, longer
			 * idle time is not saved up into a burst. */
			uint64_t floor = now > c->credit_ns ? now - c->credit_ns : 0;
			c->next_slot =
				(c->next_slot > floor ? c->next_slot : floor) + c->interval_ns;
		}
		e->not_before_ns = c->next_slot;
		now = rtr_net_now();
	}
	if (a == RTR_ENG_WAIT) {
		*done = false;
		if (w < *wake)
			*wake = w;
	}
	return 0;
}

static int loop(struct campaign *c, volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	bool stopping = false;
	size_t rr = 0;
	int rc = 0;
	struct rtr_tracer **list = malloc(sizeof(*list) * 2 * (c->o->concurrent + 1));
	if (!list) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (;;) {
		if (*stop && !stopping) {
			stopping = true;
			for (size_t k = 0; k < c->nrunning; k++) {
				struct item *it = &c->items[c->running[k]];
				for (int i = 0; i < it->count; i++)
					rtr_tracer_interrupt(it->eng[i]);
			}
		}
		while (!stopping && c->nrunning < c->o->concurrent && c->next < c->n) {
			struct item *it = &c->items[c->next];
			if (it->usable && start(c, it))
				c->running[c->nrunning++] = c->next;
			c->next++;
		}
		/* Everything that arrived goes to the engines before they look at the clock. */
		for (int f = 0; f < 2; f++) {
			if (!c->open[f])
				continue;
			int count = 0;
			for (size_t k = 0; k < c->nrunning; k++) {
				struct item *it = &c->items[c->running[k]];
				if (fam_index(it->run.family) == f)
					for (int i = 0; i < it->count; i++)
						list[count++] = it->eng[i];
			}
			if (rtr_net_receive(&c->net[f], list, count, err, errlen))
				goto out;
		}
		uint64_t wake = UINT64_MAX;
		/* Round robin: a different trace gets the first free slot each turn. */
		size_t nr = c->nrunning, kept = 0;
		size_t *order = c->running + c->n; /* scratch half of the array */
		for (size_t k = 0; k < nr; k++)
			order[k] = c->running[(rr + k) % nr];
		rr++;
		for (size_t k = 0; k < nr; k++) {
			struct item *it = &c->items[order[k]];
			bool done = true;
			for (int i = 0; i < it->count; i++) {
				if (!drive(c, it->eng[i], fam_index(it->run.family), &wake, &done,
					   err, errlen))
					continue;
				/* A packet this host refuses to send (no route any more, a
				 * firewall) ends that trace, not the campaign. */
				warn(it->target, err);
				for (int j = 0; j < it->count; j++)
					rtr_tracer_interrupt(it->eng[j]);
				done = false;
				wake = 0;
				break;
			}
			if (done) {
				if (finish(c, it) && !rc) {
					snprintf(err, errlen, "cannot write the result");
					rc = -1;
					goto out;
				}
			} else {
				c->running[kept++] = order[k];
			}
		}
		c->nrunning = kept;
		if (!c->nrunning && (stopping || c->next >= c->n))
			break;
		progress(c, false);
		uint64_t now = rtr_net_now();
		/* Wake at least every 200 ms so an interrupt is never missed for long. */
		uint64_t ns = wake > now ? wake - now : 0;
		if (ns > 200000000ull)
			ns = 200000000ull;
		if (c->nrunning < c->o->concurrent && c->next < c->n && !stopping)
			ns = 0;
		struct pollfd p[4];
		int np = 0;
		for (int f = 0; f < 2; f++) {
			if (!c->open[f])
				continue;
			/* Before waiting: a campaign killed now leaves a capture that reads to
			 * here. */
			rtr_net_flush(&c->net[f]);
			int fds[2];
			rtr_net_fds(&c->net[f], fds);
			p[np++] = (struct pollfd){.fd = fds[0], .events = POLLIN};
			p[np++] = (struct pollfd){.fd = fds[1], .events = POLLIN};
		}
		struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000ull),
				      .tv_nsec = (long)(ns % 1000000000ull)};
		if (ppoll(p, (nfds_t)np, &ts, NULL) < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			goto out;
		}
	}
	free(list);
	progress(c, true);
	return rc;
out:
	free(list);
	progress(c, true);
	return -1;
}

static int fail_with(int code, const char *msg)
{
	warn(NULL, msg);
	return code;
}

int rtr_campaign_main(const struct rtr_opts *o, volatile sig_atomic_t *stop)
{
	char err[512];
	int code;
	struct rtr_endpoints *list =
		rtr_trace_endpoints(o, o->all_endpoints, NULL, 0, &code, err, sizeof(err));
	if (code)
		return fail_with(code, err);
	struct rtr_targets t = {0};
	if (collect(o, list, &t, err, sizeof(err))) {
		free(list);
		rtr_targets_free(&t);
		return fail_with(RTR_EXIT_USAGE, err);
	}
	struct campaign c = {.o = o, .out = stdout, .n = t.n};
	c.items = calloc(t.n, sizeof(*c.items));
	/* Two halves: the traces in flight, and a scratch copy for the round robin. */
	c.running = calloc(2 * t.n, sizeof(*c.running));
	code = RTR_EXIT_ERROR;
	if (!c.items || !c.running) {
		warn(NULL, "out of memory");
		goto done;
	}
	prepare(&c, &t, list);
	free(list);
	list = NULL;
	if (c.failed == c.n) {
		warn(NULL, "no target can be traced");
		goto done;
	}
	if (c.open[0] && c.open[1] && o->pcap) {
		warn(NULL, "--pcap records one address family: give -4 or -6 for a campaign of "
			   "both");
		code = RTR_EXIT_USAGE;
		goto done;
	}
	/* Every file and socket is opened before privileges go. */
	if (o->output && !(c.out = fopen(o->output, "w"))) {
		c.out = stdout;
		snprintf(err, sizeof(err), "cannot write -o %s: %s", o->output, strerror(errno));
		warn(NULL, err);
		goto done;
	}
	/* A buffer larger than any one trace: each line reaches the file in one write. */
	setvbuf(c.out, NULL, _IOFBF, 8u << 20);
	bool opened[2] = {false, false};
	for (int f = 0; f < 2; f++) {
		if (!c.open[f])
			continue;
		if (rtr_net_open(&c.net[f], f ? 6 : 4, o->iface, rtr_cli_tcp_answers(o), o->pcap,
				 err, sizeof(err))) {
			warn(NULL, err);
			goto close;
		}
		opened[f] = true;
	}
	if (rtr_net_drop_privileges(err, sizeof(err))) {
		warn(NULL, err);
		goto close;
	}
	double rate = o->rate_pps > 0 ? o->rate_pps : RTR_CAMPAIGN_RATE;
	c.interval_ns = (uint64_t)(1e9 / rate);
	/* 25 ms of sends, between 1 and 8 of them (CLI-32). */
	uint64_t slots = 25000000ull / (c.interval_ns ? c.interval_ns : 1);
	c.credit_ns = c.interval_ns * (slots < 1 ? 1 : slots > 8 ? 8 : slots);
	c.progress = isatty(STDERR_FILENO);
	uint64_t t0 = rtr_net_now();
	if (loop(&c, stop, err, sizeof(err))) {
		warn(NULL, err);
		goto close;
	}
	double secs = (double)(rtr_net_now() - t0) / 1e9;
	double span = c.sent > 1 ? (double)(c.last_ns - c.first_ns) / 1e9 : 0;
	rtr_warn("campaign: %zu traces, %zu failed, %llu packets in %.1f s (%.1f packets/s)", c.n,
		 c.failed, (unsigned long long)c.sent, secs,
		 span > 0 ? (double)(c.sent - 1) / span : 0.0);
	code = *stop ? RTR_EXIT_INTERRUPTED : RTR_EXIT_OK;
close:
	for (int f = 0; f < 2; f++)
		if (opened[f])
			rtr_net_close(&c.net[f]);
done:
	if (c.out != stdout && fclose(c.out))
		code = RTR_EXIT_ERROR;
	if (c.items)
		for (size_t i = 0; i < c.n; i++)
			rtr_trace_free(c.items[i].eng, c.items[i].count);
	free(c.items);
	free(c.running);
	free(list);
	rtr_targets_free(&t);
	return code;
}
