// SPDX-License-Identifier: BSD-2-Clause
/* mkseeds.c: writes the hand-made fuzz seeds fuzz/seeds/<harness>/<content-name>. */

/*
 * The seeds are committed; this program documents how each was made and
 * rewrites them all. They reach what spec-vector seeds cannot: answers that
 * match the fixed probes of the answer harness (fuzz_probe_fixed), every
 * extension object, each response layout, and every roundtrip mode. Requests
 * and responses from PROTOCOL.md section 8 are written byte for byte.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "answer.h"
#include "fuzz.h"
#include "ip.h"
#include "probe.h"
#include "request.h"
#include "response.h"

static const char *root;
static int failures;

static void put(const char *harness, const char *name, uint8_t sel, const uint8_t *msg, size_t len)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", root, harness);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "mkseeds: cannot create %s: %s\n", path, strerror(errno));
		failures++;
		return;
	}
	snprintf(path, sizeof(path), "%s/%s/%s", root, harness, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(&sel, 1, 1, f) != 1 || fwrite(msg, 1, len, f) != len) {
		fprintf(stderr, "mkseeds: cannot write %s\n", path);
		failures++;
	}
	if (f && fclose(f) != 0)
		failures++;
}

/* Roundtrip selector: mode in bits 0-1, the harness selector above it. */
static uint8_t rt(int mode, uint8_t sel)
{
	return (uint8_t)(mode | sel << 2);
}

static void request_seeds(void)
{
	/* PROTOCOL.md section 8, identifier 0x1234, sequence 0. */
	static const struct {
		const char *name;
		uint8_t b[12];
	} golden[] = {
		{"v4-udp-ttl3-flow33435",
		 {8, 1, 0x60, 0x1e, 0x12, 0x34, 0, 0, 3, 0x11, 0x82, 0x9b}},
		{"v4-tcp-ttl3-flow443", {8, 1, 0xe1, 0x09, 0x12, 0x34, 0, 0, 3, 0x06, 0x01, 0xbb}},
		{"v4-icmp-ttl3-flow0xbeef", {8, 1, 0x23, 0xda, 0x12, 0x34, 0, 0, 3, 1, 0xbe, 0xef}},
		{"v4-defaults-ttl3", {8, 1, 0xe2, 0xca, 0x12, 0x34, 0, 0, 3, 0, 0, 0}},
		{"v4-presence-ttl0", {8, 1, 0xe5, 0xca, 0x12, 0x34, 0, 0, 0, 0, 0, 0}},
		{"v4-proto99", {8, 1, 0xe2, 0x67, 0x12, 0x34, 0, 0, 3, 0x63, 0, 0}},
	};
	for (size_t i = 0; i < sizeof(golden) / sizeof(golden[0]); i++) {
		put("request", golden[i].name, 0, golden[i].b, 12);
		put("roundtrip", golden[i].name, rt(0, 0), golden[i].b, 12);
	}

	static const uint8_t t6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5};
	static const uint8_t t4[4] = {203, 0, 113, 77};
	struct {
		const char *name;
		int family;
		struct rtr_request rq;
	} enc[] = {
		{"v6-udp-ttl7-flow33435",
		 6,
		 {.ident = 0xfffe, .seq = 9, .ttl = 7, .proto = 17, .flow = 33435}},
		{"v6-icmpv6-ttl255-flow1",
		 6,
		 {.ident = 0, .seq = 1, .ttl = 255, .proto = 58, .flow = 1}},
		{"v6-proto1-state2", 6, {.ident = 1, .seq = 2, .ttl = 3, .proto = 1}},
		{"v4-ext-target16",
		 4,
		 {.ident = 5,
		  .seq = 6,
		  .ttl = 4,
		  .proto = 17,
		  .has_target = true,
		  .target_obj_len = 16}},
		{"v6-ext-target20",
		 6,
		 {.ident = 5,
		  .seq = 6,
		  .ttl = 4,
		  .proto = 6,
		  .has_target = true,
		  .target_obj_len = 20}},
		{"v4-ext-padding64",
		 4,
		 {.ident = 7, .seq = 8, .ttl = 9, .has_padding = true, .padding_len = 64}},
		{"v6-ext-padding1200",
		 6,
		 {.ident = 7, .seq = 8, .ttl = 9, .has_padding = true, .padding_len = 1200}},
		{"v4-ext-unknown-class7-ctype1",
		 4,
		 {.ident = 1,
		  .seq = 1,
		  .ttl = 1,
		  .has_unknown = true,
		  .unknown_class = 7,
		  .unknown_ctype = 1}},
		{"v4-ext-target-padding-unknown",
		 4,
		 {.ident = 2,
		  .seq = 3,
		  .ttl = 4,
		  .proto = 6,
		  .has_target = true,
		  .target_obj_len = 20,
		  .has_padding = true,
		  .padding_len = 8,
		  .has_unknown = true,
		  .unknown_class = 5,
		  .unknown_ctype = 1}},
	};
	for (size_t i = 0; i < sizeof(enc) / sizeof(enc[0]); i++) {
		uint8_t out[2048];
		struct rtr_l3 l3;
		fuzz_l3(&l3, enc[i].family == 6);
		if (enc[i].family == 6)
			rtr_addr_from_v6(&enc[i].rq.target, t6);
		else
			rtr_addr_from_v4(&enc[i].rq.target, t4);
		int n = rtr_request_encode(out, sizeof(out), &l3, &enc[i].rq);
		if (n < 0) {
			fprintf(stderr, "mkseeds: request %s: %s\n", enc[i].name, rtr_strerror(n));
			failures++;
			continue;
		}
		uint8_t sel = enc[i].family == 6 ? FUZZ_SEL_V6 : 0;
		put("request", enc[i].name, sel, out, (size_t)n);
		put("roundtrip", enc[i].name, rt(0, sel), out, (size_t)n);
	}

	/* Extension checksum 0 ("not computed", EXT-1) and trailing bytes that are no extension. */
	uint8_t m[32] = {8,    1, 0, 0, 0x12, 0x34, 0, 1, 3, 17, 0, 53,
			 0x20, 0, 0, 0, 0,    8,    6, 0, 0, 0,	 0, 0};
	struct rtr_l3 l3;
	fuzz_l3(&l3, false);
	fuzz_csum_set(0, m, 24, 2);
	put("request", "v4-ext-padding8-checksum0", 0, m, 24);
	uint8_t t[16] = {8, 1, 0, 0, 0x12, 0x34, 0, 1, 3, 6, 0, 80, 'a', 'b', 'c', 'd'};
	fuzz_csum_set(0, t, 16, 2);
	put("request", "v4-trailing-abcd-not-ext", 0, t, 16);
	put("request", "short-11-bytes", 0, t, 11);

	/* EXT-6: 16 objects are the most a request may carry; 17 are malformed. */
	uint8_t many[12 + 4 + 17 * 4] = {8, 1, 0, 0, 0x12, 0x34, 0, 1, 3, 17, 0, 53, 0x20, 0, 0, 0};
	for (int i = 0; i < 17; i++) {
		uint8_t *o = many + 16 + 4 * i;
		o[1] = 4;
		o[2] = (uint8_t)(9 + i); /* distinct unknown classes */
	}
	for (int k = 16; k <= 17; k++) {
		size_t len = 16 + 4 * (size_t)k;
		char name[64];
		fuzz_csum_set(0, many + 12, len - 12, 2);
		fuzz_csum_set(0, many, len, 2);
		snprintf(name, sizeof(name), "v4-ext-%d-unknown-objects", k);
		put("request", name, 0, many, len);
	}
}

static void response_seeds(void)
{
	static const uint8_t st1[12] = {0, 1, 0xec, 0xca, 0x12, 0x34, 0, 0, 1, 0, 0, 0};
	static const uint8_t st2[12] = {0, 1, 0xeb, 0xca, 0x12, 0x34, 0, 0, 2, 0, 0, 0};
	static const uint8_t ok[36] = {0,    1,	   0x4f, 0xbe, 0x12, 0x34, 0,	 0,    0,
				       0,    0,	   0,	 0,    0,    0,	   0,	 0,    0,
				       0,    0,	   0,	 0,    0xff, 0xff, 0xcb, 0x00, 0x71,
				       0x01, 0x00, 0xbc, 0x61, 0x4e, 0,	   0,	 0,    0};
	put("response", "v4-state1", 0, st1, 12);
	put("response", "v4-state2", 0, st2, 12);
	put("response", "v4-ok-hop203.0.113.1-rtt12345678", 0, ok, 36);
	put("roundtrip", "v4-ok-hop203.0.113.1-rtt12345678", rt(1, 0), ok, 36);

	/* RSP-5: the tolerant 64-bit layout and "unknown"; the harness fixes the checksum. */
	uint8_t r64[36];
	memcpy(r64, ok, 36);
	memset(r64 + 28, 0, 8);
	rtr_put32(r64 + 32, 0x89abcdef);
	put("response", "v4-ok-rtt64-layout", FUZZ_SEL_FIX, r64, 36);
	put("roundtrip", "v4-ok-rtt64-layout", rt(1, FUZZ_SEL_FIX), r64, 36);
	rtr_put32(r64 + 28, RTR_RTT_UNKNOWN);
	put("response", "v4-ok-rtt-unknown", FUZZ_SEL_FIX, r64, 36);

	static const uint8_t h6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	struct {
		const char *name;
		int family;
		struct rtr_response r;
	} enc[] = {
		{"v6-ok-hop2001db8-2--1-rtt1000", 6, {.ident = 0xabcd, .rtt_ns = 1000}},
		{"v6-ok-rtt-too-large", 6, {.ident = 1, .rtt_ns = 5000000000ull}},
		{"v4-state4-value0x0500", 4, {.ident = 2, .state = 4, .value = 0x0500}},
		{"v6-state5-value64", 6, {.ident = 3, .state = 5, .value = 64}},
		{"v4-state3", 4, {.ident = 4, .state = 3}},
	};
	for (size_t i = 0; i < sizeof(enc) / sizeof(enc[0]); i++) {
		uint8_t out[64];
		struct rtr_l3 l3;
		fuzz_l3(&l3, enc[i].family == 6);
		rtr_addr_from_v6(&enc[i].r.hop, h6);
		int n = rtr_response_encode(out, sizeof(out), &l3, &enc[i].r);
		if (n < 0) {
			fprintf(stderr, "mkseeds: response %s: %s\n", enc[i].name, rtr_strerror(n));
			failures++;
			continue;
		}
		uint8_t sel = enc[i].family == 6 ? FUZZ_SEL_V6 : 0;
		put("response", enc[i].name, sel, out, (size_t)n);
		put("roundtrip", enc[i].name, rt(1, sel), out, (size_t)n);
	}

	/* RSP-7: a kernel's echo of a request (TTL 3, UDP, sequence 0x4242). */
	uint8_t echo[12] = {0, 1, 0, 0, 0x12, 0x34, 0x42, 0x42, 3, 17, 0x82, 0x9b};
	fuzz_csum_set(0, echo, 12, 2);
	put("response", "v4-kernel-echo-seq0x4242-ttl3", 0, echo, 12);
}

/* Writes the whole packet of a fixed probe into out; returns its length. */
static int fixed_probe(uint8_t *out, size_t cap, struct rtr_probe *p, int family, uint8_t proto)
{
	fuzz_probe_fixed(p, family, proto);
	int n = rtr_probe_encode(out, cap, p, fuzz_probe_random());
	if (n < 0) {
		fprintf(stderr, "mkseeds: probe v%d/%u: %s\n", family, proto, rtr_strerror(n));
		failures++;
	}
	return n;
}

static const char *pname(uint8_t proto)
{
	return proto == RTR_IPPROTO_UDP ? "udp" : proto == RTR_IPPROTO_TCP ? "tcp" : "icmp";
}

/* An ICMP error from a router quoting q[0..qlen) towards the probe's source, checksums valid. */
static size_t icmp_error(uint8_t *out, const struct rtr_probe *p, uint8_t type, uint8_t code,
			 const uint8_t *q, size_t qlen)
{
	static const uint8_t r4[4] = {198, 51, 100, 1};
	static const uint8_t r6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	struct rtr_ip ip = {.family = p->family, .ttl = 61};

	ip.proto = p->family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	if (p->family == 4)
		rtr_addr_from_v4(&ip.src, r4);
	else
		rtr_addr_from_v6(&ip.src, r6);
	ip.dst = p->src;
	int h = rtr_ip_encode(out, 4096, &ip, RTR_ICMP_HDR_LEN + qlen);
	memset(out + h, 0, RTR_ICMP_HDR_LEN);
	out[h] = type;
	out[h + 1] = code;
	memcpy(out + h + RTR_ICMP_HDR_LEN, q, qlen);
	size_t n = (size_t)h + RTR_ICMP_HDR_LEN + qlen;
	fuzz_fix_packet(out, n);
	return n;
}

/* A direct answer from the probe's destination (Echo Reply or a TCP segment to port 1021). */
static size_t direct(uint8_t *out, const struct rtr_probe *p, const uint8_t *probe_pkt, int plen,
		     uint8_t tcp_flags)
{
	struct rtr_ip ip = {.family = p->family, .ttl = 57, .proto = p->proto, .id = 0x1111};
	ip.src = p->dst;
	ip.dst = p->src;
	int h0 = p->family == 4 ? RTR_IPV4_HDR_MIN : RTR_IPV6_HDR_LEN;
	size_t l4 = p->proto == RTR_IPPROTO_TCP ? 20 : (size_t)plen - (size_t)h0;
	int h = rtr_ip_encode(out, 4096, &ip, l4);
	uint8_t *t = out + h;
	if (p->proto == RTR_IPPROTO_TCP) {
		memset(t, 0, 20);
		rtr_put16(t, p->flow);
		rtr_put16(t + 2, RTR_PROBE_SPORT);
		rtr_put32(t + 4, 0x01020304);
		rtr_put32(t + 8, p->id.l4 + 1);
		t[12] = 5 << 4;
		t[13] = tcp_flags;
		rtr_put16(t + 14, 1000);
	} else {
		memcpy(t, probe_pkt + h0, l4);
		t[0] = p->family == 4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY;
	}
	size_t n = (size_t)h + l4;
	fuzz_fix_packet(out, n);
	return n;
}

/*
 * Self-check: an answer seed must be what its name says, or it silently stops
 * covering the match path. want is RTR_OK or the rtr_answer_match error.
 */
static void expect_answer(const char *name, const uint8_t *pkt, size_t len,
			  const struct rtr_probe *p, uint8_t kind, int want)
{
	struct rtr_answer a;
	int r = rtr_answer_decode(&a, pkt, len);

	if (r != RTR_OK) {
		fprintf(stderr, "mkseeds: answer seed %s does not decode: %s\n", name,
			rtr_strerror(r));
		failures++;
		return;
	}
	r = rtr_answer_match(&a, p);
	if (a.kind != kind || r != want) {
		fprintf(stderr,
			"mkseeds: answer seed %s: kind %u match %s, want kind %u match %s\n", name,
			a.kind, rtr_strerror(r), kind, rtr_strerror(want));
		failures++;
	}
}

static void answer(const char *name, const uint8_t *pkt, size_t len, const struct rtr_probe *p,
		   uint8_t kind, int want)
{
	expect_answer(name, pkt, len, p, kind, want);
	put("answer", name, 0, pkt, len);
}

static void probe_and_answer_seeds(void)
{
	static const uint8_t protos[3] = {RTR_IPPROTO_UDP, RTR_IPPROTO_TCP, 0};
	char name[128];

	for (int family = 4; family <= 6; family += 2) {
		for (int i = 0; i < 3; i++) {
			uint8_t proto =
				protos[i] ? protos[i]
					  : (family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6);
			uint8_t pkt[256], ans[4096];
			struct rtr_probe p;
			int n = fixed_probe(pkt, sizeof(pkt), &p, family, proto);
			if (n < 0)
				continue;
			size_t q8 = (family == 4 ? RTR_IPV4_HDR_MIN : RTR_IPV6_HDR_LEN) + 8;
			const char *pn = pname(proto);

			snprintf(name, sizeof(name), "v%d-%s-fixed", family, pn);
			put("probe", name, 0, pkt, (size_t)n);
			put("ip", name, 0, pkt, (size_t)n);
			put("roundtrip", name, rt(2, 0), pkt, (size_t)n);
			snprintf(name, sizeof(name), "v%d-%s-fixed-quote8", family, pn);
			put("probe", name, FUZZ_SEL_QUOTED, pkt, q8);
			put("ip", name, FUZZ_SEL_QUOTED, pkt, q8);

			uint8_t te =
				family == 4 ? RTR_ICMP4_TIME_EXCEEDED : RTR_ICMP6_TIME_EXCEEDED;
			uint8_t du = family == 4 ? RTR_ICMP4_DEST_UNREACH : RTR_ICMP6_DEST_UNREACH;
			bool v6udp = family == 6 && proto == RTR_IPPROTO_UDP;
			snprintf(name, sizeof(name), "te-v%d-%s-matches-fixed", family, pn);
			answer(name, ans, icmp_error(ans, &p, te, 0, pkt, (size_t)n), &p,
			       RTR_ANS_TIME_EXCEEDED, RTR_OK);
			snprintf(name, sizeof(name), "te-v%d-%s-quote8-fixed", family, pn);
			answer(name, ans, icmp_error(ans, &p, te, 0, pkt, q8), &p,
			       RTR_ANS_TIME_EXCEEDED, v6udp ? RTR_E_QUOTE_SHORT : RTR_OK);
			snprintf(name, sizeof(name), "te-v%d-%s-code1-fixed", family, pn);
			answer(name, ans, icmp_error(ans, &p, te, 1, pkt, (size_t)n), &p,
			       RTR_ANS_TIME_EXCEEDED, RTR_E_MISMATCH);
			snprintf(name, sizeof(name), "du-v%d-%s-code3-fixed", family, pn);
			answer(name, ans, icmp_error(ans, &p, du, 3, pkt, (size_t)n), &p,
			       RTR_ANS_DEST_UNREACH, RTR_OK);
			if (proto == RTR_IPPROTO_TCP) {
				snprintf(name, sizeof(name), "synack-v%d-fixed", family);
				answer(name, ans,
				       direct(ans, &p, pkt, n, RTR_TCP_SYN | RTR_TCP_ACK), &p,
				       RTR_ANS_TCP_SYNACK, RTR_OK);
				snprintf(name, sizeof(name), "rst-v%d-fixed", family);
				answer(name, ans,
				       direct(ans, &p, pkt, n, RTR_TCP_RST | RTR_TCP_ACK), &p,
				       RTR_ANS_TCP_RST, RTR_OK);
			} else if (proto != RTR_IPPROTO_UDP) {
				snprintf(name, sizeof(name), "echo-reply-v%d-fixed", family);
				answer(name, ans, direct(ans, &p, pkt, n, 0), &p,
				       RTR_ANS_ECHO_REPLY, RTR_OK);
			}

			/* Roundtrip build mode: family bit, protocol index, TTL, flow, 8 random
			 * bytes. */
			uint8_t b[16] = {(uint8_t)(family == 6),
					 (uint8_t)(protos[i] ? i : 2 + (family == 6)),
					 5,
					 0x82,
					 0x9b,
					 1,
					 2,
					 3,
					 4,
					 5,
					 6,
					 7,
					 8,
					 0,
					 0,
					 0};
			snprintf(name, sizeof(name), "build-v%d-%s", family, pn);
			put("roundtrip", name, rt(3, 0), b, sizeof(b));
			b[13] = 1;
			snprintf(name, sizeof(name), "build-v%d-%s-quote8", family, pn);
			put("roundtrip", name, rt(3, 0), b, sizeof(b));
		}
	}
}

static void ip_seeds(void)
{
	/* IPv4 with a 4-byte option (NOP NOP NOP EOL) and 8 payload bytes. */
	uint8_t o[32] = {0x46, 0,  0,	32, 0x12, 0x34, 0x40, 0, 64, 17, 0, 0,
			 198,  51, 100, 7,  203,  0,	113,  9, 1,  1,	 1, 0};
	fuzz_csum_set(0, o, 24, 10);
	put("ip", "v4-options-nop3-eol", 0, o, 32);
	/* An IPv4 fragment (MF set). */
	uint8_t f[28] = {0x45, 0, 0,   28, 0x12, 0x34, 0x20, 0, 64,  17,
			 0,    0, 198, 51, 100,	 7,    203,  0, 113, 9};
	fuzz_csum_set(0, f, 20, 10);
	put("ip", "v4-fragment-mf", 0, f, 28);
	/* IPv6 with a Fragment header in front of UDP. */
	uint8_t v6[56] = {0x60, 0, 0, 0, 0, 16, 44, 64};
	v6[8] = 0x20, v6[9] = 0x01, v6[10] = 0x0d, v6[11] = 0xb8, v6[23] = 7;
	v6[24] = 0x20, v6[25] = 0x01, v6[26] = 0x0d, v6[27] = 0xb8, v6[39] = 9;
	v6[40] = 17;
	put("ip", "v6-fragment-header-udp", 0, v6, 56);
	v6[6] = 17;
	v6[5] = 8;
	put("ip", "v6-udp-8-bytes", 0, v6, 48);
	put("ip", "v6-quoted-cut-at-header", FUZZ_SEL_QUOTED, v6, 40);
}

static void addr_seeds(void)
{
	static const char *texts[][2] = {
		{"v4-198.51.100.7", "198.51.100.7"},
		{"v6-2001-db8--1", "2001:db8::1"},
		{"v6-mapped-203.0.113.9", "::ffff:203.0.113.9"},
		{"v6-full-8-groups", "2001:db8:0:1:2:3:4:5"},
		{"v6-scope-id-invalid", "fe80::1%eth0"},
		{"v4-leading-zero-invalid", "198.051.100.7"},
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		put("addr", texts[i][0], 0, (const uint8_t *)texts[i][1], strlen(texts[i][1]));
	static const uint8_t mapped[16] = {0, 0, 0,    0,    0,	  0,  0,   0,
					   0, 0, 0xff, 0xff, 198, 51, 100, 7};
	static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	put("addr", "bin-v4-mapped", 1, mapped, 16);
	put("addr", "bin-v6", 1, v6, 16);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			printf("usage: mkseeds DIR\n"
			       "Writes the hand-made fuzz seeds DIR/<harness>/<seed> and checks "
			       "that "
			       "each answer seed decodes and matches as named.\n");
			return 0;
		case 'V':
			printf("mkseeds (rtr) 0.1\n");
			return 0;
		default:
			fprintf(stderr, "mkseeds: unknown option; see mkseeds --help\n");
			return 2;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "mkseeds: need exactly one output directory; see mkseeds --help\n");
		return 2;
	}
	argv += optind - 1;
	root = argv[1];
	if (mkdir(root, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "mkseeds: cannot create %s: %s\n", root, strerror(errno));
		return 1;
	}
	request_seeds();
	response_seeds();
	probe_and_answer_seeds();
	ip_seeds();
	addr_seeds();
	return failures ? 1 : 0;
}
