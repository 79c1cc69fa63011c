// SPDX-License-Identifier: BSD-2-Clause
/* test_prog.c: BPF_PROG_TEST_RUN tests of the server program: requests, answers, drops, foreign. */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
#include "response.h"
#include "rtr.skel.h"
#include "rtr_wire.h"
#include "siphash_ref.h"
#include "stats.h"

static struct bt_env env;
static uint16_t next_ident = 0x100;

/* Fails with the label when a check helper returned one, naming the drop counters. */
#define OKL(label)                          \
	do {                                \
		const char *l_ = (label);   \
		if (l_) {                   \
			dump_counters();    \
			fail_msg("%s", l_); \
		}                           \
	} while (0)

static void dump_counters(void)
{
	for (int i = 0; i < RTR_C_MAX; i++)
		if (bt_counter(&env, i))
			print_message("  counter %s = %llu\n", stats_name(i),
				      (unsigned long long)bt_counter(&env, i));
}

static int group_setup(void **state)
{
	struct srv_cfg cfg;

	(void)state;
	bt_cfg(&cfg);
	return bt_setup(&env, &cfg);
}

static int group_teardown(void **state)
{
	(void)state;
	bt_teardown(&env);
	return 0;
}

static const struct rtr_addr *server(int f)
{
	return f == 4 ? &env.server4 : &env.server6;
}

static const struct rtr_addr *client(int f)
{
	return f == 4 ? &env.client4 : &env.client6;
}

static const struct rtr_addr *router(int f)
{
	return f == 4 ? &env.router4 : &env.router6;
}

static uint8_t icmp_proto(int f)
{
	return f == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
}

/* Sends a valid request and checks the probe; returns it in *bp. */
static void make_probe(int f, uint8_t reqproto, uint16_t flow, uint8_t ttl, uint16_t ident,
		       struct bt_probe *bp)
{
	struct rtr_request rq = {
		.ident = ident, .seq = 0x5555, .ttl = ttl, .proto = reqproto, .flow = flow};
	uint8_t pkt[BT_MAX];
	struct bt_result r;
	size_t n = bt_request(pkt, f, client(f), server(f), &rq);
	uint8_t proto = (uint8_t)rtr_request_probe_proto(reqproto, f);

	assert_true(n > 0);
	assert_int_equal(bt_run(&env, srv_prog_fd(&env.srv), pkt, n, &r), 0);
	OKL(bt_check_probe(&r, f, client(f), server(f), proto, rtr_request_probe_flow(proto, flow),
			   ttl, bp));
}

/* Feeds an answer and checks the exact success response with the given hop. */
static void expect_response(int f, const uint8_t *ans, size_t n, uint16_t ident,
			    const struct rtr_addr *hop)
{
	struct rtr_response rsp = {.ident = ident, .state = RTR_STATE_OK, .hop = *hop};
	struct bt_result r;

	assert_int_equal(bt_run(&env, srv_prog_fd(&env.srv), ans, n, &r), 0);
	OKL(bt_check_response(&r, f, client(f), server(f), &rsp, 1000000000ull));
}

static void expect_untouched(const uint8_t *pkt, size_t n)
{
	struct bt_result r;

	assert_int_equal(bt_run(&env, srv_prog_fd(&env.srv), pkt, n, &r), 0);
	assert_true(bt_unchanged(&r, pkt, n));
}

/* Every protocol, flow 0/1/65535, TTL 1/255, identifier 0/0xFFFF, both families. */
static void test_requests_give_exact_probes(void **state)
{
	static const uint8_t protos4[] = {0, RTR_IPPROTO_ICMP, RTR_IPPROTO_UDP, RTR_IPPROTO_TCP};
	static const uint8_t protos6[] = {0, RTR_IPPROTO_ICMPV6, RTR_IPPROTO_UDP, RTR_IPPROTO_TCP};
	static const uint16_t flows[] = {0, 1, 65535, 33435};
	static const uint8_t ttls[] = {1, 255};

	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		for (size_t p = 0; p < 4; p++) {
			for (size_t fl = 0; fl < 4; fl++) {
				for (size_t t = 0; t < 2; t++) {
					struct bt_probe bp;
					uint16_t ident = (fl == 0 && t == 0)   ? 0
							 : (fl == 1 && t == 1) ? 0xffff
									       : next_ident++;
					uint8_t pr = f == 4 ? protos4[p] : protos6[p];

					make_probe(f, pr, flows[fl], ttls[t], ident, &bp);
					/* End it, so identifier 0 and 0xFFFF can be reused. */
					uint8_t ans[BT_MAX];
					size_t n = bt_icmp_error(ans, &bp, router(f),
								 f == 4 ? 11 : 3, 0, bp.len, 0);
					expect_response(f, ans, n, ident, router(f));
				}
			}
		}
	}
	assert_int_equal(srv_count_sessions(&env.srv), 0);
	assert_int_equal(srv_count_pending(&env.srv), 0);
}

/*
 * Payload randomisation: the bytes after the compensation word (and UDP tag)
 * differ between two probes of the same request shape and are not one
 * repeated byte (they are seeded from each probe's random identity).
 */
static void test_payload_varies(void **state)
{
	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		for (int u = 0; u < 2; u++) {
			uint8_t pr = u ? RTR_IPPROTO_UDP : 0;
			size_t off = (f == 4 ? 20 : 40) + 8 + (u ? 6 : 2);
			struct bt_probe a, b;
			uint16_t ia = next_ident++, ib = next_ident++;
			size_t rl, same = 0;

			make_probe(f, pr, 0, 5, ia, &a);
			make_probe(f, pr, 0, 5, ib, &b);
			/* The shorter of the two (a UDP IPv4 probe may carry one byte more). */
			rl = rtr_probe_random_len(&a.p);
			if (rtr_probe_random_len(&b.p) < rl)
				rl = rtr_probe_random_len(&b.p);
			assert_true(rl >= 26);
			assert_true(off + rl <= a.len && off + rl <= b.len);
			assert_memory_not_equal(a.pkt + off, b.pkt + off, rl);
			for (size_t i = 1; i < rl; i++)
				same += a.pkt[off + i] == a.pkt[off];
			assert_true(same < rl - 1);
			for (int k = 0; k < 2; k++) {
				struct bt_probe *bp = k ? &b : &a;
				uint8_t ans[BT_MAX];
				size_t n = bt_icmp_error(ans, bp, router(f), f == 4 ? 11 : 3, 0,
							 bp->len, 0);

				expect_response(f, ans, n, k ? ib : ia, router(f));
			}
		}
	}
	assert_int_equal(srv_count_sessions(&env.srv), 0);
}

/* Little-endian bytes of a 64-bit word, as SipHash reads its message and key. */
static void le64(uint8_t *out, uint64_t w)
{
	for (int i = 0; i < 8; i++)
		out[i] = (uint8_t)(w >> (8 * i));
}

/*
 * Identities are SipHash-2-4, under the loader's secret key, of a per-CPU
 * counter that every draw advances (SRV-6): with every CPU's counter set to a
 * known value, each protocol's identity fields are exactly what the byte-wise
 * reference (checked against the paper's example) gives; two loads draw two keys.
 */
static void test_identity_is_keyed_prf(void **state)
{
	uint8_t key[16], msg[15];
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *ctr = calloc((size_t)ncpu, sizeof(*ctr));
	uint32_t zero = 0;

	(void)state;
	assert_non_null(ctr);
	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (int i = 0; i < 15; i++)
		msg[i] = (uint8_t)i;
	assert_true(siphash_ref(key, msg, 15) == 0xa129ca6149be45e5ull);

	assert_false(env.srv.id_key[0] == 0 && env.srv.id_key[1] == 0);
	le64(key, env.srv.id_key[0]);
	le64(key + 8, env.srv.id_key[1]);
	for (int f = 4; f <= 6; f += 2) {
		for (int u = 0; u < 3; u++) {
			uint8_t pr = u == 0 ? 0 : u == 1 ? RTR_IPPROTO_UDP : RTR_IPPROTO_TCP;
			uint64_t c = 0x0123456789abcdefull * (uint64_t)(f * 3 + u + 1);
			uint16_t ident = next_ident++;
			uint8_t m[8], ans[BT_MAX];
			struct bt_probe bp;
			uint64_t r;
			uint32_t r1, r2;
			size_t n;

			for (int i = 0; i < ncpu; i++)
				ctr[i] = c;
			assert_int_equal(bpf_map_update_elem(bpf_map__fd(env.srv.skel->maps.id_ctr),
							     &zero, ctr, 0),
					 0);
			make_probe(f, pr, 0, 5, ident, &bp);
			le64(m, c);
			r = siphash_ref(key, m, 8);
			r1 = (uint32_t)r;
			r2 = (uint32_t)(r >> 32);
			assert_int_equal(bp.p.id.ip_id, f == 4 ? (uint16_t)r2 : 0);
			if (pr == RTR_IPPROTO_UDP) {
				le64(m, c + 1); /* the tag is the next draw */
				assert_int_equal(bp.p.id.l4, r1 % 0xfffe + 1);
				assert_int_equal(bp.p.id.tag, (uint32_t)siphash_ref(key, m, 8));
				assert_int_equal(bp.p.id.len_extra, f == 4 ? (r2 >> 16) & 1 : 0);
			} else {
				assert_int_equal(bp.p.id.l4, r1);
			}
			n = bt_icmp_error(ans, &bp, router(f), f == 4 ? 11 : 3, 0, bp.len, 0);
			expect_response(f, ans, n, ident, router(f));
		}
	}
	free(ctr);

	struct bt_env e2;
	struct srv_cfg cfg;

	bt_cfg(&cfg);
	assert_int_equal(bt_setup(&e2, &cfg), 0);
	assert_true(e2.srv.id_key[0] != env.srv.id_key[0] || e2.srv.id_key[1] != env.srv.id_key[1]);
	bt_teardown(&e2);
	assert_int_equal(srv_count_sessions(&env.srv), 0);
}

/* IPv4 options in the request do not change the probe. */
static void test_request_with_ipv4_options(void **state)
{
	struct rtr_request rq = {
		.ident = next_ident++, .seq = 7, .ttl = 3, .proto = 17, .flow = 443};
	uint8_t pkt[BT_MAX];
	struct bt_result r;
	struct bt_probe bp;
	size_t n = bt_request(pkt, 4, &env.client4, &env.server4, &rq);

	(void)state;
	memmove(pkt + 24, pkt + 20, n - 20);
	memset(pkt + 20, 1, 4); /* four NOP options */
	pkt[0] = 0x46;
	rtr_put16(pkt + 2, (uint16_t)(n + 4));
	assert_int_equal(rtr_csum_fix_l4(pkt, n + 4), RTR_OK);
	assert_int_equal(bt_run(&env, srv_prog_fd(&env.srv), pkt, n + 4, &r), 0);
	OKL(bt_check_probe(&r, 4, &env.client4, &env.server4, 17, 443, 3, &bp));
}

/* Error states: exact 12-byte responses. */
static void check_state(int f, const struct rtr_request *rq, uint8_t state, uint16_t value)
{
	uint8_t pkt[BT_MAX];
	struct bt_result r;
	struct rtr_response rsp = {.ident = rq->ident, .state = state, .value = value};
	size_t n = bt_request(pkt, f, client(f), server(f), rq);

	assert_true(n > 0);
	assert_int_equal(bt_run(&env, srv_prog_fd(&env.srv), pkt, n, &r), 0);
	OKL(bt_check_response(&r, f, client(f), server(f), &rsp, 0));
}

static void test_error_states(void **state)
{
	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		struct rtr_request rq = {.ident = 0x1234, .seq = 1, .ttl = 0, .proto = 17};

		check_state(f, &rq, RTR_STATE_TTL, 0);
		rq.proto = 99; /* TTL is checked first */
		check_state(f, &rq, RTR_STATE_TTL, 0);
		rq.ttl = 3;
		check_state(f, &rq, RTR_STATE_PROTOCOL, 0);
		rq.proto = f == 4 ? RTR_IPPROTO_ICMPV6 : RTR_IPPROTO_ICMP;
		check_state(f, &rq, RTR_STATE_PROTOCOL, 0);
		rq.proto = 17;
		rq.has_unknown = true;
		rq.unknown_class = 9;
		rq.unknown_ctype = 3;
		check_state(f, &rq, RTR_STATE_EXTENSION, 9 << 8 | 3);
		rq.has_unknown = false;
		rq.has_target = true;
		rq.target_obj_len = f == 4 ? 16 : 20;
		rq.target = *client(f);
		check_state(f, &rq, RTR_STATE_EXTENSION, RTR_EXT_CLASS_TARGET << 8);
	}
	assert_true(bt_counter(&env, RTR_C_RSP_TTL) >= 4);
	assert_true(bt_counter(&env, RTR_C_RSP_PROTOCOL) >= 4);
	assert_true(bt_counter(&env, RTR_C_RSP_EXTENSION) >= 4);
}

/* A padding object is accepted by the default policy: a normal probe. */
static void test_padding_accepted(void **state)
{
	struct rtr_request rq = {.ident = next_ident++,
				 .seq = 1,
				 .ttl = 2,
				 .proto = 6,
				 .flow = 8080,
				 .has_padding = true,
				 .padding_len = 40};
	uint8_t pkt[BT_MAX];
	struct bt_result r;
	struct bt_probe bp;
	size_t n = bt_request(pkt, 6, &env.client6, &env.server6, &rq);

	(void)state;
	assert_int_equal(bt_run(&env, srv_prog_fd(&env.srv), pkt, n, &r), 0);
	OKL(bt_check_probe(&r, 6, &env.client6, &env.server6, 6, 8080, 2, &bp));
}

static void expect_drop(const uint8_t *pkt, size_t n, int counter)
{
	struct bt_result r;
	uint64_t before = bt_counter(&env, counter);

	assert_int_equal(bt_run(&env, srv_prog_fd(&env.srv), pkt, n, &r), 0);
	assert_int_equal(r.retval, BT_TC_ACT_SHOT);
	assert_int_equal(bt_counter(&env, counter), before + 1);
}

static void test_silent_drops(void **state)
{
	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		struct rtr_request rq = {.ident = next_ident++, .seq = 1, .ttl = 3, .proto = 17};
		uint8_t pkt[BT_MAX], bad[BT_MAX];
		size_t hl = f == 4 ? 20 : 40;
		size_t n = bt_request(pkt, f, client(f), server(f), &rq);

		/* Short: 4..11 ICMP bytes with a valid checksum (types 8/128 code 1). */
		for (size_t len = 4; len < 12; len++) {
			uint8_t icmp[12];
			size_t m;

			memcpy(icmp, pkt + hl, len);
			m = bt_ip(bad, f, client(f), server(f), icmp_proto(f), 64, 1, icmp, len);
			assert_int_equal(rtr_csum_fix_l4(bad, m), RTR_OK);
			expect_drop(bad, m, RTR_C_DROP_SHORT);
		}
		/* Bad checksum. */
		memcpy(bad, pkt, n);
		bad[hl + 2] ^= 0x01;
		expect_drop(bad, n, RTR_C_DROP_CHECKSUM);
		/* Fragment (IPv4 MF; IPv6 Fragment header). */
		if (f == 4) {
			memcpy(bad, pkt, n);
			bad[6] = 0x20;
			/* The header is re-signed; a fragment's L4 checksum stays as it was. */
			assert_int_equal(rtr_csum_fix_l4(bad, n), RTR_E_FRAGMENT);
			expect_drop(bad, n, RTR_C_DROP_FRAGMENT);
		} else {
			memcpy(bad, pkt, 40);
			bad[6] = 44;
			rtr_put16(bad + 4, (uint16_t)(n - 40 + 8));
			memset(bad + 40, 0, 8);
			bad[40] = 58;
			bad[43] = 1; /* offset 0, M flag */
			memcpy(bad + 48, pkt + 40, n - 40);
			expect_drop(bad, n + 8, RTR_C_DROP_FRAGMENT);
		}
		/* Duplicate pending key: the same client and identifier twice. */
		struct bt_result r;

		assert_int_equal(bt_run(&env, srv_prog_fd(&env.srv), pkt, n, &r), 0);
		assert_int_equal(r.retval, BT_TC_ACT_REDIRECT);
		expect_drop(pkt, n, RTR_C_DROP_DUPLICATE);
	}
}

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

/* Time Exceeded code 0 matches; code 1 does not; Destination Unreachable any code. */
static void test_icmp_errors(void **state)
{
	long sessions = srv_count_sessions(&env.srv);

	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		uint8_t te = f == 4 ? 11 : 3, du = f == 4 ? 3 : 1;
		uint8_t protos[] = {icmp_proto(f), RTR_IPPROTO_UDP, RTR_IPPROTO_TCP};

		for (size_t p = 0; p < 3; p++) {
			struct bt_probe bp;
			uint8_t ans[BT_MAX];
			uint16_t id = next_ident++;
			size_t n;

			make_probe(f, protos[p], 0, 5, id, &bp);
			n = bt_icmp_error(ans, &bp, router(f), te, 1, bp.len, 0);
			expect_untouched(ans, n);
			n = bt_icmp_error(ans, &bp, router(f), te, 0, bp.len, 0);
			expect_response(f, ans, n, id, router(f));
			/* A second answer to the same probe finds no session. */
			expect_untouched(ans, n);
		}
		for (uint8_t code = 0; code < 16; code++) {
			struct bt_probe bp;
			uint8_t ans[BT_MAX];
			uint16_t id = next_ident++;
			size_t n;

			make_probe(f, RTR_IPPROTO_UDP, 33434 + code, 30, id, &bp);
			n = bt_icmp_error(ans, &bp, client(f), du, code, bp.len, 0);
			expect_response(f, ans, n, id, client(f));
		}
	}
	assert_int_equal(srv_count_sessions(&env.srv), sessions);
}

/* Routers that quote only 8 L4 bytes (RFC 792), and answers with IPv4 options. */
static void test_short_quotes_and_options(void **state)
{
	uint8_t protos[] = {RTR_IPPROTO_ICMP, RTR_IPPROTO_UDP, RTR_IPPROTO_TCP};

	(void)state;
	for (size_t p = 0; p < 3; p++) {
		struct bt_probe bp;
		uint8_t ans[BT_MAX];
		uint16_t id = next_ident++;
		size_t n;

		make_probe(4, protos[p], 0, 2, id, &bp);
		n = bt_icmp_error(ans, &bp, &env.router4, 11, 0, 28, 0);
		expect_response(4, ans, n, id, &env.router4);
		id = next_ident++;
		make_probe(4, protos[p], 0, 2, id, &bp);
		n = bt_icmp_error(ans, &bp, &env.router4, 11, 0, bp.len, 8);
		expect_response(4, ans, n, id, &env.router4);
	}
	/* IPv6 UDP needs the tag: a quote of 8 L4 bytes cannot match. */
	struct bt_probe bp;
	uint8_t ans[BT_MAX];
	size_t n;

	make_probe(6, RTR_IPPROTO_UDP, 0, 2, next_ident++, &bp);
	n = bt_icmp_error(ans, &bp, &env.router6, 3, 0, 48, 0);
	expect_untouched(ans, n);
}

/* Direct answers: Echo Reply, RST, SYN-ACK (which also sends an RST). */
static void test_direct_answers(void **state)
{
	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		struct bt_probe bp;
		uint8_t ans[BT_MAX];
		uint16_t id = next_ident++;
		size_t n;

		make_probe(f, 0, 0, 64, id, &bp);
		n = bt_echo_reply(ans, &bp);
		expect_response(f, ans, n, id, client(f));

		id = next_ident++;
		make_probe(f, RTR_IPPROTO_TCP, 443, 64, id, &bp);
		n = bt_tcp_answer(ans, &bp, RTR_TCP_RST, 0); /* no ACK: not an answer */
		expect_untouched(ans, n);
		n = bt_tcp_answer(ans, &bp, RTR_TCP_RST | RTR_TCP_ACK, 0);
		expect_response(f, ans, n, id, client(f));

		id = next_ident++;
		make_probe(f, RTR_IPPROTO_TCP, 22, 64, id, &bp);
		uint64_t rst = bt_counter(&env, RTR_C_RST_SENT);
		int cap = bt_capture_open();
		uint8_t got[BT_MAX], want[128];
		struct rtr_answer a;
		size_t m;
		bool seen = false;

		assert_true(cap >= 0);
		while (bt_capture_next(cap, got, sizeof(got)))
			; /* what earlier tests sent */
		n = bt_tcp_answer(ans, &bp, RTR_TCP_SYN | RTR_TCP_ACK, 0x11223344);
		expect_response(f, ans, n, id, client(f));
		assert_int_equal(bt_counter(&env, RTR_C_RST_SENT), rst + 1);
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
		uint8_t protos[] = {icmp_proto(f), RTR_IPPROTO_UDP, RTR_IPPROTO_TCP};

		for (size_t p = 0; p < 3; p++) {
			struct bt_probe bp, forged;
			uint8_t ans[BT_MAX];
			uint16_t id = next_ident++;
			uint64_t before = bt_counter(&env, RTR_C_FORGED);
			size_t hl = f == 4 ? 20 : 40, n;

			make_probe(f, protos[p], 0, 4, id, &bp);
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
			n = bt_icmp_error(ans, &forged, router(f), f == 4 ? 11 : 3, 0, forged.len,
					  0);
			expect_untouched(ans, n);
			assert_int_equal(bt_counter(&env, RTR_C_FORGED), before + 1);
			/* The real answer still works afterwards. */
			n = bt_icmp_error(ans, &bp, router(f), f == 4 ? 11 : 3, 0, bp.len, 0);
			expect_response(f, ans, n, id, router(f));
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
			n = bt_ip(pkt, f, client(f), server(f), icmp_proto(f), 64, 9, icmp, 40);
			assert_int_equal(rtr_csum_fix_l4(pkt, n), RTR_OK);
			expect_untouched(pkt, n);
		}
		/* UDP and TCP to other ports, TCP SYN-ACK to port 1021 without a session. */
		uint8_t l4[20] = {0};

		rtr_put16(l4, 1021);
		rtr_put16(l4 + 2, 53);
		rtr_put16(l4 + 4, 20);
		n = bt_ip(pkt, f, client(f), server(f), 17, 64, 9, l4, 20);
		expect_untouched(pkt, n);
		rtr_put16(l4 + 2, 1021);
		l4[12] = 0x50;
		l4[13] = RTR_TCP_SYN | RTR_TCP_ACK;
		n = bt_ip(pkt, f, client(f), server(f), 6, 64, 9, l4, 20);
		expect_untouched(pkt, n);
		rtr_put16(l4 + 2, 80);
		n = bt_ip(pkt, f, client(f), server(f), 6, 64, 9, l4, 20);
		expect_untouched(pkt, n);
	}
	/* Not IP at all (ARP ethertype is set by bt_run from the version nibble: use 0x00). */
	uint8_t junk[60] = {0};
	n = sizeof(junk);
	expect_untouched(junk, n);
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

/* One request of client (TTL ttl, identifier ident); the verdict. */
static unsigned run_one(struct bt_env *e, const struct rtr_addr *client, uint16_t ident,
			uint8_t ttl)
{
	struct rtr_request rq = {.ident = ident, .seq = 1, .ttl = ttl, .proto = 17};
	uint8_t pkt[BT_MAX];
	struct bt_result r;
	size_t n = bt_request(pkt, 4, client, &e->server4, &rq);

	assert_int_equal(bt_run(e, srv_prog_fd(&e->srv), pkt, n, &r), 0);
	return r.retval;
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
		served += run_one(&e, &e.client4, i, 0) == BT_TC_ACT_REDIRECT;
	assert_int_equal(served, 2);
	assert_int_equal(bt_counter(&e, RTR_C_DROP_RATE_SOURCE), 8);
	assert_int_equal(bt_counter(&e, RTR_C_DROP_RATE_GLOBAL), 0);
	/* Ten other sources: the 4 global tokens left (plus what refills meanwhile). */
	served = 0;
	for (uint16_t i = 0; i < 10; i++) {
		struct rtr_addr c = e.client4;

		c.b[15] = (uint8_t)(150 + i);
		served += run_one(&e, &c, i, 0) == BT_TC_ACT_REDIRECT;
	}
	assert_in_range(served, 4, 6);
	assert_int_equal(bt_counter(&e, RTR_C_DROP_RATE_GLOBAL), (uint64_t)(10 - served));
	assert_int_equal(bt_counter(&e, RTR_C_DROP_RATE_SOURCE), 8);
	bt_teardown(&e);
	assert_int_equal(sched_setaffinity(0, sizeof(saved), &saved), 0);
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
		assert_int_equal(run_one(&e, &e.client4, i, 3), BT_TC_ACT_REDIRECT);
		assert_int_equal(run_one(&e, &b, i, 3), BT_TC_ACT_REDIRECT);
	}
	assert_int_equal(run_one(&e, &e.client4, 4, 3), BT_TC_ACT_SHOT);
	assert_int_equal(bt_counter(&e, RTR_C_DROP_SOURCE_CAP), 1);
	assert_int_equal(run_one(&e, &c, 0, 3), BT_TC_ACT_SHOT);
	assert_int_equal(bt_counter(&e, RTR_C_DROP_TABLE_FULL), 1);
	nanosleep(&nap, NULL);
	/* No sweep: the new client, the capped one, and a reused identifier are served. */
	assert_int_equal(run_one(&e, &c, 0, 3), BT_TC_ACT_REDIRECT);
	assert_int_equal(run_one(&e, &e.client4, 4, 3), BT_TC_ACT_REDIRECT);
	assert_int_equal(run_one(&e, &b, 0, 3), BT_TC_ACT_REDIRECT);
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

/* Every counter has a name in the text and JSON output, and the JSON parses. */
static void test_stats_names(void **state)
{
	struct rtr_counters c = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	for (int i = 0; i < RTR_C_MAX; i++) {
		assert_non_null(stats_name(i));
		c.c[i] = (uint64_t)i + 1;
	}
	assert_null(stats_name(RTR_C_MAX));
	assert_non_null(f);
	assert_int_equal(stats_print_json(f, &c, 7), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\"requests\":1,"));
	assert_non_null(strstr(buf, "\"sessions_pending\":7"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_names),
		cmocka_unit_test(test_requests_give_exact_probes),
		cmocka_unit_test(test_payload_varies),
		cmocka_unit_test(test_identity_is_keyed_prf),
		cmocka_unit_test(test_request_with_ipv4_options),
		cmocka_unit_test(test_error_states),
		cmocka_unit_test(test_padding_accepted),
		cmocka_unit_test(test_silent_drops),
		cmocka_unit_test(test_table_full_and_creation_all_or_nothing),
		cmocka_unit_test(test_icmp_errors),
		cmocka_unit_test(test_short_quotes_and_options),
		cmocka_unit_test(test_direct_answers),
		cmocka_unit_test(test_forged_answers),
		cmocka_unit_test(test_foreign_traffic),
		cmocka_unit_test(test_expiry_on_lookup),
		cmocka_unit_test(test_burst_and_sweep),
		cmocka_unit_test(test_million_sessions_held),
		cmocka_unit_test(test_answers_race_sweeper),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_source_session_cap),
		cmocka_unit_test(test_global_rate),
		cmocka_unit_test(test_rate_prefixes),
		cmocka_unit_test(test_rate_source_before_global),
		cmocka_unit_test(test_expiry_without_sweeper),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
