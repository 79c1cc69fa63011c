// SPDX-License-Identifier: BSD-2-Clause
/* test_mda_match.c: two-way node matching by point-to-point mates and shared addresses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "mda_match.h"

static struct rtr_addr A(const char *s) {
	struct rtr_addr a;
	assert_true(rtr_addr_parse(&a, s) > 0);
	return a;
}

static void
test_mates(void **state)
{
	(void)state;
	struct rtr_addr m, x;
	x = A("198.51.100.1");
	assert_true(rtr_mate(&x, 30, &m));
	struct rtr_addr want = A("198.51.100.2");
	assert_true(rtr_addr_eq(&m, &want));
	assert_true(rtr_mate(&x, 31, &m));
	want = A("198.51.100.0");
	assert_true(rtr_addr_eq(&m, &want));
	x = A("198.51.100.4"); /* a /30's network address is no end of the link */
	assert_false(rtr_mate(&x, 30, &m));
	x = A("198.51.100.7");
	assert_false(rtr_mate(&x, 30, &m));
	assert_false(rtr_mate(&x, 29, &m));
	assert_false(rtr_mate(&x, 127, &m)); /* an IPv6 prefix for an IPv4 address */
	x = A("2001:db8::6");
	assert_true(rtr_mate(&x, 126, &m));
	want = A("2001:db8::5");
	assert_true(rtr_addr_eq(&m, &want));
	assert_true(rtr_mate(&x, 127, &m));
	want = A("2001:db8::7");
	assert_true(rtr_addr_eq(&m, &want));
}

/*
 * The lab's diamond, numbered as /30s: client .1.1 - .1.2 r1; r1 .2.1 - .2.2 r2a; r1 .3.1 -
 * .3.2 r2b; r2a .4.1 - .4.2 r3; r2b .5.1 - .5.2 r3; r3 .6.1 - .6.2 server.
 */
static void test_diamond(void **state)
{
	(void)state;
	struct rtr_link fwd[] = {
		{A("198.51.1.2"), A("198.51.2.2")}, /* r1 -> r2a */
		{A("198.51.1.2"), A("198.51.3.2")}, /* r1 -> r2b */
		{A("198.51.2.2"), A("198.51.4.2")}, /* r2a -> r3 */
		{A("198.51.3.2"), A("198.51.5.2")}, /* r2b -> r3 */
		{A("198.51.4.2"), A("198.51.6.2")}, /* r3 -> server */
	};
	struct rtr_link rev[] = {
		{A("198.51.6.1"), A("198.51.4.1")}, /* r3 -> r2a */
		{A("198.51.6.1"), A("198.51.5.1")}, /* r3 -> r2b */
		{A("198.51.4.1"), A("198.51.2.1")}, /* r2a -> r1 */
		{A("198.51.5.1"), A("198.51.3.1")}, /* r2b -> r1 */
		{A("198.51.2.1"), A("198.51.1.1")}, /* r1 -> client */
	};
	struct rtr_alias al[32];
	unsigned n = rtr_match_two_way(fwd, 5, rev, 5, al, 32);
	/* Every pair found must be one router; r1, r2a, r2b and r3 are each found. */
	const char *router[][4] = {
		{"198.51.1.2", "198.51.2.1", "198.51.3.1", "r1"},
		{"198.51.2.2", "198.51.4.1", NULL, "r2a"},
		{"198.51.3.2", "198.51.5.1", NULL, "r2b"},
		{"198.51.4.2", "198.51.5.2", "198.51.6.1", "r3"},
	};
	bool found[4] = {false};
	assert_true(n >= 4);
	for (unsigned i = 0; i < n; i++) {
		int which = -1;
		for (int r = 0; r < 4; r++)
			for (int k = 0; k < 3 && router[r][k]; k++) {
				struct rtr_addr f = A(router[r][k]);
				if (rtr_addr_eq(&al[i].fwd, &f))
					which = r;
			}
		assert_true(which >= 0);
		bool rev_ok = false;
		for (int k = 0; k < 3 && router[which][k]; k++) {
			struct rtr_addr r = A(router[which][k]);
			rev_ok |= rtr_addr_eq(&al[i].rev, &r);
		}
		assert_true(rev_ok);
		assert_true(al[i].why == RTR_ALIAS_MATE_FWD || al[i].why == RTR_ALIAS_MATE_REV);
		assert_int_equal(al[i].prefix, 30);
		found[which] = true;
	}
	for (int r = 0; r < 4; r++)
		assert_true(found[r]);
	/* The cap is respected. */
	assert_int_equal(rtr_match_two_way(fwd, 5, rev, 5, al, 2), 2);
}

static void test_same_address(void **state)
{
	(void)state;
	struct rtr_link fwd[] = {{A("2001:db8:1::9"), A("2001:db8:2::9")}};
	struct rtr_link rev[] = {{A("2001:db8:3::9"), A("2001:db8:1::9")}};
	struct rtr_alias al[4];
	assert_int_equal(rtr_match_two_way(fwd, 1, rev, 1, al, 4), 1);
	assert_int_equal(al[0].why, RTR_ALIAS_SAME);
	struct rtr_addr w = A("2001:db8:1::9");
	assert_true(rtr_addr_eq(&al[0].fwd, &w) && rtr_addr_eq(&al[0].rev, &w));
	/* Nothing in common: nothing matched. */
	struct rtr_link other[] = {{A("2001:db8:7::9"), A("2001:db8:8::9")}};
	assert_int_equal(rtr_match_two_way(fwd, 1, other, 1, al, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mates),
		cmocka_unit_test(test_diamond),
		cmocka_unit_test(test_same_address),
	};
	return cmocka_run_group_tests_name("mda_match", tests, NULL, NULL);
}
