/* SPDX-License-Identifier: BSD-2-Clause */
/* srv.h: loading, attaching, sweeping and reading the rtr tc program (used by rtr-server and
 * tests). */
#ifndef RTR_SRV_H
#define RTR_SRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include "rtr_server.h"

struct rtr_bpf;

/* Loader settings; srv_cfg_defaults fills the documented defaults. */
struct srv_cfg {
	uint32_t max_sessions; /* -n */
	uint64_t timeout_ns;   /* -t */
	uint64_t src_rate;     /* --rate: requests/s per source prefix, 0 = unlimited */
	uint64_t src_burst;    /* --burst */
	uint64_t global_rate;  /* --global-rate: requests/s in total, 0 = unlimited */
	uint64_t src_sessions; /* --source-sessions: pending per source prefix, 0 = unlimited */
	bool log;	       /* --log: fill the event ring buffer */
};

#define SRV_DEFAULT_RATE 1000
#define SRV_DEFAULT_BURST 2000
#define SRV_DEFAULT_GLOBAL_RATE 200000
#define SRV_DEFAULT_SRC_SESSIONS_DIV 4 /* one prefix may hold at most a quarter of -n */

struct srv {
	struct rtr_bpf *skel;
	struct srv_cfg cfg;
	int ifindex[16];
	int nif;
	uint64_t sweep_timeouts;      /* sessions the sweeper ended */
	uint64_t src_seed;	      /* the program's cfg_src_seed */
	uint64_t tbl_seed;	      /* the program's cfg_tbl_seed */
	uint64_t id_key[2];	      /* the program's cfg_id_key0/1 (SipHash key of identities) */
	struct rtr_tbl_bucket *tbl;   /* the session table, mmapped */
	struct rtr_pend_bucket *pend; /* the pending index, mmapped */
	struct rtr_src_state *src;    /* per-prefix state (RTR_SRC_SLOTS), mmapped */
	int link_fd[16];	      /* per interface: its tcx link, or -1 when a tc filter */
	int lock_fd[16];	      /* per interface: its ownership lock (own.h) */
	__u32 tc_prog_id;	      /* our program's id, to detach only our own tc filters */
	uint32_t nbuckets, npend;     /* buckets in each (powers of two) */
	size_t tbl_len, pend_len;     /* mapped lengths */
};

void srv_cfg_defaults(struct srv_cfg *cfg);

/*
 * Opens and loads the program with cfg. On failure returns a negative errno
 * and writes one line into err (for verifier rejections the last verifier
 * lines, joined with " | ").
 */
int srv_load(struct srv *s, const struct srv_cfg *cfg, char *err, size_t errlen);

/*
 * Takes ifindex's ownership lock (-EBUSY naming the pid of the live server
 * that holds it) and attaches the program at its ingress: as a tcx link,
 * whose lifetime is this process's, or, where the kernel has no tcx (or
 * RTR_SERVER_ATTACH=tc asks for it), as a direct-action tc filter at handle
 * 0x7274 prio 1. A filter of rtr_ingress left there by a killed run is
 * removed (tcx) or replaced (tc); any other program there is refused with
 * -EEXIST, never touched. Returns 0 or -errno with one line in err.
 */
int srv_attach(struct srv *s, int ifindex, char *err, size_t errlen);

/* "tcx" or "tc": how the interfaces are attached. */
const char *srv_attach_kind(const struct srv *s);

/*
 * Detaches from every interface attached so far (a tc filter only while it
 * still holds our program), releases their locks and frees everything.
 */
void srv_close(struct srv *s);

/* File descriptor of the main program (BPF_PROG_TEST_RUN) and of the trivial baseline. */
int srv_prog_fd(const struct srv *s);
int srv_trivial_fd(const struct srv *s);

/* The kernel's id of the main program (for the start line and tests). */
__u32 srv_prog_id(const struct srv *s);

/*
 * Ends every session older than the timeout at monotonic time now_ns, reading
 * the mapped table: the compare-and-swap LIVE -> FREE of a slot is the claim,
 * so an answer racing with the sweep ends a session at most once. Returns the
 * number of sessions it ended (added to sweep_timeouts).
 */
long srv_sweep(struct srv *s, uint64_t now_ns);

/* Number of live sessions and of pending-index entries (reads the mapped table). */
long srv_count_sessions(const struct srv *s);
long srv_count_pending(const struct srv *s);

/*
 * For tests: puts a session into the table as the program would (key and
 * v as the program fills them; v->len_extra kept in the state word).
 * Returns 0 or -1 (both buckets full, or no pending entry free).
 */
int srv_add_session(struct srv *s, const struct rtr_sess_key *key, const struct rtr_sess *v);

/* For tests: the live slot of key, or NULL. */
struct rtr_slot *srv_find_session(struct srv *s, const struct rtr_sess_key *key);

/* For tests: empties the table and the pending index (no program may run meanwhile). */
void srv_clear_sessions(struct srv *s);

/* Sums the per-CPU counters into out (timeouts include the sweeper's). */
int srv_read_counters(const struct srv *s, struct rtr_counters *out);

/* Monotonic clock in ns, the clock of bpf_ktime_get_ns. */
uint64_t srv_now_ns(void);

#endif
