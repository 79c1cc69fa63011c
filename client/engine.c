// SPDX-License-Identifier: BSD-2-Clause
/* engine.c: scheduling, timeouts, rate limit and stop decisions of a trace (no I/O). */
#include <string.h>

#include "engine.h"
#include "mda.h"
#include "err.h"
#include "request.h"
#include "rtr_wire.h"

const char *rtr_stop_name(int stop)
{
	switch (stop) {
	case RTR_STOP_NONE:
		return "running";
	case RTR_STOP_COMPLETED:
		return "completed";
	case RTR_STOP_GAP_LIMIT:
		return "gap-limit";
	case RTR_STOP_MAX_TTL:
		return "max-ttl";
	case RTR_STOP_UNREACHABLE:
		return "unreachable";
	case RTR_STOP_NO_SERVER:
		return "no-server";
	case RTR_STOP_REFUSED:
		return "refused";
	case RTR_STOP_INTERRUPTED:
		return "interrupted";
	case RTR_STOP_BUDGET:
		return "budget";
	case RTR_STOP_TIME_LIMIT:
		return "time-limit";
	}
	return "unknown";
}

static bool proto_ok(int family, uint8_t proto)
{
	if (proto == RTR_IPPROTO_UDP || proto == RTR_IPPROTO_TCP)
		return true;
	return (family == 4 && proto == RTR_IPPROTO_ICMP) ||
	       (family == 6 && proto == RTR_IPPROTO_ICMPV6);
}

int rtr_engine_init(struct rtr_engine *e, const struct rtr_engine_cfg *cfg)
{
	if (cfg->family != 4 && cfg->family != 6)
		return RTR_E_INVAL;
	if (cfg->direction != RTR_FORWARD && cfg->direction != RTR_REVERSE)
		return RTR_E_INVAL;
	if (!proto_ok(cfg->family, cfg->proto))
		return RTR_E_PROTO;
	if (rtr_addr_family(&cfg->src) != cfg->family || rtr_addr_family(&cfg->dst) != cfg->family)
		return RTR_E_INVAL;
	if (cfg->first_ttl < 1 || cfg->max_ttl < cfg->first_ttl)
		return RTR_E_INVAL;
	if (cfg->probes < 1 || cfg->probes > RTR_ENG_MAX_PROBES)
		return RTR_E_INVAL;
	if (cfg->parallel < 1 || cfg->wait_ns == 0 || !cfg->random)
		return RTR_E_INVAL;

	memset(e, 0, sizeof(*e));
	e->cfg = *cfg;
	e->horizon = cfg->max_ttl;
	e->window = cfg->parallel;
	e->next_ttl = cfg->first_ttl;
	/* A forward trace needs no server; a reverse one first proves there is one. */
	e->present = cfg->direction == RTR_FORWARD;
	return RTR_OK;
}

uint16_t rtr_engine_flow(const struct rtr_engine *e)
{
	return rtr_request_probe_flow(e->cfg.proto, e->cfg.flow);
}

/*
 * Time from then to now, never negative: a driver that converts kernel
 * timestamps between clocks may report an arrival a hair before the send.
 */
static uint64_t since(uint64_t now, uint64_t then)
{
	return now > then ? now - then : 0;
}

/*
 * Reverse, after the presence check (CLI-14): may this silent request be sent again? A server
 * that answered the presence check drops requests over its rate limit without a word, so silence
 * is not yet the path. The first silence gets one more send; later ones only once the server is
 * known to drop requests, so a router that never answers costs one extra wait, not several.
 */
static bool may_retry(const struct rtr_engine *e, const struct rtr_eng_probe *p)
{
	/* The MDA engine keeps its own requests (find_hook) and its own rules. */
	if (e->cfg.direction != RTR_REVERSE || p->ttl == 0 || e->find_hook || !e->present)
		return false;
	if (p->tries > e->cfg.retries || p->ttl > e->horizon)
		return false;
	return p->tries == 1 || e->limited;
}

/* Backoff before send k + 1 of a request: half a wait, doubled for every further send. */
static uint64_t backoff(const struct rtr_engine *e, const struct rtr_eng_probe *p)
{
	unsigned shift = p->tries > 1 ? p->tries - 1u : 0u;
	return (e->cfg.wait_ns / 2) << (shift < 8 ? shift : 8);
}

static void expire_one(struct rtr_engine *e, struct rtr_eng_probe *p, uint64_t now)
{
	if (p->status == RTR_PS_SENT && since(now, p->sent_ns) >= e->cfg.wait_ns) {
		e->inflight--;
		if (may_retry(e, p)) {
			p->status = RTR_PS_RETRY;
			p->retry_ns = now + backoff(e, p);
		} else {
			p->status = RTR_PS_TIMEOUT;
		}
	}
}

static void expire(struct rtr_engine *e, uint64_t now)
{
	for (unsigned i = 0; i < e->presence_sent; i++)
		expire_one(e, &e->presence[i], now);
	for (unsigned t = e->cfg.first_ttl; t <= e->cfg.max_ttl && t <= e->next_ttl; t++)
		for (unsigned i = 0; i < e->hop[t].nsent; i++) {
			struct rtr_eng_probe *p = &e->hop[t].probe[i];
			expire_one(e, p, now);
			/* Beyond the end of the path nothing is worth sending again. */
			if (p->status == RTR_PS_RETRY && t > e->horizon)
				p->status = RTR_PS_TIMEOUT;
		}
}

/*
 * A request that was sent again has been answered: the server dropped the earlier send (CLI-14).
 * Halve the number in flight and pace sends at half the rate the server has answered so far (at
 * least twice the previous pace), at most once per wait so one burst of losses is one cut.
 */
static void server_drops(struct rtr_engine *e, uint64_t now)
{
	e->limited = true;
	if (e->last_cut_ns && since(now, e->last_cut_ns) < e->cfg.wait_ns)
		return;
	e->last_cut_ns = now;
	e->window = e->window > 1 ? e->window / 2 : 1;
	e->window_acks = 0;
	uint64_t pace = 2 * since(now, e->first_req_ns) / (e->stats.matched ? e->stats.matched : 1);
	if (pace < 2 * e->pace_ns)
		pace = 2 * e->pace_ns;
	e->pace_ns = pace < e->cfg.wait_ns ? pace : e->cfg.wait_ns;
}

/* Every answer from a limiting server opens up again: one more in flight per window of answers,
 * and a pace 1/16 faster. */
static void server_answers(struct rtr_engine *e)
{
	if (!e->limited)
		return;
	e->pace_ns -= e->pace_ns / 16;
	if (++e->window_acks >= e->window) {
		e->window_acks = 0;
		if (e->window < e->cfg.parallel)
			e->window++;
	}
}

bool rtr_eng_claim(struct rtr_engine *e, struct rtr_eng_probe *p, uint64_t now)
{
	/* An answer arriving at the deadline is late even if poll has not run yet. */
	expire_one(e, p, now);
	/* Once the trace has ended, its result is fixed: answers to abandoned requests are late. */
	if (e->stop != RTR_STOP_NONE && p->status != RTR_PS_ANSWERED) {
		e->stats.late++;
		return false;
	}
	switch (p->status) {
	case RTR_PS_SENT:
		p->status = RTR_PS_ANSWERED;
		p->rtt_ns = since(now, p->sent_ns);
		e->inflight--;
		e->stats.matched++;
		if (p->tries > 1) {
			e->stats.recovered++;
			server_drops(e, now);
		} else if (p->ttl) {
			server_answers(e);
		}
		return true;
	case RTR_PS_RETRY:
		/* The earlier send was answered after all, only slowly: no new send needed. */
		p->status = RTR_PS_ANSWERED;
		p->rtt_ns = 0;
		e->stats.matched++;
		return true;
	case RTR_PS_ANSWERED:
		p->duplicates++;
		e->stats.duplicates++;
		return false;
	default:
		e->stats.late++;
		return false;
	}
}

void rtr_eng_path_ends_at(struct rtr_engine *e, unsigned ttl)
{
	if (ttl < e->horizon)
		e->horizon = (uint16_t)ttl;
}

static void stop_at(struct rtr_engine *e, int reason, unsigned ttl)
{
	e->stop = reason;
	e->last_ttl = (uint8_t)ttl;
	/* What is still in flight will never count (item 8 of issue 13: not "unanswered"). */
	e->stats.abandoned = e->inflight;
	for (unsigned t = e->cfg.first_ttl; t <= e->cfg.max_ttl && t <= e->next_ttl; t++)
		for (unsigned i = 0; i < e->hop[t].nsent; i++)
			if (e->hop[t].probe[i].status == RTR_PS_RETRY)
				e->hop[t].probe[i].status = RTR_PS_TIMEOUT;
}

/* Reverse, before any TTL: has the presence check decided against the server? */
static void evaluate_presence(struct rtr_engine *e)
{
	if (e->kernel_echo) {
		stop_at(e, RTR_STOP_NO_SERVER, 0);
		return;
	}
	for (unsigned i = 0; i < e->presence_sent; i++)
		if (e->presence[i].status == RTR_PS_ANSWERED &&
		    e->presence[i].verdict == RTR_HOP_UNREACH) {
			stop_at(e, RTR_STOP_UNREACHABLE, 0);
			return;
		}
	if (e->presence_sent < e->cfg.probes)
		return;
	for (unsigned i = 0; i < e->presence_sent; i++)
		if (e->presence[i].status == RTR_PS_SENT)
			return;
	stop_at(e, RTR_STOP_NO_SERVER, 0);
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
	if (h->nsent < e->cfg.probes)
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
	if (e->cfg.direction != RTR_REVERSE || t >= e->cfg.max_ttl)
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
	if (!e->present) {
		evaluate_presence(e);
		return;
	}
	unsigned gap = 0;
	for (unsigned t = e->cfg.first_ttl; t <= e->horizon; t++) {
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
				e->ended_elsewhere = true;
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
			stop_at(e, e->kernel_echo ? RTR_STOP_NO_SERVER : RTR_STOP_REFUSED, t);
			return;
		case RTR_HOP_SILENT:
			if (e->cfg.gap_limit && ++gap >= e->cfg.gap_limit) {
				stop_at(e, RTR_STOP_GAP_LIMIT, t);
				return;
			}
			break;
		default:
			gap = 0;
		}
		if (t == e->cfg.max_ttl) {
			stop_at(e, RTR_STOP_MAX_TTL, t);
			return;
		}
	}
}

/* Multipath: what the driver and the renderers read, copied from the MDA engine. */
static void sync_mda(struct rtr_engine *e)
{
	const struct rtr_mda *m = e->mda;
	e->stop = m->stop;
	e->last_ttl = m->last_ttl;
	e->start_ns = m->start_ns;
	e->end_ns = m->end_ns;
	e->started = m->started;
	e->stats = m->e.stats;
	e->present = m->e.present;
	e->kernel_echo = m->e.kernel_echo;
	e->ended_elsewhere = m->e.ended_elsewhere;
	e->presence_sent = m->e.presence_sent;
	memcpy(e->presence, m->e.presence, sizeof(e->presence));
}

void rtr_engine_interrupt(struct rtr_engine *e)
{
	if (e->mda) {
		rtr_mda_interrupt(e->mda);
		sync_mda(e);
		return;
	}
	if (e->stop != RTR_STOP_NONE)
		return;
	unsigned last = 0;
	for (unsigned t = e->cfg.first_ttl; t <= e->cfg.max_ttl; t++)
		if (e->hop[t].nsent)
			last = t;
	stop_at(e, RTR_STOP_INTERRUPTED, last);
}

/* Reverse: the lowest-TTL request whose backoff has passed, or NULL. */
static struct rtr_eng_probe *due_retry(struct rtr_engine *e, uint64_t now)
{
	for (unsigned t = e->cfg.first_ttl; t <= e->horizon && t <= e->next_ttl; t++)
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
	if (!e->present) {
		/* One presence request at a time: the first answer decides. */
		if (e->presence_sent && e->presence[e->presence_sent - 1].status == RTR_PS_SENT)
			return NULL;
		if (e->presence_sent >= e->cfg.probes)
			return NULL;
		struct rtr_eng_probe *p = &e->presence[e->presence_sent];
		p->ttl = 0;
		p->flow = rtr_engine_flow(e);
		return p;
	}
	if (e->inflight >= e->window)
		return NULL;
	struct rtr_eng_probe *p = due_retry(e, now);
	if (p)
		return p;
	if (e->next_ttl > e->horizon)
		return NULL;
	p = &e->hop[e->next_ttl].probe[e->next_idx];
	p->ttl = (uint8_t)e->next_ttl;
	/* Singlepath: one flow for every probe. A multipath scheduler picks it per probe here. */
	p->flow = rtr_engine_flow(e);
	return p;
}

static void mark_sent(struct rtr_engine *e, struct rtr_eng_probe *p, uint64_t now)
{
	p->status = RTR_PS_SENT;
	p->sent_ns = now;
	e->inflight++;
	e->sent_any = true;
	e->last_send_ns = now;
	e->stats.sent++;
	if (!e->present) {
		e->presence_sent++;
		return;
	}
	if (!e->first_req_ns)
		e->first_req_ns = now;
	if (p->tries++) {
		e->stats.retried++;
		return; /* a request sent again keeps its place */
	}
	e->hop[e->next_ttl].nsent++;
	if (++e->next_idx == e->cfg.probes) {
		e->next_idx = 0;
		e->next_ttl++;
	}
}

static uint64_t earliest_deadline(const struct rtr_engine *e, uint64_t now, uint64_t wake)
{
	for (unsigned i = 0; i < e->presence_sent; i++)
		if (e->presence[i].status == RTR_PS_SENT &&
		    e->presence[i].sent_ns + e->cfg.wait_ns < wake)
			wake = e->presence[i].sent_ns + e->cfg.wait_ns;
	for (unsigned t = e->cfg.first_ttl; t <= e->cfg.max_ttl && t <= e->next_ttl; t++)
		for (unsigned i = 0; i < e->hop[t].nsent; i++) {
			const struct rtr_eng_probe *p = &e->hop[t].probe[i];
			if (p->status == RTR_PS_SENT && p->sent_ns + e->cfg.wait_ns < wake)
				wake = p->sent_ns + e->cfg.wait_ns;
			/* A retry already due waits for a free slot: a deadline or an answer. */
			if (p->status == RTR_PS_RETRY && p->retry_ns > now && p->retry_ns < wake)
				wake = p->retry_ns;
		}
	return wake;
}

int rtr_engine_poll(struct rtr_engine *e, uint64_t now, struct rtr_eng_tx *tx, uint64_t *wake_ns)
{
	if (e->mda) {
		e->mda->e.not_before_ns = e->not_before_ns;
		int a = rtr_mda_poll(e->mda, now, tx, wake_ns);
		sync_mda(e);
		return a;
	}
	if (!e->started) {
		e->started = true;
		e->start_ns = now;
	}
	expire(e, now);
	if (e->stop == RTR_STOP_NONE)
		evaluate(e);
	if (e->stop != RTR_STOP_NONE) {
		if (!e->end_ns)
			e->end_ns = now;
		return RTR_ENG_DONE;
	}

	struct rtr_eng_probe *p = next_to_send(e, now);
	uint64_t wake = UINT64_MAX;
	if (p) {
		uint64_t gap = e->cfg.interval_ns > e->pace_ns ? e->cfg.interval_ns : e->pace_ns;
		uint64_t slot = e->sent_any ? e->last_send_ns + gap : now;
		/* A campaign driver's hold on top (not_before_ns). */
		if (slot < e->not_before_ns)
			slot = e->not_before_ns;
		if (now >= slot) {
			bool fwd = e->cfg.direction == RTR_FORWARD;
			memset(tx, 0, sizeof(*tx));
			int rc = fwd ? rtr_eng_fwd_build(e, p, tx) : rtr_eng_rev_build(e, p, tx);
			if (rc < 0) {
				/* Cannot happen with a checked cfg; never loop on it. */
				stop_at(e, RTR_STOP_INTERRUPTED, p->ttl);
				return RTR_ENG_DONE;
			}
			tx->len = (size_t)rc;
			tx->family = e->cfg.family;
			tx->dst = e->cfg.dst;
			tx->ttl = p->ttl;
			mark_sent(e, p, now);
			return RTR_ENG_SEND;
		}
		wake = slot;
	}
	*wake_ns = earliest_deadline(e, now, wake);
	return RTR_ENG_WAIT;
}

bool rtr_engine_receive(struct rtr_engine *e, uint64_t now, const uint8_t *pkt, size_t len)
{
	if (e->mda) {
		bool hit = rtr_mda_receive(e->mda, now, pkt, len);
		sync_mda(e);
		return hit;
	}
	e->stats.received++;
	bool fwd = e->cfg.direction == RTR_FORWARD;
	bool hit =
		fwd ? rtr_eng_fwd_receive(e, now, pkt, len) : rtr_eng_rev_receive(e, now, pkt, len);
	if (!hit)
		e->stats.ignored++;
	return hit;
}
