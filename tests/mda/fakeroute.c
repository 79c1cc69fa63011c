// SPDX-License-Identifier: BSD-2-Clause
/* fakeroute.c: answers the MDA engine's probes and requests from a simulated per-flow ECMP network
 * (driven by tests/client/sim.c, as every simulated trace) and checks what the trace found against
 * the network's truth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"
#include "fakeroute.h"
#include "ip.h"
#include "pkt.h"
#include "sim.h"
#include "probe.h"
#include "request.h"
#include "rtr_wire.h"

#define MS 1000000ull

struct fr_run {
	const struct fr_topo *topo;
	struct rtr_mda m;
	uint64_t salt, rng;
	struct sim *sim;
};

static uint64_t mix(uint64_t x)
{
	/* splitmix64 finaliser: a good hash of (salt, node, flow) */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static void fr_random(void *ctx, void *buf, size_t len)
{
	struct fr_run *r = ctx;
	uint8_t *b = buf;
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(mix(++r->rng) >> 17);
}

static double uniform(struct fr_run *r)
{
	return (double)(mix(++r->rng ^ 0x5555) >> 11) / (double)(1ull << 53);
}

void fr_addr(int family, unsigned i, struct rtr_addr *a)
{
	char s[64];
	if (family == 4)
		snprintf(s, sizeof(s), "203.0.113.%u", 100 + i);
	else
		snprintf(s, sizeof(s), "2001:db8:ff::%x", 0x100 + i);
	assert_int_equal(rtr_addr_parse(a, s), family);
}

/* The node a flow is at after ttl hops (FR_END once it has arrived). */
static unsigned walk(const struct fr_run *r, uint16_t flow, unsigned ttl)
{
	const struct fr_node *host = &r->topo->host;
	bool fwd = r->m.cfg.base.direction == RTR_FORWARD;
	unsigned n = fwd && host->nsucc
			     ? host->succ[mix(r->salt ^ 0xfffull << 20 ^ flow) % host->nsucc]
			     : 0;
	for (unsigned t = 1; t < ttl && n != FR_END; t++) {
		const struct fr_node *nd = &r->topo->node[n];
		n = nd->succ[mix(r->salt ^ (uint64_t)n << 20 ^ flow) % nd->nsucc];
	}
	return n;
}

static void answer_forward(struct fr_run *r, const struct rtr_eng_tx *tx)
{
	const struct rtr_engine_cfg *c = &r->m.cfg.base;
	struct rtr_probe_seen seen;
	assert_int_equal(rtr_probe_decode(&seen, tx->pkt, tx->len, 0), RTR_OK);
	assert_int_equal(seen.ttl, tx->ttl);
	unsigned n = walk(r, seen.flow, seen.ttl);
	if ((n != FR_END && r->topo->node[n].silent) || uniform(r) < r->topo->loss)
		return;
	uint8_t out[300];
	size_t len;
	bool v4 = c->family == 4;
	if (n != FR_END) {
		struct rtr_addr a;
		fr_addr(c->family, n, &a);
		len = pkt_icmp_error(out, sizeof(out), &a,
				     v4 ? RTR_ICMP4_TIME_EXCEEDED : RTR_ICMP6_TIME_EXCEEDED, 0,
				     tx->pkt, tx->len, tx->len);
	} else if (c->proto == RTR_IPPROTO_UDP) {
		len = pkt_icmp_error(out, sizeof(out), &c->dst,
				     v4 ? RTR_ICMP4_DEST_UNREACH : RTR_ICMP6_DEST_UNREACH,
				     v4 ? 3 : 4, tx->pkt, tx->len, tx->len);
	} else if (c->proto == RTR_IPPROTO_TCP) {
		len = pkt_tcp_answer(out, sizeof(out), tx->pkt, tx->len, RTR_TCP_RST | RTR_TCP_ACK);
	} else {
		len = pkt_echo_reply(out, sizeof(out), tx->pkt, tx->len);
	}
	sim_deliver(r->sim, (2 + seen.ttl) * MS + (uint64_t)(uniform(r) * MS), out, len);
}

static void answer_reverse(struct fr_run *r, const struct rtr_eng_tx *tx)
{
	const struct rtr_engine_cfg *c = &r->m.cfg.base;
	struct rtr_ip ip;
	int hl = rtr_ip_decode(&ip, tx->pkt, tx->len, 0);
	assert_true(hl > 0);
	struct rtr_l3 l3 = {.family = ip.family, .src = ip.src, .dst = ip.dst};
	struct rtr_request rq;
	assert_true(rtr_request_decode(&rq, &l3, tx->pkt + hl, tx->len - (size_t)hl) > 0);
	assert_int_equal(rq.proto, c->proto);
	struct rtr_response rsp = {.ident = rq.ident, .state = RTR_STATE_OK};
	if (rq.ttl == 0) {
		rsp.state = RTR_STATE_TTL;
	} else {
		/* The server's probe with this flow: silent routers and loss mean no response. */
		unsigned n = walk(r, rtr_request_probe_flow(rq.proto, rq.flow), rq.ttl);
		if ((n != FR_END && r->topo->node[n].silent) || uniform(r) < r->topo->loss)
			return;
		if (n == FR_END)
			rsp.hop = c->src;
		else
			fr_addr(c->family, n, &rsp.hop);
		rsp.rtt_ns = rq.ttl * MS;
	}
	uint8_t out[300];
	size_t len = pkt_response(out, sizeof(out), tx->pkt, tx->len, &rsp);
	sim_deliver(r->sim, (3 + rq.ttl) * MS + (uint64_t)(uniform(r) * MS), out, len);
}

/* Node index of address a in the topology, FR_END for the far end, -1 for a stranger. */
static int node_index(const struct fr_run *r, const struct rtr_addr *a)
{
	const struct rtr_engine_cfg *c = &r->m.cfg.base;
	const struct rtr_addr *end = c->direction == RTR_FORWARD ? &c->dst : &c->src;
	if (rtr_addr_eq(a, end))
		return FR_END;
	for (unsigned i = 0; i < r->topo->nnodes; i++) {
		struct rtr_addr x;
		fr_addr(c->family, i, &x);
		if (rtr_addr_eq(a, &x))
			return (int)i;
	}
	return -1;
}

/* Compares what the trace found with the truth: every answering node, every link between two. */
static void judge(struct fr_run *r, struct fr_result *res)
{
	const struct fr_topo *t = r->topo;
	const struct rtr_mda *m = &r->m;
	bool node_seen[FR_MAX_NODES + 1] = {false};
	bool link_seen[FR_MAX_NODES + 1][FR_MAX_NODES + 1];
	memset(link_seen, 0, sizeof(link_seen));
	for (unsigned ttl = m->cfg.base.first_ttl; ttl <= m->t.last_ttl; ttl++) {
		const struct rtr_mda_hop *h = &m->hop[ttl];
		for (unsigned n = 0; n < h->nnodes; n++) {
			int i = node_index(r, &h->node[n].addr);
			assert_true(i >= 0); /* never an address that is not in the network */
			node_seen[i == FR_END ? FR_MAX_NODES : i] = true;
		}
		if (ttl == m->cfg.base.first_ttl)
			continue;
		for (unsigned fi = 0; fi < m->nflows; fi++) {
			int u = rtr_mda_node_of(m, ttl - 1, fi), v = rtr_mda_node_of(m, ttl, fi);
			if (u < 0 || v < 0)
				continue;
			int a = node_index(r, &m->hop[ttl - 1].node[u].addr);
			int b = node_index(r, &h->node[v].addr);
			if (a == FR_END)
				continue; /* the end answering again at a higher TTL */
			/* A link the network does not have would be a matching bug. */
			bool real = false;
			for (unsigned s = 0; s < t->node[a].nsucc; s++)
				real |= t->node[a].succ[s] == (b == FR_END ? FR_END : (unsigned)b);
			assert_true(real);
			link_seen[a][b == FR_END ? FR_MAX_NODES : b] = true;
		}
	}
	res->all_nodes = node_seen[FR_MAX_NODES];
	res->all_links = true;
	res->incomplete = 0;
	/* The host's own ECMP route is a test too (forward): bit FR_HOST_BIT. */
	for (unsigned s = 0; m->cfg.base.direction == RTR_FORWARD && s < t->host.nsucc; s++)
		if (!t->node[t->host.succ[s]].silent && !node_seen[t->host.succ[s]])
			res->incomplete |= 1ull << FR_HOST_BIT;
	for (unsigned i = 0; i < t->nnodes; i++) {
		if (t->node[i].silent)
			continue;
		res->all_nodes &= node_seen[i];
		for (unsigned s = 0; s < t->node[i].nsucc; s++) {
			unsigned b = t->node[i].succ[s];
			if (b != FR_END && t->node[b].silent)
				continue;
			bool seen = link_seen[i][b == FR_END ? FR_MAX_NODES : b];
			res->all_links &= seen;
			if (!seen && i < 64)
				res->incomplete |= 1ull << i;
		}
	}
}

/* The simulated network: every packet the engine sends gets its answer (or none) scheduled. */
static void answer(struct sim *s, const struct rtr_eng_tx *tx)
{
	struct fr_run *r = s->ctx;
	if (r->m.cfg.base.direction == RTR_FORWARD)
		answer_forward(r, tx);
	else
		answer_reverse(r, tx);
}

void fr_trace(const struct fr_topo *topo, const struct rtr_mda_cfg *cfg, uint64_t salt,
	      struct fr_result *res)
{
	struct fr_run *r = calloc(1, sizeof(*r));
	assert_non_null(r);
	r->topo = topo;
	r->salt = mix(salt);
	r->rng = mix(salt ^ 0xabcdef);
	struct rtr_mda_cfg c = *cfg;
	c.base.random = fr_random;
	c.base.random_ctx = r;
	assert_int_equal(rtr_mda_init(&r->m, &c), 0);
	r->sim = sim_attach(&r->m.t, 1000 * MS, answer, r);
	/* No time limit of the simulator's own: the trace's budget and limits end it. */
	assert_int_not_equal(sim_run(r->sim, UINT64_MAX / 2), -1);
	res->stop = r->m.t.stop;
	res->probes = r->m.t.stats.sent;
	res->duration_ns = r->m.t.end_ns - r->m.t.start_ns;
	res->first_hop_sent = r->m.hop[c.base.first_ttl].sent;
	judge(r, res);
	sim_free(r->sim);
	rtr_tracer_release(&r->m.t);
	free(r);
}
