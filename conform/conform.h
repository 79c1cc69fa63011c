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

/*
 * rtr's profile of every probe seen in a run, per family and protocol (UDP, TCP, ICMP): the
 * profile cases judge all of them the same way, whichever case sent them.
 */
struct shape_acc {
	int seen, bad;
	char first_case[64]; /* the case of the first probe that deviated */
	char first[480];     /* and how */
	/* The identity fields of the first probe of each flow, to see which bits vary in a flow. */
	struct {
		uint16_t flow, ipid;
		uint32_t l4, tag;
	} first_of[16];
	int nflows, compared;
	uint16_t ipid_var;
	uint32_t l4_var, tag_var;
};

/* --only / --skip: case ids (shell patterns, with or without -v4/-v6) or requirement ids. */
struct case_filter {
	const char *only[32], *skip[32];
	int nonly, nskip;
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
	bool listing;	  /* --list-cases: add the cases to the report, play none */
	struct case_filter filter;
	struct shape_acc shape[2][3];
	char client_ns[64];
};

/* Set by SIGINT/SIGTERM/SIGHUP: stop after the current case. */
extern volatile sig_atomic_t conform_stop;

/* True when the case passes --only and --skip. */
bool case_selected(const struct case_filter *f, const char *name, const char *reqs);
/* Plays every server case against the running server and adds the verdicts to rep. */
void server_cases(struct conform *c, struct report *rep);
/* Bounded wait for a server that answers a presence check (TTL 0); true when one answered. */
bool server_wait_ready(struct conform *c, int family, int timeout_ms);

#endif
