// SPDX-License-Identifier: BSD-2-Clause
/* test_limits.c: BPF_PROG_TEST_RUN tests of the rate limits and the per-source session cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>

#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpftest.h"
#include "progtest.h"
#include "rtr_wire.h"

/* Rate limits: one source is cut at its burst, another source is still served. */
static void test_rate_limit(void **state)
{
	struct srv_cfg cfg;
	struct bt_env e;
	uint8_t pkt[BT_MAX];
	struct bt_result r;
	int served = 0;

	(void)state;
	bt_cfg(&cfg);
	cfg.src_rate = 10;
	cfg.src_burst = 20;
	assert_int_equal(bt_setup(&e, &cfg), 0);
	for (uint16_t i = 0; i < 100; i++) {
		struct rtr_request rq = {.ident = i, .seq = 1, .ttl = 3, .proto = 17};
		size_t n = bt_request(pkt, 6, &e.client6, &e.server6, &rq);

		assert_int_equal(bt_run(&e, srv_prog_fd(&e.srv), pkt, n, &r), 0);
		served += r.retval == BT_TC_ACT_REDIRECT;
	}
	/* 20 from the bucket, at most a couple refilled during the loop. */
	assert_in_range(served, 20, 25);
	assert_int_equal(bt_counter(&e, RTR_C_DROP_RATE_SOURCE), (uint64_t)(100 - served));
	struct rtr_request rq = {.ident = 1, .seq = 1, .ttl = 3, .proto = 17};
	size_t n = bt_request(pkt, 6, &e.client6b, &e.server6, &rq);
	assert_int_equal(bt_run(&e, srv_prog_fd(&e.srv), pkt, n, &r), 0);
	assert_int_equal(r.retval, BT_TC_ACT_REDIRECT);
	bt_teardown(&e);
}

/* The global cap refuses what no single source's bucket would. */
static void test_global_rate(void **state)
{
	struct srv_cfg cfg;
	struct bt_env e;
	uint8_t pkt[BT_MAX];
	struct bt_result r;
	int served = 0;

	(void)state;
	bt_cfg(&cfg);
	cfg.global_rate = 40; /* per CPU: 20/s, bucket 20 / 4 + 1 = 6 */
	assert_int_equal(bt_setup(&e, &cfg), 0);
	for (uint16_t i = 0; i < 60; i++) {
		struct rtr_request rq = {.ident = i, .seq = 1, .ttl = 0, .proto = 17};
		struct rtr_addr c = e.client4;
		size_t n;

		c.b[15] = (uint8_t)(100 + i); /* a different source every time */
		n = bt_request(pkt, 4, &c, &e.server4, &rq);
		assert_int_equal(bt_run(&e, srv_prog_fd(&e.srv), pkt, n, &r), 0);
		served += r.retval == BT_TC_ACT_REDIRECT;
	}
	/* Test runs may land on either CPU: at most both buckets plus a little refill. */
	assert_in_range(served, 6, 16);
	assert_int_equal(bt_counter(&e, RTR_C_DROP_RATE_GLOBAL), (uint64_t)(60 - served));
	bt_teardown(&e);
}

/* IPv6 sources share a bucket per /64, IPv4 per /32. */
static void test_rate_prefixes(void **state)
{
	struct srv_cfg cfg;
	struct bt_env e;
	uint8_t pkt[BT_MAX];
	struct bt_result r;
	struct rtr_addr same64, other4;
	int served6 = 0, served4 = 0;

	(void)state;
	bt_cfg(&cfg);
	cfg.src_rate = 1;
	cfg.src_burst = 5;
	assert_int_equal(bt_setup(&e, &cfg), 0);
	rtr_addr_parse(&same64, "2001:db8:2::ffff:1"); /* same /64 as client6 */
	rtr_addr_parse(&other4, "203.0.113.8");
	for (uint16_t i = 0; i < 10; i++) {
		struct rtr_request rq = {.ident = i, .seq = 1, .ttl = 0, .proto = 17};
		size_t n = bt_request(pkt, 6, i % 2 ? &same64 : &e.client6, &e.server6, &rq);

		assert_int_equal(bt_run(&e, srv_prog_fd(&e.srv), pkt, n, &r), 0);
		served6 += r.retval == BT_TC_ACT_REDIRECT;
		n = bt_request(pkt, 4, i % 2 ? &other4 : &e.client4, &e.server4, &rq);
		assert_int_equal(bt_run(&e, srv_prog_fd(&e.srv), pkt, n, &r), 0);
		served4 += r.retval == BT_TC_ACT_REDIRECT;
	}
	assert_int_equal(served6, 5);  /* one bucket for both IPv6 addresses */
	assert_int_equal(served4, 10); /* two IPv4 sources, five each */
	bt_teardown(&e);
}

/* Per-source session cap. */
static void test_source_session_cap(void **state)
{
	struct srv_cfg cfg;
	struct bt_env e;
	uint8_t pkt[BT_MAX];
	struct bt_result r;

	(void)state;
	bt_cfg(&cfg);
	cfg.src_sessions = 5;
	assert_int_equal(bt_setup(&e, &cfg), 0);
	for (uint16_t i = 0; i < 8; i++) {
		struct rtr_request rq = {.ident = i, .seq = 1, .ttl = 3, .proto = 6};
		size_t n = bt_request(pkt, 4, &e.client4, &e.server4, &rq);

		assert_int_equal(bt_run(&e, srv_prog_fd(&e.srv), pkt, n, &r), 0);
		assert_int_equal(r.retval, i < 5 ? BT_TC_ACT_REDIRECT : BT_TC_ACT_SHOT);
	}
	assert_int_equal(bt_counter(&e, RTR_C_DROP_SOURCE_CAP), 3);
	/* Swept sessions give their places back: five more fit, the sixth does not. */
	assert_int_equal(srv_sweep(&e.srv, srv_now_ns() + cfg.timeout_ns), 5);
	for (uint16_t i = 100; i < 106; i++) {
		struct rtr_request rq = {.ident = i, .seq = 1, .ttl = 3, .proto = 6};
		size_t n = bt_request(pkt, 4, &e.client4, &e.server4, &rq);

		assert_int_equal(bt_run(&e, srv_prog_fd(&e.srv), pkt, n, &r), 0);
		assert_int_equal(r.retval, i < 105 ? BT_TC_ACT_REDIRECT : BT_TC_ACT_SHOT);
	}
	bt_teardown(&e);
}

/*
 * The source's bucket is charged before the shared budget: what a source's
 * own limit refuses never spends the global tokens of this CPU, so the other
 * sources still find them (SRV-19). All on one CPU: the budget is per CPU.
 */
static void test_rate_source_before_global(void **state)
{
	struct srv_cfg cfg;
	struct bt_env e;
	cpu_set_t one, saved;
	int served = 0;

	(void)state;
	assert_int_equal(sched_getaffinity(0, sizeof(saved), &saved), 0);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
	bt_cfg(&cfg);
	cfg.src_rate = 1;
	cfg.src_burst = 2;
	cfg.global_rate = 40; /* per CPU (of 2): 20/s, bucket 20 / 4 + 1 = 6 */
	assert_int_equal(bt_setup(&e, &cfg), 0);
	for (uint16_t i = 0; i < 10; i++)
		served += pt_run_one(&e, &e.client4, i, 0) == BT_TC_ACT_REDIRECT;
	assert_int_equal(served, 2);
	assert_int_equal(bt_counter(&e, RTR_C_DROP_RATE_SOURCE), 8);
	assert_int_equal(bt_counter(&e, RTR_C_DROP_RATE_GLOBAL), 0);
	/* Ten other sources: the 4 global tokens left (plus what refills meanwhile). */
	served = 0;
	for (uint16_t i = 0; i < 10; i++) {
		struct rtr_addr c = e.client4;

		c.b[15] = (uint8_t)(150 + i);
		served += pt_run_one(&e, &c, i, 0) == BT_TC_ACT_REDIRECT;
	}
	assert_in_range(served, 4, 6);
	assert_int_equal(bt_counter(&e, RTR_C_DROP_RATE_GLOBAL), (uint64_t)(10 - served));
	assert_int_equal(bt_counter(&e, RTR_C_DROP_RATE_SOURCE), 8);
	bt_teardown(&e);
	assert_int_equal(sched_setaffinity(0, sizeof(saved), &saved), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_source_session_cap),
		cmocka_unit_test(test_global_rate),
		cmocka_unit_test(test_rate_prefixes),
		cmocka_unit_test(test_rate_source_before_global),
	};

	return cmocka_run_group_tests(tests, pt_group_setup, pt_group_teardown);
}
