// SPDX-License-Identifier: BSD-2-Clause
/* tracer_fwd.c: forward probes, for both engines: building them and reading what routers and the
 * target answer. */
#include <string.h>

#include "answer.h"
#include "err.h"
#include "rtr_wire.h"
#include "tracer_core.h"

int rtr_core_fwd_build(struct rtr_tracer *e, struct rtr_eng_probe *p, struct rtr_eng_tx *tx)
{
	struct rtr_probe *pr = &p->sent;
	memset(pr, 0, sizeof(*pr));
	pr->family = e->cfg.family;
	pr->proto = e->cfg.proto;
	pr->src = e->cfg.src;
	pr->dst = e->cfg.dst;
	pr->ttl = p->ttl;
	pr->flow = p->flow;

	/* Fresh unpredictable identity per probe: forged answers cannot guess it. */
	/*
	 * Linux rewrites an IPv4 ID of 0 on IP_HDRINCL sockets, which would break
	 * the identity the answer quotes: draw again (1 in 65536).
	 */
	do {
		uint8_t rnd[8];
		e->cfg.random(e->cfg.random_ctx, rnd, sizeof(rnd));
		int rc = rtr_probe_id_from_random(&pr->id, pr->family, pr->proto, rnd);
		if (rc < 0)
			return rc;
	} while (pr->family == 4 && pr->id.ip_id == 0);
	uint8_t payload[64];
	size_t n = rtr_probe_random_len(pr);
	if (n > sizeof(payload))
		return RTR_E_NOSPACE;
	e->cfg.random(e->cfg.random_ctx, payload, n);
	return rtr_probe_encode(tx->pkt, sizeof(tx->pkt), pr, payload);
}

/* What an answer says about the path: the destination is known by the kind of answer. */
int rtr_core_fwd_classify(const struct rtr_answer *a)
{
	switch (a->kind) {
	case RTR_ANS_TIME_EXCEEDED:
		return RTR_HOP_TRANSIT;
	case RTR_ANS_ECHO_REPLY:
	case RTR_ANS_TCP_RST:
	case RTR_ANS_TCP_SYNACK:
		return RTR_HOP_DEST;
	case RTR_ANS_DEST_UNREACH:
		/* Port unreachable comes from the destination host itself. */
		if ((a->family == 4 && a->icmp_code == 3) || (a->family == 6 && a->icmp_code == 4))
			return RTR_HOP_DEST;
		return RTR_HOP_UNREACH;
	}
	return RTR_HOP_TRANSIT;
}

void rtr_core_fwd_record(struct rtr_eng_probe *p, const struct rtr_answer *a)
{
	p->from = a->from;
	p->kind = a->kind;
	p->icmp_type = a->icmp_type;
	p->icmp_code = a->icmp_code;
	p->reply_ttl = a->reply_ttl;
	p->verdict = (uint8_t)rtr_core_fwd_classify(a);
}
