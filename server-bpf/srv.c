/* srv.c: loading, attaching, sweeping and reading the rtr tc program. */
#include "srv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

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
	bpf_map__set_max_entries(s->skel->maps.sessions, cfg->max_sessions);
	bpf_map__set_max_entries(s->skel->maps.pending, cfg->max_sessions);
	return rtr_bpf__load(s->skel);
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
	return 0;
}

int srv_attach(struct srv *s, int ifindex, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = 0x7274, .priority = 1, .flags = BPF_TC_F_REPLACE);
	int rc;

	if (s->nif >= (int)(sizeof(s->ifindex) / sizeof(s->ifindex[0]))) {
		snprintf(err, errlen, "at most %zu interfaces",
			 sizeof(s->ifindex) / sizeof(s->ifindex[0]));
		return -E2BIG;
	}
	rc = bpf_tc_hook_create(&hook);
	if (rc && rc != -EEXIST) {
		snprintf(err, errlen, "cannot create the clsact qdisc on ifindex %d: %s", ifindex,
			 strerror(-rc));
		return rc;
	}
	/* BPF_TC_F_REPLACE takes over the filter a killed earlier run left at our handle. */
	opts.prog_fd = bpf_program__fd(s->skel->progs.rtr_ingress);
	rc = bpf_tc_attach(&hook, &opts);
	if (rc) {
		snprintf(err, errlen, "cannot attach to ifindex %d: %s", ifindex, strerror(-rc));
		return rc;
	}
	s->ifindex[s->nif++] = ifindex;
	return 0;
}

/* Writes "1" into a sysctl file; a missing file (IPv6 disabled) is not an error. */
static int write_one(const char *path)
{
	FILE *f = fopen(path, "w");
	int rc = 0;

	if (!f)
		return errno == ENOENT ? 0 : -errno;
	if (fputs("1\n", f) == EOF)
		rc = -EIO;
	if (fclose(f) && !rc)
		rc = -errno;
	return rc;
}

int srv_enable_lo_forwarding(char *err, size_t errlen)
{
	static const char *const paths[] = {"/proc/sys/net/ipv4/conf/lo/forwarding",
					    "/proc/sys/net/ipv6/conf/lo/forwarding"};

	for (size_t i = 0; i < 2; i++) {
		int rc = write_one(paths[i]);

		if (rc) {
			snprintf(err, errlen, "cannot enable %s: %s", paths[i], strerror(-rc));
			return rc;
		}
	}
	return 0;
}

void srv_close(struct srv *s)
{
	for (int i = 0; i < s->nif; i++) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = s->ifindex[i],
			    .attach_point = BPF_TC_INGRESS);
		LIBBPF_OPTS(bpf_tc_opts, opts, .handle = 0x7274, .priority = 1);

		bpf_tc_detach(&hook, &opts);
	}
	s->nif = 0;
	if (s->skel)
		rtr_bpf__destroy(s->skel);
	s->skel = NULL;
}

int srv_prog_fd(const struct srv *s)
{
	return bpf_program__fd(s->skel->progs.rtr_ingress);
}

int srv_trivial_fd(const struct srv *s)
{
	return bpf_program__fd(s->skel->progs.rtr_trivial);
}

#define SWEEP_BATCH 4096

/*
 * Deletes keys[0..n) with as few syscalls as possible and marks in ours[]
 * which deletes succeeded. The kernel deletes in order and stops at the first
 * key that is gone (someone else ended it): skip that one and go on.
 */
static void delete_all(int fd, void *keys, size_t key_size, __u32 n, bool *ours)
{
	__u32 i = 0;

	while (i < n) {
		__u32 cnt = n - i;
		int rc = bpf_map_delete_batch(fd, (char *)keys + (size_t)i * key_size, &cnt, NULL);

		for (__u32 k = 0; k < cnt && i + k < n; k++)
			ours[i + k] = true;
		i += cnt;
		if (rc && i < n)
			ours[i++] = false;
		else if (rc)
			break;
	}
}

long srv_sweep(struct srv *s, uint64_t now_ns)
{
	static struct rtr_sess_key keys[SWEEP_BATCH], dead[SWEEP_BATCH];
	static struct rtr_sess vals[SWEEP_BATCH];
	static struct rtr_pend_key pend[SWEEP_BATCH];
	static bool ours[SWEEP_BATCH], pours[SWEEP_BATCH];
	static __s64 dec[RTR_SRC_SLOTS];
	static __u32 touched[RTR_SRC_SLOTS];
	int sfd = bpf_map__fd(s->skel->maps.sessions);
	int pfd = bpf_map__fd(s->skel->maps.pending);
	int srcfd = bpf_map__fd(s->skel->maps.sources);
	struct rtr_sess_key in, out;
	bool first = true, done = false;
	__u32 ntouched = 0;
	long ended = 0;

	while (!done) {
		__u32 n = SWEEP_BATCH, m = 0, p = 0;
		int rc = bpf_map_lookup_batch(sfd, first ? NULL : &in, &out, keys, vals, &n, NULL);

		if (rc < 0 && rc != -ENOENT)
			return rc;
		done = rc == -ENOENT;
		first = false;
		in = out;
		for (__u32 i = 0; i < n; i++) {
			if (now_ns < vals[i].ts_ns || now_ns - vals[i].ts_ns < s->cfg.timeout_ns)
				continue;
			dead[m] = keys[i];
			memset(&pend[m], 0, sizeof(pend[m]));
			memcpy(pend[m].client, keys[i].client, 16);
			pend[m].ident = vals[i].ident;
			pend[m].family = keys[i].family;
			m++;
		}
		/* The delete is the claim: a session an answer ended first is not ours to count. */
		delete_all(sfd, dead, sizeof(dead[0]), m, ours);
		for (__u32 i = 0; i < m; i++) {
			__u32 slot;

			if (!ours[i])
				continue;
			ended++;
			pend[p++] = pend[i];
			slot = rtr_src_slot(dead[i].client, dead[i].family, s->src_seed);
			if (!dec[slot]++)
				touched[ntouched++] = slot;
		}
		delete_all(pfd, pend, sizeof(pend[0]), p, pours);
	}
	/* Per-source session counts, one update per prefix. Approximate: races with the
	 * program's atomic add only skew the cap. */
	for (__u32 t = 0; t < ntouched; t++) {
		struct rtr_src_state st;
		__u32 slot = touched[t];

		if (!bpf_map_lookup_elem(srcfd, &slot, &st)) {
			st.sessions = st.sessions > dec[slot] ? st.sessions - dec[slot] : 0;
			bpf_map_update_elem(srcfd, &slot, &st, BPF_EXIST);
		}
		dec[slot] = 0;
	}
	s->sweep_timeouts += (uint64_t)ended;
	return ended;
}

/* Counts the keys of a map by walking it. */
static long count_keys(int fd, size_t key_size)
{
	unsigned char a[64], b[64];
	void *prev = NULL, *cur = a;
	long n = 0;

	if (key_size > sizeof(a))
		return -EINVAL;
	while (!bpf_map_get_next_key(fd, prev, cur)) {
		n++;
		prev = cur;
		cur = cur == a ? b : a;
	}
	return n;
}

long srv_count_sessions(const struct srv *s)
{
	return count_keys(bpf_map__fd(s->skel->maps.sessions), sizeof(struct rtr_sess_key));
}

long srv_count_pending(const struct srv *s)
{
	return count_keys(bpf_map__fd(s->skel->maps.pending), sizeof(struct rtr_pend_key));
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
