// SPDX-License-Identifier: BSD-2-Clause
/* test_mda_stop.c: MDA stopping points equal scamper's tables and an independent computation. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "mda_stop.h"

/* scamper's tracelb table for 95% confidence (scamper_tracelb.c, confidence 95). */
static const unsigned n95[16] = {6, 11, 16, 21, 27, 33, 38, 44, 51, 57, 63, 70, 76, 83, 90, 96};
/*
 * 99% confidence, computed from the same definition (smallest n with
 * P(miss one of k+1 uniform interfaces) <= 0.01); these are the values of
 * scamper's table for confidence 99 (tracelb -c 99).
 */
static const unsigned n99[16] = {8, 15, 21, 28, 36, 43, 51, 58, 66, 74, 82, 90, 98, 106, 115, 123};

static void test_scamper_95(void **state)
{
	(void)state;
	struct rtr_mda_table t;
	assert_true(rtr_mda_table_init(&t, 0.05));
	for (unsigned k = 1; k <= 16; k++) {
		assert_int_equal(rtr_mda_n(&t, k), n95[k - 1]);
		assert_int_equal(rtr_mda_stop_point(0.05, k), n95[k - 1]);
	}
	assert_int_equal(rtr_mda_n(&t, 0), 6);
	unsigned widest = rtr_mda_n(&t, 1000);
	assert_int_equal(widest, rtr_mda_n(&t, RTR_MDA_MAX_K));
	assert_int_equal(widest, rtr_mda_stop_point(0.05, RTR_MDA_MAX_K));
}

static void test_scamper_99(void **state)
{
	(void)state;
	struct rtr_mda_table t;
	assert_true(rtr_mda_table_init(&t, 0.01));
	for (unsigned k = 1; k <= 16; k++)
		assert_int_equal(rtr_mda_n(&t, k), n99[k - 1]);
}

static void test_bad_alpha(void **state)
{
	(void)state;
	struct rtr_mda_table t;
	assert_false(rtr_mda_table_init(&t, 0));
	assert_false(rtr_mda_table_init(&t, 1));
	assert_false(rtr_mda_table_init(&t, -0.5));
	assert_false(rtr_mda_table_init(&t, NAN));
	assert_int_equal(rtr_mda_stop_point(0.05, 0), 0);
	assert_int_equal(rtr_mda_stop_point(0.05, RTR_MDA_MAX_K + 1), 0);
	assert_int_equal(rtr_mda_stop_point(2, 3), 0);
}

/*
 * The same probability by a different road: the Markov chain of how many
 * distinct interfaces n uniform draws have shown (only positive terms).
 */
static long double miss_by_chain(unsigned K, unsigned n)
{
	long double p[RTR_MDA_MAX_K + 2] = {0};
	p[0] = 1;
	for (unsigned d = 0; d < n; d++) {
		long double q[RTR_MDA_MAX_K + 2] = {0};
		for (unsigned j = 1; j <= K; j++)
			q[j] = p[j] * j / K + p[j - 1] * (K - j + 1) / K;
		memcpy(p, q, sizeof(p));
	}
	return 1 - p[K];
}

static void test_against_chain(void **state)
{
	(void)state;
	for (unsigned K = 2; K <= RTR_MDA_MAX_K + 1; K += 7)
		for (unsigned n = K; n < 12 * K; n += K / 2 + 1) {
			long double a = rtr_mda_miss_prob(K, n), b = miss_by_chain(K, n);
			assert_true(fabsl(a - b) < 1e-9L);
		}
	/* Every alpha gives increasing points, each the first n at or below alpha. */
	const double alphas[] = {0.2, 0.05, 0.01, 0.001};
	for (unsigned i = 0; i < 4; i++) {
		struct rtr_mda_table t;
		assert_true(rtr_mda_table_init(&t, alphas[i]));
		for (unsigned k = 1; k <= RTR_MDA_MAX_K; k += 5) {
			unsigned nk = rtr_mda_n(&t, k);
			assert_true(miss_by_chain(k + 1, nk) <= alphas[i] + 1e-12);
			assert_true(miss_by_chain(k + 1, nk - 1) > alphas[i] - 1e-12);
			if (k > 1)
				assert_true(nk > rtr_mda_n(&t, k - 1));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scamper_95),
		cmocka_unit_test(test_scamper_99),
		cmocka_unit_test(test_bad_alpha),
		cmocka_unit_test(test_against_chain),
	};
	return cmocka_run_group_tests_name("mda_stop", tests, NULL, NULL);
}
