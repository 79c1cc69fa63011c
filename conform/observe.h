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
	size_t icmp_len;
	uint64_t ts_ns;
};
/* True when p is an Echo Reply code 1 of `family` carrying identifier ident; fills s. */
bool obs_is_response(const struct wire_pkt *p, int family, uint16_t ident, struct seen_rsp *s);
/* True when p decodes as one of our probes (proto/ rtr_probe_decode) sent by src. */
bool obs_is_probe(const struct wire_pkt *p, const struct rtr_addr *src, struct rtr_probe_seen *s);
/* Count of responses to ident in o (client side); the first one in *first. */
int obs_responses(const struct obs *o, int family, uint16_t ident, struct seen_rsp *first);
/* Count of probes from src at r1; the first one's packet index in *first (or -1). */
int obs_probes(const struct obs *o, const struct rtr_addr *src, int *first);

#endif
