/* SPDX-License-Identifier: BSD-2-Clause */
/* mda_stop.h: MDA stopping points: how many flows a hop needs before its interface count is
 * trusted. */
#ifndef RTR_CLIENT_MDA_STOP_H
#define RTR_CLIENT_MDA_STOP_H

#include <stdbool.h>

#define RTR_MDA_MAX_K 128 /* widest hop (distinct interfaces) the tables cover */

/*
 * Probability that n flows, each landing uniformly at random on one of K
 * interfaces, miss at least one of them, by inclusion-exclusion:
 *   sum_{i=1..K} (-1)^(i+1) C(K,i) ((K-i)/K)^n
 * in long double. K >= 1, n >= 0.
 */
long double rtr_mda_miss_prob(unsigned K, unsigned n);

/*
 * n_k for failure probability alpha (0 < alpha < 1): the fewest flows after
 * which, had there been k+1 interfaces, all k+1 would have been seen except
 * with probability at most alpha. k = 1..RTR_MDA_MAX_K. Returns 0 for
 * arguments out of range.
 */
unsigned rtr_mda_stop_point(double alpha, unsigned k);

/* n_1..n_max for one alpha, each computed the first time it is asked for. */
struct rtr_mda_table {
	double alpha;
	unsigned known;		       /* n[1..known] are filled */
	unsigned n[RTR_MDA_MAX_K + 1]; /* n[k] */
};

/* Starts t for alpha (fills n_1); false when alpha is not in (0, 1). */
bool rtr_mda_table_init(struct rtr_mda_table *t, double alpha);

/* n_k, k clamped to 1..RTR_MDA_MAX_K (an unanswered hop needs n_1). */
unsigned rtr_mda_n(struct rtr_mda_table *t, unsigned k);

#endif
