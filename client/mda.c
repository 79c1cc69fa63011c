// SPDX-License-Identifier: BSD-2-Clause
/* mda.c: MDA-Lite multipath scheduling, matching and stopping over tracer_core.h. */
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "err.h"
#include "mda.h"

static const struct rtr_tracer_ops mda_ops;

const struct rtr_mda *rtr_mda_of(const struct rtr_tracer *t)
{
	return t && t->ops == &mda_ops ? (const struct rtr_mda *)t : NULL;
}

#define LOOKAHEAD 4 /* TTLs probed beyond the highest that answered */
#define PHI 2	    /* flows followed from every node in the meshing test */

uint16_t rtr_mda_flow_value(const struct rtr_mda *m, unsigned i)
{
	/* Flow values run from the default upwards, skipping 0 (which means "default" on the wire).
	 */
	unsigned base = rtr_core_flow(&m->t);
	return (uint16_t)(1 + (base - 1 + i) % 65535);
}

static int flow_index(const struct rtr_mda *m, uint16_t value)
{
	if (value == 0)
		return -1;
	unsigned base = rtr_core_flow(&m->t);
	unsigned i = ((unsigned)value + 65535 - base) % 65535;
	return i < m->nflows ? (int)i : -1;
}

static inline uint16_t *slot(const struct rtr_mda *m, unsigned ttl, unsigned fi)
{
	return &m->fmap[(size_t)ttl * RTR_MDA_MAX_FLOWS + fi];
}

const struct rtr_eng_probe *rtr_mda_probe_at(const struct rtr_mda *m, unsigned ttl, unsigned fi)
{
	if (ttl > m->cfg.base.max_ttl || fi >= m->nflows || !*slot(m, ttl, fi))
		return NULL;
	return &m->probe[*slot(m, ttl, fi) - 1];
}

/* Reverse: the engine's response matcher finds our requests through this. */
static struct rtr_eng_probe *find_ident(struct rtr_tracer *t, uint16_t ident, unsigned *ttl)
{
	struct rtr_mda *m = (struct rtr_mda *)t;
	for (uint32_t i = 0; i < m->nprobes; i++)
		if (m->probe[i].status != RTR_PS_UNSENT && m->probe[i].ident == ident) {
			*ttl = m->probe[i].ttl;
			m->found = (int32_t)i;
			m->found_was_sent = m->probe[i].status == RTR_PS_SENT;
			return &m->probe[i];
		}
	return NULL;
}

static void mda_free(struct rtr_tracer *t);

int rtr_mda_init(struct rtr_mda *m, const struct rtr_mda_cfg *cfg)
{
	memset(m, 0, sizeof(*m));
	if (!(cfg->alpha > 0 && cfg->alpha < 1) || cfg->max_probes < 1 || cfg->max_probes > 65535)
		return RTR_E_INVAL;
	int rc = rtr_core_init(&m->t, &cfg->base);
	if (rc)
		return rc;
	m->t.ops = &mda_ops;
	m->cfg = *cfg;
	rtr_mda_table_init(&m->tab, cfg->alpha);
	/* Requests are never sent again here (no may_retry), and the planner decides where a path
	 * ends (no ends_at). */
	m->t.find = find_ident;
	size_t nt = (size_t)cfg->base.max_ttl + 1;
	m->probe = calloc(cfg->max_probes, sizeof(*m->probe));
	m->pnode = calloc(cfg->max_probes, sizeof(*m->pnode));
	m->pflow = calloc(cfg->max_probes, sizeof(*m->pflow));
	m->fmap = calloc(nt * RTR_MDA_MAX_FLOWS, sizeof(*m->fmap));
	m->hop = calloc(nt, sizeof(*m->hop));
	if (!m->probe || !m->pnode || !m->pflow || !m->fmap || !m->hop) {
		mda_free(&m->t);
		return RTR_E_NOSPACE;
	}
	return RTR_OK;
}

static void mda_free(struct rtr_tracer *t)
{
	struct rtr_mda *m = (struct rtr_mda *)t;
	free(m->probe);
	free(m->pnode);
	free(m->pflow);
	free(m->fmap);
	free(m->hop);
	m->probe = NULL;
	m->pnode = NULL;
	m->pflow = NULL;
	m->fmap = NULL;
	m->hop = NULL;
}

/* A probe reached a final state: account it at its hop. */
static void settle(struct rtr_mda *m, uint32_t idx)
{
	struct rtr_eng_probe *p = &m->probe[idx];
	struct rtr_mda_hop *h = &m->hop[p->ttl];
	h->pending--;
	m->pnode[idx] = -1;
	if (p->status != RTR_PS_ANSWERED)
		return;
	h->answered++;
	if (p->verdict == RTR_HOP_TRANSIT && p->ttl > m->top_transit)
		m->top_transit = p->ttl;
	if (p->verdict != RTR_HOP_TRANSIT && (!m->dest_min || p->ttl < m->dest_min))
		m->dest_min = p->ttl;
	if (p->verdict == RTR_HOP_REFUSED) {
		/* No interface: a refusal (or a kernel echo) names no hop. */
		h->refused++;
		return;
	}
	unsigned n;
	for (n = 0; n < h->nnodes; n++)
		if (rtr_addr_eq(&h->node[n].addr, &p->from))
			break;
	if (n == h->nnodes) {
		if (n == RTR_MDA_MAX_NODES)
			return; /* wider than we keep: the answer still counts for the hop */
		h->nnodes++;
		h->node[n].addr = p->from;
		h->node[n].verdict = p->verdict;
	}
	h->node[n].flows++;
	/* The strongest statement wins, as for singlepath hops. */
	if (p->verdict == RTR_HOP_DEST || h->node[n].verdict == RTR_HOP_TRANSIT)
		h->node[n].verdict = p->verdict;
	m->pnode[idx] = (int16_t)n;
}

static void expire(struct rtr_mda *m, uint64_t now)
{
	rtr_core_presence_expire(&m->t, now);
	for (uint32_t i = 0; i < m->nprobes; i++)
		if (rtr_core_expire(&m->t, &m->probe[i], now))
			settle(m, i);
}

/* The node index of flow fi at ttl: -1 unknown (not probed, pending or silent). */
static int node_of(const struct rtr_mda *m, unsigned ttl, unsigned fi)
{
	uint16_t s = *slot(m, ttl, fi);
	return s ? m->pnode[s - 1] : -1;
}

/* Flow fi at ttl answered from a node, or is still on its way: either way, nothing to resend. */
static bool live_at(const struct rtr_mda *m, unsigned ttl, unsigned fi)
{
	uint16_t s = *slot(m, ttl, fi);
	return s && (m->pnode[s - 1] >= 0 || m->probe[s - 1].status == RTR_PS_SENT);
}

/* The FIB named one nexthop for our route: at TTL 1 one router answers for every flow. */
static bool fib_single(const struct rtr_mda *m, unsigned t)
{
	const struct rtr_engine_cfg *c = &m->cfg.base;
	return m->cfg.first_hop_nexthops == 1 && t == 1 && c->first_ttl == 1 &&
	       c->direction == RTR_FORWARD && m->hop[t].nnodes <= 1;
}

struct want {
	unsigned ttl, fi; /* fi == nflows: a new flow */
	bool any;
};

static bool want(struct want *w, unsigned ttl, unsigned fi)
{
	w->ttl = ttl;
	w->fi = fi;
	w->any = true;
	return true;
}

/*
 * The flow to probe at t for hop-level coverage: one seen at t-1 first (its link comes free), and
 * among those one through a node at t-1 that no flow has been followed from yet (every such node
 * needs one anyway, so the hop's n_k probes also cover that).
 */
static unsigned pick_flow(const struct rtr_mda *m, unsigned t)
{
	unsigned seen = m->nflows, fallback = m->nflows;
	if (t <= m->cfg.base.first_ttl)
		return m->nflows;
	uint64_t followed = 0;
	for (unsigned fi = 0; fi < m->nflows; fi++) {
		int u = node_of(m, t - 1, fi);
		if (u >= 0 && u < 64 && live_at(m, t, fi))
			followed |= 1ull << u;
	}
	for (unsigned fi = 0; fi < m->nflows; fi++) {
		if (*slot(m, t, fi))
			continue;
		int u = node_of(m, t - 1, fi);
		if (u >= 0 && (u >= 64 || !(followed >> u & 1)))
			return fi;
		if (u >= 0 && seen == m->nflows)
			seen = fi;
		if (fallback == m->nflows && *slot(m, t - 1, fi))
			fallback = fi;
	}
	return seen < m->nflows ? seen : fallback;
}

/* Is any flow that answered through node u at t-1 still unprobed at t? Returns it or -1. */
static int flow_via(const struct rtr_mda *m, unsigned t, int u)
{
	for (unsigned fi = 0; fi < m->nflows; fi++)
		if (!*slot(m, t, fi) && node_of(m, t - 1, fi) == u)
			return (int)fi;
	return -1;
}

/*
 * What hop t still needs, as one probe in w. Returns true when t is settled
 * (nothing wanted, nothing pending that could change that).
 */
static bool hop_needs(struct rtr_mda *m, unsigned t, struct want *w)
{
	struct rtr_mda_hop *h = &m->hop[t];
	const struct rtr_mda_hop *prev = t > m->cfg.base.first_ttl ? &m->hop[t - 1] : NULL;
	unsigned k = h->nnodes ? h->nnodes : 1;
	unsigned need = rtr_mda_n(&m->tab, k);
	unsigned have = h->answered + h->pending;
	if (fib_single(m, t)) {
		/* One answer names the one router. Unanswered probes are retried as long as a
		 * silent hop's would be (n_1), one at a time. A second address there would end
		 * fib_single and bring the normal rule back. */
		if (h->answered == 0 && h->pending == 0 && h->sent < need)
			return want(w, t, pick_flow(m, t)), false;
		return h->pending == 0;
	}
	/* Lost probes are replaced, up to twice the need: loss must not make a hop endless. */
	if (have < need && h->sent < 2 * need && !(h->answered == 0 && h->sent >= need)) {
		unsigned fi = pick_flow(m, t);
		/*
		 * No flow of t-1 left: after a branch, a flow new at t would need a probe
		 * at t-1 anyway for its link, and full MDA (should t need it) counts only
		 * flows whose node at t-1 is known. So new flows start at t-1, as many at
		 * once as t still lacks, and are followed to t when they answer.
		 */
		if (fi == m->nflows && prev && prev->nnodes >= 2) {
			if (prev->pending < need - have && m->hop[t - 1].sent < 64 * need)
				return want(w, t - 1, fi), false;
			return false;
		}
		return want(w, t, fi), false;
	}
	if (!prev || prev->nnodes == 0)
		return h->pending == 0;

	/* Links: every interface at t needs one of its flows answered at t-1 (after a FIB-single
	 * first hop, every flow came through its one node). */
	for (unsigned n = 0; n < h->nnodes && !fib_single(m, t - 1); n++) {
		bool linked = false;
		int cand = -1;
		for (unsigned fi = 0; fi < m->nflows && !linked; fi++) {
			if (node_of(m, t, fi) != (int)n)
				continue;
			if (node_of(m, t - 1, fi) >= 0 ||
			    (*slot(m, t - 1, fi) &&
			     m->probe[*slot(m, t - 1, fi) - 1].status == RTR_PS_SENT))
				linked = true;
			else if (!*slot(m, t - 1, fi) && cand < 0)
				cand = (int)fi;
		}
		if (!linked && cand >= 0)
			return want(w, t - 1, (unsigned)cand), false;
	}

	/*
	 * Every node at t-1 needs one of its flows followed to t, or its links are
	 * unknown. A flow still on its way counts: one at a time per node.
	 */
	for (unsigned u = 0; u < prev->nnodes; u++) {
		bool followed = false;
		for (unsigned fi = 0; fi < m->nflows && !followed; fi++)
			followed = node_of(m, t - 1, fi) == (int)u && live_at(m, t, fi);
		int fi = followed ? -1 : flow_via(m, t, (int)u);
		if (fi >= 0)
			return want(w, t, (unsigned)fi), false;
	}

	/*
	 * Uniformity and meshing tests decide whether t needs full MDA. Uneven:
	 * some node at t-1 drew under half its fair share of flows. Meshed: with
	 * PHI flows followed from every node at t-1, some node there reaches two
	 * nodes at t and some node at t is reached from two (MDA-Lite's test).
	 */
	/* The tests judge t-1's spread of flows: only once t-1 has all its flows back. */
	if (prev->nnodes >= 2 && prev->pending)
		return false;
	if (prev->nnodes >= 2) {
		unsigned total = 0, least = UINT32_MAX;
		for (unsigned u = 0; u < prev->nnodes; u++) {
			total += prev->node[u].flows;
			if (prev->node[u].flows < least)
				least = prev->node[u].flows;
		}
		h->nonuniform = 2 * least * prev->nnodes < total;
		/* The same test on t itself: hop-level stopping assumes t's nodes share flows
		 * evenly. */
		unsigned here = 0, few = UINT32_MAX;
		for (unsigned v = 0; v < h->nnodes; v++) {
			here += h->node[v].flows;
			if (h->node[v].flows < few)
				few = h->node[v].flows;
		}
		if (h->nnodes >= 2 && 2 * few * h->nnodes < here)
			h->nonuniform = true;
		if (h->nnodes >= 2 && !h->nonuniform && !h->meshed) {
			uint64_t pred[RTR_MDA_MAX_NODES] = {0};
			bool split = false, join = false;
			for (unsigned u = 0; u < prev->nnodes; u++) {
				unsigned via = 0;
				uint64_t succ = 0;
				for (unsigned fi = 0; fi < m->nflows; fi++) {
					if (node_of(m, t - 1, fi) != (int)u || !*slot(m, t, fi))
						continue;
					via++;
					int v = node_of(m, t, fi);
					if (v >= 0 && u < 64) {
						succ |= 1ull << v % 64;
						pred[v] |= 1ull << u;
					}
				}
				split |= __builtin_popcountll(succ) >= 2;
				if (via >= PHI)
					continue;
				int fi = flow_via(m, t, (int)u);
				if (fi >= 0)
					return want(w, t, (unsigned)fi), false;
				if (prev->pending < prev->nnodes && m->hop[t - 1].sent < 64 * need)
					return want(w, t - 1, m->nflows), false;
			}
			for (unsigned v = 0; v < h->nnodes; v++)
				join |= __builtin_popcountll(pred[v]) >= 2;
			h->meshed = split && join;
			/*
			 * A node at t-1 that splits after a branch: hop-level
			 * stopping would see its successors only through its share
			 * of the flows, so its successor set gets full MDA.
			 */
			h->split = split;
		}
		h->full = h->nonuniform || h->meshed || h->split;
	}
	if (h->full) {
		for (unsigned u = 0; u < prev->nnodes; u++) {
			unsigned via = 0, succ = 0;
			uint64_t seen = 0;
			for (unsigned fi = 0; fi < m->nflows; fi++) {
				if (node_of(m, t - 1, fi) != (int)u || !*slot(m, t, fi))
					continue;
				via++;
				int v = node_of(m, t, fi);
				if (v >= 0 && v < 64 && !(seen >> v & 1)) {
					seen |= 1ull << v;
					succ++;
				}
			}
			if (via >= rtr_mda_n(&m->tab, succ ? succ : 1))
				continue;
			int fi = flow_via(m, t, (int)u);
			if (fi >= 0)
				return want(w, t, (unsigned)fi), false;
			/* No flow through u left: draw new ones at t-1 until one lands on u. */
			if (prev->pending < prev->nnodes && m->hop[t - 1].sent < 64 * need)
				return want(w, t - 1, m->nflows), false;
		}
	}
	return h->pending == 0 && prev->pending == 0;
}

/* The planner's stop: answers still in flight keep being recorded (rtr_tracer.closed). */
static void stop_at(struct rtr_mda *m, int reason, unsigned ttl)
{
	m->t.stop = reason;
	m->t.last_ttl = (uint8_t)ttl;
}

static unsigned highest_sent(const struct rtr_mda *m)
{
	unsigned top = 0;
	for (unsigned t = m->cfg.base.first_ttl; t <= m->cfg.base.max_ttl; t++)
		if (m->hop[t].sent)
			top = t;
	return top;
}

/*
 * Walks the hops in TTL order: decides which are settled, stops the trace when
 * a settled prefix says so, and returns the first probe wanted (w->any).
 */
static void plan(struct rtr_mda *m, struct want *w)
{
	const struct rtr_engine_cfg *c = &m->cfg.base;
	unsigned gap = 0;
	/* Probe ahead of what answered, but never past where every flow could have arrived. */
	unsigned base = m->top_transit > c->first_ttl - 1u ? m->top_transit : c->first_ttl - 1u;
	unsigned ahead =
		c->gap_limit ? (c->gap_limit > LOOKAHEAD ? c->gap_limit : LOOKAHEAD) : c->max_ttl;
	unsigned limit = base + ahead;
	if (m->dest_min && limit > m->dest_min && limit > m->top_transit + 1u)
		limit = m->dest_min > m->top_transit + 1u ? m->dest_min : m->top_transit + 1u;
	bool prefix = true;
	w->any = false;
	for (unsigned t = c->first_ttl; t <= c->max_ttl && t <= limit; t++) {
		struct rtr_mda_hop *h = &m->hop[t];
		struct want here = {0};
		bool settled = hop_needs(m, t, &here);
		if (here.any && !w->any)
			*w = here;
		if (!prefix || !settled)
			prefix = false;
		if (!prefix)
			continue;
		h->done = true;
		unsigned dest = 0, transit = 0, unreach = 0;
		for (unsigned n = 0; n < h->nnodes; n++) {
			switch (h->node[n].verdict) {
			case RTR_HOP_DEST:
				dest++;
				break;
			case RTR_HOP_UNREACH:
				unreach++;
				break;
			default:
				transit++;
			}
		}
		if ((h->nnodes || h->refused) && !transit) {
			/* Every flow has arrived (or been turned away): the path ends here. */
			int why = dest		     ? RTR_STOP_COMPLETED
				  : unreach	     ? RTR_STOP_UNREACHABLE
				  : m->t.kernel_echo ? RTR_STOP_NO_SERVER
						     : RTR_STOP_REFUSED;
			stop_at(m, why, t);
			return;
		}
		/*
		 * Reverse: one and the same single address at two consecutive TTLs
		 * ends the path at the first of them (our NAT's public side), as for
		 * singlepath traces (CLI-4); without this the trace ran to max-ttl.
		 */
		const struct rtr_mda_hop *before = t > c->first_ttl ? &m->hop[t - 1] : NULL;
		if (c->direction == RTR_REVERSE && before && before->nnodes == 1 &&
		    h->nnodes == 1 && rtr_addr_eq(&before->node[0].addr, &h->node[0].addr)) {
			m->hop[t - 1].node[0].verdict = RTR_HOP_DEST;
			m->t.ended_elsewhere = true;
			stop_at(m, RTR_STOP_COMPLETED, t - 1);
			return;
		}
		gap = h->nnodes ? 0 : gap + 1;
		if (c->gap_limit && gap >= c->gap_limit) {
			stop_at(m, RTR_STOP_GAP_LIMIT, t);
			return;
		}
		if (t == c->max_ttl) {
			stop_at(m, RTR_STOP_MAX_TTL, t);
			return;
		}
	}
}

static void mda_interrupt(struct rtr_tracer *t)
{
	struct rtr_mda *m = (struct rtr_mda *)t;
	if (m->t.stop == RTR_STOP_NONE)
		stop_at(m, RTR_STOP_INTERRUPTED, highest_sent(m));
}

static uint64_t earliest_deadline(const struct rtr_mda *m, uint64_t wake)
{
	const struct rtr_tracer *e = &m->t;
	wake = rtr_core_presence_deadline(e, wake);
	for (uint32_t i = 0; i < m->nprobes; i++) {
		const struct rtr_eng_probe *p = &m->probe[i];
		if (p->status == RTR_PS_SENT && p->sent_ns + e->cfg.wait_ns < wake)
			wake = p->sent_ns + e->cfg.wait_ns;
	}
	return wake;
}

static int finish(struct rtr_mda *m, uint64_t now)
{
	if (!m->t.end_ns)
		m->t.end_ns = now;
	return RTR_ENG_DONE;
}

static int mda_poll(struct rtr_tracer *e, uint64_t now, struct rtr_eng_tx *tx, uint64_t *wake_ns)
{
	struct rtr_mda *m = (struct rtr_mda *)e;
	if (!e->started) {
		e->started = true;
		e->start_ns = now;
	}
	if (e->stop != RTR_STOP_NONE)
		return finish(m, now);
	/* Reverse: the shared presence check proves a server first. */
	if (!e->present) {
		/* The limit first: a request the core builds is counted as sent, so it must
		 * reach the driver. */
		if (m->cfg.time_limit_ns &&
		    rtr_core_since(now, e->start_ns) >= m->cfg.time_limit_ns) {
			stop_at(m, RTR_STOP_TIME_LIMIT, 0);
			return finish(m, now);
		}
		int a = rtr_core_presence_poll(e, now, tx, wake_ns);
		if (a == RTR_ENG_DONE)
			return finish(m, now);
		if (a == RTR_ENG_WAIT && m->cfg.time_limit_ns &&
		    *wake_ns > e->start_ns + m->cfg.time_limit_ns)
			*wake_ns = e->start_ns + m->cfg.time_limit_ns;
		return a;
	}
	expire(m, now);
	struct want w = {0};
	plan(m, &w);
	if (e->stop != RTR_STOP_NONE)
		return finish(m, now);
	if (m->cfg.time_limit_ns && rtr_core_since(now, e->start_ns) >= m->cfg.time_limit_ns) {
		stop_at(m, RTR_STOP_TIME_LIMIT, highest_sent(m));
		return finish(m, now);
	}
	bool budget = m->nprobes >= m->cfg.max_probes;
	if (budget && e->inflight == 0) {
		stop_at(m, RTR_STOP_BUDGET, highest_sent(m));
		return finish(m, now);
	}
	if (!w.any && e->inflight == 0) {
		/* Nothing wanted and nothing can change that: the window cannot move. */
		stop_at(m, RTR_STOP_MAX_TTL, highest_sent(m));
		return finish(m, now);
	}
	/* Every flow in use and a new one wanted: no probe can ever go out, so the budget is spent.
	 */
	bool flows_left = w.fi < m->nflows || m->nflows < RTR_MDA_MAX_FLOWS;
	if (w.any && !flows_left && e->inflight == 0) {
		stop_at(m, RTR_STOP_BUDGET, highest_sent(m));
		return finish(m, now);
	}
	uint64_t wake = UINT64_MAX;
	if (w.any && !budget && e->inflight < e->cfg.parallel && flows_left) {
		uint64_t slotns = rtr_core_slot(e, now, e->cfg.interval_ns);
		if (now >= slotns) {
			if (w.fi == m->nflows)
				m->nflows++;
			uint32_t idx = m->nprobes;
			struct rtr_eng_probe *p = &m->probe[idx];
			p->ttl = (uint8_t)w.ttl;
			p->flow = rtr_mda_flow_value(m, w.fi);
			if (rtr_core_build(e, p, tx) < 0) {
				stop_at(m, RTR_STOP_INTERRUPTED, w.ttl);
				return finish(m, now);
			}
			rtr_core_sent(e, p, now);
			m->pnode[idx] = -1;
			m->pflow[idx] = (uint16_t)w.fi;
			*slot(m, w.ttl, w.fi) = (uint16_t)(idx + 1);
			m->nprobes++;
			m->hop[w.ttl].sent++;
			m->hop[w.ttl].pending++;
			return RTR_ENG_SEND;
		}
		wake = slotns;
	}
	wake = earliest_deadline(m, wake);
	if (m->cfg.time_limit_ns && e->start_ns + m->cfg.time_limit_ns < wake)
		wake = e->start_ns + m->cfg.time_limit_ns;
	*wake_ns = wake;
	return RTR_ENG_WAIT;
}

static bool fwd_receive(struct rtr_mda *m, uint64_t now, const uint8_t *pkt, size_t len)
{
	struct rtr_answer a;
	if (rtr_answer_decode(&a, pkt, len) != RTR_OK)
		return false;
	int fi = flow_index(m, a.probe.flow);
	for (uint32_t i = 0; i < m->nprobes; i++) {
		/* The quoted flow narrows the search to one probe per TTL; Echo Replies carry none.
		 */
		uint32_t idx = i;
		if (fi >= 0) {
			if (i > m->cfg.base.max_ttl)
				break;
			if (!*slot(m, i, (unsigned)fi))
				continue;
			idx = *slot(m, i, (unsigned)fi) - 1u;
		}
		struct rtr_eng_probe *p = &m->probe[idx];
		if (p->status == RTR_PS_UNSENT || rtr_answer_match(&a, &p->sent) != RTR_OK)
			continue;
		bool was_sent = p->status == RTR_PS_SENT;
		if (rtr_core_claim(&m->t, p, now)) {
			rtr_core_fwd_record(p, &a);
			settle(m, idx);
		} else if (was_sent) {
			settle(m, idx); /* claimed as late: it timed out just now */
		}
		return true;
	}
	return false;
}

static bool rev_receive(struct rtr_mda *m, uint64_t now, const uint8_t *pkt, size_t len)
{
	/* find_ident notes which request the core's matcher looked up. */
	m->found = -1;
	bool hit = rtr_core_rev_receive(&m->t, now, pkt, len);
	if (hit && m->found >= 0 && m->found_was_sent && m->probe[m->found].status != RTR_PS_SENT)
		settle(m, (uint32_t)m->found);
	return hit;
}

static bool mda_receive(struct rtr_tracer *e, uint64_t now, const uint8_t *pkt, size_t len)
{
	struct rtr_mda *m = (struct rtr_mda *)e;
	e->stats.received++;
	bool hit = e->cfg.direction == RTR_FORWARD ? fwd_receive(m, now, pkt, len)
						   : rev_receive(m, now, pkt, len);
	if (!hit)
		e->stats.ignored++;
	return hit;
}

int rtr_mda_node_of(const struct rtr_mda *m, unsigned ttl, unsigned fi)
{
	if (ttl > m->cfg.base.max_ttl || fi >= m->nflows)
		return -1;
	if (fib_single(m, ttl) && m->hop[ttl].nnodes == 1 && ttl < m->cfg.base.max_ttl &&
	    node_of(m, ttl + 1, fi) >= 0)
		return 0;
	return node_of(m, ttl, fi);
}

static const struct rtr_tracer_ops mda_ops = {
	.poll = mda_poll,
	.receive = mda_receive,
	.interrupt = mda_interrupt,
	.free = mda_free,
};
