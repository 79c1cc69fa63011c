// SPDX-License-Identifier: BSD-2-Clause
/* test_requests.c: BPF_PROG_TEST_RUN tests of requests: probes, identities, errors, drops. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpftest.h"
#include "checksum.h"
#include "csumfix.h"
#include "cursor.h"
#include "err.h"
#include "progtest.h"
#include "response.h"
#include "rtr.skel.h"
#include "rtr_wire.h"
#include "siphash_ref.h"
#include "stats.h"

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
									       : pt_next_ident++;
					uint8_t pr = f == 4 ? protos4[p] : protos6[p];

					pt_make_probe(f, pr, flows[fl], ttls[t], ident, &bp);
					/* End it, so identifier 0 and 0xFFFF can be reused. */
					uint8_t ans[BT_MAX];
					size_t n = bt_icmp_error(ans, &bp, pt_router(f),
								 f == 4 ? 11 : 3, 0, bp.len, 0);
					pt_expect_response(f, ans, n, ident, pt_router(f));
				}
			}
		}
	}
	assert_int_equal(srv_count_sessions(&pt_env.srv), 0);
	assert_int_equal(srv_count_pending(&pt_env.srv), 0);
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
			uint16_t ia = pt_next_ident++, ib = pt_next_ident++;
			size_t rl, same = 0;

			pt_make_probe(f, pr, 0, 5, ia, &a);
			pt_make_probe(f, pr, 0, 5, ib, &b);
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
				size_t n = bt_icmp_error(ans, bp, pt_router(f), f == 4 ? 11 : 3, 0,
							 bp->len, 0);

				pt_expect_response(f, ans, n, k ? ib : ia, pt_router(f));
			}
		}
	}
	assert_int_equal(srv_count_sessions(&pt_env.srv), 0);
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

	assert_false(pt_env.srv.id_key[0] == 0 && pt_env.srv.id_key[1] == 0);
	le64(key, pt_env.srv.id_key[0]);
	le64(key + 8, pt_env.srv.id_key[1]);
	for (int f = 4; f <= 6; f += 2) {
		for (int u = 0; u < 3; u++) {
			uint8_t pr = u == 0 ? 0 : u == 1 ? RTR_IPPROTO_UDP : RTR_IPPROTO_TCP;
			uint64_t c = 0x0123456789abcdefull * (uint64_t)(f * 3 + u + 1);
			uint16_t ident = pt_next_ident++;
			uint8_t m[8], ans[BT_MAX];
			struct bt_probe bp;
			uint64_t r;
			uint32_t r1, r2;
			size_t n;

			for (int i = 0; i < ncpu; i++)
				ctr[i] = c;
			assert_int_equal(
				bpf_map_update_elem(bpf_map__fd(pt_env.srv.skel->maps.id_ctr),
						    &zero, ctr, 0),
				0);
			pt_make_probe(f, pr, 0, 5, ident, &bp);
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
			n = bt_icmp_error(ans, &bp, pt_router(f), f == 4 ? 11 : 3, 0, bp.len, 0);
			pt_expect_response(f, ans, n, ident, pt_router(f));
		}
	}
	free(ctr);

	struct bt_env e2;
	struct srv_cfg cfg;

	bt_cfg(&cfg);
	assert_int_equal(bt_setup(&e2, &cfg), 0);
	assert_true(e2.srv.id_key[0] != pt_env.srv.id_key[0] ||
		    e2.srv.id_key[1] != pt_env.srv.id_key[1]);
	bt_teardown(&e2);
	assert_int_equal(srv_count_sessions(&pt_env.srv), 0);
}

/* IPv4 options in the request do not change the probe. */
static void test_request_with_ipv4_options(void **state)
{
	struct rtr_request rq = {
		.ident = pt_next_ident++, .seq = 7, .ttl = 3, .proto = 17, .flow = 443};
	uint8_t pkt[BT_MAX];
	struct bt_result r;
	struct bt_probe bp;
	size_t n = bt_request(pkt, 4, &pt_env.client4, &pt_env.server4, &rq);

	(void)state;
	memmove(pkt + 24, pkt + 20, n - 20);
	memset(pkt + 20, 1, 4); /* four NOP options */
	pkt[0] = 0x46;
	rtr_put16(pkt + 2, (uint16_t)(n + 4));
	assert_int_equal(rtr_csum_fix_l4(pkt, n + 4), RTR_OK);
	assert_int_equal(bt_run(&pt_env, srv_prog_fd(&pt_env.srv), pkt, n + 4, &r), 0);
	OKL(bt_check_probe(&r, 4, &pt_env.client4, &pt_env.server4, 17, 443, 3, &bp));
}

static void test_error_states(void **state)
{
	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		struct rtr_request rq = {.ident = 0x1234, .seq = 1, .ttl = 0, .proto = 17};

		pt_check_state(f, &rq, RTR_STATE_TTL, 0);
		rq.proto = 99; /* TTL is checked first */
		pt_check_state(f, &rq, RTR_STATE_TTL, 0);
		rq.ttl = 3;
		pt_check_state(f, &rq, RTR_STATE_PROTOCOL, 0);
		rq.proto = f == 4 ? RTR_IPPROTO_ICMPV6 : RTR_IPPROTO_ICMP;
		pt_check_state(f, &rq, RTR_STATE_PROTOCOL, 0);
		rq.proto = 17;
		rq.has_unknown = true;
		rq.unknown_class = 9;
		rq.unknown_ctype = 3;
		pt_check_state(f, &rq, RTR_STATE_EXTENSION, 9 << 8 | 3);
		rq.has_unknown = false;
		rq.has_target = true;
		rq.target_obj_len = f == 4 ? 16 : 20;
		rq.target = *pt_client(f);
		pt_check_state(f, &rq, RTR_STATE_EXTENSION, RTR_EXT_CLASS_TARGET << 8);
	}
	assert_true(bt_counter(&pt_env, RTR_C_RSP_TTL) >= 4);
	assert_true(bt_counter(&pt_env, RTR_C_RSP_PROTOCOL) >= 4);
	assert_true(bt_counter(&pt_env, RTR_C_RSP_EXTENSION) >= 4);
}

/* A padding object is accepted by the default policy: a normal probe. */
static void test_padding_accepted(void **state)
{
	struct rtr_request rq = {.ident = pt_next_ident++,
				 .seq = 1,
				 .ttl = 2,
				 .proto = 6,
				 .flow = 8080,
				 .has_padding = true,
				 .padding_len = 40};
	uint8_t pkt[BT_MAX];
	struct bt_result r;
	struct bt_probe bp;
	size_t n = bt_request(pkt, 6, &pt_env.client6, &pt_env.server6, &rq);

	(void)state;
	assert_int_equal(bt_run(&pt_env, srv_prog_fd(&pt_env.srv), pkt, n, &r), 0);
	OKL(bt_check_probe(&r, 6, &pt_env.client6, &pt_env.server6, 6, 8080, 2, &bp));
}

static void test_silent_drops(void **state)
{
	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		struct rtr_request rq = {.ident = pt_next_ident++, .seq = 1, .ttl = 3, .proto = 17};
		uint8_t pkt[BT_MAX], bad[BT_MAX];
		size_t hl = f == 4 ? 20 : 40;
		size_t n = bt_request(pkt, f, pt_client(f), pt_server(f), &rq);

		/* Short: 4..11 ICMP bytes with a valid checksum (types 8/128 code 1). */
		for (size_t len = 4; len < 12; len++) {
			uint8_t icmp[12];
			size_t m;

			memcpy(icmp, pkt + hl, len);
			m = bt_ip(bad, f, pt_client(f), pt_server(f), pt_icmp_proto(f), 64, 1, icmp,
				  len);
			assert_int_equal(rtr_csum_fix_l4(bad, m), RTR_OK);
			pt_expect_drop(bad, m, RTR_C_DROP_SHORT);
		}
		/* Bad checksum. */
		memcpy(bad, pkt, n);
		bad[hl + 2] ^= 0x01;
		pt_expect_drop(bad, n, RTR_C_DROP_CHECKSUM);
		/* Fragment (IPv4 MF; IPv6 Fragment header). */
		if (f == 4) {
			memcpy(bad, pkt, n);
			bad[6] = 0x20;
			/* The header is re-signed; a fragment's L4 checksum stays as it was. */
			assert_int_equal(rtr_csum_fix_l4(bad, n), RTR_E_FRAGMENT);
			pt_expect_drop(bad, n, RTR_C_DROP_FRAGMENT);
		} else {
			memcpy(bad, pkt, 40);
			bad[6] = 44;
			rtr_put16(bad + 4, (uint16_t)(n - 40 + 8));
			memset(bad + 40, 0, 8);
			bad[40] = 58;
			bad[43] = 1; /* offset 0, M flag */
			memcpy(bad + 48, pkt + 40, n - 40);
			pt_expect_drop(bad, n + 8, RTR_C_DROP_FRAGMENT);
		}
		/* Duplicate pending key: the same client and identifier twice. */
		struct bt_result r;

		assert_int_equal(bt_run(&pt_env, srv_prog_fd(&pt_env.srv), pkt, n, &r), 0);
		assert_int_equal(r.retval, BT_TC_ACT_REDIRECT);
		pt_expect_drop(pkt, n, RTR_C_DROP_DUPLICATE);
	}
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
	};

	return cmocka_run_group_tests(tests, pt_group_setup, pt_group_teardown);
}
