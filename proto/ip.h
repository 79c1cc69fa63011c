/* SPDX-License-Identifier: BSD-2-Clause */
/* ip.h: IPv4 and IPv6 header decode and encode. */
#ifndef RTR_IP_H
#define RTR_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/*
 * The fields of an IPv4 or IPv6 header that this protocol reads or writes.
 * IPv6 extension headers are not walked, except that a Fragment header marks
 * the packet a fragment; proto then is the first Next Header.
 */
struct rtr_ip {
	uint8_t family;	    /* 4 or 6 */
	uint8_t tos;	    /* IPv4 TOS / IPv6 traffic class */
	uint8_t ttl;	    /* TTL / hop limit */
	uint8_t proto;	    /* IPv4 protocol / IPv6 next header */
	uint16_t id;	    /* IPv4 identification (0 for IPv6) */
	bool df;	    /* IPv4 don't-fragment bit */
	bool fragment;	    /* IPv4 MF or offset != 0; IPv6 Fragment header */
	uint32_t flowlabel; /* IPv6 only */
	uint16_t hdr_len;   /* bytes of IP header incl. IPv4 options (and the v6 fragment header) */
	uint16_t options_len; /* IPv4 option bytes */
	uint16_t total_len;   /* IPv4 total length / 40 + IPv6 payload length */
	struct rtr_addr src;
	struct rtr_addr dst;
};

enum rtr_ip_decode_flags {
	/*
	 * The header is quoted inside an ICMP error: the packet may be cut short
	 * after the header (total_len larger than what is present) and the IPv4
	 * header checksum is not verified (routers may quote it modified).
	 */
	RTR_IP_QUOTED = 1 << 0,
};

/*
 * Decodes the IP header at buf. Without RTR_IP_QUOTED, len must cover
 * total_len (trailing bytes beyond it, e.g. Ethernet padding, are allowed)
 * and an IPv4 header checksum must verify. Returns the header length (the
 * offset of the L4 header) or RTR_E_TRUNCATED, RTR_E_VERSION, RTR_E_IPHDR,
 * RTR_E_CHECKSUM.
 */
int rtr_ip_decode(struct rtr_ip *ip, const uint8_t *buf, size_t len, unsigned flags);

/*
 * Number of L4 bytes present after a decoded header: min(total_len, len) - hdr_len.
 */
size_t rtr_ip_l4_len(const struct rtr_ip *ip, size_t len);

/*
 * Encodes an IP header for l4_len bytes of payload: IPv4 with IHL 5 (no
 * options) and a valid header checksum, or IPv6 with no extension headers.
 * Uses family, tos, ttl, proto, id, df, flowlabel, src and dst. Returns the
 * header length (20 or 40) or RTR_E_NOSPACE, RTR_E_INVAL.
 */
int rtr_ip_encode(uint8_t *out, size_t cap, const struct rtr_ip *ip, size_t l4_len);

#endif
