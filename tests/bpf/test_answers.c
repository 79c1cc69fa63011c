// SPDX-License-Identifier: BSD-2-Clause
/* test_answers.c: BPF_PROG_TEST_RUN tests of answers: quotes, direct, forged, foreign. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "answer.h"
#include "bpftest.h"
#include "checksum.h"
#include "csumfix.h"
#include "cursor.h"
#include "err.h"
#include "progtest.h"
#include "response.h"
#include "rtr_wire.h"

/* Time Exceeded code 0 matches; code 1 does not; Destination Unreachable any code. */
static void test_icmp_errors(void **state)
{
	long sessions = srv_count_sessions(&pt_env.srv);

	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		uint8_t te = f == 4 ? 11 : 3, du = f == 4 ? 3 : 1;
		uint8_t protos[] = {pt_icmp_proto(f), RTR_IPPROTO_UDP, RTR_IPPROTO_TCP};

		for (size_t p = 0; p < 3; p++) {
			struct bt_probe bp;
			uint8_t ans[BT_MAX];
			uint16_t id = pt_next_ident++;
			size_t n;

			pt_make_probe(f, protos[p], 0, 5, id, &bp);
			n = bt_icmp_error(ans, &bp, pt_router(f), te, 1, bp.len, 0);
			pt_expect_untouched(ans, n);
			n = bt_icmp_error(ans, &bp, pt_router(f), te, 0, bp.len, 0);
			pt_expect_response(f, ans, n, id, pt_router(f));
			/* A second answer to the same probe finds no session. */
			pt_expect_untouched(ans, n);
		}
		for (uint8_t code = 0; code < 16; code++) {
			struct bt_probe bp;
			uint8_t ans[BT_MAX];
			uint16_t id = pt_next_ident++;
			size_t n;

			pt_make_probe(f, RTR_IPPROTO_UDP, 33434 + code, 30, id, &bp);
			n = bt_icmp_error(ans, &bp, pt_client(f), du, code, bp.len, 0);
			pt_expect_response(f, ans, n, id, pt_client(f));
		}
	}
	assert_int_equal(srv_count_sessions(&pt_env.srv), sessions);
}

/* Routers that quote only 8 L4 bytes (RFC 792), and answers with IPv4 options. */
static void test_short_quotes_and_options(void **state)
{
	uint8_t protos[] = {RTR_IPPROTO_ICMP, RTR_IPPROTO_UDP, RTR_IPPROTO_TCP};

	(void)state;
	for (size_t p = 0; p < 3; p++) {
		struct bt_probe bp;
		uint8_t ans[BT_MAX];
		uint16_t id = pt_next_ident++;
		size_t n;

		pt_make_probe(4, protos[p], 0, 2, id, &bp);
		n = bt_icmp_error(ans, &bp, &pt_env.router4, 11, 0, 28, 0);
		pt_expect_response(4, ans, n, id, &pt_env.router4);
		id = pt_next_ident++;
		pt_make_probe(4, protos[p], 0, 2, id, &bp);
		n = bt_icmp_error(ans, &bp, &pt_env.router4, 11, 0, bp.len, 8);
		pt_expect_response(4, ans, n, id, &pt_env.router4);
	}
	/* IPv6 UDP needs the tag: a quote of 8 L4 bytes cannot match. */
	struct bt_probe bp;
	uint8_t ans[BT_MAX];
	size_t n;

	pt_make_probe(6, RTR_IPPROTO_UDP, 0, 2, pt_next_ident++, &bp);
	n = bt_icmp_error(ans, &bp, &pt_env.router6, 3, 0, 48, 0);
	pt_expect_untouched(ans, n);
}

/* Direct answers: Echo Reply, RST, SYN-ACK (which also sends an RST). */
static void test_direct_answers(void **state)
{
	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		struct bt_probe bp;
		uint8_t ans[BT_MAX];
		uint16_t id = pt_next_ident++;
		size_t n;

		pt_make_probe(f, 0, 0, 64, id, &bp);
		n = bt_echo_reply(ans, &bp);
		pt_expect_response(f, ans, n, id, pt_client(f));

		id = pt_next_ident++;
		pt_make_probe(f, RTR_IPPROTO_TCP, 443, 64, id, &bp);
		n = bt_tcp_answer(ans, &bp, RTR_TCP_RST, 0); /* no ACK: not an answer */
		pt_expect_untouched(ans, n);
		n = bt_tcp_answer(ans, &bp, RTR_TCP_RST | RTR_TCP_ACK, 0);
		pt_expect_response(f, ans, n, id, pt_client(f));

		id = pt_next_ident++;
		pt_make_probe(f, RTR_IPPROTO_TCP, 22, 64, id, &bp);
		uint64_t rst = bt_counter(&pt_env, RTR_C_RST_SENT);
		int cap = bt_capture_open();
		uint8_t got[BT_MAX], want[128];
		struct rtr_answer a;
		size_t m;
		bool seen = false;

		assert_true(cap >= 0);
		while (bt_capture_next(cap, got, sizeof(got)))
			; /* what earlier tests sent */
		n = bt_tcp_answer(ans, &bp, RTR_TCP_SYN | RTR_TCP_ACK, 0x11223344);
		pt_expect_response(f, ans, n, id, pt_client(f));
		assert_int_equal(bt_counter(&pt_env, RTR_C_RST_SENT), rst + 1);
		/* The RST reached the wire, byte for byte what rtr_answer_encode_rst builds. */
		assert_int_equal(rtr_answer_decode(&a, ans, n), RTR_OK);
		int k = rtr_answer_encode_rst(want, sizeof(want), &a);
		assert_true(k > 0);
		while ((m = bt_capture_next(cap, got, sizeof(got))))
			if (m == (size_t)k && !memcmp(got, want, m))
				seen = true;
		close(cap);
		assert_true(seen);
	}
}

/* Forged quotes with a wrong identity get no response and are counted. */
static void test_forged_answers(void **state)
{
	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		uint8_t protos[] = {pt_icmp_proto(f), RTR_IPPROTO_UDP, RTR_IPPROTO_TCP};

		for (size_t p = 0; p < 3; p++) {
			struct bt_probe bp, forged;
			uint8_t ans[BT_MAX];
			uint16_t id = pt_next_ident++;
			uint64_t before = bt_counter(&pt_env, RTR_C_FORGED);
			size_t hl = f == 4 ? 20 : 40, n;

			pt_make_probe(f, protos[p], 0, 4, id, &bp);
			forged = bp;
			/*
			 * Keep the session key (so the lookup hits) and break another
			 * identity field: IPv4 UDP keys on ID + checksum, so its tag;
			 * other IPv4 probes their IP ID; IPv6 probes their flow.
			 */
			if (f == 4 && protos[p] == RTR_IPPROTO_UDP)
				forged.pkt[hl + 8 + RTR_PROBE_TAG_OFF] ^= 1;
			else if (f == 4)
				forged.pkt[5] ^= 1;
			else
				forged.pkt[hl + 2] ^= 1;
			n = bt_icmp_error(ans, &forged, pt_router(f), f == 4 ? 11 : 3, 0,
					  forged.len, 0);
			pt_expect_untouched(ans, n);
			assert_int_equal(bt_counter(&pt_env, RTR_C_FORGED), before + 1);
			/* The real answer still works afterwards. */
			n = bt_icmp_error(ans, &bp, pt_router(f), f == 4 ? 11 : 3, 0, bp.len, 0);
			pt_expect_response(f, ans, n, id, pt_router(f));
		}
	}
}

/* Packets that merely look similar pass untouched. */
static void test_foreign_traffic(void **state)
{
	uint8_t icmp[64] = {0}, pkt[BT_MAX];
	size_t n;

	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		uint8_t echo_req = f == 4 ? 8 : 128, echo_rep = f == 4 ? 0 : 129;
		uint8_t types[][2] = {{echo_req, 0},	   {echo_rep, 1},
				      {echo_rep, 0},	   {f == 4 ? 11 : 3, 0},
				      {f == 4 ? 3 : 1, 3}, {f == 4 ? 5 : 135, 0}};

		for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
			memset(icmp, 0, sizeof(icmp));
			icmp[0] = types[t][0];
			icmp[1] = types[t][1];
			rtr_put16(icmp + 4, 0x1234);
			icmp[8] = 3;
			icmp[9] = 17;
			n = bt_ip(pkt, f, pt_client(f), pt_server(f), pt_icmp_proto(f), 64, 9, icmp,
				  40);
			assert_int_equal(rtr_csum_fix_l4(pkt, n), RTR_OK);
			pt_expect_untouched(pkt, n);
		}
		/* UDP and TCP to other ports, TCP SYN-ACK to port 1021 without a session. */
		uint8_t l4[20] = {0};

		rtr_put16(l4, 1021);
		rtr_put16(l4 + 2, 53);
		rtr_put16(l4 + 4, 20);
		n = bt_ip(pkt, f, pt_client(f), pt_server(f), 17, 64, 9, l4, 20);
		pt_expect_untouched(pkt, n);
		rtr_put16(l4 + 2, 1021);
		l4[12] = 0x50;
		l4[13] = RTR_TCP_SYN | RTR_TCP_ACK;
		n = bt_ip(pkt, f, pt_client(f), pt_server(f), 6, 64, 9, l4, 20);
		pt_expect_untouched(pkt, n);
		rtr_put16(l4 + 2, 80);
		n = bt_ip(pkt, f, pt_client(f), pt_server(f), 6, 64, 9, l4, 20);
		pt_expect_untouched(pkt, n);
	}
	/* Not IP at all (ARP ethertype is set by bt_run from the version nibble: use 0x00). */
	uint8_t junk[60] = {0};
	n = sizeof(junk);
	pt_expect_untouched(junk, n);
}

/*
 * The answer builder refuses a probe longer than the quote it can hold (256
 * bytes) rather than writing past it: a test helper that overflows would
 * corrupt the very stack the test's checks read.
 */
static void test_icmp_error_refuses_long_probe(void **state)
{
	struct bt_probe bp;
	uint8_t ans[BT_MAX];
	size_t len;

	(void)state;
	pt_make_probe(4, RTR_IPPROTO_UDP, 53, 3, pt_next_ident++, &bp);
	len = bp.len;
	assert_int_not_equal(
		bt_icmp_error(ans, &bp, pt_router(4), RTR_ICMP4_TIME_EXCEEDED, 0, len, 0), 0);
	bp.len = sizeof(bp.pkt) + 1;
	assert_int_equal(bt_icmp_error(ans, &bp, pt_router(4), RTR_ICMP4_TIME_EXCEEDED, 0, len, 0),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_icmp_errors),
		cmocka_unit_test(test_short_quotes_and_options),
		cmocka_unit_test(test_direct_answers),
		cmocka_unit_test(test_forged_answers),
		cmocka_unit_test(test_foreign_traffic),
		cmocka_unit_test(test_icmp_error_refuses_long_probe),
	};

	return cmocka_run_group_tests(tests, pt_group_setup, pt_group_teardown);
}
