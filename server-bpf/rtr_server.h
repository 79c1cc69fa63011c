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

/* Pending-request key: one outstanding request per (client, identifier). */
struct rtr_pend_key {
	__u8 client[16];
	__u16 ident;
	__u8 family;
	__u8 pad;
};

/*
 * Token bucket and session count of one source prefix (/32 or /64), in an
 * array of RTR_SRC_SLOTS slots indexed by a keyed hash of the prefix: an
 * array lookup costs a few ns where a hash or LRU map costs ~100, and two
 * prefixes share a slot only by chance (1 in 65536 per pair, with a secret
 * seed chosen at load, so a source cannot aim at another's slot).
 */
#define RTR_SRC_SLOTS 65536

struct rtr_src_state {
	__u64 last_ns;
	__u64 credit; /* tokens * 1e9 */
	__s64 sessions;
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
