/* SPDX-License-Identifier: BSD-2-Clause */
/* conform.h: the state one rtr-conform run shares between its lab, wire and case code. */
#ifndef CONFORM_H
#define CONFORM_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "report.h"
#include "wire.h"

/* Addresses of conform.topo, per family (index 0: IPv4, 1: IPv6). */
struct fam_addrs {
	struct rtr_addr client; /* client:eth0 */
	struct rtr_addr r1in;	/* r1:eth0, the client side */
	struct rtr_addr r1out;	/* r1:eth1, the server side: the hop r1 answers from */
	struct rtr_addr server; /* server:eth0 */
};

struct conform {
	struct fam_addrs a[2];
	struct wire_tx tx_client; /* client:eth0 -> r1 */
	struct wire_tx tx_r1;	  /* r1:eth1 -> server */
	struct wire_cap cap_client;
	struct wire_cap cap_r1;
	struct wire_tx tx_server;   /* client mode: server:eth0 -> r1 */
	struct wire_cap cap_server; /* client mode: what reaches the target */
	uint64_t server_timeout_ns; /* 0: the command has no {timeout}, late answers are N/A */
	uint16_t next_ident;
	int families; /* bit 0: IPv4, bit 1: IPv6 */
	bool verbose;
	int client_ns_fd; /* for sockets the client node itself must own (a TCP listener) */
	char client_ns[64];
};

/* Set by SIGINT/SIGTERM/SIGHUP: stop after the current case. */
extern volatile sig_atomic_t conform_stop;

/* Plays every server case against the running server and adds the verdicts to rep. */
void server_cases(struct conform *c, struct report *rep);
/* Bounded wait for a server that answers a presence check (TTL 0); true when one answered. */
bool server_wait_ready(struct conform *c, int family, int timeout_ms);

#endif
