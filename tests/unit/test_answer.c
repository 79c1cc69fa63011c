// SPDX-License-Identifier: BSD-2-Clause
/* test_answer.c: answers to probes (ICMP errors, Echo Reply, RST, SYN-ACK), strict match, RST. */
#include "unit.h"

#include "answer.h"
#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "ip.h"
#include "probe.h"
#include "rtr_wire.h"

#define ROUTER4 "203.0.113.254"
#define ROUTER6 "2001:db8:ff::1"

static const int kinds[][2] = {{4, 17}, {4, 6}, {4, 1}, {6, 17}, {6, 6}, {6, 58}};

static struct rtr_probe make_probe(int family, uint8_t proto, uint16_t flow, uint64_t seed)
{
	struct rtr_probe p = {.family = (uint8_t)family, .proto = proto, .ttl = 4, .flow = flow};
	uint8_t rnd[8];
	p.src = unit_addr(family == 4 ? "203.0.113.1" : "2001:db8::2");
	p.dst = unit_addr(family == 4 ? "198.51.100.1" : "2001:db8::1");
	unit_rand(&seed, rnd, 8);
	assert_int_equal(rtr_probe_id_from_random(&p.id, family, proto, rnd), RTR_OK);
	return p;
}

static int encode_probe(uint8_t *out, size_t cap, const struct rtr_probe *p)
{
	uint8_t random[64];
	memset(random, 0x5a, sizeof(random));
	return rtr_probe_encode(out, cap, p, random);
}

/* An outer IP header + l4 bytes, with the ICMP or TCP checksum computed at csum_off. */
static size_t wrap(uint8_t *out, int family, const char *src, const char *dst, uint8_t proto,
		   const uint8_t *l4, size_t l4_len, size_t csum_off)
{
	struct rtr_ip ip = {.family = (uint8_t)family, .ttl = 61, .proto = proto, .id = 77};
	ip.src = unit_addr(src);
	ip.dst = unit_addr(dst);
	int hl = rtr_ip_encode(out, 1500, &ip, l4_len);
	assert_true(hl > 0);
	memcpy(out + hl, l4, l4_len);
	uint8_t *c = out + hl;
	rtr_put16(c + csum_off, 0);
	uint32_t pseudo = 0;
	if (proto != RTR_IPPROTO_ICMP)
		pseudo = rtr_csum_pseudo(family, &ip.src, &ip.dst, proto, (uint32_t)l4_len);
	rtr_put16(c + csum_off, rtr_csum_fold(rtr_csum_add(pseudo, c, l4_len)));
	return (size_t)hl + l4_len;
}

/* An ICMP error from a router to the probe's source, quoting qlen bytes of the probe. */
static size_t icmp_error(uint8_t *out, const struct rtr_probe *p, uint8_t type4, uint8_t type6,
			 uint8_t code, const uint8_t *quote, size_t qlen)
{
	uint8_t icmp[1500];
	char server[RTR_ADDR_STRLEN];
	icmp[0] = p->family == 4 ? type4 : type6;
	icmp[1] = code;
	memset(icmp + 2, 0, 6);
	memcpy(icmp + 8, quote, qlen);
	rtr_addr_format(&p->src, server, sizeof(server));
	return wrap(out, p->family, p->family == 4 ? ROUTER4 : ROUTER6, server,
		    p->family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6, icmp, 8 + qlen, 2);
}

static size_t time_exceeded(uint8_t *out, const struct rtr_probe *p, size_t cut)
{
	uint8_t pkt[256];
	int n = encode_probe(pkt, sizeof(pkt), p);
	assert_true(n > 0);
	size_t q = cut && cut < (size_t)n ? cut : (size_t)n;
	return icmp_error(out, p, 11, 3, 0, pkt, q);
}

static size_t quote_len_8(const struct rtr_probe *p)
{
	return (p->family == 4 ? 20u : 40u) + 8;
}

static void test_time_exceeded_full_quote(void **state)
{
	(void)state;
	for (size_t k = 0; k < 6; k++) {
		struct rtr_probe p = make_probe(kinds[k][0], (uint8_t)kinds[k][1], 33435, k + 1);
		uint8_t pkt[1500];
		size_t n = time_exceeded(pkt, &p, 0);
		struct rtr_answer a;
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
		assert_int_equal(a.kind, RTR_ANS_TIME_EXCEEDED);
		assert_int_equal(a.family, p.family);
		assert_int_equal(a.icmp_type, p.family == 4 ? 11 : 3);
		assert_int_equal(a.icmp_code, 0);
		struct rtr_addr router = unit_addr(p.family == 4 ? ROUTER4 : ROUTER6);
		assert_true(rtr_addr_eq(&a.from, &router));
		assert_true(rtr_addr_eq(&a.to, &p.src));
		assert_int_equal(a.reply_ttl, 61);
		assert_int_equal(a.probe.proto, p.proto);
		assert_int_equal(a.probe.flow, 33435);
		assert_int_equal(a.probe.id.l4, p.id.l4);
		assert_false(a.probe.truncated);
		assert_int_equal(rtr_answer_match(&a, &p), RTR_OK);
	}
}

/* RFC 792 minimum: IP header + 8 L4 bytes. Enough everywhere except IPv6 UDP. */
static void test_quote_cut_to_8_bytes(void **state)
{
	(void)state;
	for (size_t k = 0; k < 6; k++) {
		struct rtr_probe p = make_probe(kinds[k][0], (uint8_t)kinds[k][1], 53, k + 10);
		uint8_t pkt[1500];
		size_t n = time_exceeded(pkt, &p, quote_len_8(&p));
		struct rtr_answer a;
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
		assert_true(a.probe.truncated);
		assert_int_equal(a.probe.l4_len, 8);
		assert_false(a.probe.present & RTR_ID_TAG);
		int want = p.family == 6 && p.proto == 17 ? RTR_E_QUOTE_SHORT : RTR_OK;
		assert_int_equal(rtr_answer_match(&a, &p), want);
		/* Two more bytes still lack the tag; six more carry it. */
		if (p.proto == 17) {
			n = time_exceeded(pkt, &p, quote_len_8(&p) + 5);
			assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
			assert_int_equal(rtr_answer_match(&a, &p), want);
			n = time_exceeded(pkt, &p, quote_len_8(&p) + 6);
			assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
			assert_int_equal(rtr_answer_match(&a, &p), RTR_OK);
		}
	}
}

static void test_quote_too_short(void **state)
{
	(void)state;
	for (size_t k = 0; k < 6; k++) {
		struct rtr_probe p = make_probe(kinds[k][0], (uint8_t)kinds[k][1], 53, k + 20);
		uint8_t probe[256], pkt[1500];
		encode_probe(probe, sizeof(probe), &p);
		for (size_t q = 0; q < quote_len_8(&p); q++) {
			size_t n = icmp_error(pkt, &p, 11, 3, 0, probe, q);
			struct rtr_answer a;
			assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_QUOTE_SHORT);
		}
	}
}

static void test_quote_with_ipv4_options(void **state)
{
	(void)state;
	for (size_t k = 0; k < 3; k++) {
		struct rtr_probe p = make_probe(4, (uint8_t)kinds[k][1], 8080, k + 30);
		uint8_t probe[256], quoted[256], pkt[1500];
		int n = encode_probe(probe, sizeof(probe), &p);
		/* A router that added 8 option bytes (NOP x7, EOL) before it quoted. */
		memcpy(quoted, probe, 20);
		memset(quoted + 20, 1, 7);
		quoted[27] = 0;
		memcpy(quoted + 28, probe + 20, (size_t)n - 20);
		quoted[0] = 0x47;
		rtr_put16(quoted + 2, (uint16_t)(n + 8));
		for (int cut = 0; cut < 2; cut++) {
			size_t q = cut ? 28 + 8 : (size_t)n + 8;
			size_t m = icmp_error(pkt, &p, 11, 3, 0, quoted, q);
			struct rtr_answer a;
			assert_int_equal(rtr_answer_decode(&a, pkt, m), RTR_OK);
			assert_int_equal(a.probe.id.ip_id, p.id.ip_id);
			assert_int_equal(rtr_answer_match(&a, &p), RTR_OK);
		}
	}
}

static void test_dest_unreach_codes(void **state)
{
	(void)state;
	for (size_t k = 0; k < 6; k++) {
		struct rtr_probe p = make_probe(kinds[k][0], (uint8_t)kinds[k][1], 4000, k + 40);
		uint8_t probe[256], pkt[1500];
		int n = encode_probe(probe, sizeof(probe), &p);
		for (uint8_t code = 0; code <= 15; code++) {
			size_t m = icmp_error(pkt, &p, 3, 1, code, probe, (size_t)n);
			struct rtr_answer a;
			assert_int_equal(rtr_answer_decode(&a, pkt, m), RTR_OK);
			assert_int_equal(a.kind, RTR_ANS_DEST_UNREACH);
			assert_int_equal(a.icmp_type, p.family == 4 ? 3 : 1);
			assert_int_equal(a.icmp_code, code);
			assert_int_equal(rtr_answer_match(&a, &p), RTR_OK);
		}
	}
}

static void test_time_exceeded_code1_never_matches(void **state)
{
	(void)state;
	struct rtr_probe p = make_probe(4, 17, 53, 50);
	uint8_t probe[256], pkt[1500];
	int n = encode_probe(probe, sizeof(probe), &p);
	size_t m = icmp_error(pkt, &p, 11, 3, 1, probe, (size_t)n);
	struct rtr_answer a;
	assert_int_equal(rtr_answer_decode(&a, pkt, m), RTR_OK);
	assert_int_equal(a.icmp_code, 1);
	assert_int_equal(rtr_answer_match(&a, &p), RTR_E_MISMATCH);
}

/* Each field that differs from the sent probe makes the match fail. */
static void test_match_negative_fields(void **state)
{
	(void)state;
	for (size_t k = 0; k < 6; k++) {
		struct rtr_probe p = make_probe(kinds[k][0], (uint8_t)kinds[k][1], 33435, k + 60);
		uint8_t pkt[1500];
		size_t n = time_exceeded(pkt, &p, 0);
		struct rtr_answer a;
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
		assert_int_equal(rtr_answer_match(&a, &p), RTR_OK);
		struct rtr_probe q;

		q = p;
		q.src.b[15] ^= 1;
		assert_int_equal(rtr_answer_match(&a, &q), RTR_E_MISMATCH);
		q = p;
		q.dst.b[15] ^= 1;
		assert_int_equal(rtr_answer_match(&a, &q), RTR_E_MISMATCH);
		q = p;
		q.flow++;
		assert_int_equal(rtr_answer_match(&a, &q), RTR_E_MISMATCH);
		q = p;
		q.id.l4 ^= 1;
		assert_int_equal(rtr_answer_match(&a, &q), RTR_E_MISMATCH);
		q = p;
		q.proto = p.proto == 17 ? 6 : 17;
		assert_int_equal(rtr_answer_match(&a, &q), RTR_E_MISMATCH);
		q = p;
		q.family = p.family == 4 ? 6 : 4;
		assert_int_equal(rtr_answer_match(&a, &q), RTR_E_MISMATCH);
		if (p.family == 4) {
			q = p;
			q.id.ip_id ^= 0x100;
			assert_int_equal(rtr_answer_match(&a, &q), RTR_E_MISMATCH);
		}
		if (p.proto == 17) {
			q = p;
			q.id.tag ^= 0x80000000u;
			assert_int_equal(rtr_answer_match(&a, &q), RTR_E_MISMATCH);
		}
		if (p.family == 4 && p.proto == 17) {
			q = p;
			q.id.len_extra ^= 1;
			assert_int_equal(rtr_answer_match(&a, &q), RTR_E_MISMATCH);
		}
		/* A decoded quote with a field blanked out: an IPv4 quote without IP ID is short.
		 */
		if (p.family == 4) {
			struct rtr_answer b = a;
			b.probe.present &= (uint8_t)~RTR_ID_IPID;
			assert_int_equal(rtr_answer_match(&b, &p), RTR_E_QUOTE_SHORT);
		}
		struct rtr_answer c = a;
		c.probe.present &= (uint8_t)~RTR_ID_L4;
		assert_int_equal(rtr_answer_match(&c, &p), RTR_E_QUOTE_SHORT);
		c = a;
		c.probe.sport = 1022;
		assert_int_equal(rtr_answer_match(&c, &p),
				 p.proto == 1 || p.proto == 58 ? RTR_OK : RTR_E_MISMATCH);
		c = a;
		c.kind = 0;
		assert_int_equal(rtr_answer_match(&c, &p), RTR_E_MISMATCH);
	}
}

/* A forged quote: right addresses and flow, but an identity guessed wrong. */
static void test_forged_quote(void **state)
{
	(void)state;
	struct rtr_probe p = make_probe(4, 6, 80, 70);
	struct rtr_probe forged = p;
	forged.id.l4 += 1;
	uint8_t pkt[1500];
	size_t n = time_exceeded(pkt, &forged, 0);
	struct rtr_answer a;
	assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
	assert_int_equal(rtr_answer_match(&a, &p), RTR_E_MISMATCH);
}

static size_t echo_reply(uint8_t *out, const struct rtr_probe *p, uint32_t l4, uint8_t code)
{
	uint8_t icmp[40];
	char s[RTR_ADDR_STRLEN], d[RTR_ADDR_STRLEN];
	icmp[0] = p->family == 4 ? 0 : 129;
	icmp[1] = code;
	rtr_put32(icmp + 4, l4);
	memset(icmp + 8, 0x33, 32);
	rtr_addr_format(&p->dst, s, sizeof(s));
	rtr_addr_format(&p->src, d, sizeof(d));
	return wrap(out, p->family, s, d, p->family == 4 ? 1 : 58, icmp, sizeof(icmp), 2);
}

static void test_echo_reply(void **state)
{
	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		struct rtr_probe p = make_probe(f, f == 4 ? 1 : 58, 0xbeaf, 80 + (uint64_t)f);
		uint8_t pkt[1500];
		size_t n = echo_reply(pkt, &p, p.id.l4, 0);
		struct rtr_answer a;
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
		assert_int_equal(a.kind, RTR_ANS_ECHO_REPLY);
		assert_int_equal(a.icmp_type, f == 4 ? 0 : 129);
		assert_true(rtr_addr_eq(&a.from, &p.dst));
		assert_true(rtr_addr_eq(&a.probe.src, &p.src));
		assert_true(rtr_addr_eq(&a.probe.dst, &p.dst));
		assert_int_equal(a.probe.proto, p.proto);
		assert_int_equal(a.probe.id.l4, p.id.l4);
		assert_int_equal(a.probe.present, RTR_ID_L4);
		assert_int_equal(a.probe.flow, 0);
		assert_int_equal(a.probe.l4_len, 40);
		assert_false(a.probe.truncated);
		assert_int_equal(rtr_answer_match(&a, &p), RTR_OK);
		/* The flow is not echoed, so any flow of the sent probe matches. */
		struct rtr_probe q = p;
		q.flow = 1;
		assert_int_equal(rtr_answer_match(&a, &q), RTR_OK);
		/* Wrong identifier or sequence. */
		n = echo_reply(pkt, &p, p.id.l4 ^ 0x10000, 0);
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
		assert_int_equal(rtr_answer_match(&a, &p), RTR_E_MISMATCH);
		n = echo_reply(pkt, &p, p.id.l4 ^ 1, 0);
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
		assert_int_equal(rtr_answer_match(&a, &p), RTR_E_MISMATCH);
		/* An Echo Reply from another host is not the destination's. */
		struct rtr_probe other = p;
		other.dst = unit_addr(f == 4 ? "198.51.100.2" : "2001:db8::3");
		n = echo_reply(pkt, &other, p.id.l4, 0);
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
		assert_int_equal(rtr_answer_match(&a, &p), RTR_E_MISMATCH);
		/* Echo Reply code 1 is a reverse traceroute response, not an answer. */
		n = echo_reply(pkt, &p, p.id.l4, 1);
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_NOT_OURS);
		/* An Echo Reply never answers a UDP or TCP probe. */
		n = echo_reply(pkt, &p, p.id.l4, 0);
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
		struct rtr_probe t = make_probe(f, 6, 80, 1);
		t.id.l4 = p.id.l4;
		assert_int_equal(rtr_answer_match(&a, &t), RTR_E_MISMATCH);
	}
}

/* A TCP segment from the probe's destination to the server's port 1021. */
static size_t tcp_answer(uint8_t *out, const struct rtr_probe *p, uint16_t sport, uint16_t dport,
			 uint32_t seq, uint32_t ack, uint8_t flags)
{
	uint8_t tcp[20] = {0};
	char s[RTR_ADDR_STRLEN], d[RTR_ADDR_STRLEN];
	rtr_put16(tcp, sport);
	rtr_put16(tcp + 2, dport);
	rtr_put32(tcp + 4, seq);
	rtr_put32(tcp + 8, ack);
	tcp[12] = 0x50;
	tcp[13] = flags;
	rtr_put16(tcp + 14, 65535);
	rtr_addr_format(&p->dst, s, sizeof(s));
	rtr_addr_format(&p->src, d, sizeof(d));
	return wrap(out, p->family, s, d, 6, tcp, sizeof(tcp), 16);
}

static void test_tcp_rst_and_synack(void **state)
{
	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		struct rtr_probe p = make_probe(f, 6, 443, 90 + (uint64_t)f);
		uint8_t pkt[1500];
		struct rtr_answer a;
		const uint8_t flags[] = {RTR_TCP_RST | RTR_TCP_ACK, RTR_TCP_SYN | RTR_TCP_ACK};
		const uint8_t kind[] = {RTR_ANS_TCP_RST, RTR_ANS_TCP_SYNACK};
		for (int i = 0; i < 2; i++) {
			size_t n = tcp_answer(pkt, &p, 443, 1021, 0x1000, p.id.l4 + 1, flags[i]);
			assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
			assert_int_equal(a.kind, kind[i]);
			assert_int_equal(a.tcp_ack, p.id.l4 + 1);
			assert_int_equal(a.probe.id.l4, p.id.l4);
			assert_int_equal(a.probe.flow, 443);
			assert_int_equal(a.probe.sport, 1021);
			assert_int_equal(a.probe.proto, 6);
			assert_int_equal(a.probe.present, RTR_ID_L4);
			assert_int_equal(a.probe.l4_len, 20);
			assert_true(rtr_addr_eq(&a.from, &p.dst));
			assert_true(rtr_addr_eq(&a.to, &p.src));
			assert_int_equal(rtr_answer_match(&a, &p), RTR_OK);
			/* Wrong ack, wrong source port (flow), from another host. */
			n = tcp_answer(pkt, &p, 443, 1021, 0x1000, p.id.l4 + 2, flags[i]);
			assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
			assert_int_equal(rtr_answer_match(&a, &p), RTR_E_MISMATCH);
			n = tcp_answer(pkt, &p, 444, 1021, 0x1000, p.id.l4 + 1, flags[i]);
			assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
			assert_int_equal(rtr_answer_match(&a, &p), RTR_E_MISMATCH);
			struct rtr_probe other = p;
			other.dst.b[15] ^= 1;
			n = tcp_answer(pkt, &other, 443, 1021, 0x1000, p.id.l4 + 1, flags[i]);
			assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
			assert_int_equal(rtr_answer_match(&a, &p), RTR_E_MISMATCH);
			/* Not to port 1021: someone else's connection. */
			n = tcp_answer(pkt, &p, 443, 1022, 0x1000, p.id.l4 + 1, flags[i]);
			assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_NOT_OURS);
		}
		/* Sequence wrap: a probe with seq 0xFFFFFFFF is acknowledged with 0. */
		p.id.l4 = 0xffffffff;
		size_t n = tcp_answer(pkt, &p, 443, 1021, 1, 0, RTR_TCP_RST | RTR_TCP_ACK);
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
		assert_int_equal(rtr_answer_match(&a, &p), RTR_OK);
		/* Other flag combinations are not answers to a SYN. */
		const uint8_t other_flags[] = {RTR_TCP_ACK, RTR_TCP_RST, RTR_TCP_SYN,
					       RTR_TCP_FIN | RTR_TCP_ACK, 0};
		for (size_t i = 0; i < sizeof(other_flags); i++) {
			n = tcp_answer(pkt, &p, 443, 1021, 1, 0, other_flags[i]);
			assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_NOT_OURS);
		}
	}
}

static void test_encode_rst(void **state)
{
	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		struct rtr_probe p = make_probe(f, 6, 8443, 100 + (uint64_t)f);
		uint8_t pkt[1500], out[128];
		size_t n = tcp_answer(pkt, &p, 8443, 1021, 0x77777777, p.id.l4 + 1,
				      RTR_TCP_SYN | RTR_TCP_ACK);
		struct rtr_answer a;
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
		size_t hl = f == 4 ? 20 : 40;
		assert_int_equal(rtr_answer_encode_rst(out, sizeof(out), &a), (int)(hl + 20));
		struct rtr_ip ip;
		assert_int_equal(rtr_ip_decode(&ip, out, hl + 20, 0), (int)hl);
		assert_int_equal(ip.proto, 6);
		assert_int_equal(ip.ttl, 64);
		assert_int_equal(ip.tos, 0);
		assert_true(rtr_addr_eq(&ip.src, &p.src));
		assert_true(rtr_addr_eq(&ip.dst, &p.dst));
		if (f == 4) {
			assert_true(ip.df);
			assert_int_equal(ip.id, 0);
		} else {
			assert_int_equal(ip.flowlabel, 0);
		}
		uint8_t want[20];
		unit_hex(want, 20, "03fd 20fb 00000000 00000000 5004 0000 0000 0000");
		rtr_put32(want + 4, p.id.l4 + 1);
		rtr_put16(want + 16, rtr_get16(out + hl + 16));
		assert_memory_equal(out + hl, want, 20);
		assert_true(rtr_csum_ok(rtr_csum_pseudo(f, &p.src, &p.dst, 6, 20), out + hl, 20));
		for (size_t cap = 0; cap < hl + 20; cap++)
			assert_int_equal(rtr_answer_encode_rst(out, cap, &a), RTR_E_NOSPACE);
		/* Addresses of the wrong family cannot be put in the header. */
		struct rtr_answer bad = a;
		bad.to = unit_addr(f == 4 ? "2001:db8::2" : "2001:db8::ffff:1");
		assert_int_equal(rtr_answer_encode_rst(out, sizeof(out), &bad),
				 f == 4 ? RTR_E_INVAL : (int)(hl + 20));
		bad = a;
		bad.family = 5;
		assert_int_equal(rtr_answer_encode_rst(out, sizeof(out), &bad), RTR_E_INVAL);
		/* Only a SYN-ACK calls for an RST. */
		n = tcp_answer(pkt, &p, 8443, 1021, 0, p.id.l4 + 1, RTR_TCP_RST | RTR_TCP_ACK);
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_OK);
		assert_int_equal(rtr_answer_encode_rst(out, sizeof(out), &a), RTR_E_INVAL);
	}
}

static void test_every_truncation(void **state)
{
	(void)state;
	for (size_t k = 0; k < 6; k++) {
		struct rtr_probe p = make_probe(kinds[k][0], (uint8_t)kinds[k][1], 53, k + 110);
		uint8_t pkts[3][1500];
		size_t lens[3];
		lens[0] = time_exceeded(pkts[0], &p, 0);
		lens[1] = echo_reply(pkts[1], &p, p.id.l4, 0);
		lens[2] = tcp_answer(pkts[2], &p, 53, 1021, 0, p.id.l4 + 1, 0x14);
		for (int i = 0; i < 3; i++) {
			struct rtr_answer a;
			assert_int_equal(rtr_answer_decode(&a, pkts[i], lens[i]), RTR_OK);
			for (size_t len = 0; len < lens[i]; len++) {
				uint8_t *b = unit_dup(pkts[i], len);
				assert_int_equal(rtr_answer_decode(&a, b, len), RTR_E_TRUNCATED);
				free(b);
			}
		}
	}
	/* IP lengths that leave too few L4 bytes for an ICMP or TCP header. */
	struct rtr_probe p = make_probe(4, 6, 53, 1);
	uint8_t tiny[8] = {11, 0};
	uint8_t pkt[64];
	struct rtr_answer a;
	size_t n = wrap(pkt, 4, ROUTER4, "203.0.113.1", 1, tiny, 7, 2);
	assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_TRUNCATED);
	uint8_t seg[19] = {0, 80, 0x03, 0xfd};
	n = wrap(pkt, 4, "198.51.100.1", "203.0.113.1", 6, seg, sizeof(seg), 16);
	assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_TRUNCATED);
	(void)p;
}

static void test_checksums_verified(void **state)
{
	(void)state;
	struct rtr_answer a;
	for (size_t k = 0; k < 6; k++) {
		struct rtr_probe p = make_probe(kinds[k][0], (uint8_t)kinds[k][1], 53, k + 120);
		uint8_t pkt[1500];
		size_t hl = p.family == 4 ? 20 : 40;
		size_t n = time_exceeded(pkt, &p, 0);
		pkt[hl + 4] ^= 1; /* the "unused" word is covered by the ICMP checksum */
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_CHECKSUM);
		n = echo_reply(pkt, &p, 1, 0);
		pkt[n - 1] ^= 1;
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_CHECKSUM);
		n = tcp_answer(pkt, &p, 53, 1021, 0, 1, 0x14);
		pkt[hl + 14] ^= 1;
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_CHECKSUM);
		if (p.family == 4) {
			n = tcp_answer(pkt, &p, 53, 1021, 0, 1, 0x14);
			pkt[8] ^= 1; /* outer IPv4 header checksum */
			assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_CHECKSUM);
		}
	}
}

static void test_foreign_packets(void **state)
{
	(void)state;
	struct rtr_answer a;
	uint8_t pkt[1500], l4[64] = {0};
	size_t n;
	struct rtr_probe p4 = make_probe(4, 17, 53, 130);

	/* UDP and other protocols. */
	rtr_put16(l4, 1021);
	rtr_put16(l4 + 2, 53);
	rtr_put16(l4 + 4, 16);
	n = wrap(pkt, 4, "198.51.100.1", "203.0.113.1", 17, l4, 16, 6);
	assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_NOT_OURS);
	n = wrap(pkt, 4, "198.51.100.1", "203.0.113.1", 2, l4, 16, 6);
	assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_NOT_OURS);
	/* ICMP Echo Request, Redirect, and ICMPv6 Neighbor Solicitation. */
	const uint8_t types4[] = {8, 5, 13, 14};
	for (size_t i = 0; i < sizeof(types4); i++) {
		memset(l4, 0, sizeof(l4));
		l4[0] = types4[i];
		n = wrap(pkt, 4, "198.51.100.1", "203.0.113.1", 1, l4, 16, 2);
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_NOT_OURS);
	}
	const uint8_t types6[] = {128, 135, 136, 2, 4};
	for (size_t i = 0; i < sizeof(types6); i++) {
		memset(l4, 0, sizeof(l4));
		l4[0] = types6[i];
		n = wrap(pkt, 6, "2001:db8::1", "2001:db8::2", 58, l4, 24, 2);
		assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_NOT_OURS);
	}
	/* ICMPv4 under IPv6 and ICMPv6 under IPv4 are not ICMP at all. */
	memset(l4, 0, sizeof(l4));
	l4[0] = 11;
	n = wrap(pkt, 6, "2001:db8::1", "2001:db8::2", 1, l4, 24, 2);
	assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_NOT_OURS);
	/* Time Exceeded quoting someone else's UDP packet (source port 33000). */
	uint8_t probe[256];
	int m = encode_probe(probe, sizeof(probe), &p4);
	rtr_put16(probe + 20, 33000);
	n = icmp_error(pkt, &p4, 11, 3, 0, probe, (size_t)m);
	assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_NOT_OURS);
	/* Time Exceeded quoting a packet of the other family, or garbage. */
	struct rtr_probe p6 = make_probe(6, 17, 53, 131);
	m = encode_probe(probe, sizeof(probe), &p6);
	n = icmp_error(pkt, &p4, 11, 3, 0, probe, (size_t)m);
	assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_NOT_OURS);
	memset(probe, 0x77, 60);
	n = icmp_error(pkt, &p4, 11, 3, 0, probe, 60);
	assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_NOT_OURS);
	/* A quoted fragment is not one of our probes. */
	m = encode_probe(probe, sizeof(probe), &p4);
	rtr_put16(probe + 6, 0x2000);
	n = icmp_error(pkt, &p4, 11, 3, 0, probe, (size_t)m);
	assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_NOT_OURS);
	/* Outer fragments and bad IP versions are decode errors. */
	n = time_exceeded(pkt, &p4, 0);
	rtr_put16(pkt + 6, 0x2000);
	rtr_put16(pkt + 10, 0);
	rtr_put16(pkt + 10, rtr_csum(pkt, 20));
	assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_FRAGMENT);
	pkt[0] = 0x55;
	assert_int_equal(rtr_answer_decode(&a, pkt, n), RTR_E_VERSION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_exceeded_full_quote),
		cmocka_unit_test(test_quote_cut_to_8_bytes),
		cmocka_unit_test(test_quote_too_short),
		cmocka_unit_test(test_quote_with_ipv4_options),
		cmocka_unit_test(test_dest_unreach_codes),
		cmocka_unit_test(test_time_exceeded_code1_never_matches),
		cmocka_unit_test(test_match_negative_fields),
		cmocka_unit_test(test_forged_quote),
		cmocka_unit_test(test_echo_reply),
		cmocka_unit_test(test_tcp_rst_and_synack),
		cmocka_unit_test(test_encode_rst),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_checksums_verified),
		cmocka_unit_test(test_foreign_packets),
	};
	return cmocka_run_group_tests_name("answer", tests, NULL, NULL);
}
