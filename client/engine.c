// SPDX-License-Identifier: BSD-2-Clause
/* engine.c: the singlepath engine: scheduling, retries, hop verdicts and stop decisions (no I/O).
 */
#include <string.h>

#include "answer.h"
#include "engine.h"
#include "err.h"

static const struct rtr_tracer_ops sp_ops;

static struct rtr_engine *sp(struct rtr_tracer *t)
{
	return (struct rtr_engine *)t; /* t is the first member */
}

const struct rtr_engine *rtr_engine_of(const struct rtr_tracer *t)
{
	return t && t->ops == &sp_ops ? (const struct rtr_engine *)t : NULL;
}

/*
 * Reverse, after the presence check (CLI-14): may this silent request be sent again? A server
 * that answered the presence check drops requests over its rate limit without a word, so silence
 * is not yet the path. The first silence gets one more send; later ones only once the server is
 * known to drop requests, so a router that never answers costs one extra wait, not several.
 */
static bool may_retry(const struct rtr_tracer *t, const struct rtr_eng_probe *p)
{
	const struct rtr_engine *e = (const struct rtr_engine *)t;
	if (t->cfg.direction != RTR_REVERSE || p->ttl == 0 || !t->present)
		return false;
	if (p->tries > t->cfg.retries || p->ttl > e->horizon)
		return false;
	return p->tries == 1 || t->limited;
}

/* Lowers the highest TTL worth sending: a hop at ttl ended the path. */
static void path_ends_at(struct rtr_tracer *t, unsigned ttl)
{
	struct rtr_engine *e = sp(t);
	if (ttl < e->horizon)
		e->horizon = (uint16_t)ttl;
}

/* Reverse: the request with this identifier (or that of its previous send), and its TTL. */
static struct rtr_eng_probe *find_request(struct rtr_tracer *t, uint16_t ident, unsigned *ttl)
{
	struct rtr_engine *e = sp(t);
	unsigned top = e->next_ttl <= t->cfg.max_ttl ? e->next_ttl : t->cfg.max_ttl;
	for (unsigned h = t->cfg.first_ttl; h <= top; h++)
		for (unsigned i = 0; i < e->hop[h].nsent; i++) {
			const struct rtr_eng_probe *p = &e->hop[h].probe[i];
			/* An answer to an earlier send of a request sent again still counts. */
			if (p->ident == ident || (p->tries > 1 && p->prev_ident == ident)) {
				*ttl = h;
				return &e->hop[h].probe[i];
			}
		}
	return NULL;
}

int rtr_engine_init(struct rtr_engine *e, const struct rtr_engine_cfg *cfg)
{
	int rc = rtr_core_init(&e->t, cfg);
	if (rc)
		return rc;
	memset((char *)e + sizeof(e->t), 0, sizeof(*e) - sizeof(e->t));
	e->t.ops = &sp_ops;
	e->t.find = find_request;
	e->t.may_retry = may_retry;
	e->t.ends_at = path_ends_at;
	e->horizon = cfg->max_ttl;
	e->next_ttl = cfg->first_ttl;
	return RTR_OK;
}

static void expire(struct rtr_engine *e, uint64_t now)
{
	rtr_core_presence_expire(&e->t, now);
	for (unsigned t = e->t.cfg.first_ttl; t <= e->t.cfg.max_ttl && t <= e->next_ttl; t++)
		for (unsigned i = 0; i < e->hop[t].nsent; i++) {
			struct rtr_eng_probe *p = &e->hop[t].probe[i];
			rtr_core_expire(&e->t, p, now);
			/* Beyond the end of the path nothing is worth sending again. */
			if (p->status == RTR_PS_RETRY && t > e->horizon)
				p->status = RTR_PS_TIMEOUT;
		}
}

static void stop_at(struct rtr_engine *e, int reason, unsigned ttl)
{
	rtr_core_close(&e->t, reason, ttl);
	for (unsigned t = e->t.cfg.first_ttl; t <= e->t.cfg.max_ttl && t <= e->next_ttl; t++)
		for (unsigned i = 0; i < e->hop[t].nsent; i++)
			if (e->hop[t].probe[i].status == RTR_PS_RETRY)
				e->hop[t].probe[i].status = RTR_PS_TIMEOUT;
}

static int hop_verdict(const struct rtr_eng_hop *h)
{
	/* The strongest statement any probe of the hop makes wins. */
	static const uint8_t rank[] = {
		[RTR_HOP_OPEN] = 0,    [RTR_HOP_SILENT] = 1,  [RTR_HOP_TRANSIT] = 2,
		[RTR_HOP_REFUSED] = 3, [RTR_HOP_UNREACH] = 4, [RTR_HOP_DEST] = 5,
	};
	int v = RTR_HOP_SILENT;
	for (unsigned i = 0; i < h->nsent; i++) {
		const struct rtr_eng_probe *p = &h->probe[i];
		if (p->status == RTR_PS_ANSWERED && rank[p->verdict] > rank[v])
			v = p->verdict;
	}
	return v;
}

static bool hop_final(const struct rtr_engine *e, const struct rtr_eng_hop *h)
{
	if (h->nsent < e->t.cfg.probes)
		return false;
	for (unsigned i = 0; i < h->nsent; i++)
		if (h->probe[i].status == RTR_PS_SENT || h->probe[i].status == RTR_PS_RETRY)
			return false;
	return true;
}

/* The one address every answered probe of h reports, or NULL (none, or several). */
static const struct rtr_addr *sole_address(const struct rtr_eng_hop *h)
{
	const struct rtr_addr *a = NULL;
	for (unsigned i = 0; i < h->nsent; i++) {
		const struct rtr_eng_probe *p = &h->probe[i];
		if (p->status != RTR_PS_ANSWERED || p->verdict != RTR_HOP_TRANSIT)
			continue;
		if (a && !rtr_addr_eq(a, &p->from))
			return NULL;
		a = &p->from;
	}
	return a;
}

/*
 * Reverse only: a node that answers the server's probes at TTL t and again at
 * t + 1 answers them itself, so the path ends there. Behind a NAT that node is
 * the NAT's public side (the address the server saw), never our own address.
 * Returns 1 (ends at t), 0 (does not), -1 (hop t + 1 not decided yet).
 */
static int ends_by_repeat(const struct rtr_engine *e, unsigned t)
{
	if (e->t.cfg.direction != RTR_REVERSE || t >= e->t.cfg.max_ttl)
		return 0;
	const struct rtr_addr *here = sole_address(&e->hop[t]);
	if (!here)
		return 0;
	const struct rtr_eng_hop *next = &e->hop[t + 1];
	if (!hop_final(e, next))
		return -1;
	const struct rtr_addr *there = sole_address(next);
	return there && rtr_addr_eq(here, there);
}

/* Walks the hops in TTL order and stops the trace as soon as a decided prefix says so. */
static void evaluate(struct rtr_engine *e)
{
	unsigned gap = 0;
	for (unsigned t = e->t.cfg.first_ttl; t <= e->horizon; t++) {
		struct rtr_eng_hop *h = &e->hop[t];
		if (!hop_final(e, h))
			return;
		h->verdict = (uint8_t)hop_verdict(h);
		if (h->verdict == RTR_HOP_TRANSIT) {
			int r = ends_by_repeat(e, t);
			if (r < 0)
				return;
			if (r) {
				h->verdict = RTR_HOP_DEST;
				e->t.ended_elsewhere = true;
			}
		}
		/* Decided for good: a printer may show it now (streaming text). */
		if (t > e->settled)
			e->settled = (uint8_t)t;
		switch (h->verdict) {
		case RTR_HOP_DEST:
			stop_at(e, RTR_STOP_COMPLETED, t);
			return;
		case RTR_HOP_UNREACH:
			stop_at(e, RTR_STOP_UNREACHABLE, t);
			return;
		case RTR_HOP_REFUSED:
			stop_at(e, e->t.kernel_echo ? RTR_STOP_NO_SERVER : RTR_STOP_REFUSED, t);
			return;
		case RTR_HOP_SILENT:
			if (e->t.cfg.gap_limit && ++gap >= e->t.cfg.gap_limit) {
				stop_at(e, RTR_STOP_GAP_LIMIT, t);
				return;
			}
			break;
		default:
			gap = 0;
		}
		if (t == e->t.cfg.max_ttl) {
			stop_at(e, RTR_STOP_MAX_TTL, t);
			return;
		}
	}
}

static void sp_interrupt(struct rtr_tracer *t)
{
	struct rtr_engine *e = sp(t);
	if (t->stop != RTR_STOP_NONE)
		return;
	unsigned last = 0;
	for (unsigned h = t->cfg.first_ttl; h <= t->cfg.max_ttl; h++)
		if (e->hop[h].nsent)
			last = h;
	stop_at(e, RTR_STOP_INTERRUPTED, last);
}

/* Reverse: the lowest-TTL request whose backoff has passed, or NULL. */
static struct rtr_eng_probe *due_retry(struct rtr_engine *e, uint64_t now)
{
	for (unsigned t = e->t.cfg.first_ttl; t <= e->horizon && t <= e->next_ttl; t++)
		for (unsigned i = 0; i < e->hop[t].nsent; i++) {
			struct rtr_eng_probe *p = &e->hop[t].probe[i];
			if (p->status == RTR_PS_RETRY && p->retry_ns <= now)
				return p;
		}
	return NULL;
}

/* The next probe or request to send, or NULL when nothing may go out now. */
static struct rtr_eng_probe *next_to_send(struct rtr_engine *e, uint64_t now)
{
	if (e->t.inflight >= e->t.window)
		return NULL;
	struct rtr_eng_probe *p = due_retry(e, now);
	if (p)
		return p;
	if (e->next_ttl > e->horizon)
		return NULL;
	p = &e->hop[e->next_ttl].probe[e->next_idx];
	p->ttl = (uint8_t)e->next_ttl;
	/* Singlepath: one flow for every probe (the multipath engine picks one per probe). */
	p->flow = rtr_engine_flow(e);
	return p;
}

static void mark_sent(struct rtr_engine *e, struct rtr_eng_probe *p, uint64_t now)
{
	rtr_core_sent(&e->t, p, now);
	if (!e->t.first_req_ns)
		e->t.first_req_ns = now;
	if (p->tries++) {
		e->t.stats.retried++;
		return; /* a request sent again keeps its place */
	}
	e->hop[e->next_ttl].nsent++;
	if (++e->next_idx == e->t.cfg.probes) {
		e->next_idx = 0;
		e->next_ttl++;
	}
}

static uint64_t earliest_deadline(const struct rtr_engine *e, uint64_t now, uint64_t wake)
{
	wake = rtr_core_presence_deadline(&e->t, wake);
	for (unsigned t = e->t.cfg.first_ttl; t <= e->t.cfg.max_ttl && t <= e->next_ttl; t++)
		for (unsigned i = 0; i < e->hop[t].nsent; i++) {
			const struct rtr_eng_probe *p = &e->hop[t].probe[i];
			if (p->status == RTR_PS_SENT && p->sent_ns + e->t.cfg.wait_ns < wake)
				wake = p->sent_ns + e->t.cfg.wait_ns;
			/* A retry already due waits for a free slot: a deadline or an answer. */
			if (p->status == RTR_PS_RETRY && p->retry_ns > now && p->retry_ns < wake)
				wake = p->retry_ns;
		}
	return wake;
}

static int done(struct rtr_engine *e, uint64_t now)
{
	if (!e->t.end_ns)
		e->t.end_ns = now;
	return RTR_ENG_DONE;
}

static int sp_poll(struct rtr_tracer *t, uint64_t now, struct rtr_eng_tx *tx, uint64_t *wake_ns)
{
	struct rtr_engine *e = sp(t);
	if (!t->started) {
		t->started = true;
		t->start_ns = now;
	}
	if (!t->present) {
		int a = rtr_core_presence_poll(t, now, tx, wake_ns);
		return a == RTR_ENG_DONE ? done(e, now) : a;
	}
	expire(e, now);
	if (t->stop == RTR_STOP_NONE)
		evaluate(e);
	if (t->stop != RTR_STOP_NONE)
		return done(e, now);

	struct rtr_eng_probe *p = next_to_send(e, now);
	uint64_t wake = UINT64_MAX;
	if (p) {
		uint64_t slot = rtr_core_slot(
			t, now, t->cfg.interval_ns > t->pace_ns ? t->cfg.interval_ns : t->pace_ns);
		if (now >= slot) {
			if (rtr_core_build(t, p, tx) < 0) {
				/* Cannot happen with a checked cfg; never loop on it. */
				stop_at(e, RTR_STOP_INTERRUPTED, p->ttl);
				return RTR_ENG_DONE;
			}
			mark_sent(e, p, now);
			return RTR_ENG_SEND;
		}
		wake = slot;
	}
	*wake_ns = earliest_deadline(e, now, wake);
	return RTR_ENG_WAIT;
}

/* Forward: the probe an answer quotes, claimed and filled in. */
static bool fwd_receive(struct rtr_engine *e, uint64_t now, const uint8_t *pkt, size_t len)
{
	struct rtr_answer a;
	if (rtr_answer_decode(&a, pkt, len) != RTR_OK)
		return false;
	unsigned top = e->next_ttl <= e->t.cfg.max_ttl ? e->next_ttl : e->t.cfg.max_ttl;
	for (unsigned t = e->t.cfg.first_ttl; t <= top; t++) {
		struct rtr_eng_hop *h = &e->hop[t];
		for (unsigned i = 0; i < h->nsent; i++) {
			struct rtr_eng_probe *p = &h->probe[i];
			if (rtr_answer_match(&a, &p->sent) != RTR_OK)
				continue;
			if (rtr_core_claim(&e->t, p, now)) {
				rtr_core_fwd_record(p, &a);
				if (p->verdict != RTR_HOP_TRANSIT)
					path_ends_at(&e->t, t);
			}
			return true;
		}
	}
	return false;
}

static bool sp_receive(struct rtr_tracer *t, uint64_t now, const uint8_t *pkt, size_t len)
{
	t->stats.received++;
	bool hit = t->cfg.direction == RTR_FORWARD ? fwd_receive(sp(t), now, pkt, len)
						   : rtr_core_rev_receive(t, now, pkt, len);
	if (!hit)
		t->stats.ignored++;
	return hit;
}

static const struct rtr_tracer_ops sp_ops = {
	.poll = sp_poll,
	.receive = sp_receive,
	.interrupt = sp_interrupt,
	.free = NULL,
};
