// SPDX-License-Identifier: GPL-2.0-only
/* bpf/ratelimit.h: rate limits: the per-source GCRA word, the per-CPU global bucket. */
#ifndef RTR_BPF_RATELIMIT_H
#define RTR_BPF_RATELIMIT_H

/*
 * Included once, by rtr.bpf.c, after its configuration and maps: uses the
 * sources and global_bucket maps and the cfg_src_* and cfg_cpu_* settings.
 */

/* Token bucket step: 1 when a token was taken. credit is in tokens * 1e9. */
static __always_inline int bucket_take(__u64 *last, __u64 *credit, __u64 now, __u64 rate,
				       __u64 burst)
{
	__u64 el = now - *last, cap = burst * 1000000000ull, c;

	if (el > 10000000000ull)
		el = 10000000000ull;
	c = *credit + el * rate;
	if (c > cap)
		c = cap;
	*last = now;
	if (c < 1000000000ull) {
		*credit = c;
		return 0;
	}
	*credit = c - 1000000000ull;
	return 1;
}

/*
 * One request against a source's bucket, kept as GCRA in one word (the
 * theoretical arrival time): equal to a token bucket of cfg_src_burst tokens
 * refilled at cfg_src_rate, and one compare-and-swap makes it exact when
 * several CPUs take from one bucket at once. 1 when the request may go on.
 * A slot never used holds 0: its first request finds a full bucket.
 */
static __always_inline int src_take(__u64 *tat, __u64 now)
{
	__u64 old = *(volatile __u64 *)tat, next, prev;

	for (int i = 0; i < 4; i++) {
		next = (old > now ? old : now) + cfg_src_iv_ns;
		if (next - now > cfg_src_tau_ns)
			return 0;
		prev = __sync_val_compare_and_swap(tat, old, next);
		if (prev == old)
			return 1;
		old = prev;
	}
	return 0; /* four CPUs raced ahead of us on this very prefix: it is busy enough */
}

/*
 * Per-source, then global rate limit. Returns 0 when the request may go on,
 * else the drop counter; *st is the source's state (for the session cap).
 * The source's own bucket is charged first: a request it refuses never
 * spends the shared budget, so one flooding source cannot starve the others.
 */
static __always_inline int rate_limit(const struct pkt *k, __u64 now, struct rtr_src_state **st)
{
	__u32 zero = 0, slot;
	__s64 n;

	*st = NULL;
	if (cfg_src_rate || cfg_src_sessions) {
		slot = rtr_src_slot(k->src, k->family, cfg_src_seed);
		*st = bpf_map_lookup_elem(&sources, &slot);
		if (*st && cfg_src_rate && !src_take(&(*st)->tat_ns, now))
			return RTR_C_DROP_RATE_SOURCE;
		/*
		 * The prefix's newest session is past the timeout, so all of them
		 * are: its count is stale (nobody swept them yet, or nobody will, the
		 * loader being gone) and must not hold the prefix at its cap.
		 */
		n = *st ? (*st)->sessions : 0;
		if (n > 0 && now - (*st)->newest_ns >= cfg_timeout_ns)
			__sync_val_compare_and_swap(&(*st)->sessions, n, 0);
	}
	if (cfg_cpu_rate) {
		struct rtr_bucket *b = bpf_map_lookup_elem(&global_bucket, &zero);

		if (b && !bucket_take(&b->last_ns, &b->credit, now, cfg_cpu_rate, cfg_cpu_burst))
			return RTR_C_DROP_RATE_GLOBAL;
	}
	return 0;
}

#endif
