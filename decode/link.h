/* SPDX-License-Identifier: BSD-2-Clause */
/* link.h: finds the IP packet inside a captured frame (Ethernet, Linux SLL, raw IP). */
#ifndef RTR_DECODE_LINK_H
#define RTR_DECODE_LINK_H

#include <stddef.h>
#include <stdint.h>

/* Returns 1 when rtr_link_ip understands this pcap link type (DLT_*), else 0. */
int rtr_link_supported(int dlt);

/*
 * Sets *ip and *ip_len to the network-layer bytes of one captured frame of
 * link type dlt. Ethernet trailers stay in *ip_len (IP decoders ignore bytes
 * past the IP total length). Returns 0, or -1 with *why set to a constant
 * English reason ("truncated link header", "not IP (ethertype 0x0806)").
 */
int rtr_link_ip(int dlt, const uint8_t *frame, size_t len, const uint8_t **ip, size_t *ip_len,
		const char **why);

/* Short name of a supported link type, for messages ("Ethernet", "Linux SLL", ...). */
const char *rtr_link_name(int dlt);

#endif
