// SPDX-License-Identifier: BSD-2-Clause
/* mda_stop.c: exact MDA stopping points by inclusion-exclusion (Veitch et al.; scamper's tables).
 */
#include <math.h>

#include "mda_stop.h"

/*
 * The same probability from the chain of how many distinct interfaces the
 * draws have shown so far: only positive terms, so no cancellation.
 */
static long double miss_by_chain(unsigned K, unsigned n)
{
	long double p[RTR_MDA_MAX_K + 2] = {0};
	p[0] = 1;
	for (unsigned d = 0; d < n; d++) {
		for (unsigned j = K; j >= 1; j--)
			p[j] = p[j] * j / K + p[j - 1] * (K - j + 1) / K;
		p[0] = 0;
	}
	return 1 - p[K];
}

long double rtr_mda_miss_prob(unsigned K, unsigned n)
{
	long double sum = 0, binom = 1, biggest = 0;
	for (unsigned i = 1; i <= K; i++) {
		/* C(K, i) from C(K, i-1) keeps every factor exact for the K we use. */
		binom = binom * (long double)(K - i + 1) / (long double)i;
		long double term =
			binom * powl((long double)(K - i) / (long double)K, (long double)n);
		if (term > biggest)
			biggest = term;
		sum += (i & 1) ? term : -term;
	}
	/*
	 * Far below a stopping point (n not much above K) the alternating terms
	 * are huge and cancel: long double keeps 19 digits, so past 1e6 the sum
	 * could be off by more than 1e-13 and the chain gives the value instead.
	 */
	if (biggest > 1e6L || K > RTR_MDA_MAX_K + 1)
		return K > RTR_MDA_MAX_K + 1 ? sum : miss_by_chain(K, n);
	/* Rounding can leave a hair below zero when every term is tiny. */
	return sum < 0 ? 0 : sum;
}

/* The first n at or after from whose miss probability for K interfaces is at most alpha. */
static unsigned first_below(double alpha, unsigned K, unsigned from)
{
	while (rtr_mda_miss_prob(K, from) > (long double)alpha)
		from++;
	return from;
}

unsigned rtr_mda_stop_point(double alpha, unsigned k)
{
	if (!(alpha > 0 && alpha < 1) || k < 1 || k > RTR_MDA_MAX_K)
		return 0;
	/* The miss probability falls as n grows: the first n at or below alpha is n_k. */
	return first_below(alpha, k + 1, k + 1);
}

bool rtr_mda_table_init(struct rtr_mda_table *t, double alpha)
{
	if (!(alpha > 0 && alpha < 1))
		return false;
	t->alpha = alpha;
	t->n[1] = first_below(alpha, 2, 2);
	t->known = 1;
	return true;
}

unsigned rtr_mda_n(struct rtr_mda_table *t, unsigned k)
{
	if (k < 1)
		k = 1;
	if (k > RTR_MDA_MAX_K)
		k = RTR_MDA_MAX_K;
	/* n_k grows with k: each search starts at n_{k-1} (same answer, far fewer steps). */
	while (t->known < k) {
		t->known++;
		t->n[t->known] = first_below(t->alpha, t->known + 1, t->n[t->known - 1]);
	}
	return t->n[k];
}
