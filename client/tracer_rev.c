// SPDX-License-Identifier: BSD-2-Clause
/* tracer_rev.c: reverse requests, for both engines: building them and strictly matching the
 * server's responses. */
#include <string.h>

#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "ip.h"
#include "request.h"
#include "response.h"
#include "rtr_wire.h"
#include "tracer_core.h"

static uint8_t icmp_proto(int family)
{
	return family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
}

static struct rtr_eng_probe *find_ident(struct rtr_tracer *e, uint16_t ident, unsigned *ttl)
{
	for (unsigned i = 0; i < e->presence_sent; i++)
		if (e->presence[i].ident == ident) {
			*ttl = 0;
			return &e->presence[i];
		}
	return e->find ? e->find(e, ident, ttl) : NULL;
}

/* Identifiers are unique within a run, so a late answer can never be taken for a newer request. */
static uint16_t fresh_ident(struct rtr_tracer *e)
{
	for (;;) {
		uint16_t id;
		unsigned ttl;
		e->cfg.random(e->cfg.random_ctx, &id, sizeof(id));
		if (!find_ident(e, id, &ttl))
			return id;
	}
}

static void request_of(const struct rtr_tracer *e, const struct rtr_eng_probe *p,
		       struct rtr_request *rq)
{
	memset(rq, 0, sizeof(*rq));
	rq->ident = p->ident;
	rq->seq = p->seq;
	rq->ttl = p->ttl;
	rq->proto = e->cfg.proto;
	rq->flow = p->flow;
}

int rtr_core_rev_build(struct rtr_tracer *e, struct rtr_eng_probe *p, struct rtr_eng_tx *tx)
{
	p->prev_ident = p->ident;
	p->ident = fresh_ident(e);
	/* A random non-zero sequence lets a kernel echo be told from a server (PROTOCOL 3.3). */
	do
		e->cfg.random(e->cfg.random_ctx, &p->seq, sizeof(p->seq));
	while (p->seq == 0);

	struct rtr_request rq;
	request_of(e, p, &rq);
	struct rtr_l3 l3 = {.family = e->cfg.family, .src = e->cfg.src, .dst = e->cfg.dst};
	size_t hl = e->cfg.family == 4 ? RTR_IPV4_HDR_MIN : RTR_IPV6_HDR_LEN;
	int n = rtr_request_encode(tx->pkt + hl, sizeof(tx->pkt) - hl, &l3, &rq);
	if (n < 0)
		return n;
	struct rtr_ip ip = {
		.family = e->cfg.family,
		.ttl = RTR_RSP_TTL,
		.proto = icmp_proto(e->cfg.family),
		.df = true,
		.src = e->cfg.src,
		.dst = e->cfg.dst,
	};
	e->cfg.random(e->cfg.random_ctx, &ip.id, sizeof(ip.id));
	int h = rtr_ip_encode(tx->pkt, hl, &ip, (size_t)n);
	if (h < 0)
		return h;
	return h + n;
}

static void ends_at(struct rtr_tracer *e, unsigned ttl)
{
	if (e->ends_at)
		e->ends_at(e, ttl);
}

/*
 * A Destination Unreachable that quotes one of our presence requests (CLI-15): the server cannot
 * be reached, and waiting out the other presence requests would only say "no answer". The quote
 * must carry our addresses and the identifier and sequence of a request we sent.
 */
static bool presence_unreachable(struct rtr_tracer *e, uint64_t now, const struct rtr_ip *ip,
				 const uint8_t *icmp, size_t len)
{
	uint8_t type = e->cfg.family == 4 ? RTR_ICMP4_DEST_UNREACH : RTR_ICMP6_DEST_UNREACH;
	if (len < 8 || icmp[0] != type || !rtr_addr_eq(&ip->dst, &e->cfg.src))
		return false;
	uint32_t pseudo = e->cfg.family == 4 ? 0
					     : rtr_csum_pseudo(6, &ip->src, &ip->dst,
							       RTR_IPPROTO_ICMPV6, (uint32_t)len);
	if (!rtr_csum_ok(pseudo, icmp, len))
		return false;
	struct rtr_ip q;
	int qh = rtr_ip_decode(&q, icmp + 8, len - 8, RTR_IP_QUOTED);
	if (qh < 0 || q.proto != icmp_proto(e->cfg.family) || !rtr_addr_eq(&q.src, &e->cfg.src) ||
	    !rtr_addr_eq(&q.dst, &e->cfg.dst) || len - 8 < (size_t)qh + 8)
		return false;
	const uint8_t *rq = icmp + 8 + qh;
	uint16_t ident = rtr_get16(rq + RTR_REQ_OFF_IDENT), seq = rtr_get16(rq + RTR_REQ_OFF_SEQ);
	for (unsigned i = 0; i < e->presence_sent; i++) {
		struct rtr_eng_probe *p = &e->presence[i];
		if (p->ident != ident || p->seq != seq)
			continue;
		if (rtr_core_claim(e, p, now)) {
			p->from = ip->src;
			p->icmp_type = icmp[0];
			p->icmp_code = icmp[1];
			p->reply_ttl = ip->ttl;
			p->verdict = RTR_HOP_UNREACH;
		}
		return true;
	}
	return false;
}

bool rtr_core_rev_receive(struct rtr_tracer *e, uint64_t now, const uint8_t *pkt, size_t len)
{
	struct rtr_ip ip;
	int hl = rtr_ip_decode(&ip, pkt, len, 0);
	if (hl < 0 || ip.fragment || ip.family != e->cfg.family ||
	    ip.proto != icmp_proto(e->cfg.family))
		return false;
	if (!e->present && presence_unreachable(e, now, &ip, pkt + hl, rtr_ip_l4_len(&ip, len)))
		return true;
	/* Only the server we asked may answer, and only to the address we asked from. */
	if (!rtr_addr_eq(&ip.src, &e->cfg.dst) || !rtr_addr_eq(&ip.dst, &e->cfg.src))
		return false;
	const uint8_t *icmp = pkt + hl;
	size_t icmp_len = rtr_ip_l4_len(&ip, len);
	if (icmp_len < RTR_REQ_LEN)
		return false;

	unsigned ttl;
	struct rtr_eng_probe *p = find_ident(e, rtr_get16(icmp + RTR_REQ_OFF_IDENT), &ttl);
	if (!p)
		return false;

	struct rtr_l3 l3 = {.family = ip.family, .src = ip.src, .dst = ip.dst};
	struct rtr_response rsp;
	int rc = rtr_response_decode(&rsp, &l3, icmp, icmp_len);
	/*
	 * A host without a server echoes our 12-byte request: it reads as a
	 * truncated state-0 response (checksum verified, header filled in).
	 */
	bool echo = (rc >= 0 || rc == RTR_E_TRUNCATED) &&
		    rtr_response_is_kernel_echo(&rsp, icmp_len, p->seq);
	if (rc < 0 && !echo)
		return false;
	/* Even a late answer to a presence check proves (or disproves) a server. */
	if (ttl == 0 && echo)
		e->kernel_echo = true;
	else if (ttl == 0 && rsp.state == RTR_STATE_TTL)
		e->present = true;
	if (!rtr_core_claim(e, p, now))
		return true;

	p->icmp_type = icmp[0];
	p->icmp_code = icmp[1];
	p->reply_ttl = ip.ttl;
	if (echo) {
		/* The target's own kernel answered: nothing there runs a server. */
		e->kernel_echo = true;
		p->kernel_echo = true;
		p->verdict = RTR_HOP_REFUSED;
		p->state = RTR_STATE_OK;
		if (ttl)
			ends_at(e, ttl);
		return true;
	}
	p->state = rsp.state;
	p->value = rsp.value;
	if (rsp.state == RTR_STATE_OK) {
		/*
		 * What the server named, also when it answers a presence check with success
		 * (no legal server does): the output shows a state-0 answer's hop, which must
		 * be the one the packet carried.
		 */
		p->from = rsp.hop;
		p->server_rtt_ns = rsp.rtt_ns;
		p->server_rtt_unknown = rsp.rtt_unknown;
	}
	if (ttl == 0) {
		p->verdict = RTR_HOP_TRANSIT;
		return true;
	}
	if (rsp.state != RTR_STATE_OK) {
		p->verdict = RTR_HOP_REFUSED;
		ends_at(e, ttl);
		return true;
	}
	/* The trace has come home when the node that answered the server's probe is us. */
	p->verdict = rtr_addr_eq(&rsp.hop, &e->cfg.src) ? RTR_HOP_DEST : RTR_HOP_TRANSIT;
	if (p->verdict == RTR_HOP_DEST)
		ends_at(e, ttl);
	return true;
}
