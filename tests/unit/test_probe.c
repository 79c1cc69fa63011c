// SPDX-License-Identifier: BSD-2-Clause
/* test_probe.c: probe identity, byte layout of every probe kind, checksums, decode and Paris rule.
 */
#include "unit.h"

#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "ip.h"
#include "probe.h"
#include "rtr_wire.h"

static const uint8_t rnd_fixed[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x89};

static struct rtr_probe make_probe(int family, uint8_t proto, uint16_t flow)
{
	struct rtr_probe p = {.family = (uint8_t)family, .proto = proto, .ttl = 5, .flow = flow};
	p.src = unit_addr(family == 4 ? "203.0.113.1" : "2001:db8::2");
	p.dst = unit_addr(family == 4 ? "198.51.100.1" : "2001:db8::1");
	assert_int_equal(rtr_probe_id_from_random(&p.id, family, proto, rnd_fixed), RTR_OK);
	return p;
}

static uint8_t payload_rnd[64];

static int encode(uint8_t *out, size_t cap, const struct rtr_probe *p)
{
	for (size_t i = 0; i < sizeof(payload_rnd); i++)
		payload_rnd[i] = (uint8_t)(0xc0 + i);
	return rtr_probe_encode(out, cap, p, payload_rnd);
}

static void test_id_from_random_fields(void **state)
{
	(void)state;
	struct rtr_probe_id id;

	assert_int_equal(rtr_probe_id_from_random(&id, 4, 17, rnd_fixed), RTR_OK);
	assert_int_equal(id.ip_id, 0x1122);
	assert_int_equal(id.l4, 1 + 0x3344 % 0xfffe);
	assert_int_equal(id.tag, 0x55667789);
	assert_int_equal(id.len_extra, 1);
	assert_int_equal(rtr_probe_id_from_random(&id, 4, 6, rnd_fixed), RTR_OK);
	assert_int_equal(id.ip_id, 0x1122);
	assert_int_equal(id.l4, 0x33445566);
	assert_int_equal(id.tag, 0);
	assert_int_equal(id.len_extra, 0);
	assert_int_equal(rtr_probe_id_from_random(&id, 4, 1, rnd_fixed), RTR_OK);
	assert_int_equal(id.ip_id, 0x1122);
	assert_int_equal(id.l4, 0x33445566);
	assert_int_equal(rtr_probe_id_from_random(&id, 6, 17, rnd_fixed), RTR_OK);
	assert_int_equal(id.ip_id, 0);
	assert_int_equal(id.l4, 1 + 0x1122 % 0xfffe);
	assert_int_equal(id.tag, 0x33445566);
	assert_int_equal(id.len_extra, 0);
	assert_int_equal(rtr_probe_id_from_random(&id, 6, 6, rnd_fixed), RTR_OK);
	assert_int_equal(id.ip_id, 0);
	assert_int_equal(id.l4, 0x11223344);
	assert_int_equal(rtr_probe_id_from_random(&id, 6, 58, rnd_fixed), RTR_OK);
	assert_int_equal(id.l4, 0x11223344);
	assert_int_equal(id.tag, 0);

	assert_int_equal(rtr_probe_id_from_random(&id, 4, 58, rnd_fixed), RTR_E_PROTO);
	assert_int_equal(rtr_probe_id_from_random(&id, 6, 1, rnd_fixed), RTR_E_PROTO);
	assert_int_equal(rtr_probe_id_from_random(&id, 4, 0, rnd_fixed), RTR_E_PROTO);
	assert_int_equal(rtr_probe_id_from_random(&id, 4, 99, rnd_fixed), RTR_E_PROTO);
	assert_int_equal(rtr_probe_id_from_random(&id, 5, 17, rnd_fixed), RTR_E_PROTO);
}

static void test_udp_checksum_never_0_or_ffff(void **state)
{
	(void)state;
	uint8_t rnd[8] = {0};
	struct rtr_probe_id id;
	/* Every 16-bit input value, both families. */
	for (uint32_t r = 0; r <= 0xffff; r++) {
		rtr_put16(rnd, (uint16_t)r);
		rtr_put16(rnd + 2, (uint16_t)r);
		for (int f = 4; f <= 6; f += 2) {
			assert_int_equal(rtr_probe_id_from_random(&id, f, 17, rnd), RTR_OK);
			assert_true(id.l4 >= 1 && id.l4 <= 0xfffe);
		}
	}
	/* The ends of the mapping. */
	rtr_put16(rnd, 0);
	rtr_probe_id_from_random(&id, 6, 17, rnd);
	assert_int_equal(id.l4, 1);
	rtr_put16(rnd, 0xfffd);
	rtr_probe_id_from_random(&id, 6, 17, rnd);
	assert_int_equal(id.l4, 0xfffe);
	rtr_put16(rnd, 0xffff);
	rtr_probe_id_from_random(&id, 6, 17, rnd);
	assert_int_equal(id.l4, 2);
}

static bool id_eq(const struct rtr_probe_id *a, const struct rtr_probe_id *b)
{
	return a->ip_id == b->ip_id && a->l4 == b->l4 && a->tag == b->tag &&
	       a->len_extra == b->len_extra;
}

/* Flipping any bit of the random input a kind uses changes its identity. */
static void test_identity_entropy(void **state)
{
	(void)state;
	const struct {
		int family;
		uint8_t proto;
		size_t used;
	} kinds[] = {{4, 17, 8}, {4, 6, 6}, {4, 1, 6}, {6, 17, 6}, {6, 6, 4}, {6, 58, 4}};
	uint64_t rs = 7;

	for (size_t k = 0; k < 6; k++) {
		for (int round = 0; round < 50; round++) {
			uint8_t rnd[8];
			struct rtr_probe_id a, b;
			unit_rand(&rs, rnd, 8);
			assert_int_equal(
				rtr_probe_id_from_random(&a, kinds[k].family, kinds[k].proto, rnd),
				RTR_OK);
			for (size_t bit = 0; bit < kinds[k].used * 8; bit++) {
				rnd[bit / 8] ^= (uint8_t)(1 << (bit % 8));
				rtr_probe_id_from_random(&b, kinds[k].family, kinds[k].proto, rnd);
				assert_false(id_eq(&a, &b));
				rnd[bit / 8] ^= (uint8_t)(1 << (bit % 8));
			}
		}
	}
	/* Many random inputs give pairwise different identities. */
	static struct rtr_probe_id ids[2000];
	for (size_t i = 0; i < 2000; i++) {
		uint8_t rnd[8];
		unit_rand(&rs, rnd, 8);
		rtr_probe_id_from_random(&ids[i], 6, 6, rnd);
		for (size_t j = 0; j < i; j++)
			assert_false(id_eq(&ids[i], &ids[j]));
	}
}

static void test_random_len(void **state)
{
	(void)state;
	struct rtr_probe p = make_probe(4, 17, 53);
	p.id.len_extra = 0;
	assert_int_equal(rtr_probe_random_len(&p), 26);
	p.id.len_extra = 1;
	assert_int_equal(rtr_probe_random_len(&p), 27);
	p = make_probe(6, 17, 53);
	assert_int_equal(rtr_probe_random_len(&p), 26);
	p = make_probe(4, 6, 80);
	assert_int_equal(rtr_probe_random_len(&p), 0);
	p = make_probe(6, 6, 80);
	assert_int_equal(rtr_probe_random_len(&p), 0);
	p = make_probe(4, 1, 0xbeaf);
	assert_int_equal(rtr_probe_random_len(&p), 30);
	p = make_probe(6, 58, 0xbeaf);
	assert_int_equal(rtr_probe_random_len(&p), 30);
	p.proto = 99;
	assert_int_equal(rtr_probe_random_len(&p), 0);
}

static void check_ip4(const uint8_t *b, const struct rtr_probe *p, size_t total)
{
	assert_int_equal(b[0], 0x45);
	assert_int_equal(b[1], 0);
	assert_int_equal(rtr_get16(b + 2), total);
	assert_int_equal(rtr_get16(b + 4), p->id.ip_id);
	assert_int_equal(rtr_get16(b + 6), 0x4000);
	assert_int_equal(b[8], p->ttl);
	assert_int_equal(b[9], p->proto);
	assert_true(rtr_csum_ok(0, b, 20));
	assert_memory_equal(b + 12, rtr_addr_v4(&p->src), 4);
	assert_memory_equal(b + 16, rtr_addr_v4(&p->dst), 4);
}

static void check_ip6(const uint8_t *b, const struct rtr_probe *p, size_t total)
{
	assert_int_equal(rtr_get32(b), 0x60000000);
	assert_int_equal(rtr_get16(b + 4), total - 40);
	assert_int_equal(b[6], p->proto);
	assert_int_equal(b[7], p->ttl);
	assert_memory_equal(b + 8, p->src.b, 16);
	assert_memory_equal(b + 24, p->dst.b, 16);
}

static uint32_t pseudo_of(const struct rtr_probe *p, size_t l4_len)
{
	if (p->proto == RTR_IPPROTO_ICMP)
		return 0;
	return rtr_csum_pseudo(p->family, &p->src, &p->dst, p->proto, (uint32_t)l4_len);
}

static void test_udp_layout(void **state)
{
	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		for (uint8_t le = 0; le <= (f == 4 ? 1 : 0); le++) {
			struct rtr_probe p = make_probe(f, 17, 33435);
			p.id.len_extra = le;
			uint8_t out[128];
			size_t hl = f == 4 ? 20 : 40, l4 = 8 + 32 + le;
			assert_int_equal(encode(out, sizeof(out), &p), (int)(hl + l4));
			if (f == 4)
				check_ip4(out, &p, hl + l4);
			else
				check_ip6(out, &p, hl + l4);
			const uint8_t *u = out + hl;
			assert_int_equal(rtr_get16(u), 1021);
			assert_int_equal(rtr_get16(u + 2), 33435);
			assert_int_equal(rtr_get16(u + 4), l4);
			assert_int_equal(rtr_get16(u + 6), p.id.l4);
			assert_int_equal(rtr_get32(u + 8 + 2), p.id.tag);
			assert_memory_equal(u + 8 + 6, payload_rnd, 26 + le);
			assert_true(rtr_csum_ok(pseudo_of(&p, l4), u, l4));
		}
	}
}

static void test_tcp_layout(void **state)
{
	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		struct rtr_probe p = make_probe(f, 6, 443);
		uint8_t out[128], want[24];
		size_t hl = f == 4 ? 20 : 40;
		/* random may be NULL: TCP reads none. */
		assert_int_equal(rtr_probe_encode(out, sizeof(out), &p, NULL), (int)(hl + 24));
		if (f == 4)
			check_ip4(out, &p, hl + 24);
		else
			check_ip6(out, &p, hl + 24);
		unit_hex(want, 24,
			 f == 4 ? "03fd01bb 33445566 00000000 6002faf0 0000 0000 020405b4"
				: "03fd01bb 11223344 00000000 6002faf0 0000 0000 020405a0");
		rtr_put16(want + 16, rtr_get16(out + hl + 16));
		assert_memory_equal(out + hl, want, 24);
		assert_true(rtr_csum_ok(pseudo_of(&p, 24), out + hl, 24));
	}
}

static void test_icmp_layout(void **state)
{
	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		const uint16_t flows[] = {0xbeaf, 1, 0xffff, 0x8000};
		for (size_t i = 0; i < 4; i++) {
			struct rtr_probe p = make_probe(f, f == 4 ? 1 : 58, flows[i]);
			uint8_t out[128];
			size_t hl = f == 4 ? 20 : 40;
			assert_int_equal(encode(out, sizeof(out), &p), (int)(hl + 40));
			if (f == 4)
				check_ip4(out, &p, hl + 40);
			else
				check_ip6(out, &p, hl + 40);
			const uint8_t *c = out + hl;
			assert_int_equal(c[0], f == 4 ? 8 : 128);
			assert_int_equal(c[1], 0);
			assert_int_equal(rtr_get16(c + 2), flows[i]);
			assert_int_equal(rtr_get16(c + 4), p.id.l4 >> 16);
			assert_int_equal(rtr_get16(c + 6), p.id.l4 & 0xffff);
			assert_memory_equal(c + 8 + 2, payload_rnd, 30);
			assert_true(rtr_csum_ok(pseudo_of(&p, 40), c, 40));
			/* ICMPv6 really includes the pseudo-header: without it, it fails. */
			if (f == 6)
				assert_false(rtr_csum_ok(0, c, 40));
		}
	}
}

static void test_encode_errors(void **state)
{
	(void)state;
	uint8_t out[128];
	struct rtr_probe p;

	p = make_probe(4, 17, 0);
	assert_int_equal(encode(out, sizeof(out), &p), RTR_E_INVAL);
	p = make_probe(4, 17, 53);
	p.id.len_extra = 2;
	assert_int_equal(encode(out, sizeof(out), &p), RTR_E_INVAL);
	p = make_probe(6, 17, 53);
	p.id.len_extra = 1;
	assert_int_equal(encode(out, sizeof(out), &p), RTR_E_INVAL);
	p = make_probe(6, 6, 80);
	p.id.ip_id = 1;
	assert_int_equal(encode(out, sizeof(out), &p), RTR_E_INVAL);
	p = make_probe(4, 17, 53);
	p.id.l4 = 0;
	assert_int_equal(encode(out, sizeof(out), &p), RTR_E_INVAL);
	p.id.l4 = 0xffff;
	assert_int_equal(encode(out, sizeof(out), &p), RTR_E_INVAL);
	p.id.l4 = 0x10001;
	assert_int_equal(encode(out, sizeof(out), &p), RTR_E_INVAL);
	p = make_probe(4, 1, 0xbeaf);
	p.proto = 58;
	assert_int_equal(encode(out, sizeof(out), &p), RTR_E_PROTO);
	p = make_probe(6, 58, 0xbeaf);
	p.proto = 1;
	assert_int_equal(encode(out, sizeof(out), &p), RTR_E_PROTO);
	p.proto = 47;
	assert_int_equal(encode(out, sizeof(out), &p), RTR_E_PROTO);
	p = make_probe(4, 6, 80);
	p.family = 5;
	assert_int_equal(encode(out, sizeof(out), &p), RTR_E_INVAL);
	p = make_probe(4, 6, 80);
	p.dst = unit_addr("2001:db8::1");
	assert_int_equal(encode(out, sizeof(out), &p), RTR_E_INVAL);
	p = make_probe(6, 6, 80);
	p.src = unit_addr("198.51.100.1");
	assert_int_equal(encode(out, sizeof(out), &p), RTR_E_INVAL);
	p = make_probe(4, 17, 53);
	assert_int_equal(rtr_probe_encode(out, sizeof(out), &p, NULL), RTR_E_INVAL);
	/* Every output buffer one byte too small or smaller. */
	const int kinds[][2] = {{4, 17}, {4, 6}, {4, 1}, {6, 17}, {6, 6}, {6, 58}};
	for (size_t k = 0; k < 6; k++) {
		p = make_probe(kinds[k][0], (uint8_t)kinds[k][1], 99);
		int n = encode(out, sizeof(out), &p);
		assert_true(n > 0);
		for (int cap = 0; cap < n; cap++)
			assert_int_equal(encode(out, (size_t)cap, &p), RTR_E_NOSPACE);
	}
}

static void check_seen(const struct rtr_probe_seen *s, const struct rtr_probe *p)
{
	assert_int_equal(s->family, p->family);
	assert_int_equal(s->proto, p->proto);
	assert_true(rtr_addr_eq(&s->src, &p->src));
	assert_true(rtr_addr_eq(&s->dst, &p->dst));
	assert_int_equal(s->ttl, p->ttl);
	assert_int_equal(s->flow, p->flow);
	assert_int_equal(s->sport, p->proto == 6 || p->proto == 17 ? 1021 : 0);
	assert_int_equal(s->id.l4, p->id.l4);
	if (p->family == 4)
		assert_int_equal(s->id.ip_id, p->id.ip_id);
}

static void test_decode_roundtrip(void **state)
{
	(void)state;
	const int kinds[][2] = {{4, 17}, {4, 6}, {4, 1}, {6, 17}, {6, 6}, {6, 58}};
	uint64_t rs = 99;
	for (size_t k = 0; k < 6; k++) {
		for (int round = 0; round < 20; round++) {
			int f = kinds[k][0];
			uint8_t proto = (uint8_t)kinds[k][1];
			struct rtr_probe p = make_probe(f, proto, (uint16_t)(1000 + round));
			uint8_t rnd[8], out[128];
			unit_rand(&rs, rnd, 8);
			rtr_probe_id_from_random(&p.id, f, proto, rnd);
			int n = encode(out, sizeof(out), &p);
			assert_true(n > 0);
			struct rtr_probe_seen s;
			assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, 0), RTR_OK);
			check_seen(&s, &p);
			assert_false(s.truncated);
			assert_int_equal(s.l4_len, n - (f == 4 ? 20 : 40));
			uint8_t want = RTR_ID_L4;
			if (f == 4)
				want |= RTR_ID_IPID;
			if (proto == 17) {
				want |= RTR_ID_TAG;
				if (f == 4)
					want |= RTR_ID_LEN;
				assert_int_equal(s.id.tag, p.id.tag);
				assert_int_equal(s.id.len_extra, p.id.len_extra);
			}
			assert_int_equal(s.present, want);
		}
	}
}

/* Every cut of every probe: whole-packet decode refuses; quoted decode needs IP + 8 bytes. */
static void test_decode_every_truncation(void **state)
{
	(void)state;
	const int kinds[][2] = {{4, 17}, {4, 6}, {4, 1}, {6, 17}, {6, 6}, {6, 58}};
	for (size_t k = 0; k < 6; k++) {
		int f = kinds[k][0];
		uint8_t proto = (uint8_t)kinds[k][1];
		struct rtr_probe p = make_probe(f, proto, 4242);
		uint8_t out[128];
		int n = encode(out, sizeof(out), &p);
		size_t hl = f == 4 ? 20 : 40;
		for (size_t len = 0; len < (size_t)n; len++) {
			struct rtr_probe_seen s;
			uint8_t *b = unit_dup(out, len);
			assert_int_equal(rtr_probe_decode(&s, b, len, 0), RTR_E_TRUNCATED);
			int r = rtr_probe_decode(&s, b, len, RTR_IP_QUOTED);
			if (len < hl + 8) {
				assert_int_equal(r, RTR_E_TRUNCATED);
			} else {
				assert_int_equal(r, RTR_OK);
				check_seen(&s, &p);
				assert_true(s.truncated);
				assert_int_equal(s.l4_len, len - hl);
				uint8_t want = RTR_ID_L4 | (f == 4 ? RTR_ID_IPID : 0);
				if (proto == 17) {
					if (f == 4)
						want |= RTR_ID_LEN;
					if (len >= hl + 14)
						want |= RTR_ID_TAG;
				}
				assert_int_equal(s.present, want);
			}
			free(b);
		}
	}
}

static void test_decode_not_ours(void **state)
{
	(void)state;
	uint8_t out[128];
	struct rtr_probe_seen s;
	struct rtr_probe p;
	int n;

	/* UDP from another source port, or with a length our probes never have. */
	p = make_probe(4, 17, 53);
	n = encode(out, sizeof(out), &p);
	rtr_put16(out + 20, 1022);
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, 0), RTR_E_NOT_OURS);
	p = make_probe(6, 17, 53);
	n = encode(out, sizeof(out), &p);
	rtr_put16(out + 40 + 4, 41);
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, RTR_IP_QUOTED), RTR_E_NOT_OURS);
	rtr_put16(out + 40 + 4, 39);
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, RTR_IP_QUOTED), RTR_E_NOT_OURS);
	p = make_probe(4, 17, 53);
	p.id.len_extra = 0;
	n = encode(out, sizeof(out), &p);
	rtr_put16(out + 20 + 4, 42);
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, RTR_IP_QUOTED), RTR_E_NOT_OURS);
	rtr_put16(out + 20 + 4, 41); /* fits our range but not the packet */
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, 0), RTR_E_NOT_OURS);
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, RTR_IP_QUOTED), RTR_OK);
	assert_int_equal(s.id.len_extra, 1);
	/* TCP: wrong port, or flags other than SYN alone. */
	p = make_probe(4, 6, 80);
	n = encode(out, sizeof(out), &p);
	rtr_put16(out + 20, 1020);
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, 0), RTR_E_NOT_OURS);
	rtr_put16(out + 20, 1021);
	const uint8_t flags[] = {0x12, 0x04, 0x14, 0x03, 0x00, 0x10};
	for (size_t i = 0; i < sizeof(flags); i++) {
		out[20 + 13] = flags[i];
		assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, 0), RTR_E_NOT_OURS);
		/* With only 8 quoted bytes the flags are invisible. */
		assert_int_equal(rtr_probe_decode(&s, out, 28, RTR_IP_QUOTED), RTR_OK);
	}
	out[20 + 13] = 0x02 | 0x08 | 0x20; /* PSH/URG do not matter */
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, 0), RTR_OK);
	/* ICMP: not an Echo Request code 0. */
	p = make_probe(6, 58, 0xbeaf);
	n = encode(out, sizeof(out), &p);
	out[40] = 129;
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, 0), RTR_E_NOT_OURS);
	out[40] = 8;
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, 0), RTR_E_NOT_OURS);
	out[40] = 128;
	out[41] = 1; /* a reverse traceroute request is not a probe */
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, 0), RTR_E_NOT_OURS);
	out[41] = 0;
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, 0), RTR_OK);
	/* Protocols that are never probes, and ICMP under the wrong family. */
	out[6] = 1;
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, 0), RTR_E_NOT_OURS);
	out[6] = 47;
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, 0), RTR_E_NOT_OURS);
	p = make_probe(4, 1, 0xbeaf);
	n = encode(out, sizeof(out), &p);
	out[9] = 58;
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, RTR_IP_QUOTED), RTR_E_NOT_OURS);
}

static void test_decode_ip_errors(void **state)
{
	(void)state;
	uint8_t out[128];
	struct rtr_probe_seen s;
	struct rtr_probe p = make_probe(4, 17, 53);
	int n = encode(out, sizeof(out), &p);

	out[8] = 4; /* TTL decremented, checksum stale: fine in a quote only */
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, 0), RTR_E_CHECKSUM);
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, RTR_IP_QUOTED), RTR_OK);
	assert_int_equal(s.ttl, 4);
	rtr_put16(out + 6, 0x2000);
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, RTR_IP_QUOTED), RTR_E_FRAGMENT);
	out[0] = 0x55;
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, RTR_IP_QUOTED), RTR_E_VERSION);
	out[0] = 0x44;
	assert_int_equal(rtr_probe_decode(&s, out, (size_t)n, RTR_IP_QUOTED), RTR_E_IPHDR);
}

/* PROTOCOL.md PRB-1: for one flow, everything a load balancer hashes stays the same. */
static void test_paris_rule(void **state)
{
	(void)state;
	const int kinds[][2] = {{4, 17}, {4, 6}, {4, 1}, {6, 17}, {6, 6}, {6, 58}};
	uint64_t rs = 1234;
	for (size_t k = 0; k < 6; k++) {
		int f = kinds[k][0];
		size_t hl = f == 4 ? 20 : 40;
		uint8_t first[128];
		int n0 = 0;
		for (int i = 0; i < 300; i++) {
			struct rtr_probe p = make_probe(f, (uint8_t)kinds[k][1], 33000);
			uint8_t rnd[8], out[128];
			unit_rand(&rs, rnd, 8);
			rtr_probe_id_from_random(&p.id, f, p.proto, rnd);
			unit_rand(&rs, payload_rnd, sizeof(payload_rnd));
			int n = rtr_probe_encode(out, sizeof(out), &p, payload_rnd);
			assert_true(n > 0);
			if (i == 0) {
				memcpy(first, out, (size_t)n);
				n0 = n;
				continue;
			}
			/* First 4 L4 bytes: ports, or ICMP type, code and checksum. */
			assert_memory_equal(out + hl, first + hl, 4);
			if (f == 4) {
				assert_memory_equal(out + 12, first + 12, 8); /* addresses */
				assert_int_equal(out[9], first[9]);
				assert_int_equal(out[1], first[1]);
			} else {
				/* Version, traffic class and flow label, next header, addresses. */
				assert_memory_equal(out, first, 4);
				assert_int_equal(out[6], first[6]);
				assert_memory_equal(out + 8, first + 8, 32);
				assert_int_equal(n, n0);
			}
		}
	}
	/* A different flow changes those bytes. */
	struct rtr_probe a = make_probe(4, 17, 33000), b = make_probe(4, 17, 33001);
	uint8_t oa[128], ob[128];
	encode(oa, sizeof(oa), &a);
	encode(ob, sizeof(ob), &b);
	assert_memory_not_equal(oa + 20, ob + 20, 4);
}

/* Whole probes byte for byte; expected bytes computed independently (Python, brute-forced
 * compensation word), so a layout or compensation change cannot pass unnoticed. */
static void test_golden_bytes(void **state)
{
	(void)state;
	const struct {
		int family;
		uint8_t proto;
		uint16_t flow;
		struct rtr_probe_id id;
		const char *hex;
	} v[] = {
		{4,
		 17,
		 33435,
		 {0x1122, 0x3345, 0x55667789, 1},
		 "4500003d112240000511fe57cb007101c633640103fd829b00293345d22355667789c0c1c2c3c4c5c"
		 "6c7"
		 "c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9da"},
		{6,
		 58,
		 0xbeaf,
		 {0, 0x11223344, 0, 0},
		 "6000000000283a0520010db800000000000000000000000220010db80000000000000000000000018"
		 "000"
		 "beaf1122334402e5c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdd"},
		{4,
		 6,
		 443,
		 {0x1122, 0x33445566, 0, 0},
		 "4500002c112240000506fe73cb007101c633640103fd01bb33445566000000006002faf0a89c00000"
		 "20405"
		 "b4"},
		{6,
		 17,
		 53,
		 {0, 0x1123, 0x33445566, 0},
		 "600000000028110520010db800000000000000000000000220010db80000000000000000000000010"
		 "3fd"
		 "0035002811239fb633445566c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9"},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct rtr_probe p = make_probe(v[i].family, v[i].proto, v[i].flow);
		p.id = v[i].id;
		uint8_t want[128], out[128];
		size_t n = unit_hex(want, sizeof(want), v[i].hex);
		assert_int_equal(encode(out, sizeof(out), &p), (int)n);
		assert_memory_equal(out, want, n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_from_random_fields),
		cmocka_unit_test(test_udp_checksum_never_0_or_ffff),
		cmocka_unit_test(test_identity_entropy),
		cmocka_unit_test(test_random_len),
		cmocka_unit_test(test_udp_layout),
		cmocka_unit_test(test_tcp_layout),
		cmocka_unit_test(test_icmp_layout),
		cmocka_unit_test(test_encode_errors),
		cmocka_unit_test(test_decode_roundtrip),
		cmocka_unit_test(test_decode_every_truncation),
		cmocka_unit_test(test_decode_not_ours),
		cmocka_unit_test(test_decode_ip_errors),
		cmocka_unit_test(test_paris_rule),
		cmocka_unit_test(test_golden_bytes),
	};
	return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}
