// SPDX-License-Identifier: BSD-2-Clause
/* progtest.c: what the BPF_PROG_TEST_RUN test files share: one loaded program, requests, answers.
 */
#include "progtest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "request.h"
#include "rtr_wire.h"
#include "stats.h"

struct bt_env pt_env;
uint16_t pt_next_ident = 0x100;

void pt_dump_counters(void)
{
	for (int i = 0; i < RTR_C_MAX; i++)
		if (bt_counter(&pt_env, i))
			print_message("  counter %s = %llu\n", stats_name(i),
				      (unsigned long long)bt_counter(&pt_env, i));
}

int pt_group_setup(void **state)
{
	struct srv_cfg cfg;

	(void)state;
	bt_cfg(&cfg);
	return bt_setup(&pt_env, &cfg);
}

int pt_group_teardown(void **state)
{
	(void)state;
	bt_teardown(&pt_env);
	return 0;
}

const struct rtr_addr *pt_server(int f)
{
	return f == 4 ? &pt_env.server4 : &pt_env.server6;
}

const struct rtr_addr *pt_client(int f)
{
	return f == 4 ? &pt_env.client4 : &pt_env.client6;
}

const struct rtr_addr *pt_router(int f)
{
	return f == 4 ? &pt_env.router4 : &pt_env.router6;
}

uint8_t pt_icmp_proto(int f)
{
	return f == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
}

/* Sends a valid request and checks the probe; returns it in *bp. */
void pt_make_probe(int f, uint8_t reqproto, uint16_t flow, uint8_t ttl, uint16_t ident,
		   struct bt_probe *bp)
{
	struct rtr_request rq = {
		.ident = ident, .seq = 0x5555, .ttl = ttl, .proto = reqproto, .flow = flow};
	uint8_t pkt[BT_MAX];
	struct bt_result r;
	size_t n = bt_request(pkt, f, pt_client(f), pt_server(f), &rq);
	uint8_t proto = (uint8_t)rtr_request_probe_proto(reqproto, f);

	assert_true(n > 0);
	assert_int_equal(bt_run(&pt_env, srv_prog_fd(&pt_env.srv), pkt, n, &r), 0);
	OKL(bt_check_probe(&r, f, pt_client(f), pt_server(f), proto,
			   rtr_request_probe_flow(proto, flow), ttl, bp));
}

/* Feeds an answer and checks the exact success response with the given hop. */
void pt_expect_response(int f, const uint8_t *ans, size_t n, uint16_t ident,
			const struct rtr_addr *hop)
{
	struct rtr_response rsp = {.ident = ident, .state = RTR_STATE_OK, .hop = *hop};
	struct bt_result r;

	assert_int_equal(bt_run(&pt_env, srv_prog_fd(&pt_env.srv), ans, n, &r), 0);
	OKL(bt_check_response(&r, f, pt_client(f), pt_server(f), &rsp, 1000000000ull));
}

void pt_expect_untouched(const uint8_t *pkt, size_t n)
{
	struct bt_result r;

	assert_int_equal(bt_run(&pt_env, srv_prog_fd(&pt_env.srv), pkt, n, &r), 0);
	assert_true(bt_unchanged(&r, pkt, n));
}

/* Error states: exact 12-byte responses. */
void pt_check_state(int f, const struct rtr_request *rq, uint8_t state, uint16_t value)
{
	uint8_t pkt[BT_MAX];
	struct bt_result r;
	struct rtr_response rsp = {.ident = rq->ident, .state = state, .value = value};
	size_t n = bt_request(pkt, f, pt_client(f), pt_server(f), rq);

	assert_true(n > 0);
	assert_int_equal(bt_run(&pt_env, srv_prog_fd(&pt_env.srv), pkt, n, &r), 0);
	OKL(bt_check_response(&r, f, pt_client(f), pt_server(f), &rsp, 0));
}

void pt_expect_drop(const uint8_t *pkt, size_t n, int counter)
{
	struct bt_result r;
	uint64_t before = bt_counter(&pt_env, counter);

	assert_int_equal(bt_run(&pt_env, srv_prog_fd(&pt_env.srv), pkt, n, &r), 0);
	assert_int_equal(r.retval, BT_TC_ACT_SHOT);
	assert_int_equal(bt_counter(&pt_env, counter), before + 1);
}

/* One request of client (TTL ttl, identifier ident); the verdict. */
unsigned pt_run_one(struct bt_env *e, const struct rtr_addr *client, uint16_t ident, uint8_t ttl)
{
	struct rtr_request rq = {.ident = ident, .seq = 1, .ttl = ttl, .proto = 17};
	uint8_t pkt[BT_MAX];
	struct bt_result r;
	size_t n = bt_request(pkt, 4, client, &e->server4, &rq);

	assert_int_equal(bt_run(e, srv_prog_fd(&e->srv), pkt, n, &r), 0);
	return r.retval;
}
