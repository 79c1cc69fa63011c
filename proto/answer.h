/* SPDX-License-Identifier: BSD-2-Clause */
/* answer.h: parsing what a probe triggers, and matching it to the probe sent. */
#ifndef RTR_ANSWER_H
#define RTR_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "probe.h"

enum rtr_answer_kind {
	RTR_ANS_TIME_EXCEEDED = 1, /* ICMP 11 / ICMPv6 3, quoting a probe */
	RTR_ANS_DEST_UNREACH = 2,  /* ICMP 3 / ICMPv6 1, quoting a probe */
	RTR_ANS_ECHO_REPLY = 3,	   /* ICMP 0 / ICMPv6 129 code 0 */
	RTR_ANS_TCP_RST = 4,	   /* RST to port 1021 */
	RTR_ANS_TCP_SYNACK = 5,	   /* SYN-ACK to port 1021 */
};

struct rtr_answer {
	uint8_t kind; /* enum rtr_answer_kind */
	uint8_t family;
	uint8_t icmp_type; /* ICMP answers */
	uint8_t icmp_code;
	struct rtr_addr from; /* outer source: the hop */
	struct rtr_addr to;   /* outer destination */
	uint8_t reply_ttl;    /* outer TTL / hop limit as received */
	/*
	 * The probe this answers, as far as the answer shows it. For quotes it is
	 * the quoted probe; for direct answers it is rebuilt: src/dst swapped,
	 * flow from the answer's source port (TCP) or unknown for Echo Reply
	 * (present lacks nothing else), l4 from ident/seq or ack - 1.
	 */
	struct rtr_probe_seen probe;
	uint32_t tcp_ack; /* SYN-ACK: ack number, the RST's sequence number */
};

/*
 * Decodes a whole IP packet as an answer to a probe. Returns RTR_OK,
 * RTR_E_NOT_OURS when it is none of the kinds above or quotes something that
 * is not a probe, or a decode error (RTR_E_TRUNCATED, RTR_E_CHECKSUM, ...).
 */
int rtr_answer_decode(struct rtr_answer *a, const uint8_t *pkt, size_t len);

/*
 * Strict match of a decoded answer against the probe that was sent: Time
 * Exceeded must be code 0; quoted/rebuilt src, dst, proto, flow and every
 * identity field the answer carries must equal the probe's; IPv4 needs the
 * IP ID for quotes; IPv6 UDP needs the tag (RTR_E_QUOTE_SHORT without it).
 * Returns RTR_OK or RTR_E_MISMATCH / RTR_E_QUOTE_SHORT.
 */
int rtr_answer_match(const struct rtr_answer *a, const struct rtr_probe *sent);

/*
 * Builds the RST a server sends to the destination after a SYN-ACK to its
 * probe (seq = the SYN-ACK's ack number, no ACK flag). Returns the packet
 * length or RTR_E_NOSPACE, RTR_E_INVAL.
 */
int rtr_answer_encode_rst(uint8_t *out, size_t cap, const struct rtr_answer *synack);

#endif
