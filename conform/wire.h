/* SPDX-License-Identifier: BSD-2-Clause */
/* wire.h: rtr-conform's packet I/O inside lab namespaces: AF_PACKET senders and pcap captures. */
#ifndef CONFORM_WIRE_H
#define CONFORM_WIRE_H

#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>

/* Runs the following socket/pcap opens inside namespace ns (a name under /run/netns). */
int wire_enter(const char *ns);
/* Returns to the namespace rtr-conform started in. */
int wire_leave(void);

/* A sender of whole IP packets out of one interface to one neighbour MAC (no kernel rewriting). */
struct wire_tx {
	int fd;
	int ifindex;
	uint8_t mac[6];
};
/* Opens a sender on ifname (in the current namespace) towards neighbour MAC `to`. */
int wire_tx_open(struct wire_tx *tx, const char *ifname, const uint8_t to[6]);
/* Sends one IP packet (the version nibble picks the EtherType). Returns 0 or -1. */
int wire_tx_send(const struct wire_tx *tx, const uint8_t *pkt, size_t len);

/* MAC address of ifname in the current namespace. */
int wire_mac(const char *ifname, uint8_t mac[6]);

/* One captured IP packet (link header removed) with its capture time in ns. */
struct wire_pkt {
	uint64_t ts_ns;
	size_t len;
	uint8_t data[2048];
};

/* A capture of incoming packets on one interface. */
struct wire_cap {
	pcap_t *p;
	int fd;
};
/* Opens an immediate-mode capture of packets arriving on ifname (current namespace). */
int wire_cap_open(struct wire_cap *c, const char *ifname, char *err, size_t errlen);
/*
 * Waits at most timeout_ms for the next IP packet and copies it to out.
 * Returns 1 (packet), 0 (timeout) or -1.
 */
int wire_cap_next(struct wire_cap *c, struct wire_pkt *out, int timeout_ms);
/* Reads one packet that is already there without waiting: 1, 0 (none) or -1. */
int wire_cap_read(struct wire_cap *c, struct wire_pkt *out);
void wire_cap_close(struct wire_cap *c);

/* CLOCK_REALTIME in ns, the clock pcap timestamps use. */
uint64_t wire_now_ns(void);

#endif
