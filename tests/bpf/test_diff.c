// SPDX-License-Identifier: BSD-2-Clause
/* test_diff.c: differential test: >= 100 000 random and mutated packets through the program and a
 * proto/ model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "answer.h"
#include "bpftest.h"
#include "model.h"
#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "ip.h"
#include "request.h"
#include "response.h"
#include "rtr_wire.h"

/*
 * The model decides with proto/ alone what the server must do with a packet
 * (docs/PROTOCOL.md and rtr-server(8)): pass it untouched, drop it, send a
 * probe, or send an error / success response. The program's verdict and the
 * kind of its output must agree for every packet. Identities are random, so
 * the model learns each session's probe from the program's output, and its
 * own pending/session tables follow its own decisions.
 */

#define ITERATIONS 120000

static struct bt_env env;
static struct model mdl;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static struct rtr_addr clients4[3], clients6[3], servers4[2], servers6[2];

static void addrs(void)
{
	rtr_addr_parse(&clients4[0], "203.0.113.7");
	rtr_addr_parse(&clients4[1], "203.0.113.99");
	rtr_addr_parse(&clients4[2], "198.51.100.254");
	rtr_addr_parse(&clients6[0], "2001:db8:2::7");
	rtr_addr_parse(&clients6[1], "2001:db8:3::1234");
	rtr_addr_parse(&clients6[2], "2001:db8:1::fe");
	rtr_addr_parse(&servers4[0], "198.51.100.1");
	rtr_addr_parse(&servers4[1], "224.0.0.1"); /* group address: not ours, passes */
	rtr_addr_parse(&servers6[0], "2001:db8:1::1");
	rtr_addr_parse(&servers6[1], "ff02::1");
}

/* ---- packet generator ---------------------------------------------------------------- */

static size_t gen_request(uint8_t *out)
{
	int f = rnd() % 2 ? 4 : 6;
	static const uint8_t protos[] = {0, 1, 6, 17, 58, 99};
	struct rtr_request rq = {
		.ident = (uint16_t)(rnd() % 64), /* few identifiers: duplicates happen */
		.seq = (uint16_t)rnd(),
		.ttl = (uint8_t)(rnd() % 8 == 0 ? 0 : 1 + rnd() % 40),
		.proto = protos[rnd() % 6],
		.flow = (uint16_t)(rnd() % 3 == 0 ? 0 : rnd()),
	};
	const struct rtr_addr *c = f == 4 ? &clients4[rnd() % 3] : &clients6[rnd() % 3];
	const struct rtr_addr *s = f == 4 ? &servers4[rnd() % 16 == 0] : &servers6[rnd() % 16 == 0];

	switch (rnd() % 8) {
	case 0:
		rq.has_padding = true;
		rq.padding_len = (uint16_t)(4 + rnd() % 40);
		break;
	case 1:
		bt_unknown_object(&rq, (uint8_t)rnd(), (uint8_t)rnd());
		break;
	case 2:
		rq.has_target = true;
		rq.target_obj_len = rnd() % 2 ? 16 : 20;
		rq.target = *c;
		break;
	default:
		break;
	}
	size_t n = bt_request(out, f, c, s, &rq);

	/* Sometimes behind IPv6 Hop-by-Hop, Destination or Routing headers (SRV-13). */
	if (f == 6 && n && rnd() % 12 == 0) {
		static const uint8_t types[] = {0, 60, 43};
		uint8_t t = types[rnd() % 3];

		memmove(out + 48, out + 40, n - 40);
		memset(out + 40, 0, 8);
		out[40] = out[6];
		out[42] = t == 43 ? 4 : 1; /* routing type 4; or a PadN option of 4 bytes */
		out[43] = t == 43 ? (uint8_t)(rnd() % 2) : 4; /* segments left; PadN length */
		out[6] = t;
		n += 8;
		rtr_put16(out + 4, (uint16_t)(n - 40));
	}
	return n;
}

static size_t gen_answer(uint8_t *out)
{
	struct model_sess *s = NULL;
	struct bt_probe bp;
	int f;

	for (int tries = 0; tries < 64 && mdl.n; tries++) {
		struct model_sess *c = &mdl.s[rnd() % mdl.n];

		if (c->live) {
			s = c;
			break;
		}
	}
	if (!s)
		return gen_request(out);
	memset(&bp, 0, sizeof(bp));
	bp.p = s->sent;
	memcpy(bp.pkt, s->pkt, s->len);
	bp.len = s->len;
	f = bp.p.family;
	switch (rnd() % 6) {
	case 0:
	case 1:
		return bt_icmp_error(out, &bp, f == 4 ? &env.router4 : &env.router6,
				     f == 4 ? 11 : 3, (uint8_t)(rnd() % 4 == 0),
				     rnd() % 3 ? bp.len : 28 + rnd() % 20,
				     f == 4 && rnd() % 4 == 0 ? 4 * (rnd() % 3) : 0);
	case 2:
		return bt_icmp_error(out, &bp, &bp.p.dst, f == 4 ? 3 : 1, (uint8_t)(rnd() % 16),
				     bp.len, 0);
	case 3:
		if (bp.p.proto != RTR_IPPROTO_TCP)
			return bt_echo_reply(out, &bp);
		/* fall through */
	default:
		if (bp.p.proto == RTR_IPPROTO_TCP) {
			static const uint8_t fl[] = {RTR_TCP_RST | RTR_TCP_ACK,
						     RTR_TCP_SYN | RTR_TCP_ACK, RTR_TCP_RST,
						     RTR_TCP_ACK};
			return bt_tcp_answer(out, &bp, fl[rnd() % 4], rnd());
		}
		return bt_icmp_error(out, &bp, f == 4 ? &env.router4 : &env.router6,
				     f == 4 ? 11 : 3, 0, bp.len, 0);
	}
}

/* Flips, truncates or extends; sometimes repairs the IP and L4 checksums so mutants go deep. */
static size_t mutate(uint8_t *p, size_t len)
{
	int n = 1 + (int)(rnd() % 4);
	size_t hl = p[0] >> 4 == 4 ? (size_t)(p[0] & 15) * 4 : 40;

	for (int i = 0; i < n; i++) {
		switch (rnd() % 6) {
		case 0:
			/* BPF_PROG_TEST_RUN wants a whole IPv4/IPv6 header for those ethertypes. */
			if (len > 40)
				len = 40 + rnd() % (len - 40);
			break;
		case 1:
			if (len + 8 < BT_MAX) {
				for (int k = 0; k < 8; k++)
					p[len + (size_t)k] = (uint8_t)rnd();
				len += 1 + rnd() % 8;
			}
			break;
		default:
			p[rnd() % len] ^= (uint8_t)(1u << (rnd() % 8));
			break;
		}
	}
	if (rnd() % 2 && len >= 20 && p[0] >> 4 == 4 && hl >= 20 && hl <= len) {
		rtr_put16(p + 2, (uint16_t)len);
		rtr_put16(p + 10, 0);
		rtr_put16(p + 10, rtr_csum(p, hl));
		if (p[9] == RTR_IPPROTO_ICMP && len >= hl + 4) {
			rtr_put16(p + hl + 2, 0);
			rtr_put16(p + hl + 2, rtr_csum(p + hl, len - hl));
		}
	} else if (rnd() % 2 && len >= 44 && p[0] >> 4 == 6 && p[6] == RTR_IPPROTO_ICMPV6) {
		struct rtr_addr s, d;

		rtr_put16(p + 4, (uint16_t)(len - 40));
		rtr_addr_from_v6(&s, p + 8);
		rtr_addr_from_v6(&d, p + 24);
		rtr_put16(p + 42, 0);
		rtr_put16(p + 42, rtr_csum_fold(rtr_csum_add(
					  rtr_csum_pseudo(6, &s, &d, 58, (uint32_t)(len - 40)),
					  p + 40, len - 40)));
	}
	return len;
}

static size_t gen_foreign(uint8_t *out)
{
	uint8_t l4[64];
	int f = rnd() % 2 ? 4 : 6;
	uint8_t proto = (uint8_t[]){1, 6, 17, 58, 47}[rnd() % 5];
	size_t n = 8 + rnd() % 56;

	for (size_t i = 0; i < n; i++)
		l4[i] = (uint8_t)rnd();
	return bt_ip(out, f, f == 4 ? &clients4[0] : &clients6[0],
		     f == 4 ? &servers4[0] : &servers6[0], proto, 64, (uint16_t)rnd(), l4, n);
}

static void test_differential(void **state)
{
	struct srv_cfg cfg;
	long probes = 0, answers = 0, drops = 0, passes = 0, errors = 0;

	(void)state;
	/* RTR_DIFF_SEED explores other sequences; the suite runs the fixed default. */
	if (getenv("RTR_DIFF_SEED"))
		rng = strtoull(getenv("RTR_DIFF_SEED"), NULL, 0) | 1;
	addrs();
	bt_cfg(&cfg);
	cfg.timeout_ns = 3600000000000ull; /* no session expires during the run */
	mdl.timeout_ns = cfg.timeout_ns;
	assert_int_equal(bt_setup(&env, &cfg), 0);
	for (long it = 0; it < ITERATIONS; it++) {
		uint8_t pkt[BT_MAX];
		struct bt_result r;
		struct rtr_probe_seen seen;
		uint8_t mstate = 0, ostate = 0;
		size_t which = 0, len;
		enum kind want, got;
		uint32_t pick = rnd() % 10;

		/* Many live sessions: answer some before asking for more. */
		if (mdl.n > MODEL_MAX_SESS / 2 && pick < 4)
			pick += 4;
		len = pick < 4 ? gen_request(pkt) : pick < 8 ? gen_answer(pkt) : gen_foreign(pkt);
		if (len < 20) {
			fail_msg("generator %u built no packet", pick);
		}
		if (rnd() % 2)
			len = mutate(pkt, len);
		/* An IPv6 ethertype needs 40 bytes in BPF_PROG_TEST_RUN: pad such a mutant. */
		if (pkt[0] >> 4 == 6 && len < 40) {
			memset(pkt + len, 0, 40 - len);
			len = 40;
		}
		want = model_decide(&mdl, pkt, len, 0, &mstate, &which);
		if (bt_run(&env, srv_prog_fd(&env.srv), pkt, len, &r)) {
			char hex[3 * 64 + 1] = "";

			for (size_t i = 0; i < len && i < 64; i++)
				sprintf(hex + 3 * i, "%02x ", pkt[i]);
			fail_msg("packet %ld (%zu bytes) not accepted by BPF_PROG_TEST_RUN: %s", it,
				 len, hex);
		}
		got = model_observed(&r, pkt, len, &ostate, &seen);
		if ((int)got < 0 || got != want || (want == K_ERR && mstate != ostate)) {
			char hex[3 * 200 + 1] = "";

			for (size_t i = 0; i < len && i < 200; i++)
				sprintf(hex + 3 * i, "%02x ", pkt[i]);
			fail_msg("packet %ld: model says %s (state %u), program gave %s (verdict "
				 "%u, "
				 "state %u)\n%s",
				 it, kind_name[want], mstate,
				 (int)got < 0 ? "garbage" : kind_name[got], r.retval, ostate, hex);
		}
		if (got == K_PROBE) {
			struct rtr_ip ip;
			int hl = rtr_ip_decode(&ip, pkt, len, 0);

			if (model_add(&mdl, &seen, r.l3, r.l3len,
				      rtr_get16(pkt + hl + RTR_REQ_OFF_IDENT), 0) < 0)
				fail_msg("model table full");
			probes++;
		} else if (got == K_OK) {
			mdl.s[which].live = false;
			answers++;
		}
		drops += got == K_DROP;
		passes += got == K_PASS;
		errors += got == K_ERR;
	}
	print_message(
		"differential: %d packets agree: %ld probes, %ld success responses, %ld error "
		"responses, %ld drops, %ld passed\n",
		ITERATIONS, probes, answers, errors, drops, passes);
	/* The run must have exercised every outcome. */
	assert_true(probes > 1000 && answers > 1000 && errors > 1000 && drops > 1000 &&
		    passes > 1000);
	bt_teardown(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_differential)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
