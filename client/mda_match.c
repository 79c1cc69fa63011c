// SPDX-License-Identifier: BSD-2-Clause
/* mda_match.c: grouping forward and reverse interfaces into routers by point-to-point mates. */
#include <string.h>

#include "mda_match.h"

bool rtr_mate(const struct rtr_addr *a, unsigned prefix, struct rtr_addr *mate)
{
	bool v4 = rtr_addr_family(a) == 4;
	if (prefix != (v4 ? 31u : 127u) && prefix != (v4 ? 30u : 126u))
		return false;
	*mate = *a;
	if (prefix == 31 || prefix == 127) {
		mate->b[15] ^= 1;
		return true;
	}
	/* /30: network (0) and broadcast (3) are no ends; IPv6 follows the same habit. */
	unsigned host = a->b[15] & 3;
	if (host != 1 && host != 2)
		return false;
	mate->b[15] = (uint8_t)((a->b[15] & ~3u) | (3 - host));
	return true;
}

static bool seen_in(const struct rtr_addr *a, const struct rtr_link *l, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (rtr_addr_eq(a, &l[i].near) || rtr_addr_eq(a, &l[i].far))
			return true;
	return false;
}

static unsigned add(struct rtr_alias *out, unsigned n, unsigned cap, const struct rtr_alias *x)
{
	for (unsigned i = 0; i < n; i++)
		if (rtr_addr_eq(&out[i].fwd, &x->fwd) && rtr_addr_eq(&out[i].rev, &x->rev))
			return n;
	if (n < cap)
		out[n++] = *x;
	return n;
}

unsigned rtr_match_two_way(const struct rtr_link *fwd, unsigned nfwd, const struct rtr_link *rev,
			   unsigned nrev, struct rtr_alias *out, unsigned cap)
{
	unsigned n = 0;
	for (unsigned i = 0; i < nfwd; i++) {
		const struct rtr_addr *ends[2] = {&fwd[i].near, &fwd[i].far};
		for (unsigned e = 0; e < 2; e++)
			if (seen_in(ends[e], rev, nrev)) {
				struct rtr_alias x = {
					.fwd = *ends[e], .rev = *ends[e], .why = RTR_ALIAS_SAME};
				n = add(out, n, cap, &x);
			}
	}
	/* Longer prefixes first: a /31 mate is the stronger statement when both fit. */
	for (unsigned p = 0; p < 2; p++) {
		for (unsigned i = 0; i < nfwd; i++) {
			unsigned prefix = rtr_addr_family(&fwd[i].far) == 4 ? 31 - p : 127 - p;
			struct rtr_addr m;
			if (rtr_mate(&fwd[i].far, prefix, &m) && seen_in(&m, rev, nrev)) {
				struct rtr_alias x = {.fwd = fwd[i].near,
						      .rev = m,
						      .via = fwd[i].far,
						      .why = RTR_ALIAS_MATE_FWD,
						      .prefix = prefix};
				n = add(out, n, cap, &x);
			}
		}
		for (unsigned i = 0; i < nrev; i++) {
			unsigned prefix = rtr_addr_family(&rev[i].far) == 4 ? 31 - p : 127 - p;
			struct rtr_addr m;
			if (rtr_mate(&rev[i].far, prefix, &m) && seen_in(&m, fwd, nfwd)) {
				struct rtr_alias x = {.fwd = m,
						      .rev = rev[i].near,
						      .via = rev[i].far,
						      .why = RTR_ALIAS_MATE_REV,
						      .prefix = prefix};
				n = add(out, n, cap, &x);
			}
		}
	}
	return n;
}
