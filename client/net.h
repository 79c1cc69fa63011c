/* SPDX-License-Identifier: BSD-2-Clause */
/* net.h: the socket layer that drives trace engines: raw sockets, poll loop, pcap recording. */
#ifndef RTR_CLIENT_NET_H
#define RTR_CLIENT_NET_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "tracer.h"

struct rtr_net {
	int family;
	int tx_fd;   /* IPPROTO_RAW: whole IP packets (v4 and v6) */
	int icmp_fd; /* ICMP / ICMPv6 answers and responses */
	int tcp_fd;  /* TCP answers (RST, SYN-ACK) */
	void *pcap;  /* pcap_t, when recording */
	void *dump;  /* pcap_dumper_t */
	uint32_t recorded;
	bool progress; /* show a progress line on stderr (set when stderr is a terminal) */
	uint64_t progress_ns;
	/*
	 * Streaming output, NULL for none: called after every round of the loop with print false
	 * (is there something new to print?), then, after the progress line is erased, with print
	 * true to print it.
	 */
	bool (*on_round)(void *ctx, bool print);
	void *round_ctx;
};

/*
 * Opens the sockets for family (bound to iface when given) and, when
 * pcap_path is set, a DLT_RAW capture file. tcp_answers opens the packet socket
 * for TCP answers too (forward TCP probes only). Returns 0, or -1 with one line
 * in err (e.g. the missing CAP_NET_RAW).
 */
int rtr_net_open(struct rtr_net *n, int family, const char *iface, bool tcp_answers,
		 const char *pcap_path, char *err, size_t errlen);

/*
 * Finds the source address the kernel would use towards dst (through iface
 * when given). Returns 0 or -1 with err.
 */
int rtr_net_source(int family, const char *iface, const struct rtr_addr *dst, struct rtr_addr *src,
		   char *err, size_t errlen);

/*
 * True when src is an address of this host (in this namespace): raw sockets
 * would send any source, and rtr-client never spoofs one.
 */
bool rtr_net_source_is_local(int family, const struct rtr_addr *src);

/*
 * Drives the traces (tracer.h) until all are done; *stop set by a signal handler
 * interrupts them. Returns 0, or -1 with err on a socket failure.
 */
int rtr_net_run(struct rtr_net *n, struct rtr_tracer **engines, int count,
		volatile sig_atomic_t *stop, char *err, size_t errlen);

/*
 * For a driver with its own loop (a campaign): reads everything pending on
 * n's sockets and feeds each packet to every engine given. Returns 0, or -1
 * with err.
 */
int rtr_net_receive(struct rtr_net *n, struct rtr_tracer **engines, int count, char *err,
		    size_t errlen);

/* Sends tx on n (recorded when --pcap). Returns 0, or -1 with err. */
int rtr_net_send(struct rtr_net *n, const struct rtr_eng_tx *tx, char *err, size_t errlen);

/* Writes what --pcap holds so far to the file (a killed client leaves a readable capture). */
void rtr_net_flush(struct rtr_net *n);

/* The descriptors rtr_net_receive reads, for the driver's poll (2 of them; -1 for one not open). */
void rtr_net_fds(const struct rtr_net *n, int fds[2]);

void rtr_net_close(struct rtr_net *n);

/*
 * Drops every capability (effective, permitted, inheritable) and forbids
 * regaining any: called once the raw sockets are open, so the rest of the run
 * (parsing answers, DNS, output, --transmit) holds no privilege. Returns 0 or
 * -1 with err.
 */
int rtr_net_drop_privileges(char *err, size_t errlen);

/* CLOCK_MONOTONIC in ns. */
uint64_t rtr_net_now(void);

/* Fills buf with unpredictable bytes (getrandom); the engine's random source. */
void rtr_net_random(void *ctx, void *buf, size_t len);

#endif
