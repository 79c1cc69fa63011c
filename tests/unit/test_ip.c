// SPDX-License-Identifier: BSD-2-Clause
/* test_ip.c: IPv4/IPv6 header decode (options, fragments, quotes, errors) and encode. */
#include "unit.h"

#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "ip.h"

/* IPv4, IHL 5, total 28, id 0xabcd, DF, TTL 64, UDP, 198.51.100.1 -> 203.0.113.9, 8 L4 bytes. */
static size_t v4_packet(uint8_t *b, uint8_t ihl_words)
{
	size_t hl = (size_t)ihl_words * 4;
	memset(b, 0, 80);
	b[0] = (uint8_t)(0x40 | ihl_words);
	b[1] = 0x2e;
	rtr_put16(b + 2, (uint16_t)(hl + 8));
	rtr_put16(b + 4, 0xabcd);
	rtr_put16(b + 6, 0x4000);
	b[8] = 64;
	b[9] = 17;
	unit_hex(b + 12, 8, "c6336401 cb007109");
	/* Options: NOP padding is enough to exercise IHL > 5. */
	for (size_t i = 20; i < hl; i++)
		b[i] = 0x01;
	for (size_t i = hl; i < hl + 8; i++)
		b[i] = (uint8_t)(0xa0 + i);
	rtr_put16(b + 10, rtr_csum(b, hl));
	return hl + 8;
}

static void test_v4_decode_fields(void **state)
{
	(void)state;
	uint8_t b[80];
	size_t n = v4_packet(b, 5);
	struct rtr_ip ip;
	char s[RTR_ADDR_STRLEN];

	assert_int_equal(rtr_ip_decode(&ip, b, n, 0), 20);
	assert_int_equal(ip.family, 4);
	assert_int_equal(ip.tos, 0x2e);
	assert_int_equal(ip.ttl, 64);
	assert_int_equal(ip.proto, 17);
	assert_int_equal(ip.id, 0xabcd);
	assert_true(ip.df);
	assert_false(ip.fragment);
	assert_int_equal(ip.flowlabel, 0);
	assert_int_equal(ip.hdr_len, 20);
	assert_int_equal(ip.options_len, 0);
	assert_int_equal(ip.total_len, 28);
	assert_string_equal(rtr_addr_format(&ip.src, s, sizeof(s)), "198.51.100.1");
	assert_string_equal(rtr_addr_format(&ip.dst, s, sizeof(s)), "203.0.113.9");
	assert_int_equal(rtr_ip_l4_len(&ip, n), 8);
	/* Fewer bytes than the header itself: no L4 bytes, never a wrapped count. */
	assert_int_equal(rtr_ip_l4_len(&ip, 10), 0);
	assert_int_equal(rtr_ip_l4_len(&ip, 20), 0);
	/* Ethernet padding after total_len is allowed and not counted as L4. */
	assert_int_equal(rtr_ip_decode(&ip, b, n + 18, 0), 20);
	assert_int_equal(rtr_ip_l4_len(&ip, n + 18), 8);
}

static void test_v4_options(void **state)
{
	(void)state;
	uint8_t b[80];
	size_t n = v4_packet(b, 15);
	struct rtr_ip ip;

	assert_int_equal(rtr_ip_decode(&ip, b, n, 0), 60);
	assert_int_equal(ip.hdr_len, 60);
	assert_int_equal(ip.options_len, 40);
	assert_int_equal(ip.total_len, 68);
	assert_int_equal(rtr_ip_l4_len(&ip, n), 8);
}

static void test_v4_every_truncation(void **state)
{
	(void)state;
	uint8_t b[80];
	for (uint8_t ihl = 5; ihl <= 15; ihl += 5) {
		size_t n = v4_packet(b, ihl);
		for (size_t len = 0; len < n; len++) {
			struct rtr_ip ip;
			uint8_t *p = unit_dup(b, len);
			assert_int_equal(rtr_ip_decode(&ip, p, len, 0), RTR_E_TRUNCATED);
			/* Quoted: the header alone is enough, anything shorter is not. */
			int q = rtr_ip_decode(&ip, p, len, RTR_IP_QUOTED);
			if (len < (size_t)ihl * 4)
				assert_int_equal(q, RTR_E_TRUNCATED);
			else
				assert_int_equal(q, ihl * 4);
			free(p);
		}
	}
}

static void test_v4_bad_ihl_and_total(void **state)
{
	(void)state;
	uint8_t b[80];
	struct rtr_ip ip;

	for (uint8_t ihl = 0; ihl < 5; ihl++) {
		v4_packet(b, 5);
		b[0] = (uint8_t)(0x40 | ihl);
		assert_int_equal(rtr_ip_decode(&ip, b, 28, 0), RTR_E_IPHDR);
		assert_int_equal(rtr_ip_decode(&ip, b, 28, RTR_IP_QUOTED), RTR_E_IPHDR);
	}
	/* Length is checked first: a short buffer is truncated whatever its IHL says. */
	v4_packet(b, 5);
	b[0] = 0x44;
	assert_int_equal(rtr_ip_decode(&ip, b, 10, 0), RTR_E_TRUNCATED);
	size_t n = v4_packet(b, 6);
	rtr_put16(b + 2, 23);
	assert_int_equal(rtr_ip_decode(&ip, b, n, RTR_IP_QUOTED), RTR_E_IPHDR);
	rtr_put16(b + 2, 24);
	assert_int_equal(rtr_ip_decode(&ip, b, n, RTR_IP_QUOTED), 24);
	assert_int_equal(rtr_ip_l4_len(&ip, n), 0);
}

static void test_v4_checksum(void **state)
{
	(void)state;
	uint8_t b[80];
	size_t n = v4_packet(b, 5);
	struct rtr_ip ip;

	b[8] = 63; /* a router decremented TTL without updating the checksum */
	assert_int_equal(rtr_ip_decode(&ip, b, n, 0), RTR_E_CHECKSUM);
	/* Quotes are not verified: routers may quote the header modified. */
	assert_int_equal(rtr_ip_decode(&ip, b, n, RTR_IP_QUOTED), 20);
	assert_int_equal(ip.ttl, 63);
	/* A bad option byte is covered by the checksum too. */
	n = v4_packet(b, 6);
	b[21] ^= 0xff;
	assert_int_equal(rtr_ip_decode(&ip, b, n, 0), RTR_E_CHECKSUM);
}

static void test_v4_quoted_cut_short(void **state)
{
	(void)state;
	uint8_t b[80];
	v4_packet(b, 5);
	rtr_put16(b + 2, 1500);
	rtr_put16(b + 10, 0);
	rtr_put16(b + 10, rtr_csum(b, 20));
	struct rtr_ip ip;

	assert_int_equal(rtr_ip_decode(&ip, b, 28, 0), RTR_E_TRUNCATED);
	assert_int_equal(rtr_ip_decode(&ip, b, 28, RTR_IP_QUOTED), 20);
	assert_int_equal(ip.total_len, 1500);
	assert_int_equal(rtr_ip_l4_len(&ip, 28), 8);
}

static void test_v4_fragments_flagged(void **state)
{
	(void)state;
	const uint16_t frag[] = {0x2000, 0x0001, 0x1fff, 0x6000, 0x4000, 0x0000, 0x8000};
	const bool want_frag[] = {true, true, true, true, false, false, false};
	const bool want_df[] = {false, false, false, true, true, false, false};

	for (size_t i = 0; i < sizeof(frag) / sizeof(frag[0]); i++) {
		uint8_t b[80];
		size_t n = v4_packet(b, 5);
		struct rtr_ip ip;
		rtr_put16(b + 6, frag[i]);
		rtr_put16(b + 10, 0);
		rtr_put16(b + 10, rtr_csum(b, 20));
		assert_int_equal(rtr_ip_decode(&ip, b, n, 0), 20);
		assert_int_equal(ip.fragment, want_frag[i]);
		assert_int_equal(ip.df, want_df[i]);
	}
}

static void test_version(void **state)
{
	(void)state;
	uint8_t b[80];
	struct rtr_ip ip;
	size_t n = v4_packet(b, 5);

	for (int v = 0; v < 16; v++) {
		if (v == 4 || v == 6)
			continue;
		b[0] = (uint8_t)(v << 4 | 5);
		assert_int_equal(rtr_ip_decode(&ip, b, n, 0), RTR_E_VERSION);
	}
	assert_int_equal(rtr_ip_decode(&ip, b, 0, 0), RTR_E_TRUNCATED);
}

/* IPv6: tc 0xb8, flow label 0x12345, payload 8, next header 17, hop limit 7. */
static size_t v6_packet(uint8_t *b, bool frag)
{
	size_t n = 0;
	memset(b, 0, 80);
	rtr_put32(b, 6u << 28 | 0xb8u << 20 | 0x12345);
	rtr_put16(b + 4, frag ? 16 : 8);
	b[6] = frag ? 44 : 17;
	b[7] = 7;
	unit_hex(b + 8, 32, "20010db8000000000000000000000001 20010db8000100000000000000000002");
	n = 40;
	if (frag) {
		b[40] = 17;
		rtr_put16(b + 42, 0x0001); /* offset 0, M=1 */
		rtr_put32(b + 44, 0xdeadbeef);
		n = 48;
	}
	for (size_t i = 0; i < 8; i++)
		b[n + i] = (uint8_t)i;
	return n + 8;
}

static void test_v6_decode_fields(void **state)
{
	(void)state;
	uint8_t b[80];
	size_t n = v6_packet(b, false);
	struct rtr_ip ip;
	char s[RTR_ADDR_STRLEN];

	assert_int_equal(rtr_ip_decode(&ip, b, n, 0), 40);
	assert_int_equal(ip.family, 6);
	assert_int_equal(ip.tos, 0xb8);
	assert_int_equal(ip.flowlabel, 0x12345);
	assert_int_equal(ip.ttl, 7);
	assert_int_equal(ip.proto, 17);
	assert_int_equal(ip.id, 0);
	assert_false(ip.df);
	assert_false(ip.fragment);
	assert_int_equal(ip.hdr_len, 40);
	assert_int_equal(ip.options_len, 0);
	assert_int_equal(ip.total_len, 48);
	assert_string_equal(rtr_addr_format(&ip.src, s, sizeof(s)), "2001:db8::1");
	assert_string_equal(rtr_addr_format(&ip.dst, s, sizeof(s)), "2001:db8:1::2");
	assert_int_equal(rtr_ip_l4_len(&ip, n), 8);
	assert_int_equal(rtr_ip_l4_len(&ip, n - 3), 5);
}

static void test_v6_fragment_header(void **state)
{
	(void)state;
	uint8_t b[80];
	size_t n = v6_packet(b, true);
	struct rtr_ip ip;

	assert_int_equal(rtr_ip_decode(&ip, b, n, 0), 48);
	assert_true(ip.fragment);
	assert_int_equal(ip.proto, 17);
	assert_int_equal(ip.hdr_len, 48);
	assert_int_equal(rtr_ip_l4_len(&ip, n), 8);
	/* A payload length too short to hold the fragment header is malformed. */
	rtr_put16(b + 4, 7);
	assert_int_equal(rtr_ip_decode(&ip, b, n, RTR_IP_QUOTED), RTR_E_IPHDR);
	/* Other extension headers are not walked: proto is the first next header. */
	n = v6_packet(b, false);
	b[6] = 0; /* hop-by-hop */
	assert_int_equal(rtr_ip_decode(&ip, b, n, 0), 40);
	assert_false(ip.fragment);
	assert_int_equal(ip.proto, 0);
}

static void test_v6_every_truncation(void **state)
{
	(void)state;
	uint8_t b[80];
	for (int f = 0; f < 2; f++) {
		size_t n = v6_packet(b, f);
		size_t hl = f ? 48 : 40;
		for (size_t len = 0; len < n; len++) {
			struct rtr_ip ip;
			uint8_t *p = unit_dup(b, len);
			assert_int_equal(rtr_ip_decode(&ip, p, len, 0), RTR_E_TRUNCATED);
			int q = rtr_ip_decode(&ip, p, len, RTR_IP_QUOTED);
			assert_int_equal(q, len < hl ? RTR_E_TRUNCATED : (int)hl);
			free(p);
		}
	}
}

static void test_v6_huge_payload_length(void **state)
{
	(void)state;
	uint8_t b[80];
	struct rtr_ip ip;
	v6_packet(b, false);
	rtr_put16(b + 4, 0xffff - 40);
	assert_int_equal(rtr_ip_decode(&ip, b, 48, RTR_IP_QUOTED), 40);
	assert_int_equal(ip.total_len, 0xffff);
	rtr_put16(b + 4, 0xffff - 39);
	assert_int_equal(rtr_ip_decode(&ip, b, 48, RTR_IP_QUOTED), RTR_E_IPHDR);
}

static void test_encode_v4(void **state)
{
	(void)state;
	struct rtr_ip ip = {.family = 4, .tos = 0, .ttl = 3, .proto = 17, .id = 0x1234, .df = true};
	ip.src = unit_addr("198.51.100.1");
	ip.dst = unit_addr("203.0.113.9");
	uint8_t out[20], want[20];

	assert_int_equal(rtr_ip_encode(out, sizeof(out), &ip, 40), 20);
	unit_hex(want, 20, "4500003c 12344000 0311 0000 c6336401 cb007109");
	rtr_put16(want + 10, rtr_csum(want, 20));
	assert_memory_equal(out, want, 20);
	assert_true(rtr_csum_ok(0, out, 20));

	struct rtr_ip back;
	assert_int_equal(rtr_ip_decode(&back, out, 20, RTR_IP_QUOTED), 20);
	assert_int_equal(back.total_len, 60);
	assert_int_equal(back.id, 0x1234);
	assert_true(back.df);
	assert_true(rtr_addr_eq(&back.src, &ip.src));
	assert_true(rtr_addr_eq(&back.dst, &ip.dst));

	ip.df = false;
	assert_int_equal(rtr_ip_encode(out, sizeof(out), &ip, 0), 20);
	assert_int_equal(rtr_get16(out + 6), 0);
	assert_int_equal(rtr_ip_encode(out, 19, &ip, 0), RTR_E_NOSPACE);
	assert_int_equal(rtr_ip_encode(out, 20, &ip, 0xffff - 20), 20);
	assert_int_equal(rtr_ip_encode(out, 20, &ip, 0xffff - 19), RTR_E_INVAL);
	ip.src = unit_addr("2001:db8::1");
	assert_int_equal(rtr_ip_encode(out, 20, &ip, 8), RTR_E_INVAL);
	ip.src = unit_addr("198.51.100.1");
	ip.dst = unit_addr("2001:db8::1");
	assert_int_equal(rtr_ip_encode(out, 20, &ip, 8), RTR_E_INVAL);
}

static void test_encode_v6(void **state)
{
	(void)state;
	struct rtr_ip ip = {.family = 6, .tos = 0xb8, .ttl = 7, .proto = 58, .flowlabel = 0x12345};
	ip.src = unit_addr("2001:db8::1");
	ip.dst = unit_addr("2001:db8:1::2");
	uint8_t out[40], want[40];

	assert_int_equal(rtr_ip_encode(out, sizeof(out), &ip, 32), 40);
	unit_hex(want, 40,
		 "6b812345 0020 3a 07 20010db8000000000000000000000001 "
		 "20010db8000100000000000000000002");
	assert_memory_equal(out, want, 40);
	struct rtr_ip back;
	assert_int_equal(rtr_ip_decode(&back, out, 40, RTR_IP_QUOTED), 40);
	assert_int_equal(back.tos, 0xb8);
	assert_int_equal(back.flowlabel, 0x12345);

	assert_int_equal(rtr_ip_encode(out, 39, &ip, 0), RTR_E_NOSPACE);
	assert_int_equal(rtr_ip_encode(out, 40, &ip, 0x10000), RTR_E_INVAL);
	ip.flowlabel = 0x100000;
	assert_int_equal(rtr_ip_encode(out, 40, &ip, 0), RTR_E_INVAL);
	ip.flowlabel = 0;
	ip.family = 5;
	assert_int_equal(rtr_ip_encode(out, 40, &ip, 0), RTR_E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4_decode_fields),
		cmocka_unit_test(test_v4_options),
		cmocka_unit_test(test_v4_every_truncation),
		cmocka_unit_test(test_v4_bad_ihl_and_total),
		cmocka_unit_test(test_v4_checksum),
		cmocka_unit_test(test_v4_quoted_cut_short),
		cmocka_unit_test(test_v4_fragments_flagged),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_v6_decode_fields),
		cmocka_unit_test(test_v6_fragment_header),
		cmocka_unit_test(test_v6_every_truncation),
		cmocka_unit_test(test_v6_huge_payload_length),
		cmocka_unit_test(test_encode_v4),
		cmocka_unit_test(test_encode_v6),
	};
	return cmocka_run_group_tests_name("ip", tests, NULL, NULL);
}
