// SPDX-License-Identifier: GPL-2.0-only
/* bpf/table.h: the session table and the pending-request index: find, claim, expire, create. */
#ifndef RTR_BPF_TABLE_H
#define RTR_BPF_TABLE_H

/*
 * Included once, by rtr.bpf.c, after its configuration and maps: uses the
 * sessions, pending and sources maps and live_sessions. The layout itself
 * (slots, state words, pending entries) is rtr_server.h's, shared with srv.c.
 *
 * The walks over a bucket's ways (bucket_find, slot_expire, bucket_reap,
 * pend_scan, pend_put, bucket_free, way_take) stay global (__noinline)
 * functions: each is verified once, not once per caller path (hence the NULL
 * checks at their top). Inlined, the verifier refuses the program (1 000 000
 * instructions processed; server-bpf/README.md). bucket_maybe stays inline so
 * that an answer with no session leaves without a call. Every loop is bounded
 * by the way count.
 */

/* Where a session is in the table, and the state word it had when found. */
struct tref {
	__u32 ref; /* bucket * RTR_TBL_WAYS + way */
	__u32 st;
};

static __always_inline struct rtr_tbl_bucket *tbl_bucket(__u32 ref)
{
	__u32 b = ref / RTR_TBL_WAYS;

	return bpf_map_lookup_elem(&sessions, &b);
}

static __always_inline int key_eq(const struct rtr_slot *sl, const struct rtr_sess_key *k)
{
	return sl->id == k->id && sl->proto == k->proto && sl->family == k->family &&
	       rtr_rd64(sl->client) == rtr_rd64(k->client) &&
	       rtr_rd64(sl->client + 8) == rtr_rd64(k->client + 8);
}

/*
 * The way of bucket b holding the live session of k (fingerprint fp), or -1.
 * Global functions like this one are verified once, not once per caller path.
 */
__noinline int bucket_find(struct rtr_tbl_bucket *b, const struct rtr_sess_key *k, __u32 fp)
{
	if (!b || !k)
		return -1;
	for (int w = 0; w < RTR_TBL_WAYS; w++) {
		__u32 st = *(volatile __u32 *)&b->state[w];

		if (RTR_ST_KIND(st) == RTR_SLOT_LIVE && RTR_ST_FP(st) == fp &&
		    key_eq(&b->slot[w], k))
			return w;
	}
	return -1;
}

/*
 * Whether bucket b has a live slot with fingerprint fp: inline, so that an
 * answer with no session (ended, expired, never ours) leaves without a call
 * per bucket; bucket_find then compares keys only where this says maybe.
 */
static __always_inline int bucket_maybe(const struct rtr_tbl_bucket *b, __u32 fp)
{
	__u32 want = fp << 8 | RTR_SLOT_LIVE, any = 0;

	for (int w = 0; w < RTR_TBL_WAYS; w++)
		any |= (*(volatile const __u32 *)&b->state[w] & 0xff03u) == want;
	return any;
}

/*
 * Finds the live session of key (copied into *v) and where it is; 0 when
 * found. The copy may be torn by a concurrent reuse of the slot: the claim's
 * compare-and-swap against t->st then fails, so nothing acts on it.
 */
static __always_inline int tbl_find(const struct rtr_sess_key *k, struct rtr_sess *v,
				    struct tref *t)
{
	__u64 h = rtr_sess_hash(k->client, k->proto, k->family, k->id, cfg_tbl_seed);
	__u32 fp = RTR_SESS_FP(h), bi = RTR_SESS_B1(h, cfg_tbl_mask);
	struct rtr_tbl_bucket *b = bpf_map_lookup_elem(&sessions, &bi);
	struct rtr_slot *sl;
	int w;

	if (!b)
		return -1;
	w = bucket_maybe(b, fp) ? bucket_find(b, k, fp) : -1;
	if (w < 0) {
		bi = RTR_SESS_B2(h, cfg_tbl_mask);
		b = bpf_map_lookup_elem(&sessions, &bi);
		if (!b || !bucket_maybe(b, fp))
			return -1;
		w = bucket_find(b, k, fp);
		if (w < 0)
			return -1;
	}
	w &= RTR_TBL_WAYS - 1;
	/*
	 * The state word before the contents, and ordered before them on every
	 * architecture: a fetching atomic is a full barrier in BPF (a plain load
	 * would let the contents be read first, from a previous occupant).
	 */
	t->st = __sync_fetch_and_or(&b->state[w], 0);
	sl = &b->slot[w];
	v->ts_ns = sl->ts_ns;
	__builtin_memcpy(v->server, sl->server, 16);
	v->l4 = sl->l4;
	v->tag = sl->tag;
	v->ip_id = sl->ip_id;
	v->ident = sl->ident;
	v->flow = sl->flow;
	v->len_extra = (t->st & RTR_ST_LEN_EXTRA) ? 1 : 0;
	t->ref = bi * RTR_TBL_WAYS + w;
	/* Re-checked after the copy: a slot ended meanwhile is not acted on. */
	return RTR_ST_KIND(t->st) == RTR_SLOT_LIVE && key_eq(sl, k) ? 0 : -1;
}

/* Clears the pending entry that names slot ref (the claimer's, or an undo's). */
static __always_inline void pend_clear(const __u8 *client, __u8 family, __u16 ident, __u32 ref)
{
	__u64 ph = rtr_pend_hash(client, family, ident, cfg_tbl_seed);
	__u32 pbi = RTR_PEND_B(ph, cfg_pend_mask);
	struct rtr_pend_bucket *pb = bpf_map_lookup_elem(&pending, &pbi);

	if (!pb)
		return;
	for (int i = 0; i < RTR_PEND_WAYS; i++) {
		__u32 e = pb->e[i];

		if (e && RTR_PEND_REF(e) == ref) {
			__sync_val_compare_and_swap(&pb->e[i], e, 0);
			return;
		}
	}
}

/* Gives back the places of a session whose claim we won (slot ref). */
static __always_inline void release(const __u8 *client, __u8 family, __u16 ident, __u32 ref)
{
	pend_clear(client, family, ident, ref);
	__sync_fetch_and_add(&live_sessions, -1);
	if (cfg_src_rate || cfg_src_sessions) {
		__u32 slot = rtr_src_slot(client, family, cfg_src_seed);
		struct rtr_src_state *st = bpf_map_lookup_elem(&sources, &slot);

		if (st && st->sessions > 0)
			__sync_fetch_and_add(&st->sessions, -1);
	}
}

/*
 * Ends a session we found: the compare-and-swap LIVE -> FREE is the claim,
 * only its winner goes on (and gives back the session's places).
 */
static __always_inline int claim(const struct rtr_sess_key *key, const struct rtr_sess *v,
				 const struct tref *t)
{
	struct rtr_tbl_bucket *b = tbl_bucket(t->ref);
	__u32 w = t->ref % RTR_TBL_WAYS;

	if (!b || __sync_val_compare_and_swap(&b->state[w], t->st, RTR_ST_FREED(t->st)) != t->st)
		return 0;
	release(key->client, key->family, v->ident, t->ref);
	return 1;
}

/*
 * Ends the session in slot ref of bucket b if it is past the timeout at now,
 * as the sweeper would: expiry never depends on the loader, so a stuck or
 * killed sweeper cannot fill the table. 1 when this call ended it.
 */
__noinline int slot_expire(struct rtr_tbl_bucket *b, __u32 ref, __u64 now)
{
	__u32 w = ref % RTR_TBL_WAYS, st;
	struct rtr_slot *sl;
	__u8 client[16];
	__u8 family;
	__u16 ident;
	__u64 ts;

	if (!b)
		return 0;
	st = __sync_fetch_and_or(&b->state[w], 0); /* ordered before the contents */
	if (RTR_ST_KIND(st) != RTR_SLOT_LIVE)
		return 0;
	sl = &b->slot[w];
	ts = sl->ts_ns;
	if (now < ts || now - ts < cfg_timeout_ns)
		return 0;
	__builtin_memcpy(client, sl->client, 16);
	family = sl->family;
	ident = sl->ident;
	if (__sync_val_compare_and_swap(&b->state[w], st, RTR_ST_FREED(st)) != st)
		return 0;
	release(client, family, ident, ref);
	count(RTR_C_TIMEOUTS, 1);
	return 1;
}

/* Ends every expired session of bucket bi (b); returns how many. */
__noinline int bucket_reap(struct rtr_tbl_bucket *b, __u32 bi, __u64 now)
{
	int n = 0;

	if (!b)
		return 0;
	for (__u32 w = 0; w < RTR_TBL_WAYS; w++)
		if (RTR_ST_KIND(*(volatile __u32 *)&b->state[w]) == RTR_SLOT_LIVE)
			n += slot_expire(b, bi * RTR_TBL_WAYS + w, now);
	return n;
}

/*
 * A pending request of the same (client, identifier, family) in pending
 * bucket pb (fingerprint pfp)? Returns -2 for a duplicate, else the first
 * empty entry (-1: none). An entry is trusted only when the slot it names is
 * BUSY or LIVE with the very same client, identifier and family, and a
 * session past the timeout at now is ended here, not counted as a duplicate.
 */
__noinline int pend_scan(struct rtr_pend_bucket *pb, const struct rtr_sess_key *k, __u32 ident,
			 __u32 pfp, __u64 now)
{
	int free = -1;

	if (!pb || !k)
		return -1;
	for (int i = 0; i < RTR_PEND_WAYS; i++) {
		__u32 e = pb->e[i], ref, st;
		struct rtr_tbl_bucket *b;
		struct rtr_slot *sl;

		if (!e) {
			if (free < 0)
				free = i;
			continue;
		}
		if (RTR_PEND_FP(e) != pfp)
			continue;
		ref = RTR_PEND_REF(e);
		b = tbl_bucket(ref);
		if (!b)
			continue;
		st = *(volatile __u32 *)&b->state[ref % RTR_TBL_WAYS];
		sl = &b->slot[ref % RTR_TBL_WAYS];
		if (RTR_ST_KIND(st) != RTR_SLOT_FREE && sl->ident == ident &&
		    sl->family == k->family && rtr_rd64(sl->client) == rtr_rd64(k->client) &&
		    rtr_rd64(sl->client + 8) == rtr_rd64(k->client + 8) &&
		    !slot_expire(b, ref, now))
			return -2;
	}
	if (free >= 0)
		return free;
	/* A full bucket: entries of expired sessions make room (only on this rare path). */
	for (int i = 0; i < RTR_PEND_WAYS; i++) {
		__u32 e = pb->e[i], ref;
		struct rtr_tbl_bucket *b;

		if (!e)
			return i;
		ref = RTR_PEND_REF(e);
		b = tbl_bucket(ref);
		if (b && slot_expire(b, ref, now))
			return i;
	}
	return -1;
}

/* Publishes val in the first empty entry of pb from `from` on; 0 or -1. */
__noinline int pend_put(struct rtr_pend_bucket *pb, int from, __u32 val)
{
	if (!pb)
		return -1;
	for (int i = 0; i < RTR_PEND_WAYS; i++) {
		if (i < from || pb->e[i])
			continue;
		if (!__sync_val_compare_and_swap(&pb->e[i], 0, val))
			return 0;
	}
	return -1;
}

/* Free slots of bucket b, or -1 when the key k (fingerprint fp) is already in it. */
__noinline int bucket_free(struct rtr_tbl_bucket *b, const struct rtr_sess_key *k, __u32 fp)
{
	int n = 0;

	if (!b || !k)
		return 0;
	for (int w = 0; w < RTR_TBL_WAYS; w++) {
		__u32 st = *(volatile __u32 *)&b->state[w];

		if (RTR_ST_KIND(st) == RTR_SLOT_FREE)
			n++;
		else if (RTR_ST_FP(st) == fp && key_eq(&b->slot[w], k))
			return -1;
	}
	return n;
}

/* Takes a FREE slot of b (FREE -> BUSY, next generation kept for LIVE); its way or -1. */
__noinline int way_take(struct rtr_tbl_bucket *b)
{
	if (!b)
		return -1;
	for (int w = 0; w < RTR_TBL_WAYS; w++) {
		__u32 st = *(volatile __u32 *)&b->state[w];

		if (RTR_ST_KIND(st) != RTR_SLOT_FREE)
			continue;
		if (__sync_val_compare_and_swap(&b->state[w], st, RTR_ST_BUSY(st)) == st)
			return w;
	}
	return -1;
}

/*
 * Takes a FREE slot for the identity in key: in its first bucket while that
 * has RTR_TBL_SPILL free slots, else in the emptier of its two (the second
 * bucket's line is read for under 1% of sessions of a half-full table). 0
 * with *t (its BUSY word), *fpo and *bo set; -1 when both are full; 1 when
 * the identity is already pending for this client in the bucket(s) read (a
 * twin in an unread second bucket, odds 2^-32 per pending session of the
 * client, would only make the older one expire).
 */
static __always_inline int slot_take(const struct rtr_sess_key *k, struct tref *t, __u32 *fpo,
				     struct rtr_tbl_bucket **bo, __u64 now)
{
	__u64 h = rtr_sess_hash(k->client, k->proto, k->family, k->id, cfg_tbl_seed);
	__u32 fp = RTR_SESS_FP(h), bi = RTR_SESS_B1(h, cfg_tbl_mask);
	__u32 b2 = RTR_SESS_B2(h, cfg_tbl_mask);
	struct rtr_tbl_bucket *p = bpf_map_lookup_elem(&sessions, &bi), *p2;
	/* At -n: the sessions that are past the timeout in the buckets we read make room. */
	int full = *(volatile __s64 *)&live_sessions >= cfg_max_sessions;
	int n1, n2, w = -1;

	if (!p)
		return -1;
	n1 = bucket_free(p, k, fp);
	if (n1 < 0)
		return 1;
	if (n1 < RTR_TBL_SPILL || full)
		n1 += bucket_reap(p, bi, now);
	*fpo = fp;
	if (n1 >= RTR_TBL_SPILL)
		w = way_take(p);
	if (w < 0) {
		p2 = bpf_map_lookup_elem(&sessions, &b2);
		if (!p2)
			return -1;
		n2 = bucket_free(p2, k, fp);
		if (n2 < 0)
			return 1;
		if (n2 < RTR_TBL_SPILL || full)
			n2 += bucket_reap(p2, b2, now);
		if (n2 > n1) {
			w = way_take(p2);
			if (w >= 0) {
				p = p2;
				bi = b2;
			}
		}
		if (w < 0)
			w = way_take(p);
		if (w < 0 && n2 <= n1) {
			w = way_take(p2);
			if (w >= 0) {
				p = p2;
				bi = b2;
			}
		}
		if (w < 0)
			return -1;
	}
	w &= RTR_TBL_WAYS - 1;
	t->ref = bi * RTR_TBL_WAYS + w;
	t->st = *(volatile __u32 *)&p->state[w];
	*bo = p;
	return 0;
}

/*
 * Creates the session of key/v (v->ttl .. ts_ns set; the identity is drawn
 * here) all or nothing: slot taken BUSY and filled, pending entry published,
 * then LIVE. Returns 0 with *t the LIVE slot, or the drop counter.
 */
static __always_inline int create(struct rtr_sess_key *key, struct rtr_sess *v, struct tref *t)
{
	__u64 ph = rtr_pend_hash(key->client, key->family, v->ident, cfg_tbl_seed);
	__u32 pbi = RTR_PEND_B(ph, cfg_pend_mask), pfp = RTR_PEND_HFP(ph);
	struct rtr_pend_bucket *pb = bpf_map_lookup_elem(&pending, &pbi);
	struct rtr_tbl_bucket *b = NULL;
	struct rtr_slot *sl;
	__u32 fp = 0, w, live;
	int free, rc = -1;

	if (!pb)
		return RTR_C_DROP_TABLE_FULL;
	free = pend_scan(pb, key, v->ident, pfp, v->ts_ns);
	if (free == -2)
		return RTR_C_DROP_DUPLICATE;
	if (free < 0)
		return RTR_C_DROP_TABLE_FULL;
	/* A random identity may collide with a pending one of the same client: draw again. */
	for (int n = 0; n < 3; n++) {
		new_identity(v, key);
		rc = slot_take(key, t, &fp, &b, v->ts_ns);
		if (rc <= 0)
			break;
	}
	if (rc || !b)
		return RTR_C_DROP_TABLE_FULL;
	w = t->ref % RTR_TBL_WAYS;
	/* Counted after the slot is ours: taking it may have expired sessions below -n. */
	if (__sync_fetch_and_add(&live_sessions, 1) >= cfg_max_sessions) {
		__sync_fetch_and_add(&live_sessions, -1);
		__sync_val_compare_and_swap(&b->state[w], t->st, RTR_ST_FREED(t->st));
		return RTR_C_DROP_TABLE_FULL;
	}
	sl = &b->slot[w];
	rtr_slot_fill(sl, key, v);
	/* Published only when complete: the swap orders the stores before it. */
	if (pend_put(pb, free, RTR_PEND_ENTRY(pfp, t->ref))) {
		__sync_val_compare_and_swap(&b->state[w], t->st, RTR_ST_FREED(t->st));
		__sync_fetch_and_add(&live_sessions, -1);
		return RTR_C_DROP_TABLE_FULL;
	}
	live = RTR_ST_LIVE(t->st, fp, v->len_extra);
	__sync_val_compare_and_swap(&b->state[w], t->st, live);
	t->st = live;
	return 0;
}

#endif
