// SPDX-License-Identifier: BSD-2-Clause
/* bench_prog.c: make bench rows for the server program (BPF_PROG_TEST_RUN, fresh input per run). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpftest.h"
#include "cursor.h"
#include "rtr.skel.h"
#include "rtr_wire.h"
#include "stats.h"

/*
 * Prints BENCH lines (tests/bench.sh): per-packet ns (median of 20 000 runs) of the trivial
 * program, pass-through, request -> probe and Time Exceeded -> response (each run gets a fresh
 * packet: a new identifier, a new session); bytes per session from the maps' memlock; sessions held
 * with -n 1 000 000. Run inside the namespace tests/bench.d/40-server.sh builds.
 */

#ifndef RUNS
#define RUNS 20000
#endif
#define BATCH 1000
#define NOSESS_REP                                                                               \
	50 /* a packet that passes is left as it was: 50 runs per call */ /* requests pending at \
									     once, then their    \
									     answers */

static struct bt_env env;

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Median of n per-run durations: robust against the other tenants of a shared VM. */
static double median(uint32_t *d, int n)
{
	qsort(d, (size_t)n, sizeof(d[0]), cmp_u32);
	return d[n / 2];
}

static uint32_t dur[RUNS], dur2[RUNS];

/* Inputs (an Ethernet frame whose IP packet starts at pkt) and outputs of the timed series. */
static struct {
	uint8_t frame[14];
	uint8_t pkt[256];
	size_t len;
	size_t len0; /* the request's length (len becomes its answer's) */
	struct rtr_addr client;
} reqs[RUNS];
static struct bt_result outs[RUNS];

/*
 * Median kernel-measured duration of a run of prog over RUNS calls on a whole
 * frame, skb->cb[0] = cb0; -1 on a failed run or, when want >= 0, a verdict
 * other than want. Each call repeats the run rep times (the kernel reports the
 * mean): only for paths that leave the packet as it was.
 */
static double frame_runs_rep(int fd, const uint8_t *frame, size_t len, uint32_t cb0, int want,
			     int rep)
{
	struct bt_result r;

	for (int i = 0; i < RUNS; i++) {
		struct __sk_buff ctx = {.ifindex = (__u32)env.ifindex, .cb = {cb0}};
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = (__u32)len,
			    .data_out = r.frame, .data_size_out = sizeof(r.frame), .ctx_in = &ctx,
			    .ctx_size_in = sizeof(ctx), .repeat = rep);

		if (bpf_prog_test_run_opts(fd, &o) || (want >= 0 && o.retval != (__u32)want))
			return -1;
		dur[i] = o.duration;
	}
	return median(dur, RUNS);
}

static double frame_runs(int fd, const uint8_t *frame, size_t len, uint32_t cb0, int want)
{
	return frame_runs_rep(fd, frame, len, cb0, want, 1);
}

/* frame_runs over an IP packet, in an Ethernet frame to rtrt0's MAC, any verdict. */
static double time_runs(int fd, const uint8_t *pkt, size_t len)
{
	uint8_t in[BT_MAX];

	memset(in, 0, 12);
	memcpy(in, bt_server_mac, 6);
	in[12] = pkt[0] >> 4 == 6 ? 0x86 : 0x08;
	in[13] = pkt[0] >> 4 == 6 ? 0xdd : 0x00;
	memcpy(in + 14, pkt, len);
	return frame_runs(fd, in, len + 14, 0, -1);
}

/* The probe and response lengths of the first request and answer, and that answer. */
static uint32_t req_len;
static uint32_t rsp_len;
static uint8_t ans0[BT_MAX];
static size_t ans0_len;
static double nosess;	   /* Time Exceeded whose session has ended */
static double trivial_rep; /* the trivial program on it, as many runs per call */

/*
 * The helper calls each path needs, alone (tests/bpf/floor.bpf.c), and the
 * price of one BPF-to-BPF call: what no table or parser design can go below.
 */
static int floor_rows(const char *obj_path, double trivial)
{
	struct bpf_object *obj = bpf_object__open_file(obj_path, NULL);
	struct bpf_program *preq, *pans, *pcalls, *pmiss, *plocal, *pfib;
	double fr, fa, fc, fm, fl, ff;

	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "bench: cannot load %s\n", obj_path);
		return 1;
	}
	preq = bpf_object__find_program_by_name(obj, "floor_request");
	pans = bpf_object__find_program_by_name(obj, "floor_answer");
	pcalls = bpf_object__find_program_by_name(obj, "floor_calls");
	pmiss = bpf_object__find_program_by_name(obj, "floor_miss");
	plocal = bpf_object__find_program_by_name(obj, "floor_local_check");
	pfib = bpf_object__find_program_by_name(obj, "floor_fib_check");
	if (!preq || !pans || !pcalls || !pmiss || !plocal || !pfib)
		return 1;
	fr = frame_runs(bpf_program__fd(preq), reqs[0].frame, reqs[0].len0 + 14, req_len,
			BT_TC_ACT_REDIRECT);
	fa = frame_runs(bpf_program__fd(pans), ans0, ans0_len, rsp_len, BT_TC_ACT_REDIRECT);
	fc = time_runs(bpf_program__fd(pcalls), reqs[0].pkt, reqs[0].len0);
	fm = frame_runs_rep(bpf_program__fd(pmiss), ans0, ans0_len, 0, BT_TC_ACT_OK, NOSESS_REP);
	/* Both leave the request as it was: many runs per call, as the trivial baseline. */
	fl = frame_runs_rep(bpf_program__fd(plocal), reqs[0].frame, reqs[0].len0 + 14, 0, -1,
			    NOSESS_REP);
	ff = frame_runs_rep(bpf_program__fd(pfib), reqs[0].frame, reqs[0].len0 + 14, 0, -1,
			    NOSESS_REP);
	bpf_object__close(obj);
	if (fr < 0 || fa < 0 || fc < 0 || fm < 0 || fl < 0 || ff < 0) {
		fprintf(stderr, "bench: a floor program failed\n");
		return 1;
	}
	printf("BENCH server_request_helper_floor_ns %.0f ns bpf_trivial_ns %.0f\n", fr, trivial);
	printf("BENCH server_answer_helper_floor_ns %.0f ns bpf_trivial_ns %.0f\n", fa, trivial);
	printf("BENCH bpf_subprog_call_ns %.1f ns - -\n", (fc - trivial) / 8);
	/* SRV-11: this host's addresses in a hash map, against asking the FIB. */
	printf("BENCH server_local_check_map_ns %.0f ns server_local_check_fib_ns %.0f\n",
	       fl - trivial_rep, ff - trivial_rep);
	printf("BENCH server_no_session_floor_ns %.0f ns bpf_trivial_rep_ns %.0f\n", fm,
	       trivial_rep);
	printf("BENCH server_time_exceeded_no_session_ns %.0f ns server_no_session_floor_ns %.0f\n",
	       nosess, fm);
	return 0;
}

/* memlock of a map as the kernel accounts it (/proc/self/fdinfo). */
static long memlock(int fd)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %ld", &v) == 1)
			break;
	fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	struct srv_cfg cfg;
	uint8_t pkt[BT_MAX];
	struct bt_result r;
	struct bt_probe bp;
	double trivial, pass, req = 0, rsp = 0;
	int fd, tfd;
	const long held = 1000000;
	size_t n;

	/* Per-packet costs with rtr-server's defaults (limits on; one source, so no per-source
	 * rate). */
	srv_cfg_defaults(&cfg);
	cfg.max_sessions = RTR_DEFAULT_MAX_SESSIONS; /* -n 5000 */
	cfg.src_rate = 0; /* one source sends everything here: keep the limiter's lookups, not its
			     refusals */
	if (bt_setup(&env, &cfg))
		return 1;
	fd = srv_prog_fd(&env.srv);
	tfd = srv_trivial_fd(&env.srv);

	/* Foreign traffic: a TCP segment to port 443. */
	uint8_t tcp[20] = {0};
	rtr_put16(tcp, 40000);
	rtr_put16(tcp + 2, 443);
	tcp[12] = 0x50;
	tcp[13] = RTR_TCP_ACK;
	n = bt_ip(pkt, 4, &env.client4, &env.server4, RTR_IPPROTO_TCP, 64, 1, tcp, 20);
	trivial = time_runs(tfd, pkt, n);
	pass = time_runs(fd, pkt, n);

	/*
	 * Request -> probe, then answer -> response: every run gets a fresh
	 * packet (a new identifier, so a new session; an answer to a different
	 * probe). BATCH requests run back to back, then (after checking every
	 * probe) their BATCH answers, so the figures are the program's and not
	 * the cache misses of the checking code.
	 */
	for (int i = 0; i < RUNS; i++) {
		struct rtr_request rq = {.ident = (uint16_t)i, .seq = 1, .ttl = 5, .proto = 0};
		struct rtr_addr c = env.client4;

		c.b[15] = (uint8_t)(20 + i / 65536);
		memset(reqs[i].frame, 0, 12);
		/* To rtrt0's MAC: the test run makes that frame PACKET_HOST. */
		memcpy(reqs[i].frame, bt_server_mac, 6);
		reqs[i].frame[12] = 0x08;
		reqs[i].len = bt_request(reqs[i].pkt, 4, &c, &env.server4, &rq);
		reqs[i].len0 = reqs[i].len;
		reqs[i].client = c;
	}
	/* Batches the size of a busy default table's share: -n 5000, a quarter per source. */
	for (int b0 = 0; b0 < RUNS; b0 += BATCH) {
		for (int i = b0; i < b0 + BATCH; i++) {
			struct __sk_buff ctx = {.ifindex = (__u32)env.ifindex};
			LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = reqs[i].frame,
				    .data_size_in = (__u32)(reqs[i].len + 14),
				    .data_out = outs[i].frame,
				    .data_size_out = sizeof(outs[i].frame), .ctx_in = &ctx,
				    .ctx_size_in = sizeof(ctx), .repeat = 1);

			if (bpf_prog_test_run_opts(fd, &o))
				return 1;
			dur[i] = o.duration;
			outs[i].retval = o.retval;
			outs[i].len = o.data_size_out;
		}
		for (int i = b0; i < b0 + BATCH; i++) {
			outs[i].l3 = outs[i].frame + 14;
			outs[i].l3len = outs[i].len - 14;
			if (bt_check_probe(&outs[i], 4, &reqs[i].client, &env.server4,
					   RTR_IPPROTO_ICMP, RTR_DEFAULT_ICMP_CSUM, 5, &bp)) {
				fprintf(stderr, "bench: request %d gave no probe\n", i);
				return 1;
			}
			reqs[i].len =
				bt_icmp_error(reqs[i].pkt, &bp, &env.router4, 11, 0, bp.len, 0);
		}
		for (int i = b0; i < b0 + BATCH; i++) {
			struct __sk_buff ctx = {.ifindex = (__u32)env.ifindex};
			LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = reqs[i].frame,
				    .data_size_in = (__u32)(reqs[i].len + 14),
				    .data_out = outs[i].frame,
				    .data_size_out = sizeof(outs[i].frame), .ctx_in = &ctx,
				    .ctx_size_in = sizeof(ctx), .repeat = 1);

			if (bpf_prog_test_run_opts(fd, &o) || o.retval != BT_TC_ACT_REDIRECT) {
				fprintf(stderr, "bench: answer %d gave no response\n", i);
				return 1;
			}
			dur2[i] = o.duration;
			if (i == 0) {
				req_len = outs[0].len;
				rsp_len = o.data_size_out;
				memcpy(ans0, reqs[0].frame, reqs[0].len + 14);
				ans0_len = reqs[0].len + 14;
			}
		}
	}
	req = median(dur, RUNS);
	rsp = median(dur2, RUNS);
	/* The first answer again: its session has ended, so it passes (verdict OK). */
	nosess = frame_runs_rep(fd, ans0, ans0_len, 0, BT_TC_ACT_OK, NOSESS_REP);
	trivial_rep = frame_runs_rep(tfd, ans0, ans0_len, 0, BT_TC_ACT_OK, NOSESS_REP);
	if (nosess < 0) {
		fprintf(stderr, "bench: an answer with no session did not pass\n");
		return 1;
	}

	printf("BENCH bpf_trivial_ns %.0f ns bpf_trivial_ns %.0f\n", trivial, trivial);
	printf("BENCH server_passthrough_ns %.0f ns bpf_trivial_ns %.0f\n", pass, trivial);
	printf("BENCH server_request_to_probe_ns %.0f ns bpf_trivial_ns %.0f\n", req, trivial);
	printf("BENCH server_answer_to_response_ns %.0f ns bpf_trivial_ns %.0f\n", rsp, trivial);
	if (argc > 1 && floor_rows(argv[1], trivial))
		return 1;

	if (getenv("RTR_BENCH_QUICK")) {
		bt_teardown(&env);
		return 0;
	}
	/* Memory per session and 1 000 000 sessions held: a -n 1 000 000 instance. */
	bt_teardown(&env);
	bt_cfg(&cfg);
	cfg.max_sessions = (uint32_t)held;
	cfg.src_sessions = (uint64_t)held;
	cfg.timeout_ns = 600000000000ull; /* nothing expires during the bench */
	if (bt_setup(&env, &cfg))
		return 1;
	fd = srv_prog_fd(&env.srv);
	long ms = memlock(bpf_map__fd(env.srv.skel->maps.sessions));
	long mp = memlock(bpf_map__fd(env.srv.skel->maps.pending));
	if (ms > 0 && mp > 0)
		printf("BENCH server_bytes_per_session %.0f bytes - -\n", (double)(ms + mp) / held);

	/* Hold 1 000 000 sessions at once. */
	for (long i = 0; i < held; i++) {
		struct rtr_request rq = {.ident = (uint16_t)i, .seq = 1, .ttl = 5, .proto = 17};
		struct rtr_addr c = env.client4;

		c.b[15] = (uint8_t)(40 + i / 65536);
		n = bt_request(pkt, 4, &c, &env.server4, &rq);
		if (bt_run(&env, fd, pkt, n, &r) || r.retval != BT_TC_ACT_REDIRECT) {
			for (int k = 0; k < RTR_C_MAX; k++)
				if (bt_counter(&env, k))
					fprintf(stderr, "bench: %s = %llu\n", stats_name(k),
						(unsigned long long)bt_counter(&env, k));
			break;
		}
	}
	long held_now = srv_count_sessions(&env.srv);

	printf("BENCH server_sessions_held %ld sessions - -\n", held_now);
	/* One sweep that finds every session expired (as seen from after the timeout). */
	uint64_t t0 = srv_now_ns();
	long swept = srv_sweep(&env.srv, t0 + cfg.timeout_ns + 1);
	uint64_t t1 = srv_now_ns();

	if (swept != held_now || srv_count_sessions(&env.srv) != 0) {
		fprintf(stderr, "bench: the sweep ended %ld of %ld sessions\n", swept, held_now);
		return 1;
	}
	printf("BENCH server_sweep_ms_per_1M_expired %.0f ms - -\n",
	       (double)(t1 - t0) / 1e6 * 1e6 / (double)held_now);
	bt_teardown(&env);
	return 0;
}
