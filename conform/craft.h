/* SPDX-License-Identifier: BSD-2-Clause */
/* craft.h: the packets rtr-conform sends: requests (valid and broken) and router answers. */
#ifndef CONFORM_CRAFT_H
#define CONFORM_CRAFT_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "request.h"

/* IP header + ICMP bytes as given (used for broken requests); ICMPv6 checksum left as is. */
int craft_ip(uint8_t *out, size_t cap, int family, const struct rtr_addr *src,
	     const struct rtr_addr *dst, uint8_t proto, uint8_t ttl, const uint8_t *l4,
	     size_t l4len);
/* A whole request packet (IP TTL 64) built by proto/'s encoder. */
int craft_request(uint8_t *out, size_t cap, int family, const struct rtr_addr *src,
		  const struct rtr_addr *dst, const struct rtr_request *rq);
/* An IPv4 request whose IP header carries 4 option bytes (NOP NOP NOP EOL; IHL 6). */
int craft_request_ipopts(uint8_t *out, size_t cap, const struct rtr_addr *src,
			 const struct rtr_addr *dst, const struct rtr_request *rq);
/* The same request sent as the first fragment (IPv4 MF; IPv6 Fragment header with M). */
int craft_request_fragment(uint8_t *out, size_t cap, int family, const struct rtr_addr *src,
			   const struct rtr_addr *dst, const struct rtr_request *rq);
/*
 * An ICMP error (Time Exceeded / Destination Unreachable, by type and code) from `from` to `to`
 * quoting quote_len bytes of `quote` (cut to what a router quotes at most).
 */
int craft_icmp_error(uint8_t *out, size_t cap, int family, const struct rtr_addr *from,
		     const struct rtr_addr *to, uint8_t type, uint8_t code, const uint8_t *quote,
		     size_t quote_len);
/* A UDP datagram with a valid checksum. */
int craft_udp(uint8_t *out, size_t cap, int family, const struct rtr_addr *src,
	      const struct rtr_addr *dst, uint16_t sport, uint16_t dport, size_t payload);
/* An ICMP/ICMPv6 Echo Request code 0 (ordinary ping). */
int craft_ping(uint8_t *out, size_t cap, int family, const struct rtr_addr *src,
	       const struct rtr_addr *dst, uint16_t ident, uint16_t seq);

#endif
