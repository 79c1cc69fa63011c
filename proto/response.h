/* SPDX-License-Identifier: BSD-2-Clause */
/* response.h: the reverse traceroute response (ICMP/ICMPv6 Echo Reply code 1). */
#ifndef RTR_RESPONSE_H
#define RTR_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "request.h"

enum rtr_rtt_layout {
	RTR_RTT_32 = 0, /* interop: 32-bit ns in bytes 28-31, zeros in 32-35 */
	RTR_RTT_64 = 1, /* tolerant parse: 28-31 zero, 64-bit ns in 28-35 */
};

struct rtr_response {
	uint16_t ident;
	uint16_t seq;	/* 0 from a server; a kernel echo repeats the request's */
	uint8_t state;	/* 0..5 */
	uint8_t errlen; /* error message length byte, sent as 0 */
	uint16_t value; /* reserved / value field (states 4 and 5) */
	/* state 0 only: */
	struct rtr_addr hop; /* IPv4 hops are IPv4-mapped, as on the wire */
	uint64_t rtt_ns;
	bool rtt_unknown;   /* 0xFFFFFFFF in bytes 28-31 */
	uint8_t rtt_layout; /* enum rtr_rtt_layout, decode only */
};

/*
 * Encodes a response: 12 bytes for states 1-5, 36 bytes for state 0 with the
 * 32-bit interop timespan (rtt_ns >= 2^32 or rtt_unknown gives 0xFFFFFFFF).
 * seq and errlen are written as given. Returns bytes written or
 * RTR_E_NOSPACE, RTR_E_STATE.
 */
int rtr_response_encode(uint8_t *out, size_t cap, const struct rtr_l3 *l3,
			const struct rtr_response *rsp);

/*
 * Decodes the ICMP bytes of a response: length >= 12 (RTR_E_TRUNCATED), type
 * 0/129 (RTR_E_TYPE), code 1 (RTR_E_CODE), checksum (RTR_E_CHECKSUM), state
 * <= 5 (RTR_E_STATE), and for state 0 length >= 36 (RTR_E_TRUNCATED). The
 * timespan is parsed tolerantly (docs/PROTOCOL.md 3.2). Returns len.
 */
int rtr_response_decode(struct rtr_response *rsp, const struct rtr_l3 *l3, const uint8_t *icmp,
			size_t len);

/*
 * Presence check (docs/PROTOCOL.md 3.3): true when a decoded Echo Reply code 1
 * of icmp_len bytes is the host kernel echoing our request (its sequence
 * equals sent_seq, which our client makes non-zero) rather than a server's
 * answer.
 */
bool rtr_response_is_kernel_echo(const struct rtr_response *rsp, size_t icmp_len,
				 uint16_t sent_seq);

#endif
