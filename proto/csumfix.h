/* SPDX-License-Identifier: BSD-2-Clause */
/* csumfix.h: recomputes every checksum of a whole IPv4/IPv6 packet after its bytes were edited. */
#ifndef RTR_CSUMFIX_H
#define RTR_CSUMFIX_H

#include <stddef.h>
#include <stdint.h>

/*
 * Recomputes, in place, the IPv4 header checksum (over the header with its
 * options) and the checksum of the upper layer: ICMP (no pseudo-header),
 * ICMPv6, UDP (a computed 0 is sent as 0xFFFF, RFC 768) or TCP, over the
 * bytes the IP total length / payload length covers. pkt must hold the whole
 * packet (len >= the IP length; trailing bytes are left alone). Tests and
 * crafting tools use it after editing a packet, so that one edit cannot leave
 * a stale checksum behind.
 *
 * Returns RTR_OK; RTR_E_TRUNCATED when len is shorter than the IP length or
 * the upper layer is too short to hold its checksum field; RTR_E_VERSION or
 * RTR_E_IPHDR for a malformed IP header; RTR_E_FRAGMENT for a fragment (its
 * upper-layer checksum covers bytes not here); RTR_E_PROTO for another upper
 * layer (the IPv4 header checksum is fixed all the same).
 */
int rtr_csum_fix_l4(uint8_t *pkt, size_t len);

#endif
