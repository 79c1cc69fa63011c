// SPDX-License-Identifier: BSD-2-Clause
/* test_cost.c: what one spoofed request costs its victim: the bytes the program sends to it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bpftest.h"
#include "rtr.skel.h"
#include "rtr_wire.h"
#include "stats.h"

/*
 * docs/PROTOCOL.md 7 (SEC-2): a request of the smallest size (IPv4 32 bytes,
 * IPv6 52) whose source is the victim makes the program send the victim at
 * most a probe, an RST (when the victim answers a TCP probe with a SYN-ACK)
 * and a response. The program's own bytes_in / bytes_out counters (IP bytes)
 * must equal the table in the document, for each protocol and family, with
 * the answer the victim's own stack gives.
 */

static struct bt_env env;

struct cost {
	int family;
	uint8_t proto;
	uint64_t in;		   /* the request */
	uint64_t out_min, out_max; /* probe + RST + response (IPv4 UDP: 32 or 33 payload bytes) */
};

static const struct cost table[] = {
	{4, RTR_IPPROTO_UDP, 32, 116, 117},    {4, RTR_IPPROTO_ICMP, 32, 116, 116},
	{4, RTR_IPPROTO_TCP, 32, 140, 140},    {6, RTR_IPPROTO_UDP, 52, 156, 156},
	{6, RTR_IPPROTO_ICMPV6, 52, 156, 156}, {6, RTR_IPPROTO_TCP, 52, 200, 200},
};

static void test_spoofed_request_cost(void **state)
{
	uint16_t ident = 0x5000;

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct cost *c = &table[i];
		const struct rtr_addr *victim = c->family == 4 ? &env.client4 : &env.client6;
		const struct rtr_addr *srv = c->family == 4 ? &env.server4 : &env.server6;
		struct rtr_request rq = {.ident = ident++, .seq = 1, .ttl = 64, .proto = c->proto};
		uint64_t in0 = bt_counter(&env, RTR_C_BYTES_IN),
			 out0 = bt_counter(&env, RTR_C_BYTES_OUT);
		uint8_t pkt[BT_MAX], ans[BT_MAX];
		struct bt_result r;
		struct bt_probe bp;
		size_t n = bt_request(pkt, c->family, victim, srv, &rq);
		uint64_t out;

		assert_int_equal(n, c->in);
		assert_int_equal(bt_run(&env, srv_prog_fd(&env.srv), pkt, n, &r), 0);
		if (bt_check_probe(&r, c->family, victim, srv, c->proto,
				   rtr_request_probe_flow(c->proto, 0), 64, &bp))
			fail_msg("row %zu: no probe", i);
		/* What the victim's stack answers: Port Unreachable, Echo Reply, SYN-ACK. */
		if (c->proto == RTR_IPPROTO_UDP)
			n = bt_icmp_error(ans, &bp, victim, c->family == 4 ? 3 : 1,
					  c->family == 4 ? 3 : 4, bp.len, 0);
		else if (c->proto == RTR_IPPROTO_TCP)
			n = bt_tcp_answer(ans, &bp, RTR_TCP_SYN | RTR_TCP_ACK, 0x01020304);
		else
			n = bt_echo_reply(ans, &bp);
		assert_int_equal(bt_run(&env, srv_prog_fd(&env.srv), ans, n, &r), 0);
		assert_int_equal(r.retval, BT_TC_ACT_REDIRECT);
		out = bt_counter(&env, RTR_C_BYTES_OUT) - out0;
		assert_int_equal(bt_counter(&env, RTR_C_BYTES_IN) - in0, c->in);
		if (out < c->out_min || out > c->out_max)
			fail_msg("IPv%d protocol %u: %llu bytes out for a %llu-byte request",
				 c->family, c->proto, (unsigned long long)out,
				 (unsigned long long)c->in);
		print_message("IPv%d protocol %2u: %3llu bytes in, %3llu out (%.2fx)\n", c->family,
			      c->proto, (unsigned long long)c->in, (unsigned long long)out,
			      (double)out / (double)c->in);
	}
	/* An error state (the presence check): one response of the request's size. */
	for (int f = 4; f <= 6; f += 2) {
		struct rtr_request rq = {.ident = ident++, .seq = 1, .ttl = 0, .proto = 17};
		uint64_t out0 = bt_counter(&env, RTR_C_BYTES_OUT);
		uint8_t pkt[BT_MAX];
		struct bt_result r;
		size_t n = bt_request(pkt, f, f == 4 ? &env.client4 : &env.client6,
				      f == 4 ? &env.server4 : &env.server6, &rq);

		assert_int_equal(bt_run(&env, srv_prog_fd(&env.srv), pkt, n, &r), 0);
		assert_int_equal(bt_counter(&env, RTR_C_BYTES_OUT) - out0, n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_spoofed_request_cost)};
	int rc;

	if (bt_setup_default(&env))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	bt_teardown(&env);
	return rc;
}
