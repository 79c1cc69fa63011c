// SPDX-License-Identifier: BSD-2-Clause
/* test_checksum.c: RFC 1071 sums, pseudo-headers, RFC 1624 updates and compensation words. */
#include "unit.h"

#include "checksum.h"
#include "cursor.h"

/* RFC 1071 section 3 example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2. */
static void test_rfc1071_example(void **state)
{
	(void)state;
	const uint8_t b[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	uint32_t sum = rtr_csum_add(0, b, sizeof(b));

	assert_int_equal(rtr_csum_fold(sum), (uint16_t)~0xddf2);
	assert_int_equal(rtr_csum(b, sizeof(b)), 0x220d);
	/* Any split at an even offset gives the same sum (pieces add in any order). */
	uint32_t s2 = rtr_csum_add(rtr_csum_add(0, b + 4, 4), b, 4);
	assert_int_equal(rtr_csum_fold(s2), 0x220d);
}

static void test_odd_byte_padded_with_zero(void **state)
{
	(void)state;
	const uint8_t one[] = {0x01};
	const uint8_t three[] = {0x12, 0x34, 0x56};

	assert_int_equal(rtr_csum_add(0, one, 1), 0x0100);
	assert_int_equal(rtr_csum_add(0, three, 3), 0x1234 + 0x5600);
	assert_int_equal(rtr_csum_add(7, NULL, 0), 7);
	assert_int_equal(rtr_csum(three, 3), (uint16_t) ~(0x1234 + 0x5600));
}

static void test_fold_carries(void **state)
{
	(void)state;
	assert_int_equal(rtr_csum_fold(0), 0xffff);
	assert_int_equal(rtr_csum_fold(0xffff), 0x0000);
	assert_int_equal(rtr_csum_fold(0x1fffe), 0x0000);
	assert_int_equal(rtr_csum_fold(0x12345), (uint16_t)~0x2346);
	assert_int_equal(rtr_csum_fold(0xffffffffu), 0x0000);
}

static void test_long_buffer_does_not_overflow(void **state)
{
	(void)state;
	static uint8_t big[200000];
	memset(big, 0xff, sizeof(big));
	/* All-ones words sum to -0: the checksum of any number of them is 0. */
	assert_int_equal(rtr_csum(big, sizeof(big)), 0x0000);
	big[0] = 0xfe;
	assert_int_equal(rtr_csum(big, sizeof(big)), 0x0100);
}

static void test_pseudo_v4_udp(void **state)
{
	(void)state;
	struct rtr_addr src = unit_addr("198.51.100.1"), dst = unit_addr("203.0.113.5");
	uint8_t udp[13];
	unit_hex(udp, sizeof(udp), "03fd0035000d0000 6162636465");
	uint32_t ph = rtr_csum_pseudo(4, &src, &dst, 17, sizeof(udp));

	/* Expected value computed independently (Python, RFC 768). */
	assert_int_equal(rtr_csum_fold(rtr_csum_add(ph, udp, sizeof(udp))), 0x6ba0);
	rtr_put16(udp + 6, 0x6ba0);
	assert_true(rtr_csum_ok(ph, udp, sizeof(udp)));
	udp[9] ^= 1;
	assert_false(rtr_csum_ok(ph, udp, sizeof(udp)));
}

static void test_pseudo_v6_icmp(void **state)
{
	(void)state;
	struct rtr_addr src = unit_addr("2001:db8::1"), dst = unit_addr("2001:db8:1::2");
	uint8_t icmp[11];
	unit_hex(icmp, sizeof(icmp), "80000000abcd0001 78797a");
	uint32_t ph = rtr_csum_pseudo(6, &src, &dst, 58, sizeof(icmp));

	assert_int_equal(rtr_csum_fold(rtr_csum_add(ph, icmp, sizeof(icmp))), 0x85fb);
	rtr_put16(icmp + 2, 0x85fb);
	assert_true(rtr_csum_ok(ph, icmp, sizeof(icmp)));
	/* The v6 pseudo-header carries the length in 32 bits: the high half counts. */
	uint32_t big = rtr_csum_pseudo(6, &src, &dst, 58, 0x10000 + sizeof(icmp));
	assert_int_not_equal(rtr_csum_fold(big), rtr_csum_fold(ph));
	/* Swapping addresses or changing the protocol changes nothing / something as expected. */
	assert_int_equal(rtr_csum_pseudo(6, &dst, &src, 58, 11), ph);
	assert_int_not_equal(rtr_csum_pseudo(6, &src, &dst, 17, 11), ph);
}

static void test_csum_ok_golden_request(void **state)
{
	(void)state;
	uint8_t b[12];
	unit_hex(b, sizeof(b), "08 01 60 1e 12 34 00 00 03 11 82 9b");
	assert_true(rtr_csum_ok(0, b, sizeof(b)));
	for (size_t i = 0; i < sizeof(b); i++) {
		b[i] ^= 0x40;
		assert_false(rtr_csum_ok(0, b, sizeof(b)));
		b[i] ^= 0x40;
	}
	rtr_put16(b + 2, 0);
	assert_int_equal(rtr_csum(b, sizeof(b)), 0x601e);
}

/* RFC 1624 eqn. 3 against full recomputation for many word changes. */
static void test_update16_matches_recompute(void **state)
{
	(void)state;
	uint64_t rs = 0x9e3779b97f4a7c15ull;
	uint8_t buf[20];

	for (int i = 0; i < 2000; i++) {
		unit_rand(&rs, buf, sizeof(buf));
		rtr_put16(buf + 10, 0);
		uint16_t c = rtr_csum(buf, sizeof(buf));
		uint16_t old = rtr_get16(buf + 4);
		uint8_t nw[2];
		unit_rand(&rs, nw, 2);
		uint16_t neww = rtr_get16(nw);
		rtr_put16(buf + 4, neww);
		uint16_t upd = rtr_csum_update16(c, old, neww);
		rtr_put16(buf + 10, upd);
		assert_true(rtr_csum_ok(0, buf, sizeof(buf)));
	}
	/* RFC 1624 section 4 example: HC 0xDD2F, m 0x5555 -> 0x3285 gives 0x0000 (not 0xFFFF). */
	assert_int_equal(rtr_csum_update16(0xdd2f, 0x5555, 0x3285), 0x0000);
	/* An unchanged word leaves a checksum unchanged. */
	assert_int_equal(rtr_csum_update16(0x1234, 0xabcd, 0xabcd), 0x1234);
}

/* The compensation word makes the checksum field verify while holding the chosen value. */
static void test_compensate(void **state)
{
	(void)state;
	uint64_t rs = 42;
	uint8_t buf[40];
	const uint16_t wants[] = {0x0001, 0xbeaf, 0xfffe, 0xffff, 0x8000, 0x1234};

	for (int i = 0; i < 600; i++) {
		unit_rand(&rs, buf, sizeof(buf));
		uint16_t want = wants[i % 6];
		rtr_put16(buf + 2, 0);
		rtr_put16(buf + 8, 0);
		uint16_t have = rtr_csum(buf, sizeof(buf));
		rtr_put16(buf + 8, rtr_csum_compensate(have, want));
		rtr_put16(buf + 2, want);
		assert_true(rtr_csum_ok(0, buf, sizeof(buf)));
	}
	/* Worked example: have 0x1234, want 0xbeaf -> ~0xbeaf + 0x1234 = 0x4150 + 0x1234 = 0x5384.
	 */
	assert_int_equal(rtr_csum_compensate(0x1234, 0xbeaf), 0x5384);
	/* want == have needs no change: the word is one's-complement zero. */
	uint16_t z = rtr_csum_compensate(0x4321, 0x4321);
	assert_true(z == 0x0000 || z == 0xffff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1071_example),
		cmocka_unit_test(test_odd_byte_padded_with_zero),
		cmocka_unit_test(test_fold_carries),
		cmocka_unit_test(test_long_buffer_does_not_overflow),
		cmocka_unit_test(test_pseudo_v4_udp),
		cmocka_unit_test(test_pseudo_v6_icmp),
		cmocka_unit_test(test_csum_ok_golden_request),
		cmocka_unit_test(test_update16_matches_recompute),
		cmocka_unit_test(test_compensate),
	};
	return cmocka_run_group_tests_name("checksum", tests, NULL, NULL);
}
