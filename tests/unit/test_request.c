// SPDX-License-Identifier: BSD-2-Clause
/* test_request.c: request golden bytes, validation order, extension objects and server states. */
#include <string.h>
#include "unit.h"

#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "request.h"
#include "rtr_wire.h"

static struct rtr_l3 l3_v4(void)
{
	struct rtr_l3 l3 = {.family = 4};
	l3.src = unit_addr("198.51.100.1");
	l3.dst = unit_addr("203.0.113.1");
	return l3;
}

static struct rtr_l3 l3_v6(void)
{
	struct rtr_l3 l3 = {.family = 6};
	l3.src = unit_addr("2001:db8::1");
	l3.dst = unit_addr("2001:db8::2");
	return l3;
}

struct golden {
	uint8_t ttl, proto;
	uint16_t flow;
	const char *hex;
};

/* docs/PROTOCOL.md section 8 (identifier 0x1234, sequence 0). */
static const struct golden goldens[] = {
	{3, 17, 33435, "08 01 60 1e 12 34 00 00 03 11 82 9b"},
	{3, 6, 443, "08 01 e1 09 12 34 00 00 03 06 01 bb"},
	{3, 1, 0xbeef, "08 01 23 da 12 34 00 00 03 01 be ef"},
	{3, 0, 0, "08 01 e2 ca 12 34 00 00 03 00 00 00"},
	{0, 0, 0, "08 01 e5 ca 12 34 00 00 00 00 00 00"},
	{3, 99, 0, "08 01 e2 67 12 34 00 00 03 63 00 00"},
};

static void test_golden_encode_decode(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v4();

	for (size_t i = 0; i < sizeof(goldens) / sizeof(goldens[0]); i++) {
		struct rtr_request rq = {.ident = 0x1234, .seq = 0};
		rq.ttl = goldens[i].ttl;
		rq.proto = goldens[i].proto;
		rq.flow = goldens[i].flow;
		uint8_t want[12], out[64];
		unit_hex(want, sizeof(want), goldens[i].hex);
		assert_int_equal(rtr_request_encode(out, sizeof(out), &l3, &rq), 12);
		assert_memory_equal(out, want, 12);

		struct rtr_request back;
		memset(&back, 0xaa, sizeof(back));
		assert_int_equal(rtr_request_decode(&back, &l3, want, 12), 12);
		assert_int_equal(back.ident, 0x1234);
		assert_int_equal(back.seq, 0);
		assert_int_equal(back.ttl, rq.ttl);
		assert_int_equal(back.proto, rq.proto);
		assert_int_equal(back.flow, rq.flow);
		assert_false(back.has_ext);
		assert_int_equal(back.ext_len, 0);
		assert_false(back.has_target);
		assert_false(back.has_padding);
		assert_false(back.has_unknown);
	}
}

static void test_v6_request(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v6();
	struct rtr_request rq = {.ident = 0x1234, .ttl = 3, .proto = 17, .flow = 33435};
	uint8_t out[12], want[12];

	/* Checksum with the RFC 8200 pseudo-header, computed independently (Python). */
	unit_hex(want, sizeof(want), "80 01 8c 62 12 34 00 00 03 11 82 9b");
	assert_int_equal(rtr_request_encode(out, sizeof(out), &l3, &rq), 12);
	assert_memory_equal(out, want, 12);
	struct rtr_request back;
	assert_int_equal(rtr_request_decode(&back, &l3, out, 12), 12);
	assert_int_equal(back.flow, 33435);
	/* The same bytes under other addresses fail the checksum: the pseudo-header counts. */
	struct rtr_l3 other = l3;
	other.src = unit_addr("2001:db8::3");
	assert_int_equal(rtr_request_decode(&back, &other, out, 12), RTR_E_CHECKSUM);
	/* A v4 type under a v6 header is the wrong type, and vice versa. */
	struct rtr_l3 v4 = l3_v4();
	assert_int_equal(rtr_request_decode(&back, &v4, out, 12), RTR_E_TYPE);
	unit_hex(want, sizeof(want), "08 01 60 1e 12 34 00 00 03 11 82 9b");
	assert_int_equal(rtr_request_decode(&back, &l3, want, 12), RTR_E_TYPE);
}

static void test_every_truncation(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v4();
	uint8_t b[12];
	unit_hex(b, sizeof(b), goldens[0].hex);
	for (size_t len = 0; len < sizeof(b); len++) {
		struct rtr_request rq;
		uint8_t *p = unit_dup(b, len);
		assert_int_equal(rtr_request_decode(&rq, &l3, p, len), RTR_E_TRUNCATED);
		free(p);
	}
}

/* Each check fires on its own and in the documented order. */
static void test_validation_order(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v4();
	struct rtr_request rq;
	uint8_t b[12];

	unit_hex(b, sizeof(b), goldens[0].hex);
	b[0] = 0; /* wrong type, wrong code and wrong checksum too: type wins */
	b[1] = 0;
	assert_int_equal(rtr_request_decode(&rq, &l3, b, 11), RTR_E_TRUNCATED);
	assert_int_equal(rtr_request_decode(&rq, &l3, b, 12), RTR_E_TYPE);
	b[0] = 8;
	assert_int_equal(rtr_request_decode(&rq, &l3, b, 12), RTR_E_CODE);
	b[1] = 1;
	b[2] ^= 1;
	assert_int_equal(rtr_request_decode(&rq, &l3, b, 12), RTR_E_CHECKSUM);
	b[2] ^= 1;
	assert_int_equal(rtr_request_decode(&rq, &l3, b, 12), 12);
	/* Codes 0 and 2..255 are not requests. */
	for (int code = 0; code < 256; code++) {
		if (code == 1)
			continue;
		b[1] = (uint8_t)code;
		assert_int_equal(rtr_request_decode(&rq, &l3, b, 12), RTR_E_CODE);
	}
}

static void test_trailing_bytes_without_version2_ignored(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v4();
	struct rtr_request rq;
	uint8_t b[20];

	unit_hex(b, sizeof(b), "08 01 00 00 12 34 00 00 03 11 82 9b 1f ff 00 00 41 42 43 44");
	rtr_put16(b + 2, rtr_csum(b, sizeof(b)));
	assert_int_equal(rtr_request_decode(&rq, &l3, b, sizeof(b)), 20);
	assert_false(rq.has_ext);
	assert_int_equal(rq.flow, 33435);
	/* One stray byte with version 2 cannot hold an extension header. */
	uint8_t c[13];
	unit_hex(c, sizeof(c), "08 01 00 00 12 34 00 00 03 11 82 9b 20");
	rtr_put16(c + 2, rtr_csum(c, sizeof(c)));
	assert_int_equal(rtr_request_decode(&rq, &l3, c, sizeof(c)), RTR_E_EXT_MALFORMED);
}

static void test_ext_golden(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v4();
	struct rtr_request rq = {.ident = 0x1234, .ttl = 3, .proto = 17, .flow = 33435};
	uint8_t want[44], out[64];

	/* Target 203.0.113.7 (length 16, reference style) and 8 bytes of padding; Python-made. */
	size_t n = unit_hex(
		want, sizeof(want),
		"0801601e123400000311829b 200098df 00100500 00000000000000000000ffffcb007107 "
		"00080600 00000000");
	assert_int_equal(n, 44);
	rq.has_target = true;
	rq.target_obj_len = 16;
	rq.target = unit_addr("203.0.113.7");
	rq.has_padding = true;
	rq.padding_len = 8;
	assert_int_equal(rtr_request_encode(out, sizeof(out), &l3, &rq), 44);
	assert_memory_equal(out, want, 44);

	struct rtr_request back;
	assert_int_equal(rtr_request_decode(&back, &l3, want, n), 44);
	assert_true(back.has_ext);
	assert_int_equal(back.ext_len, 32);
	assert_true(back.has_target);
	assert_int_equal(back.target_obj_len, 16);
	assert_true(rtr_addr_eq(&back.target, &rq.target));
	assert_true(back.has_padding);
	assert_int_equal(back.padding_len, 8);
	assert_false(back.has_unknown);

	/* Every cut inside the extension is malformed (or its checksum no longer verifies). */
	for (size_t len = 13; len < n; len++) {
		uint8_t *p = unit_dup(want, len);
		/* Keep the ICMP checksum valid so only the extension is at fault. */
		rtr_put16(p + 2, 0);
		rtr_put16(p + 2, rtr_csum(p, len));
		int r = rtr_request_decode(&back, &l3, p, len);
		assert_true(r == RTR_E_EXT_MALFORMED || r == RTR_E_EXT_CHECKSUM);
		/* With the extension checksum recomputed, every cut is purely malformed. */
		if (len >= 16) {
			rtr_put16(p + 14, 0);
			rtr_put16(p + 14, rtr_csum(p + 12, len - 12));
			rtr_put16(p + 2, 0);
			rtr_put16(p + 2, rtr_csum(p, len));
			if (len != 16 && len != 36)
				assert_int_equal(rtr_request_decode(&back, &l3, p, len),
						 RTR_E_EXT_MALFORMED);
			else
				assert_int_equal(rtr_request_decode(&back, &l3, p, len), (int)len);
		}
		free(p);
	}
}

/* Builds a v4 request with the given extension bytes (after the 4-byte ext header). */
static size_t with_ext(uint8_t *b, const char *objs, bool ext_csum)
{
	size_t n = unit_hex(b, 12, "08 01 00 00 12 34 00 00 03 11 82 9b");
	b[12] = 0x20;
	b[13] = 0;
	rtr_put16(b + 14, 0);
	n = 16 + unit_hex(b + 16, 200, objs);
	if (ext_csum)
		rtr_put16(b + 14, rtr_csum(b + 12, n - 12));
	rtr_put16(b + 2, rtr_csum(b, n));
	return n;
}

static void test_ext_checksum(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v4();
	struct rtr_request rq;
	uint8_t b[256];
	size_t n;

	/* Checksum 0 = not computed: accepted. */
	n = with_ext(b, "00080600 00000000", false);
	assert_int_equal(rtr_request_decode(&rq, &l3, b, n), (int)n);
	assert_true(rq.has_padding);
	/* A wrong non-zero checksum is refused, the ICMP checksum being fine. */
	n = with_ext(b, "00080600 00000000", true);
	rtr_put16(b + 14, (uint16_t)(rtr_get16(b + 14) + 1));
	rtr_put16(b + 2, 0);
	rtr_put16(b + 2, rtr_csum(b, n));
	assert_int_equal(rtr_request_decode(&rq, &l3, b, n), RTR_E_EXT_CHECKSUM);
	/* Only the top 4 bits are the version: reserved bits do not matter. */
	n = with_ext(b, "00080600 00000000", false);
	b[12] = 0x2f;
	b[13] = 0xff;
	rtr_put16(b + 2, 0);
	rtr_put16(b + 2, rtr_csum(b, n));
	assert_int_equal(rtr_request_decode(&rq, &l3, b, n), (int)n);
	assert_true(rq.has_ext);
	assert_true(rq.has_padding);
	assert_int_equal(rq.padding_len, 8);
	/* Only the extension header: an empty structure. */
	n = with_ext(b, "", true);
	assert_int_equal(rtr_request_decode(&rq, &l3, b, n), 16);
	assert_true(rq.has_ext);
	assert_int_equal(rq.ext_len, 4);
	assert_false(rq.has_padding || rq.has_target || rq.has_unknown);
}

static void test_ext_objects(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v4();
	struct rtr_request rq;
	uint8_t b[256];
	size_t n;

	/* Target with RFC 4884 length 20. */
	n = with_ext(b, "00140500 20010db8000000000000000000000009", true);
	assert_int_equal(rtr_request_decode(&rq, &l3, b, n), (int)n);
	assert_true(rq.has_target);
	assert_int_equal(rq.target_obj_len, 20);
	struct rtr_addr t = unit_addr("2001:db8::9");
	assert_true(rtr_addr_eq(&rq.target, &t));
	/* Any other target length is malformed, even one that would fit. */
	const char *bad_targets[] = {"00040500 ", "00000500",
				     "00150500 20010db8000000000000000000000009",
				     "000f0500 20010db8000000000000000000000009",
				     "00180500 20010db8000000000000000000000009 00000000"};
	for (size_t i = 0; i < 5; i++) {
		n = with_ext(b, bad_targets[i], true);
		assert_int_equal(rtr_request_decode(&rq, &l3, b, n), RTR_E_EXT_MALFORMED);
	}
	/* Class 5 with another c-type is an unknown object, whatever its length. */
	n = with_ext(b, "00080501 00000000", true);
	assert_int_equal(rtr_request_decode(&rq, &l3, b, n), (int)n);
	assert_false(rq.has_target);
	assert_true(rq.has_unknown);
	assert_int_equal(rq.unknown_class, 5);
	assert_int_equal(rq.unknown_ctype, 1);
	/* Unknown objects: the first one is reported; length 4 (header only) is fine. */
	n = with_ext(b, "00040901 000c0a02 0000000000000000 00050600 00", true);
	assert_int_equal(rtr_request_decode(&rq, &l3, b, n), (int)n);
	assert_true(rq.has_unknown);
	assert_int_equal(rq.unknown_class, 9);
	assert_int_equal(rq.unknown_ctype, 1);
	assert_true(rq.has_padding);
	assert_int_equal(rq.padding_len, 5);
	/* RTR_EXT_MAX_OBJS objects are fine, one more is malformed (the server's loop bound). */
	char many[200] = "";
	for (int i = 0; i < RTR_EXT_MAX_OBJS; i++)
		strcat(many, "00040901 ");
	n = with_ext(b, many, true);
	assert_int_equal(rtr_request_decode(&rq, &l3, b, n), (int)n);
	strcat(many, "00040901");
	n = with_ext(b, many, true);
	assert_int_equal(rtr_request_decode(&rq, &l3, b, n), RTR_E_EXT_MALFORMED);
	/* Lengths below 4, or running past the end, are malformed. */
	const char *bad[] = {"00030900",	  "00000600", "00090600 00000000",
			     "00100900 00000000", "000806",   "00080600 00000000 00"};
	for (size_t i = 0; i < 6; i++) {
		n = with_ext(b, bad[i], true);
		assert_int_equal(rtr_request_decode(&rq, &l3, b, n), RTR_E_EXT_MALFORMED);
	}
	/* Padding length 4 (header only) is a padding object of 4. */
	n = with_ext(b, "00040600", true);
	assert_int_equal(rtr_request_decode(&rq, &l3, b, n), (int)n);
	assert_int_equal(rq.padding_len, 4);
	/* Decision: a second target or padding object is malformed (no ambiguity). */
	n = with_ext(b, "00040600 00040600", true);
	assert_int_equal(rtr_request_decode(&rq, &l3, b, n), RTR_E_EXT_MALFORMED);
	n = with_ext(b,
		     "00100500 00000000000000000000ffffcb007107 "
		     "00100500 00000000000000000000ffffcb007108",
		     true);
	assert_int_equal(rtr_request_decode(&rq, &l3, b, n), RTR_E_EXT_MALFORMED);
}

static void test_encode_ext_variants_roundtrip(void **state)
{
	(void)state;
	struct rtr_l3 l3s[2] = {l3_v4(), l3_v6()};
	for (int f = 0; f < 2; f++) {
		struct rtr_request rq = {
			.ident = 0xffff, .seq = 7, .ttl = 255, .proto = 6, .flow = 1};
		rq.has_target = true;
		rq.target_obj_len = 20;
		rq.target = unit_addr("2001:db8::77");
		rq.has_padding = true;
		rq.padding_len = 100;
		rq.has_unknown = true;
		rq.unknown_class = 7;
		rq.unknown_ctype = 3;
		uint8_t out[200];
		int n = rtr_request_encode(out, sizeof(out), &l3s[f], &rq);
		assert_int_equal(n, 12 + 4 + 20 + 100 + 8);
		assert_int_equal(out[0], f ? 128 : 8);
		assert_int_not_equal(rtr_get16(out + 14), 0);
		assert_true(rtr_csum_ok(0, out + 12, (size_t)n - 12));
		struct rtr_request back;
		assert_int_equal(rtr_request_decode(&back, &l3s[f], out, (size_t)n), n);
		assert_int_equal(back.ident, 0xffff);
		assert_int_equal(back.seq, 7);
		assert_int_equal(back.ttl, 255);
		assert_int_equal(back.proto, 6);
		assert_int_equal(back.flow, 1);
		assert_true(back.has_ext);
		assert_int_equal(back.ext_len, n - 12);
		assert_true(back.has_target);
		assert_int_equal(back.target_obj_len, 20);
		assert_true(rtr_addr_eq(&back.target, &rq.target));
		assert_true(back.has_padding);
		assert_int_equal(back.padding_len, 100);
		assert_true(back.has_unknown);
		assert_int_equal(back.unknown_class, 7);
		assert_int_equal(back.unknown_ctype, 3);
		/* Each too-small output buffer is refused. */
		for (int cap = 0; cap < n; cap++)
			assert_int_equal(rtr_request_encode(out, (size_t)cap, &l3s[f], &rq),
					 RTR_E_NOSPACE);
	}
}

static void test_encode_invalid(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v4();
	struct rtr_request rq = {.ttl = 1};
	uint8_t out[100];

	rq.has_target = true;
	rq.target_obj_len = 18;
	assert_int_equal(rtr_request_encode(out, sizeof(out), &l3, &rq), RTR_E_INVAL);
	rq.has_target = false;
	rq.has_padding = true;
	rq.padding_len = 3;
	assert_int_equal(rtr_request_encode(out, sizeof(out), &l3, &rq), RTR_E_INVAL);
	rq.has_padding = false;
	rq.has_unknown = true;
	rq.unknown_class = 5;
	rq.unknown_ctype = 0;
	assert_int_equal(rtr_request_encode(out, sizeof(out), &l3, &rq), RTR_E_INVAL);
	rq.unknown_class = 6;
	assert_int_equal(rtr_request_encode(out, sizeof(out), &l3, &rq), RTR_E_INVAL);
	rq.has_unknown = false;
	l3.family = 5;
	assert_int_equal(rtr_request_encode(out, sizeof(out), &l3, &rq), RTR_E_INVAL);
	assert_int_equal(rtr_request_decode(&rq, &l3, out, 12), RTR_E_INVAL);
	l3.family = 4;
	/* An ICMP message cannot exceed 65535 bytes. */
	static uint8_t big[70000];
	rq.has_padding = true;
	rq.padding_len = 65535;
	assert_int_equal(rtr_request_encode(big, sizeof(big), &l3, &rq), RTR_E_INVAL);
	rq.padding_len = 65535 - 16;
	assert_int_equal(rtr_request_encode(big, sizeof(big), &l3, &rq), 65535);
	rq.has_padding = false;
	assert_int_equal(rtr_request_encode(out, 11, &l3, &rq), RTR_E_NOSPACE);
	assert_int_equal(rtr_request_encode(out, 12, &l3, &rq), 12);
}

static void test_probe_proto(void **state)
{
	(void)state;
	for (int p = 0; p < 256; p++) {
		int w4 = p == 0 ? 1 : (p == 1 || p == 6 || p == 17) ? p : RTR_E_PROTO;
		int w6 = p == 0 ? 58 : (p == 58 || p == 6 || p == 17) ? p : RTR_E_PROTO;
		assert_int_equal(rtr_request_probe_proto((uint8_t)p, 4), w4);
		assert_int_equal(rtr_request_probe_proto((uint8_t)p, 6), w6);
		assert_int_equal(rtr_request_probe_proto((uint8_t)p, 5), RTR_E_PROTO);
	}
}

static void test_probe_flow(void **state)
{
	(void)state;
	assert_int_equal(rtr_request_probe_flow(17, 0), 53);
	assert_int_equal(rtr_request_probe_flow(6, 0), 80);
	assert_int_equal(rtr_request_probe_flow(1, 0), 0xbeaf);
	assert_int_equal(rtr_request_probe_flow(58, 0), 0xbeaf);
	assert_int_equal(rtr_request_probe_flow(0, 0), 0xbeaf);
	assert_int_equal(rtr_request_probe_flow(99, 0), 0);
	const uint16_t flows[] = {1, 443, 33435, 0xbeef, 65535};
	const uint8_t protos[] = {0, 1, 6, 17, 58};
	for (size_t i = 0; i < 5; i++)
		for (size_t j = 0; j < 5; j++)
			assert_int_equal(rtr_request_probe_flow(protos[j], flows[i]), flows[i]);
}

static int state_of(const struct rtr_request *rq, int family, const struct rtr_request_policy *pol,
		    uint16_t *value)
{
	*value = 0xdead;
	return rtr_request_state(rq, family, pol, value);
}

static void test_state(void **state)
{
	(void)state;
	struct rtr_request rq = {.ttl = 3, .proto = 0};
	uint16_t v;

	assert_int_equal(state_of(&rq, 4, NULL, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(rtr_request_state(&rq, 4, NULL, NULL), 0);
	/* TTL before protocol: TTL 0 with protocol 99 is state 1. */
	rq.ttl = 0;
	rq.proto = 99;
	assert_int_equal(state_of(&rq, 4, NULL, &v), RTR_STATE_TTL);
	assert_int_equal(v, 0);
	rq.ttl = 1;
	assert_int_equal(state_of(&rq, 4, NULL, &v), RTR_STATE_PROTOCOL);
	assert_int_equal(v, 0);
	rq.proto = 58;
	assert_int_equal(state_of(&rq, 4, NULL, &v), RTR_STATE_PROTOCOL);
	assert_int_equal(state_of(&rq, 6, NULL, &v), 0);
	rq.proto = 1;
	assert_int_equal(state_of(&rq, 6, NULL, &v), RTR_STATE_PROTOCOL);
	assert_int_equal(state_of(&rq, 4, NULL, &v), 0);
	assert_int_equal(rtr_request_state(&rq, 0, NULL, &v), RTR_E_INVAL);
	/* Flow is never refused: state 3 never appears. */
	for (uint32_t flow = 0; flow <= 0xffff; flow += 257) {
		rq.flow = (uint16_t)flow;
		assert_int_equal(state_of(&rq, 4, NULL, &v), 0);
	}
}

static void test_state_extensions(void **state)
{
	(void)state;
	struct rtr_request rq = {.ttl = 3, .proto = 17};
	struct rtr_request_policy pol = {.min_padding = 0, .allow_target = false};
	uint16_t v;

	/* Unknown object: state 4, value class << 8 | c-type; before the target check. */
	rq.has_unknown = true;
	rq.unknown_class = 0x0a;
	rq.unknown_ctype = 0x02;
	rq.has_target = true;
	assert_int_equal(state_of(&rq, 4, &pol, &v), RTR_STATE_EXTENSION);
	assert_int_equal(v, 0x0a02);
	/* The protocol check comes before extensions. */
	rq.proto = 58;
	assert_int_equal(state_of(&rq, 4, &pol, &v), RTR_STATE_PROTOCOL);
	rq.proto = 17;
	rq.has_unknown = false;
	assert_int_equal(state_of(&rq, 4, &pol, &v), RTR_STATE_EXTENSION);
	assert_int_equal(v, 0x0500);
	assert_int_equal(state_of(&rq, 4, NULL, &v), RTR_STATE_EXTENSION);
	assert_int_equal(v, 0x0500);
	pol.allow_target = true;
	assert_int_equal(state_of(&rq, 4, &pol, &v), 0);
	assert_int_equal(v, 0);
	/* Padding: absent counts as 0 bytes. */
	pol.min_padding = 100;
	assert_int_equal(state_of(&rq, 4, &pol, &v), RTR_STATE_PADDING);
	assert_int_equal(v, 100);
	rq.has_padding = true;
	rq.padding_len = 60;
	assert_int_equal(state_of(&rq, 4, &pol, &v), RTR_STATE_PADDING);
	assert_int_equal(v, 40);
	rq.padding_len = 99;
	assert_int_equal(state_of(&rq, 4, &pol, &v), RTR_STATE_PADDING);
	assert_int_equal(v, 1);
	rq.padding_len = 100;
	assert_int_equal(state_of(&rq, 4, &pol, &v), 0);
	rq.padding_len = 1000;
	assert_int_equal(state_of(&rq, 6, &pol, &v), 0);
	/* Without a requirement, padding is simply accepted. */
	pol.min_padding = 0;
	rq.padding_len = 4;
	assert_int_equal(state_of(&rq, 4, &pol, &v), 0);
	/* Extension refusal comes before padding. */
	pol.min_padding = 100;
	pol.allow_target = false;
	assert_int_equal(state_of(&rq, 4, &pol, &v), RTR_STATE_EXTENSION);
	/* TTL 0 beats everything. */
	rq.ttl = 0;
	assert_int_equal(state_of(&rq, 4, &pol, &v), RTR_STATE_TTL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_encode_decode),
		cmocka_unit_test(test_v6_request),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_validation_order),
		cmocka_unit_test(test_trailing_bytes_without_version2_ignored),
		cmocka_unit_test(test_ext_golden),
		cmocka_unit_test(test_ext_checksum),
		cmocka_unit_test(test_ext_objects),
		cmocka_unit_test(test_encode_ext_variants_roundtrip),
		cmocka_unit_test(test_encode_invalid),
		cmocka_unit_test(test_probe_proto),
		cmocka_unit_test(test_probe_flow),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_state_extensions),
	};
	return cmocka_run_group_tests_name("request", tests, NULL, NULL);
}
