/* SPDX-License-Identifier: BSD-2-Clause */
/* checks.h: the expectations of docs/PROTOCOL.md on one probe or one response, as FAIL reasons. */
#ifndef CONFORM_CHECKS_H
#define CONFORM_CHECKS_H

#include "conform.h"
#include "observe.h"
#include "report.h"

/*
 * Checks a probe captured at r1 (as the server sent it): shape, addresses, protocol, flow,
 * source port, TTL, IP header (PRB-2), flow label (PRB-1), checksums (PRB-3, PRB-4), TCP
 * options (PRB-7), payload lengths (PRB-6). Adds a reason to r for each mismatch.
 */
void check_probe(struct result *r, const struct wire_pkt *p, const struct fam_addrs *a, int family,
		 uint8_t proto, uint16_t flow, uint8_t ttl);
/*
 * Checks a response: IP addresses and TTL 64, decode, sequence 0, state, value, error length,
 * length (RSP-1), and for state 0 the hop and an RTT in (0, max_rtt_ns].
 */
void check_response(struct result *r, const struct seen_rsp *s, const struct fam_addrs *a,
		    int family, int state, uint16_t value, const struct rtr_addr *hop,
		    uint64_t max_rtt_ns);
/* Short text of a seen response for "seen" parts of a reason. */
void describe_response(const struct seen_rsp *s, char *out, size_t cap);

#endif
