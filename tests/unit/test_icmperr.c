// SPDX-License-Identifier: BSD-2-Clause
/* test_icmperr.c: the router-answer encoder, byte for byte against spec vectors; quote cut rules.
 */
#include "unit.h"

#include "answer.h"
#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "icmperr.h"
#include "ip.h"
#include "rtr_wire.h"

/* spec-vectors/pcap/ans-te-v4-udp.pcap, packet 2: Time Exceeded from 198.51.100.1 (TTL 250). */
#define TE4_UDP                                                                                  \
	"4500005900000000fa015a5ac6336401cb0071140b005b8d000000004500003d3a7c40000111d8e1cb0071" \
	"14c633640a03fd829b00295e2179029c4d12e712859a4b5591c979892c52ed11536814fa4d0e1be48cf211" \
	"10f37b"
/* spec-vectors/pcap/ans-du-v6-code4.pcap, packet 2: Port Unreachable from the destination. */
#define DU6_CODE4                                                                                 \
	"6000000000483afa20010db8000c0000000000000000001020010db800050000000000000000002001043c"  \
	"c700000000600000000018060520010db800050000000000000000002020010db8000c00000000000000000" \
	"01003fd00500badf00d000000006002faf0418f0000020405a0"

static struct rtr_icmp_error err_of(int family, const char *from, const char *to, uint8_t ttl,
				    uint8_t type, uint8_t code)
{
	struct rtr_icmp_error e = {.type = type, .code = code};
	e.ip.family = (uint8_t)family;
	e.ip.ttl = ttl;
	e.ip.src = unit_addr(from);
	e.ip.dst = unit_addr(to);
	return e;
}

/* Encodes e quoting what follows the 8-byte ICMP header of the vector and compares every byte. */
static void check_vector(const char *hex, const struct rtr_icmp_error *e)
{
	uint8_t want[600], out[600];
	size_t n = unit_hex(want, sizeof(want), hex);
	size_t hl = e->ip.family == 4 ? 20 : 40;
	int len = rtr_icmp_error_encode(out, sizeof(out), e, want + hl + 8, n - hl - 8);
	assert_int_equal(len, (int)n);
	assert_memory_equal(out, want, n);
	/* Exactly the computed length fits; one byte less never does. */
	assert_int_equal(rtr_icmp_error_encode(out, n, e, want + hl + 8, n - hl - 8), (int)n);
	for (size_t cap = 0; cap < n; cap++)
		assert_int_equal(rtr_icmp_error_encode(out, cap, e, want + hl + 8, n - hl - 8),
				 RTR_E_NOSPACE);
}

static void test_v4_time_exceeded_vector(void **state)
{
	(void)state;
	struct rtr_icmp_error e = err_of(4, "198.51.100.1", "203.0.113.20", 250,
					 RTR_ICMP4_TIME_EXCEEDED, RTR_CODE_TTL_EXCEEDED);
	check_vector(TE4_UDP, &e);
}

static void test_v6_port_unreachable_vector(void **state)
{
	(void)state;
	struct rtr_icmp_error e =
		err_of(6, "2001:db8:c::10", "2001:db8:5::20", 250, RTR_ICMP6_DEST_UNREACH, 4);
	check_vector(DU6_CODE4, &e);
}

/* The answer decoder reads what the encoder writes: kind, code, router, quoted probe. */
static void test_decodes_as_answer(void **state)
{
	(void)state;
	uint8_t want[600], out[600];
	size_t n = unit_hex(want, sizeof(want), TE4_UDP);
	struct rtr_icmp_error e =
		err_of(4, "198.51.100.1", "203.0.113.20", 64, RTR_ICMP4_DEST_UNREACH, 3);
	int len = rtr_icmp_error_encode(out, sizeof(out), &e, want + 28, n - 28);
	assert_true(len > 0);
	struct rtr_answer a;
	assert_int_equal(rtr_answer_decode(&a, out, (size_t)len), RTR_OK);
	assert_int_equal(a.kind, RTR_ANS_DEST_UNREACH);
	assert_int_equal(a.icmp_code, 3);
	assert_int_equal(a.reply_ttl, 64);
	assert_true(rtr_addr_eq(&a.from, &e.ip.src));
}

/* The 4 bytes after the checksum (pointer, MTU) are written, and covered by the checksum. */
static void test_rest_field(void **state)
{
	(void)state;
	uint8_t out[100], q[28] = {0x45};
	struct rtr_icmp_error e = err_of(6, "2001:db8::1", "2001:db8::2", 64, 2, 0);
	e.rest = 1280;
	int len = rtr_icmp_error_encode(out, sizeof(out), &e, q, sizeof(q));
	assert_int_equal(len, 40 + 8 + 28);
	assert_int_equal(rtr_get32(out + 44), 1280);
	assert_int_equal(out[6], RTR_IPPROTO_ICMPV6);
	uint32_t ps = rtr_csum_pseudo(6, &e.ip.src, &e.ip.dst, RTR_IPPROTO_ICMPV6, 8 + 28);
	assert_true(rtr_csum_ok(ps, out + 40, 8 + 28));
}

/*
 * RFC 1812 4.3.2.3: an IPv4 error datagram is at most 576 bytes; RFC 4443 2.4(c): an ICMPv6
 * error at most 1280. Longer quotes are cut, and the result still verifies.
 */
static void check_cut(int family, size_t max)
{
	static uint8_t quote[3000], out[3000];
	uint64_t seed = 7;
	unit_rand(&seed, quote, sizeof(quote));
	struct rtr_icmp_error e =
		family == 4
			? err_of(4, "192.0.2.1", "192.0.2.2", 64, RTR_ICMP4_TIME_EXCEEDED, 0)
			: err_of(6, "2001:db8::1", "2001:db8::2", 64, RTR_ICMP6_TIME_EXCEEDED, 0);
	size_t hl = family == 4 ? 20 : 40, room = max - hl - 8;
	const size_t lens[] = {0, 1, 8, room - 1, room, room + 1, sizeof(quote)};
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t q = lens[i] < room ? lens[i] : room;
		int len = rtr_icmp_error_encode(out, sizeof(out), &e, quote, lens[i]);
		assert_int_equal(len, (int)(hl + 8 + q));
		struct rtr_ip ip;
		assert_int_equal(rtr_ip_decode(&ip, out, (size_t)len, 0), (int)hl);
		assert_int_equal(ip.total_len, len);
		assert_memory_equal(out + hl + 8, quote, q);
		uint32_t ps = family == 4 ? 0
					  : rtr_csum_pseudo(6, &e.ip.src, &e.ip.dst,
							    RTR_IPPROTO_ICMPV6, (uint32_t)(8 + q));
		assert_true(rtr_csum_ok(ps, out + hl, 8 + q));
	}
	/* A cut datagram needs only its cut size. */
	assert_int_equal(rtr_icmp_error_encode(out, max, &e, quote, sizeof(quote)), (int)max);
	assert_int_equal(rtr_icmp_error_encode(out, max - 1, &e, quote, sizeof(quote)),
			 RTR_E_NOSPACE);
}

static void test_cut_v4_576(void **state)
{
	(void)state;
	check_cut(4, RTR_ICMP_ERROR_MAX4);
}

static void test_cut_v6_1280(void **state)
{
	(void)state;
	check_cut(6, RTR_ICMP_ERROR_MAX6);
}

static void test_invalid(void **state)
{
	(void)state;
	uint8_t out[100], q[8] = {0};
	struct rtr_icmp_error e = err_of(4, "192.0.2.1", "192.0.2.2", 64, 11, 0);
	e.ip.family = 5;
	assert_int_equal(rtr_icmp_error_encode(out, sizeof(out), &e, q, 8), RTR_E_INVAL);
	/* IPv4 family with IPv6 addresses. */
	e = err_of(6, "2001:db8::1", "2001:db8::2", 64, 11, 0);
	e.ip.family = 4;
	assert_int_equal(rtr_icmp_error_encode(out, sizeof(out), &e, q, 8), RTR_E_INVAL);
	e = err_of(4, "192.0.2.1", "192.0.2.2", 64, 11, 0);
	assert_int_equal(rtr_icmp_error_encode(out, sizeof(out), &e, NULL, 8), RTR_E_INVAL);
	/* An empty quote is legal (the caller chose it), and the header alone is written. */
	assert_int_equal(rtr_icmp_error_encode(out, sizeof(out), &e, NULL, 0), 28);
	assert_true(rtr_csum_ok(0, out + 20, 8));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4_time_exceeded_vector),
		cmocka_unit_test(test_v6_port_unreachable_vector),
		cmocka_unit_test(test_decodes_as_answer),
		cmocka_unit_test(test_rest_field),
		cmocka_unit_test(test_cut_v4_576),
		cmocka_unit_test(test_cut_v6_1280),
		cmocka_unit_test(test_invalid),
	};
	return cmocka_run_group_tests_name("icmperr", tests, NULL, NULL);
}
