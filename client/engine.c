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

static void expire_one(struct rtr_engine *e, struct rtr_eng_probe *p, uint64_t now)
{
	if (p->status == RTR_PS_SENT && since(now, p->sent_ns) >= e->cfg.wait_ns) {
		p->status = RTR_PS_TIMEOUT;
		e->inflight--;
	}
}

static void expire(struct rtr_engine *e, uint64_t now)
{
	for (unsigned i = 0; i < e->presence_sent; i++)
		expire_one(e, &e->presence[i], now);
	for (unsigned t = e->cfg.first_ttl; t <= e->cfg.max_ttl && t <= e->next_ttl; t++)
		for (unsigned i = 0; i < e->hop[t].nsent; i++)
			expire_one(e, &e->hop[t].probe[i], now);
}

bool rtr_eng_claim(struct rtr_engine *e, struct rtr_eng_probe *p, uint64_t now)
{
	/* An answer arriving at the deadline is late even if poll has not run yet. */
	expire_one(e, p, now);
	switch (p->status) {
	case RTR_PS_SENT:
		p->status = RTR_PS_ANSWERED;
		p->rtt_ns = since(now, p->sent_ns);
		e->inflight--;
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
}

/* Reverse, before any TTL: has the presence check decided against the server? */
static void evaluate_presence(struct rtr_engine *e)
{
	if (e->kernel_echo) {
		stop_at(e, RTR_STOP_NO_SERVER, 0);
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
		if (h->probe[i].status == RTR_PS_SENT)
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

/* The next probe or request to send, or NULL when nothing may go out now. */
static struct rtr_eng_probe *next_to_send(struct rtr_engine *e)
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
	if (e->next_ttl > e->horizon || e->inflight >= e->cfg.parallel)
		return NULL;
	struct rtr_eng_probe *p = &e->hop[e->next_ttl].probe[e->next_idx];
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
	e->hop[e->next_ttl].nsent++;
	if (++e->next_idx == e->cfg.probes) {
		e->next_idx = 0;
		e->next_ttl++;
	}
}

static uint64_t earliest_deadline(const struct rtr_engine *e, uint64_t wake)
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
		}
	return wake;
}

int rtr_engine_poll(struct rtr_engine *e, uint64_t now, struct rtr_eng_tx *tx, uint64_t *wake_ns)
{
	if (e->mda) {
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

	struct rtr_eng_probe *p = next_to_send(e);
	uint64_t wake = UINT64_MAX;
	if (p) {
		uint64_t slot = e->sent_any ? e->last_send_ns + e->cfg.interval_ns : now;
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
	*wake_ns = earliest_deadline(e, wake);
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
