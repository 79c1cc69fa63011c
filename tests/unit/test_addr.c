// SPDX-License-Identifier: BSD-2-Clause
/* test_addr.c: IPv4-mapped storage, family, equality, parsing and formatting. */
#include "unit.h"

#include "addr.h"
#include "err.h"

static void test_from_v4_is_mapped(void **state)
{
	(void)state;
	const uint8_t v4[4] = {203, 0, 113, 1};
	const uint8_t want[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 203, 0, 113, 1};
	struct rtr_addr a;

	rtr_addr_from_v4(&a, v4);
	assert_memory_equal(a.b, want, 16);
	assert_true(rtr_addr_is_v4mapped(&a));
	assert_int_equal(rtr_addr_family(&a), 4);
	assert_memory_equal(rtr_addr_v4(&a), v4, 4);
}

static void test_from_v6(void **state)
{
	(void)state;
	uint8_t v6[16];
	struct rtr_addr a;

	unit_hex(v6, 16, "20010db8000000000000000000000001");
	rtr_addr_from_v6(&a, v6);
	assert_memory_equal(a.b, v6, 16);
	assert_false(rtr_addr_is_v4mapped(&a));
	assert_int_equal(rtr_addr_family(&a), 6);
	/* Near misses of the mapped prefix are IPv6. */
	unit_hex(v6, 16, "00000000000000000000fffecb007101");
	rtr_addr_from_v6(&a, v6);
	assert_int_equal(rtr_addr_family(&a), 6);
	unit_hex(v6, 16, "00000000000000000001ffffcb007101");
	rtr_addr_from_v6(&a, v6);
	assert_false(rtr_addr_is_v4mapped(&a));
	unit_hex(v6, 16, "00000000000000000000ffffcb007101");
	rtr_addr_from_v6(&a, v6);
	assert_true(rtr_addr_is_v4mapped(&a));
}

static void test_eq(void **state)
{
	(void)state;
	struct rtr_addr a = unit_addr("198.51.100.7"), b = unit_addr("::ffff:198.51.100.7");
	struct rtr_addr c = unit_addr("198.51.100.8");

	assert_true(rtr_addr_eq(&a, &b));
	assert_false(rtr_addr_eq(&a, &c));
	for (int i = 0; i < 16; i++) {
		struct rtr_addr d = a;
		d.b[i] ^= 0x80;
		assert_false(rtr_addr_eq(&a, &d));
	}
}

static void test_parse(void **state)
{
	(void)state;
	struct rtr_addr a;
	char out[RTR_ADDR_STRLEN];

	assert_int_equal(rtr_addr_parse(&a, "198.51.100.1"), 4);
	assert_int_equal(rtr_addr_family(&a), 4);
	assert_int_equal(rtr_addr_parse(&a, "2001:db8::1"), 6);
	assert_string_equal(rtr_addr_format(&a, out, sizeof(out)), "2001:db8::1");
	/* The family of the text as written, while the stored address is mapped. */
	assert_int_equal(rtr_addr_parse(&a, "::ffff:198.51.100.1"), 6);
	assert_int_equal(rtr_addr_family(&a), 4);
	assert_int_equal(rtr_addr_parse(&a, "198.51.100.256"), RTR_E_INVAL);
	assert_int_equal(rtr_addr_parse(&a, "2001:db8::g"), RTR_E_INVAL);
	assert_int_equal(rtr_addr_parse(&a, ""), RTR_E_INVAL);
	assert_int_equal(rtr_addr_parse(&a, "example.com"), RTR_E_INVAL);
	assert_int_equal(rtr_addr_parse(&a, NULL), RTR_E_INVAL);
}

static void test_format(void **state)
{
	(void)state;
	char out[RTR_ADDR_STRLEN];
	struct rtr_addr a = unit_addr("::ffff:203.0.113.1");

	assert_ptr_equal(rtr_addr_format(&a, out, sizeof(out)), out);
	assert_string_equal(out, "203.0.113.1");
	a = unit_addr("2001:0db8:0000:0000:0000:0000:0000:00ff");
	assert_string_equal(rtr_addr_format(&a, out, sizeof(out)), "2001:db8::ff");
	a = unit_addr("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255");
	assert_string_equal(rtr_addr_format(&a, out, sizeof(out)),
			    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	/* A buffer too small gives an empty string, never a cut address. */
	char small[8];
	memset(small, 'x', sizeof(small));
	a = unit_addr("198.51.100.100");
	assert_string_equal(rtr_addr_format(&a, small, sizeof(small)), "");
	/* cap 0: nothing is written at all. */
	memset(small, 'x', sizeof(small));
	assert_ptr_equal(rtr_addr_format(&a, small, 0), small);
	assert_int_equal(small[0], 'x');
	memset(small, 'x', sizeof(small));
	a = unit_addr("2001:db8::1");
	assert_string_equal(rtr_addr_format(&a, small, sizeof(small)), "");
	a = unit_addr("1.2.3.4");
	assert_string_equal(rtr_addr_format(&a, small, sizeof(small)), "1.2.3.4");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_v4_is_mapped),
		cmocka_unit_test(test_from_v6),
		cmocka_unit_test(test_eq),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests_name("addr", tests, NULL, NULL);
}
