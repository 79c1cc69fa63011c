/* test_diff.c: differential test: >= 100 000 random and mutated packets through the program and a proto/ model. */
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

enum kind { K_PASS, K_DROP, K_PROBE, K_ERR, K_OK };
static const char *const kind_name[] = {"pass", "drop", "probe", "error response",
					"success response"};

#define MAX_SESS 4096
#define ITERATIONS 120000

struct sess {
	struct rtr_probe sent;
	uint8_t pkt[256];
	size_t len;
	uint16_t ident;
	bool live;
};

static struct bt_env env;
static struct sess sessions[MAX_SESS];
static size_t nsess;
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
	rtr_addr_parse(&servers4[1], "224.0.0.1"); /* group address: never answered */
	rtr_addr_parse(&servers6[0], "2001:db8:1::1");
	rtr_addr_parse(&servers6[1], "ff02::1");
}

/* ---- the model ---------------------------------------------------------------------- */

static bool is_group(const struct rtr_addr *a, int family)
{
	return family == 4 ? rtr_addr_v4(a)[0] >= 224 : a->b[0] == 0xff;
}

/*
 * Whether the test namespace (tests/bpf/testns.sh) routes to a as unicast:
 * 203.0.113.0/24 and 2001:db8:2::/48, 2001:db8:3::/48 via the peer, and the
 * connected 198.51.100.0/24 and 2001:db8:1::/64 except our own, the
 * broadcast and the subnet-router anycast addresses.
 */
static bool routable(const struct rtr_addr *a, int family)
{
	static const uint8_t net6[] = {0x20, 0x01, 0x0d, 0xb8, 0x00};

	if (family == 4) {
		const uint8_t *v = rtr_addr_v4(a);

		if (v[0] == 203 && v[1] == 0 && v[2] == 113)
			return true;
		return v[0] == 198 && v[1] == 51 && v[2] == 100 && v[3] != 1 && v[3] != 255;
	}
	if (memcmp(a->b, net6, 5))
		return false;
	if (a->b[5] == 2 || a->b[5] == 3)
		return true;
	if (a->b[5] != 1 || a->b[6] || a->b[7])
		return false;
	for (int i = 8; i < 15; i++)
		if (a->b[i])
			return true;
	return a->b[15] > 1;
}

static bool pending_has(const struct rtr_addr *client, uint16_t ident)
{
	for (size_t i = 0; i < nsess; i++)
		if (sessions[i].live && sessions[i].ident == ident &&
		    rtr_addr_eq(&sessions[i].sent.dst, client))
			return true;
	return false;
}

/* Counts extension objects the way the server walks them; -1 when the walk fails. */
static int ext_objects(const uint8_t *icmp, size_t len)
{
	size_t off = RTR_REQ_OFF_EXT + RTR_EXT_HDR_LEN;
	int n = 0;

	while (off < len) {
		size_t olen;

		if (off + 4 > len)
			return -1;
		olen = rtr_get16(icmp + off);
		if (icmp[off + 2] == RTR_EXT_CLASS_TARGET && icmp[off + 3] == 0)
			olen = RTR_EXT_TARGET_LEN_RFC;
		if (olen < 4)
			return -1;
		off += olen;
		n++;
	}
	return n;
}

static enum kind model_request(const struct rtr_ip *ip, const uint8_t *pkt, size_t len,
			       size_t hl, size_t l4len, uint8_t *state)
{
	struct rtr_l3 l3 = {.family = ip->family, .src = ip->src, .dst = ip->dst};
	struct rtr_request rq;
	uint16_t value;
	int err, st;

	if (ip->fragment)
		return K_DROP;
	if (l4len < RTR_REQ_LEN || hl + RTR_REQ_LEN > len)
		return K_DROP;
	if (l4len > 1024 || is_group(&ip->dst, ip->family) || is_group(&ip->src, ip->family))
		return K_DROP;
	err = rtr_request_decode(&rq, &l3, pkt + hl, l4len);
	if (err < 0)
		return K_DROP; /* checksum, extension structure */
	if (rq.has_ext && ext_objects(pkt + hl, l4len) > 16)
		return K_DROP;
	st = rtr_request_state(&rq, ip->family, NULL, &value);
	if (!routable(&ip->src, ip->family))
		return K_DROP; /* no route back */
	if (st) {
		*state = (uint8_t)st;
		return K_ERR;
	}
	return pending_has(&ip->src, rq.ident) ? K_DROP : K_PROBE;
}

static enum kind model_answer(const uint8_t *pkt, size_t len, size_t l4len, size_t *which)
{
	struct rtr_answer a;
	int err = rtr_answer_decode(&a, pkt, len);

	if (l4len > 1280)
		return K_PASS;
	if (err == RTR_E_CHECKSUM &&
	    (pkt[0] >> 4 == 4 ? pkt[9] == RTR_IPPROTO_TCP : pkt[6] == RTR_IPPROTO_TCP)) {
		/* The server also takes a TCP answer whose field is the bare pseudo-header sum. */
		struct rtr_ip ip;
		int hl = rtr_ip_decode(&ip, pkt, len, 0);
		uint8_t copy[BT_MAX];
		uint32_t ps;

		if (hl > 0 && l4len >= 20) {
			ps = rtr_csum_pseudo(ip.family, &ip.src, &ip.dst, RTR_IPPROTO_TCP,
					     (uint32_t)l4len);
			uint16_t bare = (uint16_t)~rtr_csum_fold(ps);

			if (rtr_get16(pkt + hl + 16) == bare) {
				memcpy(copy, pkt, len);
				rtr_put16(copy + hl + 16, 0);
				rtr_put16(copy + hl + 16,
					  rtr_csum_fold(rtr_csum_add(ps, copy + hl, l4len)));
				err = rtr_answer_decode(&a, copy, len);
			}
		}
	}
	if (err != RTR_OK)
		return K_PASS;
	for (size_t i = 0; i < nsess; i++) {
		if (sessions[i].live && rtr_answer_match(&a, &sessions[i].sent) == RTR_OK) {
			*which = i;
			return K_OK;
		}
	}
	return K_PASS;
}

/* The decision for one IP packet; *which names the session an answer ends. */
static enum kind model(const uint8_t *pkt, size_t len, uint8_t *state, size_t *which)
{
	struct rtr_ip ip;
	int hl = rtr_ip_decode(&ip, pkt, len, 0);
	size_t l4len;
	const uint8_t *l4;

	if (hl < 0)
		return K_PASS; /* the kernel drops it, or it is not IP */
	if (ip.proto != RTR_IPPROTO_TCP &&
	    ip.proto != (ip.family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6))
		return K_PASS;
	if (ip.family == 4 && (rtr_get16(pkt + 6) & 0x1fff))
		return K_PASS; /* a later fragment shows no L4 header */
	if (ip.family == 6 && ip.fragment && (rtr_get16(pkt + 42) & 0xfff8))
		return K_PASS;
	l4len = rtr_ip_l4_len(&ip, len);
	l4 = pkt + hl;
	if ((size_t)hl + 4 > len)
		return K_PASS;
	if (ip.proto == RTR_IPPROTO_TCP) {
		if ((size_t)hl + 14 > len || rtr_get16(l4 + 2) != RTR_PROBE_SPORT)
			return K_PASS;
		if (!(l4[13] & RTR_TCP_ACK) || !(l4[13] & (RTR_TCP_RST | RTR_TCP_SYN)))
			return K_PASS;
		return model_answer(pkt, len, l4len, which);
	}
	if (l4[0] == (ip.family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST) &&
	    l4[1] == RTR_CODE_RTR)
		return model_request(&ip, pkt, len, (size_t)hl, l4len, state);
	if ((l4[0] == (ip.family == 4 ? RTR_ICMP4_TIME_EXCEEDED : RTR_ICMP6_TIME_EXCEEDED) &&
	     l4[1] == 0) ||
	    l4[0] == (ip.family == 4 ? RTR_ICMP4_DEST_UNREACH : RTR_ICMP6_DEST_UNREACH) ||
	    (l4[0] == (ip.family == 4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY) && l4[1] == 0))
		return model_answer(pkt, len, l4len, which);
	return K_PASS;
}

/* ---- what the program did ------------------------------------------------------------ */

static enum kind observed(const struct bt_result *r, const uint8_t *in, size_t len, uint8_t *state,
			  struct rtr_probe_seen *probe)
{
	struct rtr_ip ip;
	struct rtr_response rsp;
	int hl;

	if (r->retval == BT_TC_ACT_OK)
		return bt_unchanged(r, in, len) ? K_PASS : (enum kind)-1;
	if (r->retval == BT_TC_ACT_SHOT)
		return K_DROP;
	if (r->retval != BT_TC_ACT_REDIRECT)
		return (enum kind)-1;
	if (rtr_probe_decode(probe, r->l3, r->l3len, 0) == RTR_OK)
		return K_PROBE;
	hl = rtr_ip_decode(&ip, r->l3, r->l3len, 0);
	if (hl < 0)
		return (enum kind)-1;
	struct rtr_l3 l3 = {.family = ip.family, .src = ip.src, .dst = ip.dst};
	if (rtr_response_decode(&rsp, &l3, r->l3 + hl, rtr_ip_l4_len(&ip, r->l3len)) < 0)
		return (enum kind)-1;
	*state = rsp.state;
	return rsp.state ? K_ERR : K_OK;
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
		rq.has_unknown = true;
		rq.unknown_class = (uint8_t)rnd();
		rq.unknown_ctype = (uint8_t)rnd();
		break;
	case 2:
		rq.has_target = true;
		rq.target_obj_len = rnd() % 2 ? 16 : 20;
		rq.target = *c;
		break;
	default:
		break;
	}
	return bt_request(out, f, c, s, &rq);
}

static size_t gen_answer(uint8_t *out)
{
	struct sess *s = NULL;
	struct bt_probe bp;
	int f;

	for (int tries = 0; tries < 64 && nsess; tries++) {
		struct sess *c = &sessions[rnd() % nsess];

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
				     f == 4 ? 11 : 3, (uint8_t)(rnd() % 4 == 0), rnd() % 3 ? bp.len
											: 28 + rnd() % 20,
				     f == 4 && rnd() % 4 == 0 ? 4 * (rnd() % 3) : 0);
	case 2:
		return bt_icmp_error(out, &bp, &bp.p.dst, f == 4 ? 3 : 1, (uint8_t)(rnd() % 16), bp.len,
				     0);
	case 3:
		if (bp.p.proto != RTR_IPPROTO_TCP)
			return bt_echo_reply(out, &bp);
		/* fall through */
	default:
		if (bp.p.proto == RTR_IPPROTO_TCP) {
			static const uint8_t fl[] = {RTR_TCP_RST | RTR_TCP_ACK, RTR_TCP_SYN | RTR_TCP_ACK,
						     RTR_TCP_RST, RTR_TCP_ACK};
			return bt_tcp_answer(out, &bp, fl[rnd() % 4], rnd());
		}
		return bt_icmp_error(out, &bp, &env.router4, 11, 0, bp.len, 0);
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
		rtr_put16(p + 42, rtr_csum_fold(rtr_csum_add(rtr_csum_pseudo(6, &s, &d, 58,
									     (uint32_t)(len - 40)),
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
	return bt_ip(out, f, f == 4 ? &clients4[0] : &clients6[0], f == 4 ? &servers4[0] : &servers6[0],
		     proto, 64, (uint16_t)rnd(), l4, n);
}

static void test_differential(void **state)
{
	struct srv_cfg cfg;
	long probes = 0, answers = 0, drops = 0, passes = 0, errors = 0;

	(void)state;
	addrs();
	bt_cfg(&cfg);
	cfg.timeout_ns = 3600000000000ull; /* no session expires during the run */
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
		if (nsess > MAX_SESS / 2 && pick < 4)
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
		want = model(pkt, len, &mstate, &which);
		if (bt_run(&env, srv_prog_fd(&env.srv), pkt, len, &r)) {
			char hex[3 * 64 + 1] = "";

			for (size_t i = 0; i < len && i < 64; i++)
				sprintf(hex + 3 * i, "%02x ", pkt[i]);
			fail_msg("packet %ld (%zu bytes) not accepted by BPF_PROG_TEST_RUN: %s", it, len,
				 hex);
		}
		got = observed(&r, pkt, len, &ostate, &seen);
		if ((int)got < 0 || got != want || (want == K_ERR && mstate != ostate)) {
			char hex[3 * 200 + 1] = "";

			for (size_t i = 0; i < len && i < 200; i++)
				sprintf(hex + 3 * i, "%02x ", pkt[i]);
			fail_msg("packet %ld: model says %s (state %u), program gave %s (verdict %u, "
				 "state %u)\n%s",
				 it, kind_name[want], mstate, (int)got < 0 ? "garbage" : kind_name[got],
				 r.retval, ostate, hex);
		}
		if (got == K_PROBE) {
			struct rtr_ip ip;
			int hl = rtr_ip_decode(&ip, pkt, len, 0);
			size_t slot = nsess < MAX_SESS ? nsess++ : rnd() % MAX_SESS;

			/* A slot reused while live would desynchronise: keep the table small. */
			if (sessions[slot].live)
				fail_msg("model table full (slot %zu of %zu, packet %ld)", slot, nsess, it);
			sessions[slot].live = true;
			sessions[slot].ident = rtr_get16(pkt + hl + RTR_REQ_OFF_IDENT);
			sessions[slot].sent = (struct rtr_probe){.family = seen.family,
								 .proto = seen.proto,
								 .src = seen.src,
								 .dst = seen.dst,
								 .ttl = seen.ttl,
								 .flow = seen.flow,
								 .id = seen.id};
			memcpy(sessions[slot].pkt, r.l3, r.l3len);
			sessions[slot].len = r.l3len;
			(void)ip;
			probes++;
		} else if (got == K_OK) {
			sessions[which].live = false;
			answers++;
		}
		drops += got == K_DROP;
		passes += got == K_PASS;
		errors += got == K_ERR;
		/* Compact ended sessions now and then. */
		if (nsess > MAX_SESS - 64) {
			size_t w = 0;

			for (size_t i = 0; i < nsess; i++)
				if (sessions[i].live)
					sessions[w++] = sessions[i];
			for (size_t i = w; i < nsess; i++)
				sessions[i].live = false;
			nsess = w;
			if (nsess > MAX_SESS - 64)
				fail_msg("too many live sessions");
		}
	}
	print_message("differential: %d packets agree: %ld probes, %ld success responses, %ld error "
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
