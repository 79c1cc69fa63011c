/* SPDX-License-Identifier: BSD-2-Clause */
/* pcapread.h: IP packets of a pcap file, link header removed (kept apart: pcap.h and linux/bpf.h
 * clash). */
#ifndef RTR_PCAPREAD_H
#define RTR_PCAPREAD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Calls cb for every packet of path with its IP bytes (raw, IPv4, IPv6,
 * Ethernet with or without 802.1Q, Linux SLL) as captured and its capture
 * time in ns. cb returns 0 to go on. Returns 0, cb's non-zero value, or -1
 * with a message in err (unreadable file, unknown link type).
 */
int pcapread(const char *path, int (*cb)(void *ctx, const uint8_t *ip, size_t len, uint64_t t_ns),
	     void *ctx, char *err, size_t errlen);

#endif
