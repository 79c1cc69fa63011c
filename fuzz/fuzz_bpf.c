// SPDX-License-Identifier: BSD-2-Clause
/* fuzz_bpf.c: differential fuzzer of the real tc program (BPF_PROG_TEST_RUN) against the proto/
 * model, over sequences of requests, answers to the probes it sent, and foreign packets.
 *
 * Root only: LLVMFuzzerInitialize moves the process into a network namespace of its own (the
 * layout of tests/bpf/testns.sh, built with ip(8)), because BPF_PROG_TEST_RUN really transmits
 * what the program redirects; the namespace dies with the process. Without root it prints one
 * "SKIP fuzz_bpf: needs root" line and exits 0.
 *
 * Input: records of BF_REC bytes, one packet each (see build() below); the session table
 * carries over between the packets of one input and is emptied before the next input. For every
 * packet the program's verdict and output kind must be the model's (tests/bpf/model.c); probes
 * must re-encode to the same bytes for the request that caused them (bt_check_probe); error and
 * success responses must be byte for byte the responses the model names (bt_check_response);
 * and the program's live sessions must be the model's.
 */
/* fuzz-sources: tests/bpf/bpftest.c tests/bpf/model.c server-bpf/srv.c server-bpf/own.c
 * server-bpf/local.c common/diag.c */
/* fuzz-cflags: -Itests/bpf -Iserver-bpf -Ibuild/server-bpf -I/usr/include/libnl3 */
/* fuzz-libs: -lbpf -lelf -lz -lnl-route-3 -lnl-3 */
/* fuzz-needs: root */
/* fuzz-prereqs: build/server-bpf/rtr.skel.h */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpftest.h"
#include "cursor.h"
#include "fuzz.h"
#include "ip.h"
#include "model.h"
#include "request.h"
#include "response.h"
#include "rtr.skel.h"
#include "rtr_wire.h"
#include "srv.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BF_REC 12
#define BF_MAX_SESS 8192 /* the table is emptied per input: small, yet never full */
#define BF_MAX_RECS 100	 /* packets per input: far fewer sessions than the table holds */

static struct bt_env env;
static struct model mdl;
static struct rtr_addr clients[2][3], servers[2][2];

static const char *const netns_setup[] = {
	"ip link set lo up",
	/* bpf_fib_lookup needs forwarding on the input device (LAB-NOTES); the namespace is
	 * ours alone, so nothing is saved or restored as rtr-server does. */
	"sysctl -qw net.ipv4.conf.lo.forwarding=1 net.ipv6.conf.lo.forwarding=1",
	"ip link add rtrt0 type veth peer name rtrt1",
	"ip link set rtrt0 address 02:00:00:00:00:01",
	"ip link set rtrt1 address 02:00:00:00:00:02",
	"ip link set rtrt0 up",
	"ip link set rtrt1 up",
	"ip addr add 198.51.100.1/32 dev rtrt0",
	"ip -6 addr add 2001:db8:1::1/128 dev rtrt0 nodad",
	"ip route add 198.51.100.254/32 dev rtrt0",
	"ip -6 route add 2001:db8:1::fe/128 dev rtrt0",
	"ip neigh replace 198.51.100.254 lladdr 02:00:00:00:00:02 nud permanent dev rtrt0",
	"ip -6 neigh replace 2001:db8:1::fe lladdr 02:00:00:00:00:02 nud permanent dev rtrt0",
	"ip route add 198.51.100.0/24 via 198.51.100.254",
	"ip route add 203.0.113.0/24 via 198.51.100.254",
	"ip -6 route add 2001:db8::/32 via 2001:db8:1::fe",
	"ip addr add 100.64.7.1/24 brd + dev rtrt0",
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (geteuid() != 0) {
		printf("SKIP fuzz_bpf: needs root (BPF_PROG_TEST_RUN inside its own namespace)\n");
		exit(0);
	}
	/* A namespace of our own: nothing the program redirects leaves it, and it needs no
	 * cleanup (it ends with the last process in it). */
	if (unshare(CLONE_NEWNET)) {
		perror("fuzz_bpf: unshare(CLONE_NEWNET)");
		exit(1);
	}
	for (size_t i = 0; i < sizeof(netns_setup) / sizeof(netns_setup[0]); i++)
		if (system(netns_setup[i])) {
			fprintf(stderr, "fuzz_bpf: failed: %s\n", netns_setup[i]);
			exit(1);
		}
	struct srv_cfg cfg;
	bt_cfg(&cfg);
	cfg.max_sessions = BF_MAX_SESS;
	cfg.src_sessions = BF_MAX_SESS;	   /* the table's size is the only limit */
	cfg.timeout_ns = 3600000000000ull; /* no session expires within an input */
	mdl.timeout_ns = cfg.timeout_ns;
	if (bt_setup(&env, &cfg))
		exit(1);
	static const char *const c[2][3] = {
		{"203.0.113.7", "203.0.113.99", "198.51.100.254"},
		{"2001:db8:2::7", "2001:db8:3::1234", "2001:db8:1::fe"}};
	static const char *const s[2][2] = {{"198.51.100.1", "224.0.0.1"},
					    {"2001:db8:1::1", "ff02::1"}};
	for (int f = 0; f < 2; f++) {
		for (int i = 0; i < 3; i++)
			rtr_addr_parse(&clients[f][i], c[f][i]);
		for (int i = 0; i < 2; i++)
			rtr_addr_parse(&servers[f][i], s[f][i]);
	}
	return 0;
}

/*
 * A request: x[0] bit 6 IPv6; x[1] client (% 3) and, bit 7, the group address as server;
 * x[2] identifier (% 16: repeats happen); x[3] TTL; x[4] protocol; x[5..6] flow; x[7] extension
 * (padding, unknown object, target object, none); x[8] sequence.
 */
static size_t request(const uint8_t *x, uint8_t *out)
{
	static const uint8_t protos[] = {0, 1, 6, 17, 58, 99, RTR_IPPROTO_UDP, RTR_IPPROTO_TCP};
	int fi = x[0] >> 6 & 1;
	const struct rtr_addr *c = &clients[fi][x[1] % 3];
	struct rtr_request rq = {
		.ident = (uint16_t)(x[2] % 16),
		.seq = x[8],
		.ttl = x[3],
		.proto = protos[x[4] % 8],
		.flow = rtr_get16(x + 5),
	};
	switch (x[7] & 3) {
	case 0:
		rq.has_padding = true;
		rq.padding_len = (uint16_t)(4 + x[7] / 4 % 60);
		break;
	case 1:
		bt_unknown_object(&rq, x[7], x[8]);
		break;
	case 2:
		rq.has_target = true;
		rq.target_obj_len = x[7] & 4 ? 16 : 20;
		rq.target = *c;
		break;
	}
	return bt_request(out, fi ? 6 : 4, c, &servers[fi][x[1] >> 7], &rq);
}

/*
 * An answer to a live session's probe: x[1] which (% live sessions); x[2] kind (Time Exceeded,
 * Destination Unreachable with code x[3], Echo Reply, TCP with flags x[3]); x[4] quote length;
 * x[5] IPv4 option words; x[6] from the target instead of the router. With no live session,
 * a request.
 */
static size_t answer(const uint8_t *x, uint8_t *out)
{
	size_t live[MODEL_MAX_SESS], n = 0;
	for (size_t i = 0; i < mdl.n; i++)
		if (mdl.s[i].live)
			live[n++] = i;
	if (!n)
		return request(x, out);
	const struct model_sess *s = &mdl.s[live[x[1] % n]];
	struct bt_probe bp;
	memset(&bp, 0, sizeof(bp));
	bp.p = s->sent;
	memcpy(bp.pkt, s->pkt, s->len);
	bp.len = s->len;
	int f = bp.p.family;
	const struct rtr_addr *router = f == 4 ? &env.router4 : &env.router6;
	const struct rtr_addr *from = x[6] & 1 ? &bp.p.dst : router;
	size_t quote = x[4] & 0x80 ? bp.len : (size_t)(f == 4 ? 20 : 40) + x[4] % 64;
	size_t opts = f == 4 ? 4 * (size_t)(x[5] % 4) : 0;
	switch (x[2] % 5) {
	case 0:
		return bt_icmp_error(out, &bp, from, f == 4 ? 11 : 3, x[3] & 1, quote, opts);
	case 1:
		return bt_icmp_error(out, &bp, from, f == 4 ? 3 : 1, (uint8_t)(x[3] % 16), quote,
				     opts);
	case 2:
		if (bp.p.proto != RTR_IPPROTO_TCP)
			return bt_echo_reply(out, &bp);
		/* fall through */
	default:
		if (bp.p.proto == RTR_IPPROTO_TCP)
			return bt_tcp_answer(out, &bp, x[3], rtr_get32(x + 7));
		return bt_icmp_error(out, &bp, router, f == 4 ? 11 : 3, 0, bp.len, 0);
	}
}

/* Not ours: x[1] protocol, x[2] length, the rest as L4 bytes repeated. */
static size_t foreign(const uint8_t *x, uint8_t *out)
{
	static const uint8_t protos[] = {1, 6, 17, 58, 47, 0, 1, 58};
	int fi = x[0] >> 6 & 1;
	uint8_t l4[64];
	size_t n = 8 + x[2] % 56;
	for (size_t i = 0; i < n; i++)
		l4[i] = x[3 + i % 6];
	return bt_ip(out, fi ? 6 : 4, &clients[fi][0], &servers[fi][0], protos[x[1] % 8], 64,
		     rtr_get16(x + 9), l4, n);
}

/*
 * One record's packet: x[0] bits 0-1 kind (request, answer, foreign, answer); bit 2 xor x[10]
 * into byte x[9]; bit 3 cut at 40 + x[11]; bit 4 append x[11] % 16 bytes; bit 5 recompute
 * checksums afterwards (so the mutation gets past them); bit 6 IPv6.
 */
static size_t build(const uint8_t *x, uint8_t *p)
{
	size_t len;
	switch (x[0] & 3) {
	case 0:
		len = request(x, p);
		break;
	case 2:
		len = foreign(x, p);
		break;
	default:
		len = answer(x, p);
	}
	if (x[0] & 4)
		p[x[9] % len] ^= x[10] ? x[10] : 1;
	if (x[0] & 8 && len > 40)
		len = 40 + x[11] % (len - 40);
	if (x[0] & 16 && len + 16 < BT_MAX) {
		for (size_t i = 0; i < (size_t)x[11] % 16; i++)
			p[len++] = (uint8_t)(x[10] + i);
	}
	if (x[0] & 32) {
		/* Lengths first (as a sender would), then checksums. */
		if (p[0] >> 4 == 4 && len >= 20)
			rtr_put16(p + 2, (uint16_t)len);
		else if (p[0] >> 4 == 6 && len >= 40)
			rtr_put16(p + 4, (uint16_t)(len - 40));
		fuzz_fix_packet(p, len);
	}
	/* BPF_PROG_TEST_RUN wants a whole IPv6 header for that ethertype. */
	if (p[0] >> 4 == 6 && len < 40) {
		memset(p + len, 0, 40 - len);
		len = 40;
	}
	return len;
}

static void dump(const char *what, const uint8_t *p, size_t len)
{
	fprintf(stderr, "%s (%zu bytes):", what, len);
	for (size_t i = 0; i < len && i < 200; i++)
		fprintf(stderr, " %02x", p[i]);
	fprintf(stderr, "\n");
}

/* The exact output the model expects for a probe, an error or a success response. */
static const char *check_bytes(const uint8_t *pkt, size_t len, const struct bt_result *r,
			       enum kind k, uint8_t state, size_t which)
{
	struct rtr_ip ip;
	int hl = rtr_ip_decode(&ip, pkt, len, 0);
	if (k == K_OK) {
		const struct model_sess *s = &mdl.s[which];
		struct rtr_response rsp = {.ident = s->ident, .state = RTR_STATE_OK};
		if (hl < 0)
			return "success response to a packet that does not decode";
		rsp.hop = ip.src;
		/* The RTT is real time: bounded by the whole run, not by a fixed figure. */
		return bt_check_response(r, s->sent.family, &s->sent.dst, &s->sent.src, &rsp,
					 3600000000000ull);
	}
	if (k != K_PROBE && k != K_ERR)
		return NULL;
	struct rtr_l3 l3 = {.family = ip.family, .src = ip.src, .dst = ip.dst};
	struct rtr_request rq;
	if (hl < 0 || rtr_request_decode(&rq, &l3, pkt + hl, rtr_ip_l4_len(&ip, len)) < 0)
		return "probe or error response to a request that does not decode";
	if (k == K_ERR) {
		uint16_t value = 0;
		FUZZ_CHECK(rtr_request_state(&rq, ip.family, NULL, &value) == state);
		struct rtr_response rsp = {.ident = rq.ident, .state = state, .value = value};
		return bt_check_response(r, ip.family, &ip.src, &ip.dst, &rsp, 0);
	}
	int proto = rtr_request_probe_proto(rq.proto, ip.family);
	struct bt_probe bp;
	return bt_check_probe(r, ip.family, &ip.src, &ip.dst, (uint8_t)proto,
			      rtr_request_probe_flow((uint8_t)proto, rq.flow), rq.ttl, &bp);
}

static long model_live(void)
{
	long n = 0;
	for (size_t i = 0; i < mdl.n; i++)
		n += mdl.s[i].live;
	return n;
}

/*
 * Every input starts from an empty server: no sessions, and no per-source counts or tokens
 * (srv_clear_sessions leaves the sources map alone; the campaign's first finding was a drop
 * by a per-source session cap that earlier inputs had filled, a harness artifact).
 */
static void reset_server(void)
{
	int fd = bpf_map__fd(env.srv.skel->maps.sources);
	struct rtr_src_state zero;
	memset(&zero, 0, sizeof(zero));
	srv_clear_sessions(&env.srv);
	for (int f = 0; f < 2; f++)
		for (int i = 0; i < 3; i++) {
			__u32 slot = rtr_src_slot(clients[f][i].b, f ? 6 : 4, env.srv.src_seed);
			FUZZ_CHECK(bpf_map_update_elem(fd, &slot, &zero, BPF_EXIST) == 0);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reset_server();
	mdl.n = 0;
	for (size_t off = 0; off + BF_REC <= size && off < BF_MAX_RECS * BF_REC; off += BF_REC) {
		uint8_t pkt[BT_MAX];
		size_t len = build(data + off, pkt), which = 0;
		uint8_t mstate = 0, ostate = 0;
		struct bt_result r;
		struct rtr_probe_seen seen;
		enum kind want = model_decide(&mdl, pkt, len, 0, &mstate, &which);
		if (bt_run(&env, srv_prog_fd(&env.srv), pkt, len, &r)) {
			dump("BPF_PROG_TEST_RUN refused the packet", pkt, len);
			FUZZ_CHECK(!"BPF_PROG_TEST_RUN accepts every packet the harness builds");
		}
		enum kind got = model_observed(&r, pkt, len, &ostate, &seen);
		if ((int)got < 0 || got != want || (want == K_ERR && mstate != ostate)) {
			fprintf(stderr,
				"packet %zu: model says %s (state %u), program gave %s "
				"(verdict %u, state %u)\n",
				off / BF_REC, kind_name[want], mstate,
				(int)got < 0 ? "garbage" : kind_name[got], r.retval, ostate);
			dump("in", pkt, len);
			dump("out", r.l3, r.l3len);
		}
		/* For a human reading a regression input: what each packet did. */
		if (getenv("FUZZ_BPF_PRINT"))
			fprintf(stderr, "packet %zu: %s (state %u), %zu bytes\n", off / BF_REC,
				(int)got < 0 ? "garbage" : kind_name[got], ostate, len);
		FUZZ_CHECK((int)got >= 0 && got == want);
		FUZZ_CHECK(want != K_ERR || mstate == ostate);
		const char *bad = check_bytes(pkt, len, &r, got, mstate, which);
		if (bad) {
			fprintf(stderr, "packet %zu: %s\n", off / BF_REC, bad);
			dump("in", pkt, len);
			dump("out", r.l3, r.l3len);
		}
		FUZZ_CHECK(bad == NULL);
		if (got == K_PROBE) {
			struct rtr_ip ip;
			int hl = rtr_ip_decode(&ip, pkt, len, 0);
			FUZZ_CHECK(model_add(&mdl, &seen, r.l3, r.l3len,
					     rtr_get16(pkt + hl + RTR_REQ_OFF_IDENT), 0) >= 0);
		} else if (got == K_OK) {
			mdl.s[which].live = false;
		}
		/* Map side effects: the program holds exactly the sessions the model holds. */
		long have = srv_count_sessions(&env.srv), model = model_live();
		if (have != model)
			fprintf(stderr, "packet %zu: program holds %ld sessions, model %ld\n",
				off / BF_REC, have, model);
		FUZZ_CHECK(have == model);
	}
	return 0;
}
