// SPDX-License-Identifier: BSD-2-Clause
/* test_sessions.c: BPF_PROG_TEST_RUN tests of the session table: creation, expiry, sweeps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpftest.h"
#include "progtest.h"
#include "rtr.skel.h"
#include "rtr_wire.h"

static void test_table_full_and_creation_all_or_nothing(void **state)
{
	struct srv_cfg cfg;
	struct bt_env small;
	uint8_t pkt[BT_MAX];
	struct bt_result r;

	(void)state;
	bt_cfg(&cfg);
	cfg.max_sessions = 4;
	assert_int_equal(bt_setup(&small, &cfg), 0);
	for (uint16_t i = 0; i < 6; i++) {
		struct rtr_request rq = {.ident = i, .seq = 1, .ttl = 3, .proto = 17};
		size_t n = bt_request(pkt, 4, &small.client4, &small.server4, &rq);

		assert_int_equal(bt_run(&small, srv_prog_fd(&small.srv), pkt, n, &r), 0);
		assert_int_equal(r.retval, i < 4 ? BT_TC_ACT_REDIRECT : BT_TC_ACT_SHOT);
	}
	assert_int_equal(bt_counter(&small, RTR_C_DROP_TABLE_FULL), 2);
	assert_int_equal(srv_count_sessions(&small.srv), 4);
	assert_int_equal(srv_count_pending(&small.srv), 4);
	bt_teardown(&small);
}

/* Expiry on lookup: an answer after the timeout gets nothing and ends the session. */
static void test_expiry_on_lookup(void **state)
{
	struct srv_cfg cfg;
	struct bt_env e;
	struct bt_probe bp;
	struct rtr_request rq = {.ident = 1, .seq = 1, .ttl = 3, .proto = 1};
	uint8_t pkt[BT_MAX], ans[BT_MAX];
	struct bt_result r;
	struct timespec nap = {0, 20000000};
	size_t n;

	(void)state;
	bt_cfg(&cfg);
	cfg.timeout_ns = 10000000; /* 10 ms */
	assert_int_equal(bt_setup(&e, &cfg), 0);
	n = bt_request(pkt, 4, &e.client4, &e.server4, &rq);
	assert_int_equal(bt_run(&e, srv_prog_fd(&e.srv), pkt, n, &r), 0);
	OKL(bt_check_probe(&r, 4, &e.client4, &e.server4, 1, RTR_DEFAULT_ICMP_CSUM, 3, &bp));
	nanosleep(&nap, NULL);
	n = bt_icmp_error(ans, &bp, &e.router4, 11, 0, bp.len, 0);
	assert_int_equal(bt_run(&e, srv_prog_fd(&e.srv), ans, n, &r), 0);
	assert_true(bt_unchanged(&r, ans, n));
	assert_int_equal(bt_counter(&e, RTR_C_TIMEOUTS), 1);
	assert_int_equal(srv_count_sessions(&e.srv), 0);
	assert_int_equal(srv_count_pending(&e.srv), 0);
	bt_teardown(&e);
}

/*
 * 100 000 requests as fast as BPF_PROG_TEST_RUN goes: none refused, and
 * after the timeout the sweeper empties the table, each session ended
 * exactly once.
 */
static void test_burst_and_sweep(void **state)
{
	struct srv_cfg cfg;
	struct bt_env e;
	uint8_t pkt[BT_MAX];
	struct bt_result r;
	struct timespec t0, t1;
	const long total = 100000;
	double secs;

	(void)state;
	bt_cfg(&cfg);
	/* Longer than any burst takes on a loaded machine: inserts must not reap meanwhile. */
	cfg.timeout_ns = 60000000000ull;
	assert_int_equal(bt_setup(&e, &cfg), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < total; i++) {
		struct rtr_request rq = {.ident = (uint16_t)i,
					 .seq = 1,
					 .ttl = 3,
					 .proto = 17,
					 .flow = (uint16_t)(i >> 16)};
		struct rtr_addr c = e.client4;
		size_t n;

		c.b[15] = (uint8_t)(10 + (i >> 16)); /* a new client per 65536 identifiers */
		n = bt_request(pkt, 4, &c, &e.server4, &rq);
		assert_int_equal(bt_run(&e, srv_prog_fd(&e.srv), pkt, n, &r), 0);
		if (r.retval != BT_TC_ACT_REDIRECT)
			fail_msg("request %ld refused (verdict %u)", i, r.retval);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* Informative only: speed is measured in make bench (tests/bench.d/40-server.sh). */
	print_message("burst: %ld requests in %.3f s (%.0f/s)\n", total, secs, total / secs);
	assert_int_equal(srv_count_sessions(&e.srv), total);
	assert_int_equal(srv_sweep(&e.srv, srv_now_ns() + cfg.timeout_ns), total);
	assert_int_equal(srv_sweep(&e.srv, srv_now_ns() + cfg.timeout_ns), 0);
	assert_int_equal(srv_count_sessions(&e.srv), 0);
	assert_int_equal(srv_count_pending(&e.srv), 0);
	assert_int_equal(bt_counter(&e, RTR_C_TIMEOUTS), total);
	bt_teardown(&e);
}

/*
 * -n 1 000 000: every one of a million requests (16 clients) becomes a
 * session, the next one is refused and counted as "table full", and one sweep
 * from after the timeout ends each of them once and empties the table and the
 * pending index.
 */
static void test_million_sessions_held(void **state)
{
	const long held = 1000000;
	struct srv_cfg cfg;
	struct bt_env e;
	uint8_t pkt[BT_MAX];
	struct bt_result r;
	size_t n;

	(void)state;
	bt_cfg(&cfg);
	cfg.max_sessions = (uint32_t)held;
	cfg.src_sessions = (uint64_t)held;
	cfg.timeout_ns = 600000000000ull; /* nothing expires meanwhile */
	assert_int_equal(bt_setup(&e, &cfg), 0);
	for (long i = 0; i <= held; i++) {
		struct rtr_request rq = {.ident = (uint16_t)i, .seq = 1, .ttl = 5, .proto = 17};
		struct rtr_addr c = e.client4;

		c.b[15] = (uint8_t)(40 + i / 65536);
		n = bt_request(pkt, 4, &c, &e.server4, &rq);
		assert_int_equal(bt_run(&e, srv_prog_fd(&e.srv), pkt, n, &r), 0);
		if (r.retval != (i < held ? BT_TC_ACT_REDIRECT : BT_TC_ACT_SHOT))
			fail_msg("request %ld: verdict %u", i, r.retval);
	}
	assert_int_equal(bt_counter(&e, RTR_C_DROP_TABLE_FULL), 1);
	assert_int_equal(srv_count_sessions(&e.srv), held);
	assert_int_equal(srv_count_pending(&e.srv), held);
	assert_int_equal(srv_sweep(&e.srv, srv_now_ns() + cfg.timeout_ns), held);
	assert_int_equal(srv_count_sessions(&e.srv), 0);
	assert_int_equal(srv_count_pending(&e.srv), 0);
	bt_teardown(&e);
}

/* The sweeper of test_answers_race_sweeper: sweeps as if every session had expired. */
struct sweeper {
	struct bt_env *e;
	uint64_t late_ns;
	volatile int stop;
	long ended;
};

static void *sweep_loop(void *arg)
{
	struct sweeper *sw = arg;

	while (!sw->stop)
		sw->ended += srv_sweep(&sw->e->srv, srv_now_ns() + sw->late_ns);
	return NULL;
}

/*
 * Answers on this CPU race with the sweeper on another (which sees every
 * session as expired): each session ends exactly once, by the answer (one
 * response) or by the sweeper (no response), never both and never neither.
 */
static void test_answers_race_sweeper(void **state)
{
	enum { N = 20000 };
	static uint8_t ans[N][256];
	static size_t alen[N];
	struct srv_cfg cfg;
	struct bt_env e;
	struct bt_result r;
	struct sweeper sw = {.e = &e};
	pthread_t th;
	long responses = 0;

	(void)state;
	bt_cfg(&cfg);
	cfg.max_sessions = N;
	cfg.src_sessions = N;
	assert_int_equal(bt_setup(&e, &cfg), 0);
	sw.late_ns = cfg.timeout_ns + 1;
	for (int i = 0; i < N; i++) {
		struct rtr_request rq = {.ident = (uint16_t)i, .seq = 1, .ttl = 3, .proto = 1};
		uint8_t pkt[BT_MAX];
		struct bt_probe bp;
		size_t n = bt_request(pkt, 4, &e.client4, &e.server4, &rq);

		assert_int_equal(bt_run(&e, srv_prog_fd(&e.srv), pkt, n, &r), 0);
		OKL(bt_check_probe(&r, 4, &e.client4, &e.server4, RTR_IPPROTO_ICMP,
				   RTR_DEFAULT_ICMP_CSUM, 3, &bp));
		alen[i] = bt_icmp_error(ans[i], &bp, &e.router4, 11, 0, bp.len, 0);
	}
	assert_int_equal(pthread_create(&th, NULL, sweep_loop, &sw), 0);
	for (int i = 0; i < N; i++) {
		assert_int_equal(bt_run(&e, srv_prog_fd(&e.srv), ans[i], alen[i], &r), 0);
		if (r.retval == BT_TC_ACT_REDIRECT)
			responses++;
		else if (!bt_unchanged(&r, ans[i], alen[i]))
			fail_msg("answer %d: verdict %u and not untouched", i, r.retval);
	}
	sw.stop = 1;
	pthread_join(th, NULL);
	sw.ended += srv_sweep(&e.srv, srv_now_ns() + sw.late_ns);
	print_message("race: %ld answered, %ld swept\n", responses, sw.ended);
	assert_int_equal(bt_counter(&e, RTR_C_ANSWERS), responses);
	assert_int_equal(responses + sw.ended, N);
	assert_int_equal(bt_counter(&e, RTR_C_TIMEOUTS), sw.ended);
	assert_int_equal(srv_count_sessions(&e.srv), 0);
	assert_int_equal(srv_count_pending(&e.srv), 0);
	bt_teardown(&e);
}

/*
 * With nobody sweeping (a stuck or killed loader), sessions past the timeout
 * still give their places back when new ones are created: in the table (-n),
 * in a prefix's cap (--source-sessions), and as duplicates of a reused
 * identifier (SRV-16).
 */
static void test_expiry_without_sweeper(void **state)
{
	struct srv_cfg cfg;
	struct bt_env e;
	struct rtr_addr b, c;
	struct timespec nap = {0, 30000000};

	(void)state;
	bt_cfg(&cfg);
	cfg.max_sessions = 8;
	cfg.src_sessions = 4;
	cfg.timeout_ns = 10000000; /* 10 ms */
	assert_int_equal(bt_setup(&e, &cfg), 0);
	b = e.client4;
	c = e.client4;
	b.b[15] = 201;
	c.b[15] = 202;
	for (uint16_t i = 0; i < 4; i++) {
		assert_int_equal(pt_run_one(&e, &e.client4, i, 3), BT_TC_ACT_REDIRECT);
		assert_int_equal(pt_run_one(&e, &b, i, 3), BT_TC_ACT_REDIRECT);
	}
	assert_int_equal(pt_run_one(&e, &e.client4, 4, 3), BT_TC_ACT_SHOT);
	assert_int_equal(bt_counter(&e, RTR_C_DROP_SOURCE_CAP), 1);
	assert_int_equal(pt_run_one(&e, &c, 0, 3), BT_TC_ACT_SHOT);
	assert_int_equal(bt_counter(&e, RTR_C_DROP_TABLE_FULL), 1);
	nanosleep(&nap, NULL);
	/* No sweep: the new client, the capped one, and a reused identifier are served. */
	assert_int_equal(pt_run_one(&e, &c, 0, 3), BT_TC_ACT_REDIRECT);
	assert_int_equal(pt_run_one(&e, &e.client4, 4, 3), BT_TC_ACT_REDIRECT);
	assert_int_equal(pt_run_one(&e, &b, 0, 3), BT_TC_ACT_REDIRECT);
	assert_int_equal(bt_counter(&e, RTR_C_DROP_SOURCE_CAP), 1);
	assert_int_equal(bt_counter(&e, RTR_C_DROP_TABLE_FULL), 1);
	assert_int_equal(bt_counter(&e, RTR_C_DROP_DUPLICATE), 0);
	assert_true(bt_counter(&e, RTR_C_TIMEOUTS) >= 1);
	/* Each old session ended once: by the program now, or by a later sweep. */
	nanosleep(&nap, NULL);
	srv_sweep(&e.srv, srv_now_ns());
	assert_int_equal(bt_counter(&e, RTR_C_TIMEOUTS), 11);
	assert_int_equal(srv_count_sessions(&e.srv), 0);
	assert_int_equal(srv_count_pending(&e.srv), 0);
	assert_int_equal(e.srv.skel->bss->live_sessions, 0);
	bt_teardown(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_full_and_creation_all_or_nothing),
		cmocka_unit_test(test_expiry_on_lookup),
		cmocka_unit_test(test_burst_and_sweep),
		cmocka_unit_test(test_million_sessions_held),
		cmocka_unit_test(test_answers_race_sweeper),
		cmocka_unit_test(test_expiry_without_sweeper),
	};

	return cmocka_run_group_tests(tests, pt_group_setup, pt_group_teardown);
}
