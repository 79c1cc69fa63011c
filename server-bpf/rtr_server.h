/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* rtr_server.h: map keys, values and counter indices shared by rtr.bpf.c and its loader. */
#ifndef RTR_SERVER_H
#define RTR_SERVER_H

/*
 * Compiles under clang -target bpf (after vmlinux.h) and under gcc (after
 * <linux/types.h>): only __u8/__u16/__u32/__u64 fields, explicit padding, so
 * both sides agree on every byte of every key.
 */

/*
 * Session key: who the probe went to and the probe identity an answer shows.
 * id is the part of the identity every answer kind carries: TCP sequence,
 * ICMP ident << 16 | seq, UDP checksum | IPv4 ID << 16 (IPv4) or the payload
 * tag (IPv6, whose quotes are full). Random ids make keys of concurrent
 * requests of many clients independent.
 */
struct rtr_sess_key {
	__u8 client[16]; /* IPv4-mapped for IPv4 */
	__u8 proto;	 /* probe protocol: 1, 6, 17, 58 */
	__u8 family;	 /* 4 or 6 */
	__u16 pad;
	__u32 id;
};

/* One pending session: everything needed to verify an answer and respond. */
struct rtr_sess {
	__u64 ts_ns;	 /* bpf_ktime_get_ns() when the probe left */
	__u8 server[16]; /* the address the request was sent to */
	__u32 l4;	 /* identity as probe.h struct rtr_probe_id */
	__u32 tag;
	__u16 ip_id;
	__u16 ident; /* the request's identifier */
	__u16 flow;  /* resolved flow (dport or ICMP checksum) */
	__u8 len_extra;
	__u8 ttl;
};

/*
 * The session table: one preallocated BPF array of buckets of RTR_TBL_WAYS
 * slots (mmapable, so the sweeper reads it without a syscall). A session
 * lives in one of two buckets chosen by a seeded hash of its key: the first
 * while it has RTR_TBL_SPILL free slots or more, else the emptier one (so a
 * half-full table never overflows a bucket, and almost every lookup reads
 * the first bucket's state line and one slot line). Each slot has a state word:
 *
 *   bits 0-1 kind (FREE, BUSY while being filled, LIVE), bit 2 the probe's
 *   UDP length bit, bits 8-15 a fingerprint of the key hash (lookups read
 *   only slots whose fingerprint matches), bits 16-31 a generation that
 *   every claim increments.
 *
 * FREE -> BUSY and LIVE -> FREE are compare-and-swaps on the whole word: the
 * successful LIVE -> FREE swap is the end of the session (answer, expiry on
 * lookup or sweeper, whoever swaps first), and the generation makes a swap
 * against a word read before the slot was reused fail. Contents are copied
 * before the swap and never read after it.
 */
#define RTR_TBL_WAYS 16
#define RTR_TBL_SPILL 4 /* fewer free slots than this in bucket 1: use the emptier bucket */
#define RTR_SLOT_FREE 0u
#define RTR_SLOT_BUSY 1u
#define RTR_SLOT_LIVE 2u
#define RTR_ST_KIND(st) ((st)&3u)
#define RTR_ST_LEN_EXTRA 4u
#define RTR_ST_FP(st) (((st) >> 8) & 0xffu)
#define RTR_ST_FREED(st) ((((st) >> 16) + 1u) << 16)	 /* FREE, next generation */
#define RTR_ST_GEN(st) ((st)&0xffff0000u)		 /* the generation, in place */
#define RTR_ST_BUSY(st) (RTR_ST_GEN(st) | RTR_SLOT_BUSY) /* taken, same generation */
/* LIVE with the key's fingerprint fp and the UDP length bit, generation of st kept. */
#define RTR_ST_LIVE(st, fp, len_extra) \
	(RTR_ST_GEN(st) | (fp) << 8 | ((len_extra) ? RTR_ST_LEN_EXTRA : 0) | RTR_SLOT_LIVE)
#define RTR_TBL_MAX_SLOTS (1u << 25) /* refs fit 26 bits: -n up to 2^24 */

/* 8-byte value at 4-byte alignment: a slot is one 64-byte line, a bucket 17 lines. */
typedef __u64 __attribute__((aligned(4))) rtr_u64_a4;

struct rtr_slot {
	rtr_u64_a4 ts_ns; /* bpf_ktime_get_ns() when the probe left */
	__u32 id;	  /* key */
	__u32 l4;	  /* identity as probe.h struct rtr_probe_id */
	__u8 client[16];  /* key, IPv4-mapped for IPv4 */
	__u8 server[16];  /* the address the request was sent to */
	__u32 tag;
	__u16 ip_id;
	__u16 flow;  /* resolved flow (dport or ICMP checksum) */
	__u16 ident; /* the request's identifier */
	__u8 proto;  /* key */
	__u8 family; /* key */
	__u32 pad;
};

struct rtr_tbl_bucket {
	__u32 state[RTR_TBL_WAYS];
	struct rtr_slot slot[RTR_TBL_WAYS];
};

/*
 * Pending-request index: one outstanding request per (client, identifier,
 * family). A bucket of 16 entries chosen by a seeded hash of that key; an
 * entry is 0 (empty) or fingerprint << 26 | (slot ref + 1), slot ref =
 * bucket * RTR_TBL_WAYS + way. An entry is verified against the slot it
 * names; the claim that ends a session clears it.
 */
#define RTR_PEND_WAYS 16
#define RTR_PEND_REF(e) (((e)&0x3ffffffu) - 1u)
#define RTR_PEND_FP(e) ((e) >> 26)
#define RTR_PEND_ENTRY(pfp, ref) ((pfp) << 26 | ((ref) + 1u))

struct rtr_pend_bucket {
	__u32 e[RTR_PEND_WAYS];
};

/*
 * SipHash-2-4 of one 64-bit word m (its 8 bytes little-endian) under the key
 * (k0, k1): the server's probe identities are this PRF of a per-CPU counter,
 * so no number of observed probes tells an observer the next ones (the
 * kernel's bpf_get_prandom_u32 is a linear generator whose state its outputs
 * give away). Written from the SipHash paper (Aumasson, Bernstein 2012).
 */
#define RTR_ROTL64(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define RTR_SIPROUND(v0, v1, v2, v3)          \
	do {                                  \
		v0 += v1;                     \
		v1 = RTR_ROTL64(v1, 13) ^ v0; \
		v0 = RTR_ROTL64(v0, 32);      \
		v2 += v3;                     \
		v3 = RTR_ROTL64(v3, 16) ^ v2; \
		v0 += v3;                     \
		v3 = RTR_ROTL64(v3, 21) ^ v0; \
		v2 += v1;                     \
		v1 = RTR_ROTL64(v1, 17) ^ v2; \
		v2 = RTR_ROTL64(v2, 32);      \
	} while (0)

static inline __u64 rtr_siphash_u64(__u64 k0, __u64 k1, __u64 m)
{
	__u64 v0 = k0 ^ 0x736f6d6570736575ull, v1 = k1 ^ 0x646f72616e646f6dull;
	__u64 v2 = k0 ^ 0x6c7967656e657261ull, v3 = k1 ^ 0x7465646279746573ull;
	const __u64 last = 8ull << 56; /* the final block: the length, no bytes left */

	v3 ^= m;
	RTR_SIPROUND(v0, v1, v2, v3);
	RTR_SIPROUND(v0, v1, v2, v3);
	v0 ^= m;
	v3 ^= last;
	RTR_SIPROUND(v0, v1, v2, v3);
	RTR_SIPROUND(v0, v1, v2, v3);
	v0 ^= last;
	v2 ^= 0xff;
	RTR_SIPROUND(v0, v1, v2, v3);
	RTR_SIPROUND(v0, v1, v2, v3);
	RTR_SIPROUND(v0, v1, v2, v3);
	RTR_SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

static inline __u64 rtr_hash_fin(__u64 h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return h;
}

static inline __u64 rtr_rd64(const __u8 *p)
{
	__u64 v;

	__builtin_memcpy(&v, p, 8);
	return v;
}

/*
 * Where a session and a pending key live, from their hashes (mask: buckets - 1):
 * bucket 1 from bits 0.., bucket 2 from bits 32.., the slot fingerprint from
 * bits 24..31; the pending bucket from bits 0.., its fingerprint from 58..63.
 */
#define RTR_SESS_B1(h, mask) ((__u32)(h) & (mask))
#define RTR_SESS_B2(h, mask) ((__u32)((h) >> 32) & (mask))
#define RTR_SESS_FP(h) (((__u32)(h) >> 24) & 0xffu)
#define RTR_PEND_B(ph, mask) ((__u32)(ph) & (mask))
#define RTR_PEND_HFP(ph) ((__u32)((ph) >> 58))

/*
 * Fills a taken (BUSY) slot with the session of key k and v, before the
 * state word makes it LIVE: the one writer of a slot's contents, for the
 * program and for the loader's test insertions alike.
 */
static inline void rtr_slot_fill(struct rtr_slot *sl, const struct rtr_sess_key *k,
				 const struct rtr_sess *v)
{
	sl->ts_ns = v->ts_ns;
	sl->id = k->id;
	sl->l4 = v->l4;
	__builtin_memcpy(sl->client, k->client, 16);
	__builtin_memcpy(sl->server, v->server, 16);
	sl->tag = v->tag;
	sl->ip_id = v->ip_id;
	sl->flow = v->flow;
	sl->ident = v->ident;
	sl->proto = k->proto;
	sl->family = k->family;
}

/* Hash of a session key (RTR_SESS_B1, RTR_SESS_B2, RTR_SESS_FP split it). */
static inline __u64 rtr_sess_hash(const __u8 *client, __u8 proto, __u8 family, __u32 id, __u64 seed)
{
	__u64 h = seed;

	h = (h ^ rtr_rd64(client)) * 0x9e3779b97f4a7c15ull;
	h = (h ^ rtr_rd64(client + 8)) * 0x9e3779b97f4a7c15ull;
	h = (h ^ (id | (__u64)proto << 32 | (__u64)family << 40)) * 0x9e3779b97f4a7c15ull;
	return rtr_hash_fin(h);
}

/* Hash of a pending key: bucket from bits 0.., fingerprint from bits 58..63. */
static inline __u64 rtr_pend_hash(const __u8 *client, __u8 family, __u16 ident, __u64 seed)
{
	__u64 h = ~seed;

	h = (h ^ rtr_rd64(client)) * 0x9e3779b97f4a7c15ull;
	h = (h ^ rtr_rd64(client + 8)) * 0x9e3779b97f4a7c15ull;
	h = (h ^ (ident | (__u64)family << 16 | 0x5bd1e995ull << 24)) * 0x9e3779b97f4a7c15ull;
	return rtr_hash_fin(h);
}

/*
 * Token bucket and session count of one source prefix (/32 or /64), in an
 * array of RTR_SRC_SLOTS slots indexed by a keyed hash of the prefix: an
 * array lookup costs a few ns where a hash or LRU map costs ~100, and two
 * prefixes share a slot only by chance (1 in 65536 per pair, with a secret
 * seed chosen at load, so a source cannot aim at another's slot). Several
 * CPUs update one slot at once: every field is changed only by atomic
 * operations (the bucket is one word, so a compare-and-swap covers it), and
 * the array is mmapable so the sweeper decrements sessions in place.
 */
#define RTR_SRC_SLOTS 65536

struct rtr_src_state {
	__u64 tat_ns; /* token bucket as GCRA: the theoretical arrival time of the next request */
	__u64 newest_ns; /* when the prefix's newest session was created */
	__s64 sessions;	 /* its pending sessions */
};

/* Slot of the prefix of client (16 bytes, IPv4-mapped for IPv4): seeded FNV-1a, then mixed. */
static inline __u32 rtr_src_slot(const __u8 *client, __u8 family, __u64 seed)
{
	__u64 h = seed ^ 0xcbf29ce484222325ull ^ family;
	int i;

	if (family == 4) {
		for (i = 12; i < 16; i++)
			h = (h ^ client[i]) * 0x100000001b3ull;
	} else {
		for (i = 0; i < 8; i++)
			h = (h ^ client[i]) * 0x100000001b3ull;
	}
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 29;
	return (__u32)h & (RTR_SRC_SLOTS - 1);
}

/* Per-CPU global token bucket. */
struct rtr_bucket {
	__u64 last_ns;
	__u64 credit;
};

/* Per-CPU counters, index into struct rtr_counters.c. */
enum rtr_counter {
	RTR_C_REQUESTS, /* ICMP Echo Request code 1 seen */
	RTR_C_PROBE_UDP,
	RTR_C_PROBE_TCP,
	RTR_C_PROBE_ICMP, /* ICMP and ICMPv6 */
	RTR_C_RSP_OK,	  /* responses by state 0..5 */
	RTR_C_RSP_TTL,
	RTR_C_RSP_PROTOCOL,
	RTR_C_RSP_FLOW,
	RTR_C_RSP_EXTENSION,
	RTR_C_RSP_PADDING,
	RTR_C_DROP_SHORT,
	RTR_C_DROP_CHECKSUM,
	RTR_C_DROP_FRAGMENT,
	RTR_C_DROP_MALFORMED, /* bad extension structure */
	RTR_C_DROP_DUPLICATE, /* duplicate pending key */
	RTR_C_DROP_TABLE_FULL,
	RTR_C_DROP_RATE_SOURCE,
	RTR_C_DROP_RATE_GLOBAL,
	RTR_C_DROP_SOURCE_CAP, /* per-source session cap */
	RTR_C_DROP_NO_ROUTE,
	RTR_C_DROP_INTERNAL, /* helper failed while building */
	RTR_C_TIMEOUTS,	     /* sessions ended by expiry (program or sweeper) */
	RTR_C_FORGED,	     /* answers that hit a session key but failed the match */
	RTR_C_ANSWERS,	     /* answers that matched a session */
	RTR_C_RST_SENT,	     /* RSTs sent after a SYN-ACK */
	RTR_C_BYTES_IN,	     /* request bytes (L3) */
	RTR_C_BYTES_OUT,     /* probe + response bytes (L3) */
	RTR_C_MAX,
};

struct rtr_counters {
	__u64 c[RTR_C_MAX];
};

/* Event record for --log (ring buffer, never woken per packet). */
enum rtr_event_kind {
	RTR_EV_SESSION = 1, /* probe sent */
	RTR_EV_ANSWER = 2,  /* response sent */
	RTR_EV_DROP = 3,    /* request dropped; value = counter index */
};

struct rtr_event {
	__u64 ts_ns;
	__u8 addr[16]; /* client */
	__u8 hop[16];  /* RTR_EV_ANSWER: the hop */
	__u32 value;
	__u16 ident;
	__u8 kind;
	__u8 proto;
};

#endif
