// SPDX-License-Identifier: BSD-2-Clause
/* server.c: the server cases: requests from the client node, answers from r1, verdicts. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "checks.h"
#include "checksum.h"
#include "conform.h"
#include "craft.h"
#include "diag.h"
#include "err.h"
#include "observe.h"
#include "request.h"
#include "rtr_wire.h"

/* Windows: silence is judged after NEG_MS; a positive answer waits at most WAIT_MS. */
#define NEG_MS 300
#define WAIT_MS 1000
#define EXTRA_MS 150

enum kind {
	K_VALID,   /* a request whose probe gets an answer (direct or from r1) */
	K_ERROR,   /* a request answered with an error state, no probe */
	K_DROP,	   /* a request the server must drop silently */
	K_DUPREQ,  /* the same request twice while pending */
	K_PARIS,   /* two requests of one flow: constant hashed fields, fresh identity */
	K_SYNACK,  /* a TCP probe answered by a listener: response and RST */
	K_FOREIGN, /* traffic that only looks similar: the host stack must still see it */
};

enum plan {
	P_DIRECT, /* the client answers (TTL > 1) */
	P_TE0,	  /* r1: Time Exceeded code 0 */
	P_TE1,	  /* r1: Time Exceeded code 1: never matches */
	P_DU,	  /* r1: Destination Unreachable, every code */
	P_QUOTE8, /* r1: Time Exceeded quoting IP header + 8 bytes */
	P_FORGED, /* r1: Time Exceeded with a wrong identity first, then the real one */
	P_DUPANS, /* r1: the same Time Exceeded twice */
	P_LATE,	  /* r1: Time Exceeded after the server's timeout */
	P_NONE,	  /* nobody answers */
	P_RST,	  /* the client's SYN-ACK: the RST the server sends after it (K_SYNACK) */
};

/* Level and strength of a case (report.h): draft MUST / SHOULD, profile MUST / SHOULD. */
enum { DM, DS, PM, PS };

enum drop { D_SHORT, D_BADSUM, D_FRAG };
enum foreign { F_PING, F_UDP1021, F_TE };

#define NATIVE -1 /* ICMP of the family: 1 on IPv4, 58 on IPv6 */
#define OTHER -2  /* ICMP of the other family */

struct scase {
	const char *name;
	const char *reqs;
	uint8_t lvl; /* DM, DS, PM, PS */
	uint8_t kind;
	int fam; /* 0 both, else only 4 or 6 */
	uint8_t ttl;
	int proto; /* request protocol byte, or NATIVE / OTHER */
	uint16_t flow;
	int ident;    /* -1: a fresh one */
	uint8_t plan; /* K_VALID */
	int state;    /* K_ERROR */
	uint16_t value;
	uint8_t ext;  /* 1: unknown object 0x7f/1, 2: target, 3: no extension but IPv4 options */
	uint8_t drop; /* K_DROP: enum drop; K_FOREIGN: enum foreign */
	uint8_t short_len;
	uint8_t forge; /* P_FORGED: 0 identity, 1 quoted source, 2 rtr's UDP payload tag */
};

/* Positional rows read like a table; trailing fields left out are zero. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct scase cases[] = {
	/* Valid requests, answered directly by the client (echo reply, port unreachable, RST). */
	{"valid-udp-flow0", "REQ-3 PRB-1 PRB-2 PRB-3 PRB-4 PRB-6 RSP-1 RSP-2 RSP-4 REQ-4", DM,
	 K_VALID, 0, 64, 17, 0, -1, P_DIRECT},
	{"valid-udp-flow1", "REQ-3 PRB-3 PRB-4 RSP-1", DM, K_VALID, 0, 64, 17, 1, -1, P_DIRECT},
	{"valid-udp-flow65535", "REQ-3 PRB-3 PRB-4 RSP-1", DM, K_VALID, 0, 64, 17, 65535, -1,
	 P_DIRECT},
	{"valid-tcp-flow0", "REQ-3 PRB-3 PRB-7 ANS-1 RSP-1", DM, K_VALID, 0, 64, 6, 0, -1,
	 P_DIRECT},
	{"valid-tcp-flow443", "REQ-3 PRB-7 ANS-1 RSP-1", DM, K_VALID, 0, 64, 6, 443, -1, P_DIRECT},
	{"valid-tcp-flow65535", "REQ-3 PRB-7 ANS-1 RSP-1", DM, K_VALID, 0, 64, 6, 65535, -1,
	 P_DIRECT},
	{"valid-icmp-flow0", "REQ-3 PRB-3 PRB-6 ANS-1 RSP-1", DM, K_VALID, 0, 64, NATIVE, 0, -1,
	 P_DIRECT},
	{"valid-icmp-flow1", "REQ-3 PRB-3 ANS-1", DM, K_VALID, 0, 64, NATIVE, 1, -1, P_DIRECT},
	{"valid-icmp-flow65535", "REQ-3 PRB-3 ANS-1", DM, K_VALID, 0, 64, NATIVE, 65535, -1,
	 P_DIRECT},
	{"valid-default-proto", "REQ-3 section-2", DM, K_VALID, 0, 64, 0, 0, -1, P_DIRECT},
	{"valid-ipopts", "REQ-5", DM, K_VALID, 4, 64, 17, 0, -1, P_DIRECT, 0, 0, 3},
	{"valid-ttl255", "REQ-3 section-4", DM, K_VALID, 0, 255, 17, 0, -1, P_DIRECT},
	{"valid-ident0", "RSP-2 section-3", DM, K_VALID, 0, 64, 17, 0, 0, P_DIRECT},
	{"valid-identffff", "RSP-2 section-3", DM, K_VALID, 0, 64, 17, 0, 0xFFFF, P_DIRECT},
	/* TTL 1: the probe expires at r1, which rtr-conform answers. */
	{"answer-te-udp", "ANS-1 ANS-3 RSP-1", DM, K_VALID, 0, 1, 17, 33434, -1, P_TE0},
	{"answer-te-tcp", "ANS-1 ANS-3 RSP-1", DM, K_VALID, 0, 1, 6, 443, -1, P_TE0},
	{"answer-te-icmp", "ANS-1 ANS-3 RSP-1", DM, K_VALID, 0, 1, NATIVE, 0, -1, P_TE0},
	{"answer-te-code1", "ANS-1 RSP-3", DM, K_VALID, 0, 1, 17, 0, -1, P_TE1},
	{"answer-du", "ANS-1", DM, K_VALID, 0, 1, 17, 0, -1, P_DU},
	{"answer-quote8-tcp", "ANS-4", DM, K_VALID, 0, 1, 6, 0, -1, P_QUOTE8},
	{"answer-quote8-udp", "ANS-4", DM, K_VALID, 4, 1, 17, 0, -1, P_QUOTE8},
	{"answer-quote8-udp", "PRB-5 section-4.1", PS, K_VALID, 6, 1, 17, 0, -1, P_QUOTE8},
	{"answer-forged-identity", "PRB-5 ANS-3 RSP-3", DM, K_VALID, 0, 1, 17, 0, -1, P_FORGED},
	{"answer-forged-icmp-id", "PRB-5 ANS-3 RSP-3", DM, K_VALID, 0, 1, NATIVE, 0, -1, P_FORGED},
	{"answer-forged-quoted-src", "ANS-3 RSP-3", DM, K_VALID, 0, 1, 6, 0, -1, P_FORGED, 0, 0, 0,
	 0, 0, 1},
	{"answer-duplicate", "SES-3 RSP-3", DM, K_VALID, 0, 1, 17, 0, -1, P_DUPANS},
	{"answer-after-timeout", "SES-3 SES-4 RSP-3", DM, K_VALID, 0, 1, 17, 0, -1, P_LATE},
	{"answer-forged-tag", "PRB-5 ANS-3 section-4.1", PM, K_VALID, 0, 1, 17, 0, -1, P_FORGED, 0,
	 0, 0, 0, 0, 2},
	{"answer-synack", "ANS-1", DM, K_SYNACK, 0, 64, 6, 8080, -1, P_DIRECT},
	{"answer-synack-rst", "ANS-2", PM, K_SYNACK, 0, 64, 6, 8080, -1, P_RST},
	/* Error states. */
	{"error-ttl0", "RSP-6 REQ-3 RSP-1 RSP-2", DM, K_ERROR, 0, 0, 17, 0, -1, 0, 1},
	{"error-ttl0-proto99", "REQ-3", DM, K_ERROR, 0, 0, 99, 0, -1, 0, 1},
	{"error-proto99", "REQ-3", DM, K_ERROR, 0, 3, 99, 0, -1, 0, 2},
	{"error-proto-other-family", "REQ-3", DM, K_ERROR, 0, 3, OTHER, 0, -1, 0, 2},
	{"error-ext-unknown", "EXT-4 REQ-3", DS, K_ERROR, 0, 3, 17, 0, -1, 0, 4, 0x7F01, 1},
	{"error-ext-target", "EXT-2 REQ-3", PS, K_ERROR, 0, 3, 17, 0, -1, 0, 4, 0x0500, 2},
	/* Silent drops (and no kernel echo). */
	{"drop-short0", "REQ-1 REQ-4", DM, K_DROP, 0, 3, 17, 0, -1, 0, 0, 0, 0, D_SHORT, 0},
	{"drop-short4", "REQ-1 REQ-4", DM, K_DROP, 0, 3, 17, 0, -1, 0, 0, 0, 0, D_SHORT, 4},
	{"drop-short8", "REQ-1 REQ-4", DM, K_DROP, 0, 3, 17, 0, -1, 0, 0, 0, 0, D_SHORT, 8},
	{"drop-short11", "REQ-1 REQ-4", DM, K_DROP, 0, 3, 17, 0, -1, 0, 0, 0, 0, D_SHORT, 11},
	{"drop-bad-checksum", "REQ-2 REQ-4", DM, K_DROP, 0, 3, 17, 0, -1, 0, 0, 0, 0, D_BADSUM},
	{"drop-fragment", "REQ-4", PM, K_DROP, 0, 3, 17, 0, -1, 0, 0, 0, 0, D_FRAG},
	{"drop-duplicate-pending", "SES-2 SES-3", DM, K_DUPREQ, 0, 1, 17, 0, -1, P_TE0},
	/* Probe identity and the Paris rule. */
	{"paris-udp", "PRB-1 PRB-5", DM, K_PARIS, 0, 1, 17, 4242, -1, P_NONE},
	{"paris-tcp", "PRB-1 PRB-5", DM, K_PARIS, 0, 1, 6, 4242, -1, P_NONE},
	{"paris-icmp", "PRB-1 PRB-5", DM, K_PARIS, 0, 1, NATIVE, 4242, -1, P_NONE},
	/* Foreign traffic passes to the host stack untouched. */
	{"foreign-ping", "ANS-5 REQ-4", DM, K_FOREIGN, 0, 64, 0, 0, -1, 0, 0, 0, 0, F_PING},
	{"foreign-udp-1021", "ANS-5 PRB-9", DM, K_FOREIGN, 0, 64, 0, 0, -1, 0, 0, 0, 0, F_UDP1021},
	{"foreign-te-lookalike", "ANS-5 RSP-3", DM, K_FOREIGN, 0, 64, 0, 0, -1, 0, 0, 0, 0, F_TE},
};
#pragma GCC diagnostic pop

static uint8_t req_proto(const struct scase *k, int fam)
{
	if (k->proto == NATIVE)
		return fam == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	if (k->proto == OTHER)
		return fam == 4 ? RTR_IPPROTO_ICMPV6 : RTR_IPPROTO_ICMP;
	return (uint8_t)k->proto;
}

static uint16_t probe_flow(uint8_t proto, uint16_t flow)
{
	if (flow)
		return flow;
	if (proto == RTR_IPPROTO_UDP)
		return 53;
	if (proto == RTR_IPPROTO_TCP)
		return 80;
	return 0xBEAF;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

struct run {
	struct conform *c;
	const struct fam_addrs *a;
	const char *name; /* the case's report name */
	int fam;
	uint16_t ident, seq;
	uint8_t proto; /* the probe's protocol and flow, resolved */
	uint16_t flow;
	uint64_t sent_ns;
	struct obs *o;
};

static bool until_probe(const struct obs *o, void *arg)
{
	const struct run *x = arg;
	return obs_probes_for(o, x->a, x->proto, x->flow, NULL) > 0;
}

static bool until_response(const struct obs *o, void *arg)
{
	const struct run *x = arg;
	return obs_responses(o, x->fam, x->ident, NULL) > 0;
}

static void send_client(struct run *x, const uint8_t *pkt, int len)
{
	if (len < 0 || wire_tx_send(&x->c->tx_client, pkt, (size_t)len) < 0)
		rtr_warn("send from client failed");
}

static void send_r1(struct run *x, const uint8_t *pkt, int len)
{
	if (len < 0 || wire_tx_send(&x->c->tx_r1, pkt, (size_t)len) < 0)
		rtr_warn("send from r1 failed");
}

static int build_request(struct run *x, const struct scase *k, uint8_t *buf, size_t cap)
{
	struct rtr_request rq = {.ident = x->ident,
				 .seq = x->seq,
				 .ttl = k->ttl,
				 .proto = req_proto(k, x->fam),
				 .flow = k->flow};
	if (k->ext == 1) {
		rq.has_unknown = true;
		rq.unknown_class = 0x7F;
		rq.unknown_ctype = 1;
	} else if (k->ext == 2) {
		rq.has_target = true;
		rq.target_obj_len = RTR_EXT_TARGET_LEN_RFC;
		rq.target = x->a->client;
	} else if (k->ext == 3) {
		return craft_request_ipopts(buf, cap, &x->a->client, &x->a->server, &rq);
	}
	return craft_request(buf, cap, x->fam, &x->a->client, &x->a->server, &rq);
}

/*
 * Kernel echoes repeat our non-zero sequence, whatever their length: the request reached the
 * host stack (REQ-4).
 */
static void check_no_echo(struct result *r, struct run *x)
{
	struct seen_rsp s;
	for (int i = 0; i < x->o->ncl; i++)
		if (obs_is_response(&x->o->cl[i], x->fam, x->ident, &s) &&
		    obs_is_echo(&s, x->seq)) {
			result_fail(r,
				    "a kernel echo of the request came back (sequence %u "
				    "repeated): the request reached the host stack (REQ-4)",
				    x->seq);
			return;
		}
}

/* Expects exactly one response in the gathered packets and checks it. */
static void expect_one(struct result *r, struct run *x, int state, uint16_t value,
		       const struct rtr_addr *hop)
{
	struct seen_rsp s;
	int n = obs_responses(x->o, x->fam, x->ident, &s);
	if (n == 0) {
		result_fail(r, "expected a response with state %d, seen none", state);
		return;
	}
	if (n > 1)
		result_fail(r, "expected exactly one response, seen %d (SES-3)", n);
	uint64_t max = s.ts_ns > x->sent_ns ? s.ts_ns - x->sent_ns : 0;
	check_response(r, &s, x->a, x->seq, state, value, hop, max + 1000000);
}

static void expect_none(struct result *r, struct run *x, const char *why)
{
	struct seen_rsp s;
	int n = obs_responses(x->o, x->fam, x->ident, &s);
	if (n) {
		char d[300];
		describe_response(&s, x->seq, d, sizeof(d));
		result_fail(r, "expected no response (%s), seen %d: %s", why, n, d);
	}
}

/*
 * Waits for the probe at r1 and notes it for the profile cases; returns its index in x->o->r1
 * or -1. No probe is the case's failure when the probe is what it checks (subject), else the
 * case could not be played (INCONCLUSIVE).
 */
static int wait_probe(struct result *r, struct run *x, bool subject)
{
	obs_gather(x->c, x->o, WAIT_MS, until_probe, x);
	int first;
	if (obs_probes_for(x->o, x->a, x->proto, x->flow, &first) == 0) {
		struct seen_rsp s;
		char d[300] = "no response";
		if (obs_responses(x->o, x->fam, x->ident, &s)) {
			strcpy(d, "response ");
			describe_response(&s, x->seq, d + 9, sizeof(d) - 9);
		}
		if (subject)
			result_fail(r,
				    "expected a probe at r1 (protocol %u, flow %u), seen none; %s",
				    x->proto, x->flow, d);
		else
			result_inconclusive(r,
					    "no probe (protocol %u, flow %u) was seen at r1, so "
					    "there was nothing to answer; %s",
					    x->proto, x->flow, d);
		return -1;
	}
	shape_note(x->c, x->name, &x->o->r1[first], x->fam, x->proto);
	return first;
}

/* Time Exceeded / Destination Unreachable from r1 quoting (a copy of) the probe. */
static void answer_from_r1(struct run *x, const struct wire_pkt *probe, bool du, uint8_t code,
			   size_t quote_len)
{
	uint8_t pkt[1600];
	uint8_t type = x->fam == 4 ? (du ? RTR_ICMP4_DEST_UNREACH : RTR_ICMP4_TIME_EXCEEDED)
				   : (du ? RTR_ICMP6_DEST_UNREACH : RTR_ICMP6_TIME_EXCEEDED);
	size_t q = quote_len && quote_len < probe->len ? quote_len : probe->len;
	send_r1(x, pkt,
		craft_icmp_error(pkt, sizeof(pkt), x->fam, &x->a->r1out, &x->a->server, type, code,
				 probe->data, q));
}

static size_t ip_hlen(const struct wire_pkt *p)
{
	return (p->data[0] >> 4) == 4 ? (size_t)(p->data[0] & 15) * 4 : 40;
}

static void run_valid(struct result *r, struct run *x, const struct scase *k, uint8_t code)
{
	uint8_t buf[1600];
	uint8_t proto = x->proto;
	x->sent_ns = wire_now_ns();
	send_client(x, buf, build_request(x, k, buf, sizeof(buf)));
	if (k->kind == K_DUPREQ) {
		sleep_ms(20);
		send_client(x, buf, build_request(x, k, buf, sizeof(buf)));
	}
	int pi = wait_probe(r, x, k->kind == K_VALID && k->plan == P_DIRECT);
	if (pi < 0) {
		check_no_echo(r, x);
		return;
	}
	struct wire_pkt probe = x->o->r1[pi];
	check_probe(r, &probe, x->a, x->fam, proto, x->flow, k->ttl);
	if (k->kind == K_DUPREQ) {
		obs_gather(x->c, x->o, NEG_MS, NULL, NULL);
		int n = obs_probes_for(x->o, x->a, proto, x->flow, NULL);
		if (n != 1)
			result_fail(r,
				    "expected one probe for a request sent twice, seen %d (SES-2)",
				    n);
	}
	switch (k->plan) {
	case P_DIRECT:
		obs_gather(x->c, x->o, WAIT_MS, until_response, x);
		obs_gather(x->c, x->o, EXTRA_MS, NULL, NULL);
		expect_one(r, x, 0, 0, &x->a->client);
		break;
	case P_TE0:
	case P_DU:
		answer_from_r1(x, &probe, k->plan == P_DU, code, 0);
		obs_gather(x->c, x->o, WAIT_MS, until_response, x);
		obs_gather(x->c, x->o, EXTRA_MS, NULL, NULL);
		expect_one(r, x, 0, 0, &x->a->r1out);
		break;
	case P_TE1:
		answer_from_r1(x, &probe, false, 1, 0);
		obs_gather(x->c, x->o, NEG_MS, NULL, NULL);
		expect_none(r, x, "Time Exceeded code 1 never matches");
		break;
	case P_QUOTE8:
		answer_from_r1(x, &probe, false, 0, ip_hlen(&probe) + 8);
		if (x->fam == 6 && proto == RTR_IPPROTO_UDP) {
			obs_gather(x->c, x->o, NEG_MS, NULL, NULL);
			expect_none(r, x, "an 8-byte quote of an IPv6 UDP probe lacks the tag");
		} else {
			obs_gather(x->c, x->o, WAIT_MS, until_response, x);
			obs_gather(x->c, x->o, EXTRA_MS, NULL, NULL);
			expect_one(r, x, 0, 0, &x->a->r1out);
		}
		break;
	case P_FORGED: {
		struct wire_pkt f = probe;
		size_t h = ip_hlen(&f);
		if (k->forge == 1) { /* quoted source: the client instead of the server */
			memcpy(f.data + (x->fam == 4 ? 12 : 8),
			       x->fam == 4 ? x->a->client.b + 12 : x->a->client.b,
			       x->fam == 4 ? 4 : 16);
		} else if (k->forge == 2) {
			/* Only where rtr keeps its UDP tag, beyond what every router quotes. */
			if (f.len < h + 8 + RTR_PROBE_TAG_OFF + 4) {
				result_inconclusive(r,
						    "the probe has no payload bytes 2..5 to forge");
				break;
			}
			f.data[h + 8 + RTR_PROBE_TAG_OFF] ^= 0x5a;
		} else {
			/*
			 * Every field the draft names for identity, inside what every router
			 * quotes: the IPv4 ID and the UDP checksum, TCP sequence number or ICMP
			 * identifier and sequence. Whichever an implementation uses, it changed.
			 */
			if (x->fam == 4)
				f.data[4] ^= 0x5a;
			size_t at = proto == RTR_IPPROTO_UDP ? 6 : 4;
			for (size_t i = at; i < 8; i++)
				f.data[h + i] ^= 0x5a;
		}
		answer_from_r1(x, &f, false, 0, 0);
		obs_gather(x->c, x->o, NEG_MS, NULL, NULL);
		expect_none(r, x, "the quote's identity is not the probe's");
		answer_from_r1(x, &probe, false, 0, 0);
		obs_gather(x->c, x->o, WAIT_MS, until_response, x);
		obs_gather(x->c, x->o, EXTRA_MS, NULL, NULL);
		if (obs_responses(x->o, x->fam, x->ident, NULL) == 0)
			result_fail(r,
				    "the genuine answer after the forged one got no response (the "
				    "forgery ended the session)");
		else
			expect_one(r, x, 0, 0, &x->a->r1out);
		break;
	}
	case P_DUPANS:
		answer_from_r1(x, &probe, false, 0, 0);
		obs_gather(x->c, x->o, WAIT_MS, until_response, x);
		answer_from_r1(x, &probe, false, 0, 0);
		obs_gather(x->c, x->o, NEG_MS, NULL, NULL);
		expect_one(r, x, 0, 0, &x->a->r1out);
		break;
	case P_LATE:
		sleep_ms((int)(x->c->server_timeout_ns / 1000000) + 500);
		answer_from_r1(x, &probe, false, 0, 0);
		obs_gather(x->c, x->o, NEG_MS, NULL, NULL);
		expect_none(r, x, "the answer came after the session timed out");
		break;
	default:
		break;
	}
	check_no_echo(r, x);
}

static void run_error(struct result *r, struct run *x, const struct scase *k)
{
	uint8_t buf[1600];
	x->sent_ns = wire_now_ns();
	send_client(x, buf, build_request(x, k, buf, sizeof(buf)));
	obs_gather(x->c, x->o, WAIT_MS, until_response, x);
	obs_gather(x->c, x->o, EXTRA_MS, NULL, NULL);
	expect_one(r, x, k->state, k->value, NULL);
	if (obs_any_probe(x->o, x->a))
		result_fail(r, "expected no probe for an error state, seen one at r1");
	check_no_echo(r, x);
}

static void run_drop(struct result *r, struct run *x, const struct scase *k)
{
	uint8_t buf[1600];
	int len;
	if (k->drop == D_FRAG) {
		struct rtr_request rq = {.ident = x->ident,
					 .seq = x->seq,
					 .ttl = k->ttl,
					 .proto = req_proto(k, x->fam)};
		len = craft_request_fragment(buf, sizeof(buf), x->fam, &x->a->client, &x->a->server,
					     &rq);
	} else {
		len = build_request(x, k, buf, sizeof(buf));
		if (len < 0)
			return;
		size_t h = (buf[0] >> 4) == 4 ? (size_t)(buf[0] & 15) * 4 : 40;
		uint8_t icmp[64];
		size_t n = k->drop == D_SHORT ? k->short_len : (size_t)len - h;
		memcpy(icmp, buf + h, n);
		if (k->drop == D_BADSUM) {
			icmp[2] ^= 0x01;
		} else if (n >= 4) {
			/* Only the length is wrong: the checksum covers the short message. */
			icmp[2] = icmp[3] = 0;
			uint32_t ps = x->fam == 6 ? rtr_csum_pseudo(6, &x->a->client, &x->a->server,
								    58, (uint32_t)n)
						  : 0;
			uint16_t ck = rtr_csum_fold(rtr_csum_add(ps, icmp, n));
			icmp[2] = (uint8_t)(ck >> 8);
			icmp[3] = (uint8_t)ck;
		}
		len = craft_ip(buf, sizeof(buf), x->fam, &x->a->client, &x->a->server,
			       x->fam == 4 ? 1 : 58, 64, icmp, n);
	}
	x->sent_ns = wire_now_ns();
	send_client(x, buf, len);
	obs_gather(x->c, x->o, NEG_MS, NULL, NULL);
	expect_none(r, x, "the request must be dropped silently");
	if (obs_any_probe(x->o, x->a))
		result_fail(r, "expected no probe for a dropped request, seen one at r1");
	check_no_echo(r, x);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void run_paris(struct result *r, struct run *x, const struct scase *k)
{
	uint8_t buf[1600];
	send_client(x, buf, build_request(x, k, buf, sizeof(buf)));
	x->ident = x->c->next_ident++; /* a second request, pending alongside the first */
	send_client(x, buf, build_request(x, k, buf, sizeof(buf)));
	obs_gather(x->c, x->o, WAIT_MS, NULL, NULL);
	const struct wire_pkt *w[2] = {NULL, NULL};
	int n = 0;
	for (int i = 0; i < x->o->nr1 && n < 2; i++)
		if (obs_is_probe_for(&x->o->r1[i], x->a, x->proto, x->flow)) {
			w[n++] = &x->o->r1[i];
			shape_note(x->c, x->name, &x->o->r1[i], x->fam, x->proto);
		}
	if (n < 2) {
		result_inconclusive(r, "expected two probes of one flow at r1, seen %d", n);
		return;
	}
	struct rtr_ip ip0, ip1;
	int h0 = rtr_ip_decode(&ip0, w[0]->data, w[0]->len, 0);
	int h1 = rtr_ip_decode(&ip1, w[1]->data, w[1]->len, 0);
	if (h0 < 0 || h1 < 0 || w[0]->len < (size_t)h0 + 8 || w[1]->len < (size_t)h1 + 8) {
		result_fail(r, "a probe is shorter than its IP header and 8 L4 bytes");
		return;
	}
	const uint8_t *l0 = w[0]->data + h0, *l1 = w[1]->data + h1;
	if (!rtr_addr_eq(&ip0.src, &ip1.src) || !rtr_addr_eq(&ip0.dst, &ip1.dst) ||
	    ip0.proto != ip1.proto || be32(l0) != be32(l1) || ip0.flowlabel != ip1.flowlabel)
		result_fail(r,
			    "hashed fields differ between two probes of one flow: first L4 "
			    "words %08x / %08x, flow labels %05x / %05x (PRB-1)",
			    be32(l0), be32(l1), ip0.flowlabel, ip1.flowlabel);
	/*
	 * Two pending probes that agree in everything a router quotes (IPv4 ID and 8 L4 bytes)
	 * cannot be told apart by their answers, whatever identity an implementation uses.
	 */
	if (ip0.id == ip1.id && !memcmp(l0, l1, 8))
		result_fail(r,
			    "two pending probes carry the same IP ID and first 8 L4 bytes: their "
			    "answers cannot be told apart (PRB-5, SES-1)");
}

/* A listener on the client node: its kernel answers a SYN probe with a SYN-ACK. Returns fd. */
static int client_listen(struct run *x, uint16_t port)
{
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int ls = -1;
	if (home >= 0 && wire_enter(x->c->client_ns) == 0) {
		ls = socket(x->fam == 4 ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int one = 1;
		setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		struct sockaddr_storage ss;
		memset(&ss, 0, sizeof(ss));
		socklen_t sl;
		if (x->fam == 4) {
			struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
			s4->sin_family = AF_INET;
			s4->sin_port = htons(port);
			sl = sizeof(*s4);
		} else {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
			s6->sin6_family = AF_INET6;
			s6->sin6_port = htons(port);
			int v6only = 1;
			setsockopt(ls, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only));
			sl = sizeof(*s6);
		}
		if (ls >= 0 && (bind(ls, (struct sockaddr *)&ss, sl) < 0 || listen(ls, 4) < 0)) {
			close(ls);
			ls = -1;
		}
	}
	if (home >= 0) {
		setns(home, CLONE_NEWNET);
		close(home);
	}
	return ls;
}

/* answer-synack: the response (draft); answer-synack-rst: the RST after it (profile, ANS-2). */
static void run_synack(struct result *r, struct run *x, const struct scase *k)
{
	int ls = client_listen(x, k->flow);
	if (ls < 0) {
		result_inconclusive(r, "rtr-conform could not listen on the client (tool error)");
		return;
	}
	uint8_t buf[1600];
	x->sent_ns = wire_now_ns();
	send_client(x, buf, build_request(x, k, buf, sizeof(buf)));
	int pi = wait_probe(r, x, false);
	if (pi >= 0) {
		const struct wire_pkt *pr = &x->o->r1[pi];
		uint32_t seq = be32(pr->data + ip_hlen(pr) + 4);
		check_probe(r, pr, x->a, x->fam, x->proto, x->flow, k->ttl);
		obs_gather(x->c, x->o, WAIT_MS, until_response, x);
		obs_gather(x->c, x->o, 300, NULL, NULL);
		if (k->plan == P_DIRECT)
			expect_one(r, x, 0, 0, &x->a->client);
		/* The RST: server -> client, 1021 -> flow, RST alone, seq = probe seq + 1. */
		int rst = 0;
		for (int i = 0; i < x->o->ncl && k->plan == P_RST; i++) {
			const struct wire_pkt *p = &x->o->cl[i];
			struct rtr_ip ip;
			int h = rtr_ip_decode(&ip, p->data, p->len, 0);
			if (h < 0 || ip.proto != RTR_IPPROTO_TCP ||
			    !rtr_addr_eq(&ip.src, &x->a->server))
				continue;
			const uint8_t *t = p->data + h;
			if ((t[13] & 0x04) && t[0] == 0x03 && t[1] == 0xFD &&
			    be32(t + 4) == seq + 1 && !(t[13] & 0x10))
				rst++;
		}
		if (k->plan == P_RST && rst != 1)
			result_fail(r,
				    "expected one RST (1021 -> %u, seq %u, no ACK) after the "
				    "SYN-ACK, seen %d (ANS-2)",
				    k->flow, seq + 1, rst);
	}
	close(ls);
	check_no_echo(r, x);
}

static void run_foreign(struct result *r, struct run *x, const struct scase *k)
{
	uint8_t buf[1600];
	int len;
	const struct fam_addrs *a = x->a;
	if (k->drop == F_PING) {
		len = craft_ping(buf, sizeof(buf), x->fam, &a->client, &a->server, x->ident,
				 x->seq);
		send_client(x, buf, len);
	} else if (k->drop == F_UDP1021) {
		len = craft_udp(buf, sizeof(buf), x->fam, &a->client, &a->server, 1021, 33434, 10);
		send_client(x, buf, len);
	} else {
		/* A probe-shaped UDP datagram the server never sent, quoted by r1. */
		uint8_t q[256];
		int ql = craft_udp(q, sizeof(q), x->fam, &a->server, &a->client, 1021, 53, 32);
		struct wire_pkt w;
		memcpy(w.data, q, (size_t)ql);
		w.len = (size_t)ql;
		answer_from_r1(x, &w, false, 0, 0);
	}
	obs_gather(x->c, x->o, NEG_MS, NULL, NULL);
	int seen = 0;
	for (int i = 0; i < x->o->ncl; i++) {
		const struct wire_pkt *p = &x->o->cl[i];
		struct rtr_ip ip;
		int h = rtr_ip_decode(&ip, p->data, p->len, 0);
		if (h < 0 || !rtr_addr_eq(&ip.src, &a->server))
			continue;
		const uint8_t *t = p->data + h;
		if (k->drop == F_PING && (ip.proto == 1 || ip.proto == 58) &&
		    t[0] == (x->fam == 4 ? 0 : 129) && t[1] == 0 &&
		    (uint16_t)(t[4] << 8 | t[5]) == x->ident)
			seen++;
		if (k->drop == F_UDP1021 && (ip.proto == 1 || ip.proto == 58) &&
		    t[0] == (x->fam == 4 ? 3 : 1))
			seen++;
		if (k->drop == F_TE && (ip.proto == 1 || ip.proto == 58))
			seen++;
	}
	if (k->drop == F_PING && seen != 1)
		result_fail(r, "expected the server host's Echo Reply to an ordinary ping, seen %d",
			    seen);
	if (k->drop == F_UDP1021 && seen != 1)
		result_fail(r,
			    "expected the server host's Port Unreachable for a UDP datagram from "
			    "port 1021 that is no probe, seen %d",
			    seen);
	if (k->drop == F_TE && seen)
		result_fail(r,
			    "expected nothing for a Time Exceeded quoting no probe, seen %d "
			    "ICMP messages",
			    seen);
	expect_none(r, x, "foreign traffic is no request");
}

bool server_wait_ready(struct conform *c, int family, int timeout_ms)
{
	struct obs *o = calloc(1, sizeof(*o));
	if (!o)
		return false;
	const struct fam_addrs *a = &c->a[family == 4 ? 0 : 1];
	struct run x = {.c = c, .a = a, .fam = family, .ident = c->next_ident++, .o = o};
	uint64_t end = wire_now_ns() + (uint64_t)timeout_ms * 1000000ull;
	bool ok = false;
	while (!ok && wire_now_ns() < end) {
		uint8_t buf[256];
		struct rtr_request rq = {.ident = x.ident, .seq = 0x4d2, .ttl = 0, .proto = 17};
		send_client(&x, buf,
			    craft_request(buf, sizeof(buf), family, &a->client, &a->server, &rq));
		o->ncl = o->nr1 = 0;
		obs_gather(c, o, 200, until_response, &x);
		struct seen_rsp s;
		for (int i = 0; i < o->ncl; i++)
			if (obs_is_response(&o->cl[i], family, x.ident, &s) && s.rsp.seq != 0x4d2)
				ok = true;
	}
	free(o);
	return ok;
}

void server_cases(struct conform *c, struct report *rep)
{
	struct obs *o = malloc(sizeof(*o));
	if (!o)
		return;
	for (int fi = 0; fi < 2; fi++) {
		int fam = fi == 0 ? 4 : 6;
		if (!(c->families & (1 << fi)))
			continue;
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			const struct scase *k = &cases[i];
			if (k->fam && k->fam != fam)
				continue;
			int codes = k->plan == P_DU ? (fam == 4 ? 16 : 8) : 1;
			for (int code = 0; code < codes && !conform_stop; code++) {
				char name[64];
				if (k->plan == P_DU)
					snprintf(name, sizeof(name), "%s-code%d-v%d", k->name, code,
						 fam);
				else
					snprintf(name, sizeof(name), "%s-v%d", k->name, fam);
				if (!case_selected(&c->filter, name, k->reqs))
					continue;
				struct result *r =
					report_add(rep, name, k->reqs, k->lvl % 2 == 0, k->lvl / 2);
				if (c->listing)
					continue;
				if (k->plan == P_LATE && !c->server_timeout_ns) {
					result_na(
						r,
						"the server command has no {timeout} placeholder");
					continue;
				}
				obs_flush(c);
				o->ncl = o->nr1 = 0;
				struct run x = {.c = c,
						.a = &c->a[fi],
						.name = r->name,
						.fam = fam,
						.o = o};
				x.ident = k->ident >= 0 ? (uint16_t)k->ident : c->next_ident++;
				x.seq = (uint16_t)(0x8000 | (x.ident * 7u + 13u));
				x.proto = k->proto == 0 ? (fam == 4 ? RTR_IPPROTO_ICMP
								    : RTR_IPPROTO_ICMPV6)
							: req_proto(k, fam);
				x.flow = probe_flow(x.proto, k->flow);
				if (k->kind == K_VALID || k->kind == K_DUPREQ)
					run_valid(r, &x, k, (uint8_t)code);
				else if (k->kind == K_ERROR)
					run_error(r, &x, k);
				else if (k->kind == K_DROP)
					run_drop(r, &x, k);
				else if (k->kind == K_PARIS)
					run_paris(r, &x, k);
				else if (k->kind == K_SYNACK)
					run_synack(r, &x, k);
				else
					run_foreign(r, &x, k);
				if (c->verbose)
					fprintf(stderr, "%s %s%s%s\n", verdict_name[r->verdict],
						r->name, r->detail[0] ? ": " : "", r->detail);
			}
		}
		if (!conform_stop)
			shape_cases(c, rep, fam);
	}
	free(o);
}
