// SPDX-License-Identifier: BSD-2-Clause
/* srv.c: loading, attaching, sweeping and reading the rtr tc program. */
#include "srv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "own.h"
#include "rtr.skel.h"

/* The verifier log of the last load, kept so a rejection can quote it. */
static char verifier_log[16 << 20];

void srv_cfg_defaults(struct srv_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_sessions = 5000;
	cfg->timeout_ns = 5000000000ull;
	cfg->src_rate = SRV_DEFAULT_RATE;
	cfg->src_burst = SRV_DEFAULT_BURST;
	cfg->global_rate = SRV_DEFAULT_GLOBAL_RATE;
	cfg->src_sessions = 0; /* 0: max_sessions / SRV_DEFAULT_SRC_SESSIONS_DIV at load */
}

uint64_t srv_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Joins the last verifier lines that explain a rejection into one line. */
static void verifier_tail(char *err, size_t errlen)
{
	char *lines[4] = {0};
	char *save = NULL, *l;
	size_t n = 0, used;

	for (l = strtok_r(verifier_log, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (!*l || strncmp(l, "processed ", 10) == 0)
			continue;
		memmove(lines, lines + 1, sizeof(lines) - sizeof(lines[0]));
		lines[3] = l;
		n++;
	}
	used = strlen(err);
	for (size_t i = 0; i < 4 && used + 4 < errlen; i++) {
		if (!lines[i])
			continue;
		snprintf(err + used, errlen - used, " | %s", lines[i]);
		used = strlen(err);
	}
	(void)n;
}

/*
 * Opens and loads once; with_log asks the verifier for its log, which makes
 * verification many times slower, so it is only done to explain a failure.
 */
static int load_once(struct srv *s, const struct srv_cfg *cfg, bool with_log)
{
	LIBBPF_OPTS(bpf_object_open_opts, oopts);
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);

	if (with_log) {
		oopts.kernel_log_buf = verifier_log;
		oopts.kernel_log_size = sizeof(verifier_log);
		oopts.kernel_log_level = 1;
	}
	if (ncpu < 1)
		ncpu = 1;
	verifier_log[0] = 0;
	s->skel = rtr_bpf__open_opts(&oopts);
	if (!s->skel)
		return -errno;
	s->skel->rodata->cfg_timeout_ns = cfg->timeout_ns;
	s->skel->rodata->cfg_src_rate = cfg->src_rate;
	s->skel->rodata->cfg_src_burst = cfg->src_burst ? cfg->src_burst : 1;
	if (cfg->src_rate) {
		s->skel->rodata->cfg_src_iv_ns = 1000000000ull / cfg->src_rate;
		s->skel->rodata->cfg_src_tau_ns =
			s->skel->rodata->cfg_src_burst * s->skel->rodata->cfg_src_iv_ns;
	}
	s->skel->rodata->cfg_cpu_rate = (cfg->global_rate + (uint64_t)ncpu - 1) / (uint64_t)ncpu;
	/* Each CPU may bank a quarter second of its share. */
	s->skel->rodata->cfg_cpu_burst = s->skel->rodata->cfg_cpu_rate / 4 + 1;
	s->skel->rodata->cfg_src_sessions =
		(int64_t)(cfg->src_sessions ? cfg->src_sessions
					    : cfg->max_sessions / SRV_DEFAULT_SRC_SESSIONS_DIV);
	if (s->skel->rodata->cfg_src_sessions == 0)
		s->skel->rodata->cfg_src_sessions = 1;
	s->skel->rodata->cfg_log = cfg->log;
	if (getrandom(&s->src_seed, sizeof(s->src_seed), 0) != sizeof(s->src_seed))
		s->src_seed =
			srv_now_ns() * 0x9e3779b97f4a7c15ull; /* no entropy yet: still varies */
	s->skel->rodata->cfg_src_seed = s->src_seed;
	if (getrandom(&s->tbl_seed, sizeof(s->tbl_seed), 0) != sizeof(s->tbl_seed))
		s->tbl_seed = srv_now_ns() * 0xbf58476d1ce4e5b9ull;
	s->skel->rodata->cfg_tbl_seed = s->tbl_seed;
	if (getrandom(s->id_key, sizeof(s->id_key), 0) != sizeof(s->id_key)) {
		s->id_key[0] = srv_now_ns() * 0x94d049bb133111ebull;
		s->id_key[1] = ~s->id_key[0] * 0x9e3779b97f4a7c15ull;
	}
	s->skel->rodata->cfg_id_key0 = s->id_key[0];
	s->skel->rodata->cfg_id_key1 = s->id_key[1];
	/*
	 * At least 2 slots per session (a half-full table: with the second bucket
	 * as overflow no bucket overflows, 1 000 000 sessions fit) and 8 pending entries
	 * (16-entry buckets at a mean load of 2 or less: at 4, one of 262 144
	 * buckets overflowed in about every other run of 1 000 000 requests).
	 */
	s->nbuckets = 1;
	while ((uint64_t)s->nbuckets * RTR_TBL_WAYS < 2ull * cfg->max_sessions)
		s->nbuckets <<= 1;
	s->npend = 1;
	while ((uint64_t)s->npend * RTR_PEND_WAYS < 8ull * cfg->max_sessions)
		s->npend <<= 1;
	if ((uint64_t)s->nbuckets * RTR_TBL_WAYS > RTR_TBL_MAX_SLOTS)
		return -E2BIG;
	s->skel->rodata->cfg_tbl_mask = s->nbuckets - 1;
	s->skel->rodata->cfg_pend_mask = s->npend - 1;
	s->skel->rodata->cfg_max_sessions = (int64_t)cfg->max_sessions;
	bpf_map__set_max_entries(s->skel->maps.sessions, s->nbuckets);
	bpf_map__set_max_entries(s->skel->maps.pending, s->npend);
	return rtr_bpf__load(s->skel);
}

/* Maps an mmapable array map; NULL on failure. */
static void *map_table(struct bpf_map *m, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(m), 0);

	return p == MAP_FAILED ? NULL : p;
}

static void unmap_tables(struct srv *s)
{
	if (s->tbl)
		munmap(s->tbl, s->tbl_len);
	if (s->pend)
		munmap(s->pend, s->pend_len);
	if (s->src)
		munmap(s->src, RTR_SRC_SLOTS * sizeof(*s->src));
	s->tbl = NULL;
	s->pend = NULL;
	s->src = NULL;
}

/*
 * Every CPU's identity counter starts at its own random value, so CPUs walk
 * apart and a restart does not replay a sequence (a repeat would only be a
 * repeated identity, which the table's collision check already redraws).
 */
static int seed_id_counters(struct srv *s)
{
	int ncpu = libbpf_num_possible_cpus();
	uint32_t zero = 0;
	uint64_t *v;
	int rc = 0;

	if (ncpu < 1)
		return ncpu < 0 ? ncpu : -EINVAL;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (getrandom(v, (size_t)ncpu * sizeof(*v), 0) != (ssize_t)((size_t)ncpu * sizeof(*v)))
		for (int i = 0; i < ncpu; i++)
			v[i] = (srv_now_ns() + (uint64_t)i) * 0xbf58476d1ce4e5b9ull;
	if (bpf_map_update_elem(bpf_map__fd(s->skel->maps.id_ctr), &zero, v, 0))
		rc = -errno;
	free(v);
	return rc;
}

int srv_load(struct srv *s, const struct srv_cfg *cfg, char *err, size_t errlen)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	rc = load_once(s, cfg, false);
	if (rc && rc != -EPERM && s->skel) {
		rtr_bpf__destroy(s->skel);
		rc = load_once(s, cfg, true);
	}
	if (!s->skel) {
		snprintf(err, errlen, "cannot open the BPF object: %s", strerror(-rc));
		return rc;
	}
	if (rc) {
		rc = rc < 0 ? rc : -EINVAL;
		if (rc == -EPERM)
			snprintf(err, errlen,
				 "loading the BPF program needs root or CAP_BPF, CAP_NET_ADMIN and "
				 "CAP_PERFMON (%s)",
				 strerror(-rc));
		else if (strstr(verifier_log, "unknown func") ||
			 strstr(verifier_log, "invalid func"))
			snprintf(err, errlen, "this kernel lacks a BPF helper rtr-server needs:");
		else if (verifier_log[0])
			snprintf(err, errlen,
				 "the verifier rejected the program (%s):", strerror(-rc));
		else
			snprintf(err, errlen,
				 "cannot load the BPF program: %s (kernel without BTF or BPF "
				 "support?)",
				 strerror(-rc));
		/* RTR_VERIFIER_LOG=path keeps the whole log for debugging. */
		if (getenv("RTR_VERIFIER_LOG")) {
			FILE *f = fopen(getenv("RTR_VERIFIER_LOG"), "w");

			if (f) {
				fputs(verifier_log, f);
				fclose(f);
			}
		}
		if (verifier_log[0])
			verifier_tail(err, errlen);
		rtr_bpf__destroy(s->skel);
		s->skel = NULL;
		return rc;
	}
	s->tbl_len = (size_t)s->nbuckets * sizeof(struct rtr_tbl_bucket);
	s->pend_len = (size_t)s->npend * sizeof(struct rtr_pend_bucket);
	s->tbl = map_table(s->skel->maps.sessions, s->tbl_len);
	s->pend = map_table(s->skel->maps.pending, s->pend_len);
	s->src = map_table(s->skel->maps.sources, RTR_SRC_SLOTS * sizeof(*s->src));
	if (!s->tbl || !s->pend || !s->src || !s->skel->bss) {
		rc = -errno ? -errno : -EINVAL;
		snprintf(err, errlen, "cannot map the session table: %s", strerror(-rc));
		srv_close(s);
		return rc;
	}
	rc = seed_id_counters(s);
	if (rc) {
		snprintf(err, errlen, "cannot start the identity counters: %s", strerror(-rc));
		srv_close(s);
		return rc;
	}
	return 0;
}

/*
 * BPF_TCX_INGRESS of enum bpf_attach_type: kernel 6.6 and later (vmlinux.h),
 * newer than the UAPI headers and libbpf (1.1, no bpf_program__attach_tcx) we
 * build with.
 */
#define SRV_TCX_INGRESS 46
#define SRV_TC_HANDLE 0x7274
#define SRV_TC_PRIO 1

/* The id of a program fd, 0 when unknown. */
static __u32 prog_id_of(int fd)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

/*
 * The program of the tc filter at our handle and priority on ifindex's
 * ingress: its id (0: none) and whether it is an rtr-server program.
 */
static __u32 tc_filter_prog(int ifindex, bool *is_rtr)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = SRV_TC_HANDLE, .priority = SRV_TC_PRIO);
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	int fd;

	*is_rtr = false;
	if (bpf_tc_query(&hook, &opts) || !opts.prog_id)
		return 0;
	fd = bpf_prog_get_fd_by_id(opts.prog_id);
	memset(&info, 0, sizeof(info));
	if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len))
		*is_rtr = !strcmp(info.name, "rtr_ingress");
	if (fd >= 0)
		close(fd);
	return opts.prog_id;
}

static int tc_detach_ours(int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = SRV_TC_HANDLE, .priority = SRV_TC_PRIO);

	return bpf_tc_detach(&hook, &opts);
}

/* Attaches as a netlink tc filter (kernels without tcx); replace: take over a leftover. */
static int attach_tc(struct srv *s, int ifindex, bool replace, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = SRV_TC_HANDLE, .priority = SRV_TC_PRIO,
		    .flags = replace ? BPF_TC_F_REPLACE : 0);
	int rc = bpf_tc_hook_create(&hook);

	if (rc && rc != -EEXIST) {
		snprintf(err, errlen, "cannot create the clsact qdisc on ifindex %d: %s", ifindex,
			 strerror(-rc));
		return rc;
	}
	opts.prog_fd = bpf_program__fd(s->skel->progs.rtr_ingress);
	rc = bpf_tc_attach(&hook, &opts);
	if (rc)
		snprintf(err, errlen, "cannot attach to ifindex %d: %s", ifindex, strerror(-rc));
	return rc;
}

/* "tc" or "tcx" from RTR_SERVER_ATTACH (tests force a path), NULL: tcx, else tc. */
static const char *attach_mode(void)
{
	const char *m = getenv("RTR_SERVER_ATTACH");

	return m && (!strcmp(m, "tc") || !strcmp(m, "tcx")) ? m : NULL;
}

int srv_attach(struct srv *s, int ifindex, char *err, size_t errlen)
{
	const char *mode = attach_mode();
	int prog_fd = bpf_program__fd(s->skel->progs.rtr_ingress), lock, link = -1, rc;
	bool left_rtr;
	__u32 left;

	if (s->nif >= (int)(sizeof(s->ifindex) / sizeof(s->ifindex[0]))) {
		snprintf(err, errlen, "at most %zu interfaces",
			 sizeof(s->ifindex) / sizeof(s->ifindex[0]));
		return -E2BIG;
	}
	for (int i = 0; i < s->nif; i++) {
		if (s->ifindex[i] == ifindex) {
			snprintf(err, errlen, "interface named twice");
			return -EINVAL;
		}
	}
	lock = own_lock_if(ifindex, err, errlen);
	if (lock < 0)
		return lock;
	/*
	 * We hold the interface's lock, so no live rtr-server owns a program at
	 * our tc handle: an rtr_ingress there was left by a killed run (tc
	 * filters outlive their loader). Anything else there is not ours.
	 */
	left = tc_filter_prog(ifindex, &left_rtr);
	if (!mode || !strcmp(mode, "tcx")) {
		/* A link: the kernel detaches it when this process exits, however it exits. */
		link = bpf_link_create(prog_fd, ifindex, SRV_TCX_INGRESS, NULL);
		rc = link < 0 ? link : 0;
		if (rc &&
		    (mode || (rc != -EINVAL && rc != -EOPNOTSUPP && rc != -524 /* ENOTSUPP */))) {
			snprintf(err, errlen, "cannot attach to ifindex %d (tcx): %s", ifindex,
				 strerror(-rc));
			close(lock);
			return rc;
		}
		if (!rc && left && left_rtr)
			tc_detach_ours(ifindex); /* a killed run's filter would run after us */
	}
	if (link < 0) {
		if (left && !left_rtr) {
			snprintf(err, errlen,
				 "tc ingress handle 0x%x prio %d holds program id %u, which is not "
				 "rtr-server's: remove it or use another interface",
				 SRV_TC_HANDLE, SRV_TC_PRIO, left);
			close(lock);
			return -EEXIST;
		}
		rc = attach_tc(s, ifindex, left != 0, err, errlen);
		if (rc) {
			close(lock);
			return rc;
		}
		s->tc_prog_id = prog_id_of(prog_fd);
	}
	s->ifindex[s->nif] = ifindex;
	s->link_fd[s->nif] = link;
	s->lock_fd[s->nif] = lock;
	s->nif++;
	return 0;
}

const char *srv_attach_kind(const struct srv *s)
{
	return s->nif && s->link_fd[0] < 0 ? "tc" : "tcx";
}

void srv_close(struct srv *s)
{
	for (int i = 0; i < s->nif; i++) {
		bool is_rtr;

		if (s->link_fd[i] >= 0)
			close(s->link_fd[i]);
		else if (tc_filter_prog(s->ifindex[i], &is_rtr) == s->tc_prog_id)
			tc_detach_ours(s->ifindex[i]); /* never another program at our handle */
		own_unlock_if(s->lock_fd[i], s->ifindex[i]);
	}
	s->nif = 0;
	unmap_tables(s);
	if (s->skel)
		rtr_bpf__destroy(s->skel);
	s->skel = NULL;
}

int srv_prog_fd(const struct srv *s)
{
	return bpf_program__fd(s->skel->progs.rtr_ingress);
}

__u32 srv_prog_id(const struct srv *s)
{
	return prog_id_of(srv_prog_fd(s));
}

int srv_trivial_fd(const struct srv *s)
{
	return bpf_program__fd(s->skel->progs.rtr_trivial);
}

/* Clears the pending entry that names slot ref (as the program's pend_clear). */
static void pend_clear(struct srv *s, const __u8 *client, __u8 family, __u16 ident, __u32 ref)
{
	__u64 ph = rtr_pend_hash(client, family, ident, s->tbl_seed);
	struct rtr_pend_bucket *pb = &s->pend[RTR_PEND_B(ph, s->npend - 1)];

	for (int i = 0; i < RTR_PEND_WAYS; i++) {
		__u32 e = __atomic_load_n(&pb->e[i], __ATOMIC_ACQUIRE);

		if (e && RTR_PEND_REF(e) == ref) {
			__atomic_compare_exchange_n(&pb->e[i], &e, 0, false, __ATOMIC_SEQ_CST,
						    __ATOMIC_RELAXED);
			return;
		}
	}
}

/*
 * One session of a prefix ended: its count goes down by one, never below 0
 * (the program may have reset a stale count), changing nothing else of the
 * entry that the program updates at the same time.
 */
static void src_session_ended(__s64 *n)
{
	__s64 v = __atomic_load_n(n, __ATOMIC_RELAXED);

	while (v > 0 && !__atomic_compare_exchange_n(n, &v, v - 1, false, __ATOMIC_SEQ_CST,
						     __ATOMIC_RELAXED))
		;
}

long srv_sweep(struct srv *s, uint64_t now_ns)
{
	long ended = 0;

	/* The tables are mapped: a pass reads and swaps memory, no system call. */
	for (__u32 bi = 0; bi < s->nbuckets; bi++) {
		struct rtr_tbl_bucket *b = &s->tbl[bi];

		for (__u32 w = 0; w < RTR_TBL_WAYS; w++) {
			__u32 st = __atomic_load_n(&b->state[w], __ATOMIC_ACQUIRE), slot;
			const struct rtr_slot *sl = &b->slot[w];
			__u8 client[16], family;
			__u16 ident;
			__u64 ts;

			if (RTR_ST_KIND(st) != RTR_SLOT_LIVE)
				continue;
			ts = sl->ts_ns;
			if (now_ns < ts || now_ns - ts < s->cfg.timeout_ns)
				continue;
			memcpy(client, sl->client, 16);
			family = sl->family;
			ident = sl->ident;
			/* The swap is the claim: a session an answer ended first is not ours. */
			if (!__atomic_compare_exchange_n(&b->state[w], &st, RTR_ST_FREED(st), false,
							 __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
				continue;
			ended++;
			pend_clear(s, client, family, ident, bi * RTR_TBL_WAYS + w);
			__atomic_fetch_sub(&s->skel->bss->live_sessions, 1, __ATOMIC_SEQ_CST);
			slot = rtr_src_slot(client, family, s->src_seed);
			src_session_ended(&s->src[slot].sessions);
		}
	}
	s->sweep_timeouts += (uint64_t)ended;
	return ended;
}

long srv_count_sessions(const struct srv *s)
{
	long n = 0;

	for (__u32 bi = 0; bi < s->nbuckets; bi++)
		for (__u32 w = 0; w < RTR_TBL_WAYS; w++)
			n += RTR_ST_KIND(__atomic_load_n(&s->tbl[bi].state[w], __ATOMIC_RELAXED)) ==
			     RTR_SLOT_LIVE;
	return n;
}

long srv_count_pending(const struct srv *s)
{
	long n = 0;

	for (__u32 bi = 0; bi < s->npend; bi++)
		for (__u32 i = 0; i < RTR_PEND_WAYS; i++)
			n += __atomic_load_n(&s->pend[bi].e[i], __ATOMIC_RELAXED) != 0;
	return n;
}

struct rtr_slot *srv_find_session(struct srv *s, const struct rtr_sess_key *key)
{
	__u64 h = rtr_sess_hash(key->client, key->proto, key->family, key->id, s->tbl_seed);

	for (int c = 0; c < 2; c++) {
		struct rtr_tbl_bucket *b = &s->tbl[c ? RTR_SESS_B2(h, s->nbuckets - 1)
						     : RTR_SESS_B1(h, s->nbuckets - 1)];

		for (int w = 0; w < RTR_TBL_WAYS; w++) {
			struct rtr_slot *sl = &b->slot[w];

			if (RTR_ST_KIND(b->state[w]) == RTR_SLOT_LIVE && sl->id == key->id &&
			    sl->proto == key->proto && sl->family == key->family &&
			    !memcmp(sl->client, key->client, 16))
				return sl;
		}
	}
	return NULL;
}

/* Free slots of a bucket. */
static int bucket_free(const struct rtr_tbl_bucket *b)
{
	int n = 0;

	for (int w = 0; w < RTR_TBL_WAYS; w++)
		n += RTR_ST_KIND(b->state[w]) == RTR_SLOT_FREE;
	return n;
}

int srv_add_session(struct srv *s, const struct rtr_sess_key *key, const struct rtr_sess *v)
{
	__u64 h = rtr_sess_hash(key->client, key->proto, key->family, key->id, s->tbl_seed);
	__u64 ph = rtr_pend_hash(key->client, key->family, v->ident, s->tbl_seed);
	struct rtr_pend_bucket *pb = &s->pend[RTR_PEND_B(ph, s->npend - 1)];
	__u32 fp = RTR_SESS_FP(h), bi = RTR_SESS_B1(h, s->nbuckets - 1);
	__u32 b2 = RTR_SESS_B2(h, s->nbuckets - 1);
	struct rtr_tbl_bucket *b;
	int n1 = bucket_free(&s->tbl[bi]);

	/* The program's placement: the first bucket, else the emptier. */
	if (n1 < RTR_TBL_SPILL && bucket_free(&s->tbl[b2]) > n1)
		bi = b2;
	b = &s->tbl[bi];
	for (__u32 w = 0; w < RTR_TBL_WAYS; w++) {
		struct rtr_slot *sl = &b->slot[w];
		__u32 st = b->state[w], ref = bi * RTR_TBL_WAYS + w;

		if (RTR_ST_KIND(st) != RTR_SLOT_FREE)
			continue;
		for (int i = 0; i < RTR_PEND_WAYS; i++) {
			if (pb->e[i])
				continue;
			pb->e[i] = RTR_PEND_ENTRY(RTR_PEND_HFP(ph), ref);
			rtr_slot_fill(sl, key, v);
			__atomic_store_n(&b->state[w], RTR_ST_LIVE(st, fp, v->len_extra),
					 __ATOMIC_RELEASE);
			__atomic_fetch_add(&s->skel->bss->live_sessions, 1, __ATOMIC_SEQ_CST);
			return 0;
		}
		return -1;
	}
	return -1;
}

void srv_clear_sessions(struct srv *s)
{
	memset(s->tbl, 0, s->tbl_len);
	memset(s->pend, 0, s->pend_len);
	s->skel->bss->live_sessions = 0;
}

int srv_read_counters(const struct srv *s, struct rtr_counters *out)
{
	int ncpu = libbpf_num_possible_cpus();
	struct rtr_counters *per;
	__u32 zero = 0;
	int rc;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	per = calloc((size_t)ncpu, sizeof(*per));
	if (!per)
		return -ENOMEM;
	rc = bpf_map_lookup_elem(bpf_map__fd(s->skel->maps.counters), &zero, per);
	if (rc) {
		free(per);
		return -errno;
	}
	memset(out, 0, sizeof(*out));
	for (int c = 0; c < ncpu; c++)
		for (int i = 0; i < RTR_C_MAX; i++)
			out->c[i] += per[c].c[i];
	out->c[RTR_C_TIMEOUTS] += s->sweep_timeouts;
	free(per);
	return 0;
}
