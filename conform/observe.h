/* SPDX-License-Identifier: BSD-2-Clause */
/* observe.h: what rtr-conform saw during one case, and the proto/ decoders that classify it. */
#ifndef CONFORM_OBSERVE_H
#define CONFORM_OBSERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conform.h"
#include "ip.h"
#include "probe.h"
#include "response.h"

#define OBS_MAX 64

struct obs {
	struct wire_pkt cl[OBS_MAX]; /* arrived at the client */
	int ncl;
	struct wire_pkt r1[OBS_MAX]; /* arrived at r1 from the server */
	int nr1;
};

/* Drops whatever both captures hold (packets of earlier cases). */
void obs_flush(struct conform *c);
/*
 * Adds packets to o for at most ms; returns early once until(o, arg) is true (checked after
 * each packet). until may be NULL.
 */
void obs_gather(struct conform *c, struct obs *o, int ms, bool (*until)(const struct obs *, void *),
		void *arg);

/* A server response (Echo Reply code 1) to our request ident, as far as it decodes. */
struct seen_rsp {
	struct rtr_ip ip;
	struct rtr_response rsp;
	int err; /* rtr_response_decode result (< 0: malformed) */
	/* Read from the bytes themselves, so they hold even when the decode failed. */
	uint16_t raw_seq;
	int raw_state; /* the byte at offset 8, or -1 when the reply is shorter */
	size_t icmp_len;
	uint64_t ts_ns;
};
/* True when p is an Echo Reply code 1 of `family` carrying identifier ident; fills s. */
bool obs_is_response(const struct wire_pkt *p, int family, uint16_t ident, struct seen_rsp *s);
/*
 * True when p is a probe for a request of any legal shape: from the server to the client of
 * `a`, IP protocol `proto`, and the flow where the draft puts it: UDP or TCP destination port
 * (TCP: SYN without ACK or RST), or the checksum of an ICMP Echo Request. Payload, length,
 * options, identity and TTL may be anything (the cases judge them). flow -1: any flow.
 */
bool obs_is_probe_for(const struct wire_pkt *p, const struct fam_addrs *a, uint8_t proto, int flow);
/* Count of probes for (proto, flow) at r1; the first one's index in *first (or -1). */
int obs_probes_for(const struct obs *o, const struct fam_addrs *a, uint8_t proto, int flow,
		   int *first);
/* Count of probes of any protocol and flow at r1 (a request that must yield none). */
int obs_any_probe(const struct obs *o, const struct fam_addrs *a);
/* True when the reply repeats the request's non-zero sequence: what a kernel echo does. */
bool obs_is_echo(const struct seen_rsp *s, uint16_t req_seq);
/* Count of responses to ident in o (client side); the first one in *first. */
int obs_responses(const struct obs *o, int family, uint16_t ident, struct seen_rsp *first);

#endif
