/* SPDX-License-Identifier: BSD-2-Clause */
/* icmperr.h: encodes a router's ICMP error (Time Exceeded, Destination Unreachable) with its IP
 * header. */
#ifndef RTR_ICMPERR_H
#define RTR_ICMPERR_H

#include <stddef.h>
#include <stdint.h>

#include "ip.h"

/*
 * Largest ICMP error datagram a router sends: RFC 1812 4.3.2.3 (576 bytes,
 * the IPv4 minimum reassembly size) and RFC 4443 2.4(c) (1280 bytes, the IPv6
 * minimum MTU). The quote is cut so that the whole datagram fits.
 */
#define RTR_ICMP_ERROR_MAX4 576
#define RTR_ICMP_ERROR_MAX6 1280

struct rtr_icmp_error {
	/*
	 * The outer header: family, tos, ttl, id, df, flowlabel, src (the router)
	 * and dst (normally the quoted packet's source). proto is ignored: the
	 * encoder writes ICMP or ICMPv6 for the family.
	 */
	struct rtr_ip ip;
	uint8_t type; /* e.g. RTR_ICMP4_TIME_EXCEEDED, RTR_ICMP6_DEST_UNREACH */
	uint8_t code;
	uint32_t rest; /* the 4 bytes after the checksum: unused (0), pointer, MTU */
};

/*
 * Writes the IP header (IPv4 without options, IPv6 without extension
 * headers), the 8-byte ICMP header and as much of quote[0, quote_len) as the
 * size limit above allows, with the IPv4 header checksum and the ICMP/ICMPv6
 * checksum (pseudo-header for IPv6) filled in. The quote is copied as given:
 * a caller that wants the TTL the router saw writes it into the quote first.
 *
 * Returns the bytes written, or RTR_E_NOSPACE when cap is too small for the
 * (cut) datagram, RTR_E_INVAL for a family other than 4 or 6, an IPv4 message
 * with non-IPv4 addresses, or a NULL quote with quote_len > 0.
 */
int rtr_icmp_error_encode(uint8_t *out, size_t cap, const struct rtr_icmp_error *e,
			  const uint8_t *quote, size_t quote_len);

#endif
