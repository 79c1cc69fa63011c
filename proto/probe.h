/* SPDX-License-Identifier: BSD-2-Clause */
/* probe.h: probe construction (UDP, TCP SYN, ICMP/ICMPv6 Echo) and probe decoding. */
#ifndef RTR_PROBE_H
#define RTR_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/*
 * Identity of one probe (docs/PROTOCOL.md 4.1). It lives only in fields load
 * balancers do not hash, and at least 32 unpredictable bits of it lie inside
 * the IP header plus the first 8 L4 bytes (what every router quotes):
 *   IPv4 UDP:  ip_id (16) + UDP checksum l4 (16, never 0/0xFFFF) + len_extra (1)
 *   IPv4 TCP:  ip_id (16) + sequence number l4 (32)
 *   IPv4 ICMP: ip_id (16) + identifier<<16|sequence l4 (32)
 *   IPv6 UDP:  UDP checksum l4 (16) + payload tag (32); needs a full quote
 *   IPv6 TCP:  sequence number l4 (32)
 *   IPv6 ICMP: identifier<<16|sequence l4 (32)
 * UDP probes also carry the tag on IPv4, verified whenever it is quoted.
 */
struct rtr_probe_id {
	uint16_t ip_id;	   /* IPv4 identification; 0 on IPv6 */
	uint32_t l4;	   /* UDP: checksum (low 16 bits); TCP: seq; ICMP: ident << 16 | seq */
	uint32_t tag;	   /* UDP: payload bytes 2..5 */
	uint8_t len_extra; /* UDP IPv4: payload is 32 + len_extra (0 or 1) bytes */
};

/* Bits of struct rtr_probe_seen.present: which identity fields an observation carries. */
enum rtr_probe_id_fields {
	RTR_ID_IPID = 1 << 0,
	RTR_ID_L4 = 1 << 1,
	RTR_ID_TAG = 1 << 2,
	RTR_ID_LEN = 1 << 3,
};

/* Everything needed to build one probe. */
struct rtr_probe {
	uint8_t family;	     /* 4 or 6 */
	uint8_t proto;	     /* RTR_IPPROTO_UDP, _TCP, _ICMP (v4) or _ICMPV6 (v6) */
	struct rtr_addr src; /* the server address the request was sent to */
	struct rtr_addr dst; /* the request's source */
	uint8_t ttl;
	uint16_t flow; /* resolved: UDP/TCP destination port or ICMP checksum, never 0 */
	struct rtr_probe_id id;
};

/*
 * Fills id from 8 uniformly random bytes for a probe of (family, proto):
 * every field the protocol uses gets fresh bits, the UDP checksum is mapped
 * into 1..0xFFFE. Returns RTR_OK or RTR_E_PROTO.
 */
int rtr_probe_id_from_random(struct rtr_probe_id *id, int family, uint8_t proto,
			     const uint8_t rnd[8]);

/*
 * Bytes of random input rtr_probe_encode reads from `random` (the payload
 * bytes that are neither compensation nor tag): 0 for TCP.
 */
size_t rtr_probe_random_len(const struct rtr_probe *p);

/*
 * Builds the whole IP packet of a probe into out: IP header from scratch
 * (TOS 0, id.ip_id, DF set, no options; IPv6 flow label RTR_PROBE_FLOWLABEL),
 * then UDP (sport 1021, dport flow, checksum id.l4), TCP SYN (sport 1021,
 * dport flow, seq id.l4, MSS option, no payload) or ICMP Echo Request code 0
 * (checksum flow, identifier/sequence from id.l4), and a payload of
 * compensation bytes, the tag (UDP) and bytes copied from `random`
 * (rtr_probe_random_len bytes). All checksums are valid. Returns the packet
 * length or RTR_E_NOSPACE, RTR_E_PROTO, RTR_E_INVAL.
 */
int rtr_probe_encode(uint8_t *out, size_t cap, const struct rtr_probe *p, const uint8_t *random);

/* A probe as observed on the wire or inside an ICMP quote. */
struct rtr_probe_seen {
	uint8_t family;
	uint8_t proto;
	struct rtr_addr src;
	struct rtr_addr dst;
	uint8_t ttl;
	uint16_t sport; /* UDP/TCP; 0 for ICMP */
	uint16_t flow;	/* dport or ICMP checksum */
	struct rtr_probe_id id;
	uint8_t present; /* enum rtr_probe_id_fields */
	uint16_t l4_len; /* L4 bytes present (a quote may hold only 8) */
	bool truncated;	 /* fewer bytes than the IP header announced */
};

/*
 * Decodes pkt as one of our probes: UDP or TCP SYN from port 1021, or an ICMP
 * Echo Request code 0. flags as rtr_ip_decode (RTR_IP_QUOTED for a quote,
 * which then needs only 8 L4 bytes). Returns RTR_OK, RTR_E_NOT_OURS for any
 * other packet, or a decode error.
 */
int rtr_probe_decode(struct rtr_probe_seen *s, const uint8_t *pkt, size_t len, unsigned flags);

#endif
