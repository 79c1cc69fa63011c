/* SPDX-License-Identifier: BSD-2-Clause */
/* mda_match.h: two-way node matching: forward and reverse interfaces that belong to one router,
 * each pair with its evidence. */
#ifndef RTR_CLIENT_MDA_MATCH_H
#define RTR_CLIENT_MDA_MATCH_H

#include "addr.h"

/* A link as a trace saw it: near answered at TTL t, far at t + 1 for the same flow. */
struct rtr_link {
	struct rtr_addr near, far;
};

enum rtr_alias_why {
	RTR_ALIAS_SAME = 1,	/* the same address answered in both directions */
	RTR_ALIAS_MATE_FWD = 2, /* rev is the point-to-point mate of the forward hop after fwd */
	RTR_ALIAS_MATE_REV = 3, /* fwd is the point-to-point mate of the reverse hop after rev */
};

struct rtr_alias {
	struct rtr_addr fwd, rev; /* an address of the forward and of the reverse trace */
	struct rtr_addr via;	  /* the address whose mate gave the evidence (MATE_*) */
	unsigned why;		  /* enum rtr_alias_why */
	unsigned prefix;	  /* MATE_*: 30/31 (IPv4) or 126/127 (IPv6) */
};

/*
 * The other end of a point-to-point link: with a /31 (/127) the address with
 * the last bit flipped; with a /30 (/126) host 1 <-> host 2. Returns false
 * when a cannot be an end of such a link.
 */
bool rtr_mate(const struct rtr_addr *a, unsigned prefix, struct rtr_addr *mate);

/*
 * Routers answer with the address of the interface a probe arrived on. A
 * forward link A -> B means B answered from its end of the A-B link, whose
 * mate is A's end; when that mate answered in the reverse trace, A and it are
 * one router. The same holds the other way round, and an address seen in both
 * directions is trivially one router. Fills out (at most cap, each pair once)
 * and returns how many were found.
 */
unsigned rtr_match_two_way(const struct rtr_link *fwd, unsigned nfwd, const struct rtr_link *rev,
			   unsigned nrev, struct rtr_alias *out, unsigned cap);

#endif
