/* SPDX-License-Identifier: BSD-2-Clause */
/* checks.h: the expectations of docs/PROTOCOL.md on one probe or one response, as FAIL reasons. */
#ifndef CONFORM_CHECKS_H
#define CONFORM_CHECKS_H

#include "conform.h"
#include "observe.h"
#include "report.h"

/*
 * The draft's checks of a probe captured at r1 (as the server sent it), whatever its shape:
 * addresses, protocol, flow, TTL, source port 1021 (UDP, TCP), Echo Request code 0, a valid
 * L4 checksum (PRB-3), never UDP checksum 0 over IPv6. Adds a reason to r for each mismatch.
 */
void check_probe(struct result *r, const struct wire_pkt *p, const struct fam_addrs *a, int family,
		 uint8_t proto, uint16_t flow, uint8_t ttl);
/* Notes a probe seen in case_name for the profile cases (rtr's shape and identity width). */
void shape_note(struct conform *c, const char *case_name, const struct wire_pkt *p, int family,
		uint8_t proto);
/* Adds the profile cases of one family judged over every probe noted. */
void shape_cases(struct conform *c, struct report *rep, int family);
/*
 * Checks a response: IP addresses and TTL 64, decode, sequence 0, state, value, error length,
 * length (RSP-1), and for state 0 the hop and an RTT in (0, max_rtt_ns].
 */
void check_response(struct result *r, const struct seen_rsp *s, const struct fam_addrs *a,
		    uint16_t req_seq, int state, uint16_t value, const struct rtr_addr *hop,
		    uint64_t max_rtt_ns);
/* Short text of a seen reply for "seen" parts of a reason, from the bytes really decoded. */
void describe_response(const struct seen_rsp *s, uint16_t req_seq, char *out, size_t cap);

#endif
