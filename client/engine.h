/* SPDX-License-Identifier: BSD-2-Clause */
/* engine.h: the trace state machine (no I/O): what to send when, what an arriving packet means,
 * when to stop. */
#ifndef RTR_CLIENT_ENGINE_H
#define RTR_CLIENT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "probe.h"

/*
 * The engine never touches a socket, a clock or a random source: a driver
 * (client/net.c, or a unit test, or later a simulator for multipath) asks it
 * what to send at time t, feeds it every packet that arrives with its arrival
 * time, and lets it know the time when nothing arrived. Times are nanoseconds
 * on any monotonic scale. Packets in both directions are whole IP packets.
 *
 * Multipath (MDA) is not implemented. The engine is shaped to host it: every
 * probe records its own TTL and flow (set where the scheduler picks the next
 * probe, next_to_send in engine.c), matching is per probe, and results are
 * kept per probe, so a multipath scheduler only has to choose (TTL, flow)
 * pairs and decide when a hop is done.
 */

#define RTR_ENG_MAX_PROBES 10 /* -q upper bound */
#define RTR_ENG_PKT_MAX 128   /* largest packet the engine builds */

enum rtr_direction {
	RTR_FORWARD = 0, /* probes from us towards the target */
	RTR_REVERSE = 1, /* requests to a server that probes back towards us */
};

/* Why a trace ended. Every trace ends with exactly one of these. */
enum rtr_stop {
	RTR_STOP_NONE = 0,    /* still running */
	RTR_STOP_COMPLETED,   /* the destination (forward) or we (reverse) answered */
	RTR_STOP_GAP_LIMIT,   /* gap_limit consecutive silent hops */
	RTR_STOP_MAX_TTL,     /* max_ttl reached without completing */
	RTR_STOP_UNREACHABLE, /* a Destination Unreachable other than port unreachable */
	RTR_STOP_NO_SERVER,   /* reverse: presence check failed */
	RTR_STOP_REFUSED,     /* reverse: the server answered an error state */
	RTR_STOP_INTERRUPTED, /* the driver called rtr_engine_interrupt */
	RTR_STOP_BUDGET,      /* multipath: the probe budget is spent */
	RTR_STOP_TIME_LIMIT,  /* multipath: the wall-clock limit passed */
};

/* Short constant English name of a stop reason ("completed", "gap-limit", ...). */
const char *rtr_stop_name(int stop);

enum rtr_eng_probe_status {
	RTR_PS_UNSENT = 0,
	RTR_PS_SENT = 1,     /* waiting for an answer */
	RTR_PS_ANSWERED = 2, /* final */
	RTR_PS_TIMEOUT = 3,  /* final: silent until sent_ns + wait */
	RTR_PS_RETRY = 4,    /* reverse: silent, to be sent again at sent_ns (CLI-14) */
};

/* One probe (forward) or one request (reverse) and what came back. */
struct rtr_eng_probe {
	uint8_t status; /* enum rtr_eng_probe_status */
	uint8_t ttl;
	uint16_t flow;	      /* resolved flow (never 0) */
	uint64_t sent_ns;     /* when the driver was told to send it */
	uint64_t rtt_ns;      /* answered: arrival - sent_ns, as seen by us */
	struct rtr_addr from; /* answered: the hop */
	uint8_t kind;	      /* forward: enum rtr_answer_kind */
	uint8_t icmp_type;    /* forward ICMP answers; reverse: the response's */
	uint8_t icmp_code;
	uint8_t reply_ttl;   /* IP TTL / hop limit of the answer as received */
	uint32_t duplicates; /* further answers that matched after the first */
	uint8_t verdict;     /* enum rtr_eng_verdict of this answer */
	/* reverse only */
	uint16_t ident;	     /* random per request */
	uint16_t seq;	     /* random, non-zero */
	uint16_t prev_ident; /* the identifier of the previous send, when tries > 1 */
	uint8_t tries;	     /* times sent (a silent request is sent again, CLI-14) */
	uint64_t retry_ns;   /* RTR_PS_RETRY: not sent again before this time */
	uint8_t state;	     /* the response's state */
	uint16_t value;	     /* the response's value field (states 4, 5) */
	uint64_t server_rtt_ns;
	bool server_rtt_unknown;
	bool kernel_echo; /* the target's kernel echoed the request: no server */
	/* forward only: the probe as sent, for strict matching */
	struct rtr_probe sent;
};

enum rtr_eng_verdict {
	RTR_HOP_OPEN = 0, /* not every probe is final yet */
	RTR_HOP_SILENT,	  /* every probe timed out */
	RTR_HOP_TRANSIT,  /* answered by a router on the way */
	RTR_HOP_DEST,	  /* answered by the destination (forward) or by us (reverse) */
	RTR_HOP_UNREACH,  /* forward: Destination Unreachable other than port unreachable */
	RTR_HOP_REFUSED,  /* reverse: the server answered an error state */
};

struct rtr_eng_hop {
	uint8_t verdict; /* enum rtr_eng_verdict, valid once final */
	uint8_t nsent;
	struct rtr_eng_probe probe[RTR_ENG_MAX_PROBES];
};

/* Random bytes for identities; the driver supplies an unpredictable source. */
typedef void (*rtr_eng_random_fn)(void *ctx, void *buf, size_t len);

struct rtr_engine_cfg {
	uint8_t direction;    /* enum rtr_direction */
	uint8_t family;	      /* 4 or 6 */
	uint8_t proto;	      /* probe protocol: RTR_IPPROTO_UDP, _TCP, _ICMP or _ICMPV6 */
	uint16_t flow;	      /* 0 = the protocol's default */
	struct rtr_addr src;  /* our address (the source we send from) */
	struct rtr_addr dst;  /* the target (forward) or the server (reverse) */
	uint8_t first_ttl;    /* >= 1 */
	uint8_t max_ttl;      /* >= first_ttl */
	uint8_t probes;	      /* per hop, 1..RTR_ENG_MAX_PROBES */
	uint8_t gap_limit;    /* consecutive silent hops that end the trace; 0 = never */
	uint16_t parallel;    /* probes in flight at most, >= 1 */
	uint64_t wait_ns;     /* per-probe timeout, > 0 */
	uint64_t interval_ns; /* global rate limit: at least this between two sends; 0 = none */
	uint8_t retries;      /* reverse: times a silent request is sent again (CLI-14) */
	rtr_eng_random_fn random;
	void *random_ctx;
};

/* What the driver is asked to send. */
struct rtr_eng_tx {
	uint8_t pkt[RTR_ENG_PKT_MAX]; /* whole IP packet */
	size_t len;
	uint8_t family;
	uint8_t ttl;	     /* IP TTL of pkt (0 never goes on the wire for forward) */
	struct rtr_addr dst; /* its IP destination */
};

/* Counters over the whole run. */
struct rtr_eng_stats {
	uint32_t sent;	     /* packets the engine asked to send */
	uint32_t received;   /* packets fed to rtr_engine_receive */
	uint32_t matched;    /* first answers to a probe */
	uint32_t duplicates; /* further answers to an answered probe */
	uint32_t late;	     /* answers to a probe that had already timed out */
	uint32_t ignored;    /* anything else (not ours, forged, malformed) */
	uint32_t abandoned;  /* still in flight when the trace ended (their answers no longer count)
			      */
	uint32_t retried;    /* reverse: requests sent again after silence */
	uint32_t recovered;  /* reverse: requests answered only after being sent again */
};

struct rtr_engine {
	struct rtr_engine_cfg cfg;
	int stop;	  /* enum rtr_stop */
	uint8_t last_ttl; /* highest TTL that belongs to the result once stopped */
	uint8_t settled;  /* singlepath: every hop from first_ttl to this one is decided */
	uint16_t horizon; /* no TTL above this is sent */
	uint16_t next_ttl;
	uint8_t next_idx;
	uint16_t inflight;
	bool sent_any;
	uint64_t last_send_ns;
	/*
	 * Set by a driver that paces many engines under one rate (a campaign): no
	 * send before this time. 0 = no hold.
	 */
	uint64_t not_before_ns;
	uint64_t start_ns; /* time of the first poll */
	uint64_t end_ns;   /* time of the first poll that answered RTR_ENG_DONE */
	bool started;
	/* reverse: the presence check (TTL 0 requests, one at a time) */
	bool present;
	uint8_t presence_sent;
	bool kernel_echo; /* the target's kernel echoed a request: no server */
	/*
	 * Reverse, completed: the path ended at a node that is not our address
	 * but answered two TTLs in a row (our NAT's public side, typically).
	 */
	bool ended_elsewhere;
	/*
	 * Reverse (CLI-14): the server drops requests (a request sent again was
	 * answered), so sends are paced at pace_ns and at most window are in
	 * flight; both relax again while answers keep coming.
	 */
	bool limited;
	uint16_t window;
	uint16_t window_acks; /* answers since the window last grew */
	uint64_t pace_ns;
	uint64_t last_cut_ns; /* the window and pace are cut at most once per wait */
	uint64_t first_req_ns;
	struct rtr_eng_probe presence[RTR_ENG_MAX_PROBES];
	struct rtr_eng_stats stats;
	struct rtr_eng_hop hop[256]; /* indexed by TTL */
	/*
	 * Reverse: where requests other than presence checks live when a
	 * multipath engine keeps them (NULL: in hop[] above).
	 */
	struct rtr_eng_probe *(*find_hook)(void *ctx, uint16_t ident, unsigned *ttl);
	void *hook_ctx;
	/*
	 * Multipath: when set, poll, receive and interrupt go to this MDA engine
	 * (client/mda.h) and stop, last_ttl, times, stats and server facts are
	 * copied back here, so a driver runs both kinds alike.
	 */
	struct rtr_mda *mda;
};

/*
 * Checks cfg and resets e to the start of a trace. Returns RTR_OK or
 * RTR_E_INVAL (impossible values, protocol not valid for the family) or
 * RTR_E_PROTO.
 */
int rtr_engine_init(struct rtr_engine *e, const struct rtr_engine_cfg *cfg);

enum rtr_eng_action {
	RTR_ENG_SEND = 1, /* send tx now, then call rtr_engine_poll again */
	RTR_ENG_WAIT = 2, /* wait for packets until *wake_ns, then poll again */
	RTR_ENG_DONE = 3, /* the trace has ended: rtr_engine_stop_reason says why */
};

/*
 * Advances the engine to time now (expiring probes, deciding hops) and says
 * what the driver must do next. For RTR_ENG_WAIT, *wake_ns is the time the
 * engine next needs to run even if nothing arrives.
 */
int rtr_engine_poll(struct rtr_engine *e, uint64_t now, struct rtr_eng_tx *tx, uint64_t *wake_ns);

/*
 * Feeds one whole IP packet that arrived at time now. Answers that do not
 * strictly match an outstanding probe or request are counted and ignored.
 * Returns true when the packet matched something (first or duplicate answer).
 */
bool rtr_engine_receive(struct rtr_engine *e, uint64_t now, const uint8_t *pkt, size_t len);

/* Ends the trace now with RTR_STOP_INTERRUPTED unless it has already ended. */
void rtr_engine_interrupt(struct rtr_engine *e);

/* enum rtr_stop: RTR_STOP_NONE while running. */
static inline int rtr_engine_stop_reason(const struct rtr_engine *e)
{
	return e->stop;
}

/* The resolved flow this trace uses (the protocol's default applied). */
uint16_t rtr_engine_flow(const struct rtr_engine *e);

/* Internal: the earliest time e may send its next packet (own interval, driver's hold); the
 * multipath scheduler's, which knows no adaptive pace. */
static inline uint64_t rtr_eng_slot(const struct rtr_engine *e, uint64_t now)
{
	uint64_t slot = e->sent_any ? e->last_send_ns + e->cfg.interval_ns : now;
	return slot > e->not_before_ns ? slot : e->not_before_ns;
}

/* Internal: direction-specific halves, implemented in eng_forward.c and eng_reverse.c. */
int rtr_eng_fwd_build(struct rtr_engine *e, struct rtr_eng_probe *p, struct rtr_eng_tx *tx);
bool rtr_eng_fwd_receive(struct rtr_engine *e, uint64_t now, const uint8_t *pkt, size_t len);
struct rtr_answer;
/* Forward: what an answer says about the path (enum rtr_eng_verdict). */
int rtr_eng_fwd_classify(const struct rtr_answer *a);
int rtr_eng_rev_build(struct rtr_engine *e, struct rtr_eng_probe *p, struct rtr_eng_tx *tx);
bool rtr_eng_rev_receive(struct rtr_engine *e, uint64_t now, const uint8_t *pkt, size_t len);
/*
 * Claims p for an answer that arrived at now: true for the first answer (the
 * caller then fills in what it says), false for a duplicate or a late answer
 * (counted). Answers at or after the deadline count as late.
 */
bool rtr_eng_claim(struct rtr_engine *e, struct rtr_eng_probe *p, uint64_t now);
/* Lowers the highest TTL worth sending: a hop at ttl ended the path. */
void rtr_eng_path_ends_at(struct rtr_engine *e, unsigned ttl);

#endif
