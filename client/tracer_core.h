/* SPDX-License-Identifier: BSD-2-Clause */
/* tracer_core.h: what the singlepath and the multipath engine share (no I/O): probe and request
 * records, the configuration, claims of answers, expiry, the reverse presence check, building
 * probes and requests, matching responses, stop reasons. */
#ifndef RTR_CLIENT_TRACER_CORE_H
#define RTR_CLIENT_TRACER_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "probe.h"

/*
 * This is the layer under both engines (engine.h: singlepath, mda.h: multipath). It knows
 * single probes, never hops or paths: which probe an answer belongs to, whether it came in time,
 * what a reverse response says. The engines decide what to send next and when to stop; tracer.h
 * is the interface a driver runs either through. Times are nanoseconds on any monotonic scale;
 * packets in both directions are whole IP packets.
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
	RTR_STOP_INTERRUPTED, /* the driver called rtr_tracer_interrupt */
	RTR_STOP_BUDGET,      /* multipath: the probe budget is spent */
	RTR_STOP_TIME_LIMIT,  /* multipath: the wall-clock limit passed */
};

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
	uint32_t received;   /* packets fed to rtr_tracer_receive */
	uint32_t matched;    /* first answers to a probe */
	uint32_t duplicates; /* further answers to an answered probe */
	uint32_t late;	     /* answers to a probe that had already timed out */
	uint32_t ignored;    /* anything else (not ours, forged, malformed) */
	uint32_t abandoned;  /* still in flight when the trace ended (their answers no longer count)
			      */
	uint32_t retried;    /* reverse: requests sent again after silence */
	uint32_t recovered;  /* reverse: requests answered only after being sent again */
};

enum rtr_eng_action {
	RTR_ENG_SEND = 1, /* send tx now, then call rtr_tracer_poll again */
	RTR_ENG_WAIT = 2, /* wait for packets until *wake_ns, then poll again */
	RTR_ENG_DONE = 3, /* the trace has ended: rtr_tracer's stop says why */
};

struct rtr_tracer_ops; /* tracer.h */

/*
 * One trace, singlepath or multipath: the state both engines keep the same way, and the results a
 * renderer reads the same way for both (cfg, stop, last_ttl, times, stats, the presence check).
 * An engine embeds it as its first member; drivers and renderers only read it (tracer.h).
 */
struct rtr_tracer {
	const struct rtr_tracer_ops *ops; /* the engine behind it */
	struct rtr_engine_cfg cfg;
	int stop;	  /* enum rtr_stop */
	uint8_t last_ttl; /* highest TTL that belongs to the result once stopped */
	/*
	 * The result is fixed: answers from now on are late. Singlepath closes when it stops;
	 * multipath only when its presence check fails, and otherwise keeps recording answers that
	 * arrive after its stop in its probe records and counters (its stop reason and hops stay).
	 */
	bool closed;
	uint16_t inflight;
	bool sent_any;
	uint64_t last_send_ns;
	/*
	 * Set by a driver that paces many traces under one rate (a campaign): no
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
	 * flight; both relax again while answers keep coming. Only an engine that
	 * sends requests again (may_retry) ever sets limited.
	 */
	bool limited;
	uint16_t window;
	uint16_t window_acks; /* answers since the window last grew */
	uint64_t pace_ns;
	uint64_t last_cut_ns; /* the window and pace are cut at most once per wait */
	uint64_t first_req_ns;
	struct rtr_eng_probe presence[RTR_ENG_MAX_PROBES];
	struct rtr_eng_stats stats;
	/* Set by the engine at init. Reverse: its request (not a presence check) with this
	 * identifier, and that request's TTL, or NULL. */
	struct rtr_eng_probe *(*find)(struct rtr_tracer *t, uint16_t ident, unsigned *ttl);
	/* May a silent request be sent again instead of timing out? NULL: never. */
	bool (*may_retry)(const struct rtr_tracer *t, const struct rtr_eng_probe *p);
	/* A response at ttl ended the path (the destination, a refusal). NULL: nothing to do. */
	void (*ends_at)(struct rtr_tracer *t, unsigned ttl);
};

/* Short constant English name of a stop reason ("completed", "gap-limit", ...). */
const char *rtr_stop_name(int stop);

/*
 * Checks cfg and resets t to the start of a trace (ops and hooks NULL). Returns RTR_OK or
 * RTR_E_INVAL (impossible values) or RTR_E_PROTO (protocol not valid for the family).
 */
int rtr_core_init(struct rtr_tracer *t, const struct rtr_engine_cfg *cfg);

/* The resolved flow the configuration asks for (the protocol's default applied). */
uint16_t rtr_core_flow(const struct rtr_tracer *t);

/* Time from then to now, never negative (a driver may report an arrival a hair before a send). */
static inline uint64_t rtr_core_since(uint64_t now, uint64_t then)
{
	return now > then ? now - then : 0;
}

/* The earliest time t may send at gap after its last send, and not before the driver's hold. */
static inline uint64_t rtr_core_slot(const struct rtr_tracer *t, uint64_t now, uint64_t gap)
{
	uint64_t slot = t->sent_any ? t->last_send_ns + gap : now;
	return slot > t->not_before_ns ? slot : t->not_before_ns;
}

/* p's wait has passed: it leaves the flight (the slow half of rtr_core_expire). Returns true. */
bool rtr_core_timed_out(struct rtr_tracer *t, struct rtr_eng_probe *p, uint64_t now);

/*
 * A sent probe whose wait has passed by now leaves the flight: RTR_PS_RETRY when the engine's
 * may_retry says so, else RTR_PS_TIMEOUT. Returns true when p expired just now. Inline: the
 * engines ask it of every probe in flight on every poll.
 */
static inline bool rtr_core_expire(struct rtr_tracer *t, struct rtr_eng_probe *p, uint64_t now)
{
	if (p->status != RTR_PS_SENT || rtr_core_since(now, p->sent_ns) < t->cfg.wait_ns)
		return false;
	return rtr_core_timed_out(t, p, now);
}

/*
 * Claims p for an answer that arrived at now: true for the first answer (the
 * caller then fills in what it says), false for a duplicate or a late answer
 * (counted). Answers at or after the deadline count as late.
 */
bool rtr_core_claim(struct rtr_tracer *t, struct rtr_eng_probe *p, uint64_t now);

/* Builds the packet of p (forward probe or reverse request, by cfg) into tx. 0 or an error. */
int rtr_core_build(struct rtr_tracer *t, struct rtr_eng_probe *p, struct rtr_eng_tx *tx);

/* p went out at now: in flight, counted. */
void rtr_core_sent(struct rtr_tracer *t, struct rtr_eng_probe *p, uint64_t now);

/*
 * Reverse, before the server is known to be there (!t->present): expires presence requests,
 * decides the check, and sends the next request when one may go (one at a time, at
 * cfg.interval_ns). Returns RTR_ENG_SEND (tx filled), RTR_ENG_WAIT (*wake_ns) or RTR_ENG_DONE
 * (t->stop, last_ttl 0, in-flight requests counted as abandoned).
 */
int rtr_core_presence_poll(struct rtr_tracer *t, uint64_t now, struct rtr_eng_tx *tx,
			   uint64_t *wake_ns);

/* Ends the trace for reason at ttl with its result fixed; what is in flight is abandoned. */
void rtr_core_close(struct rtr_tracer *t, int reason, unsigned ttl);

/* Expires the presence requests. */
void rtr_core_presence_expire(struct rtr_tracer *t, uint64_t now);
/* wake lowered to the earliest deadline of a presence request in flight. */
uint64_t rtr_core_presence_deadline(const struct rtr_tracer *t, uint64_t wake);

/* Forward probes, built and read (tracer_fwd.c). */
int rtr_core_fwd_build(struct rtr_tracer *t, struct rtr_eng_probe *p, struct rtr_eng_tx *tx);
struct rtr_answer;
/* What an answer says about the path (enum rtr_eng_verdict). */
int rtr_core_fwd_classify(const struct rtr_answer *a);
/* Fills in p from an answer it was claimed for. */
void rtr_core_fwd_record(struct rtr_eng_probe *p, const struct rtr_answer *a);

/* Reverse requests, built and matched (tracer_rev.c). */
int rtr_core_rev_build(struct rtr_tracer *t, struct rtr_eng_probe *p, struct rtr_eng_tx *tx);
/*
 * Feeds one packet to a reverse trace: presence checks here, other requests through t->find.
 * Returns true when it answered (or refused) a request of ours.
 */
bool rtr_core_rev_receive(struct rtr_tracer *t, uint64_t now, const uint8_t *pkt, size_t len);

#endif
