/* SPDX-License-Identifier: BSD-2-Clause */
/* print.h: the golden printer: one stable line of text per captured IP packet. */
#ifndef RTR_DECODE_PRINT_H
#define RTR_DECODE_PRINT_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "answer.h"
#include "probe.h"
#include "request.h"
#include "rtr_wire.h"

#define RTR_DEC_REMEMBER 64 /* earlier packets an answer or echo can be related to */
#define RTR_DEC_TIMEOUT_US (RTR_DEFAULT_TIMEOUT_NS / 1000) /* a server's default session life */

/*
 * What earlier packets of one capture showed, so that a later packet can be
 * related to them: an answer to the probe it matches (and whether that probe
 * was answered before, or is older than a server's default session timeout),
 * a request to an earlier one with the same pending key, a kernel echo to the
 * request it repeats, the server's RST to the SYN-ACK it resets. Only the
 * last RTR_DEC_REMEMBER of each kind are kept.
 */
struct rtr_dec_ctx {
	struct rtr_request_policy policy; /* what the printed server state assumes */
	struct {
		struct rtr_probe p;
		unsigned pkt;
		unsigned answered_by; /* packet number of the first matching answer, or 0 */
		uint64_t ts_us;
	} probes[RTR_DEC_REMEMBER];
	struct {
		uint16_t ident, seq;
		struct rtr_addr client, server;
		unsigned pkt;
	} requests[RTR_DEC_REMEMBER];
	struct {
		struct rtr_answer a;
		unsigned pkt;
	} synacks[RTR_DEC_REMEMBER];
	unsigned nprobes, nrequests, nsynacks; /* totals seen; index = total % RTR_DEC_REMEMBER */
	uint64_t now_us;		       /* capture time of the packet being printed */
};

/* Starts a capture: forgets every earlier packet. policy may be NULL (server defaults). */
void rtr_dec_init(struct rtr_dec_ctx *c, const struct rtr_request_policy *policy);

/*
 * Writes one line (without newline) describing the IP packet ip[0..len) into
 * out, truncating at cap - 1 characters; pkt is its 1-based number in the
 * capture and ts_us its capture time in microseconds (only differences are
 * printed). Never fails: whatever the bytes are, the line says what they are
 * ("bad checksum", "truncated", "not a reverse traceroute message", ...).
 */
void rtr_dec_packet(struct rtr_dec_ctx *c, unsigned pkt, uint64_t ts_us, const uint8_t *ip,
		    size_t len, char *out, size_t cap);

#endif
