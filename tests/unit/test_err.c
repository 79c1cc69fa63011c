// SPDX-License-Identifier: BSD-2-Clause
/* test_err.c: every error code has its own stable name. */
#include "unit.h"

#include "err.h"

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(rtr_strerror(RTR_OK), "ok");
	assert_string_equal(rtr_strerror(RTR_E_TRUNCATED), "truncated");
	assert_string_equal(rtr_strerror(RTR_E_NOSPACE), "no space");
	assert_string_equal(rtr_strerror(RTR_E_INVAL), "invalid argument");
	assert_string_equal(rtr_strerror(RTR_E_VERSION), "bad IP version");
	assert_string_equal(rtr_strerror(RTR_E_IPHDR), "malformed IP header");
	assert_string_equal(rtr_strerror(RTR_E_FRAGMENT), "fragment");
	assert_string_equal(rtr_strerror(RTR_E_TYPE), "wrong ICMP type");
	assert_string_equal(rtr_strerror(RTR_E_CODE), "wrong ICMP code");
	assert_string_equal(rtr_strerror(RTR_E_CHECKSUM), "bad checksum");
	assert_string_equal(rtr_strerror(RTR_E_EXT_MALFORMED), "malformed extension");
	assert_string_equal(rtr_strerror(RTR_E_EXT_CHECKSUM), "bad extension checksum");
	assert_string_equal(rtr_strerror(RTR_E_STATE), "bad state");
	assert_string_equal(rtr_strerror(RTR_E_NOT_OURS), "not ours");
	assert_string_equal(rtr_strerror(RTR_E_QUOTE_SHORT), "quote too short");
	assert_string_equal(rtr_strerror(RTR_E_MISMATCH), "mismatch");
	assert_string_equal(rtr_strerror(RTR_E_PROTO), "protocol not allowed");
}

static void test_unknown_and_counts(void **state)
{
	(void)state;
	assert_string_equal(rtr_strerror(-17), "unknown error");
	assert_string_equal(rtr_strerror(-1000), "unknown error");
	assert_string_equal(rtr_strerror(36), "ok");
}

static void test_names_distinct(void **state)
{
	(void)state;
	for (int a = 0; a >= RTR_E_PROTO; a--)
		for (int b = a - 1; b >= RTR_E_PROTO; b--)
			assert_string_not_equal(rtr_strerror(a), rtr_strerror(b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_unknown_and_counts),
		cmocka_unit_test(test_names_distinct),
	};
	return cmocka_run_group_tests_name("err", tests, NULL, NULL);
}
