// SPDX-License-Identifier: BSD-2-Clause
/* proto_bench.c: ns per proto/ encode and decode, each beside an in-run rtr_csum baseline. */

/*
 * Prints "BENCH <name> <ns> ns <baseline-name> <baseline-ns>" per operation.
 * Each figure is the median of RUNS timed runs (CLOCK_MONOTONIC) of a loop
 * calibrated to about TARGET_NS; the baseline is rtr_csum over the same
 * message bytes, timed the same way with its runs interleaved with the op's, so the ratio says how
 * much a decoder or encoder costs beyond one checksum pass over its input.
 * Every operation is checked once for the expected result before it is timed:
 * a broken codec aborts the bench instead of timing an error path.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer.h"
#include "checksum.h"
#include "cursor.h"
#include "ip.h"
#include "probe.h"
#include "request.h"
#include "response.h"
#include "rtr_wire.h"

#define RUNS 15
#define TARGET_NS 1000000.0 /* per timed run: short, so preemption spoils few runs */

static volatile uint64_t sink;

/* One benchmarked operation: returns a value that must equal `want` on every call. */
struct op {
	const char *name;
	long (*fn)(const void *ctx);
	const void *ctx;
	long want;
	const uint8_t *bytes; /* the message the baseline checksums */
	size_t len;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Loop count that makes one timed run of fn(ctx) last about TARGET_NS. */
static uint64_t calibrate(long (*fn)(const void *), const void *ctx)
{
	uint64_t iters = 64;
	long acc = 0;

	for (;;) {
		double t0 = now_ns();
		for (uint64_t i = 0; i < iters; i++)
			acc += fn(ctx);
		double dt = now_ns() - t0;
		if (dt > TARGET_NS / 8) {
			sink += (uint64_t)acc;
			return (uint64_t)((double)iters * TARGET_NS / dt) + 1;
		}
		iters *= 2;
	}
}

/* ns per call of one timed run. */
static double one_run(long (*fn)(const void *), const void *ctx, uint64_t iters)
{
	long acc = 0;
	double t0 = now_ns();

	for (uint64_t i = 0; i < iters; i++)
		acc += fn(ctx);
	double dt = now_ns() - t0;
	sink += (uint64_t)acc;
	return dt / (double)iters;
}

/*
 * Medians of RUNS runs of fn and of base, interleaved run by run so that load
 * from other processes on the shared cores falls on both alike.
 */
static void time_pair(long (*fn)(const void *), const void *ctx, long (*base)(const void *),
		      const void *bctx, double *ns, double *base_ns)
{
	double t[RUNS], b[RUNS];
	uint64_t it = calibrate(fn, ctx), bit = calibrate(base, bctx);

	for (int r = 0; r < RUNS; r++) {
		t[r] = one_run(fn, ctx, it);
		b[r] = one_run(base, bctx, bit);
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	qsort(b, RUNS, sizeof(b[0]), cmp_double);
	*ns = t[RUNS / 2];
	*base_ns = b[RUNS / 2];
}

struct csum_ctx {
	const uint8_t *bytes;
	size_t len;
};

static long do_csum(const void *c)
{
	const struct csum_ctx *x = c;

	return rtr_csum(x->bytes, x->len);
}

static const char *only; /* --filter: run the ops whose name contains this */

static void run(const struct op *o)
{
	if (only && !strstr(o->name, only))
		return;
	long got = o->fn(o->ctx);
	if (got != o->want) {
		fprintf(stderr, "proto_bench: %s returned %ld, expected %ld\n", o->name, got,
			o->want);
		exit(1);
	}
	struct csum_ctx c = {o->bytes, o->len};
	double ns, base;
	time_pair(o->fn, o->ctx, do_csum, &c, &ns, &base);
	printf("BENCH proto_%s %.1f ns rtr_csum_%zuB %.1f\n", o->name, ns, o->len, base);
	fflush(stdout);
}

/* ---- fixtures ---- */

static struct rtr_l3 l3_4, l3_6;
static struct rtr_probe probes[2][3]; /* [v6][udp, tcp, icmp] */
static uint8_t rnd[64];

static void fixtures(void)
{
	static const uint8_t c4[4] = {198, 51, 100, 7}, s4[4] = {203, 0, 113, 9};
	static const uint8_t c6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7};
	static const uint8_t s6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9};
	static const uint8_t protos[3] = {RTR_IPPROTO_UDP, RTR_IPPROTO_TCP, 0};

	l3_4.family = 4;
	rtr_addr_from_v4(&l3_4.src, c4);
	rtr_addr_from_v4(&l3_4.dst, s4);
	l3_6.family = 6;
	rtr_addr_from_v6(&l3_6.src, c6);
	rtr_addr_from_v6(&l3_6.dst, s6);
	for (size_t i = 0; i < sizeof(rnd); i++)
		rnd[i] = (uint8_t)(i * 73 + 5);
	for (int v6 = 0; v6 < 2; v6++) {
		for (int i = 0; i < 3; i++) {
			struct rtr_probe *p = &probes[v6][i];
			const struct rtr_l3 *l3 = v6 ? &l3_6 : &l3_4;
			uint8_t r8[8] = {1, 2, 3, 4, 5, 6, 7, (uint8_t)(8 + i)};
			p->family = v6 ? 6 : 4;
			p->proto = protos[i] ? protos[i]
				   : v6	     ? RTR_IPPROTO_ICMPV6
					     : RTR_IPPROTO_ICMP;
			p->src = l3->dst;
			p->dst = l3->src;
			p->ttl = 5;
			p->flow = rtr_request_probe_flow(p->proto, 0);
			if (rtr_probe_id_from_random(&p->id, p->family, p->proto, r8) != RTR_OK)
				abort();
		}
	}
}

/* ---- requests and responses ---- */

struct req_ctx {
	const struct rtr_l3 *l3;
	struct rtr_request rq;
	uint8_t buf[256];
	size_t len;
};

static long req_decode(const void *c)
{
	const struct req_ctx *x = c;
	struct rtr_request rq;

	return rtr_request_decode(&rq, x->l3, x->buf, x->len);
}

static long req_encode(const void *c)
{
	const struct req_ctx *x = c;
	uint8_t out[256];

	return rtr_request_encode(out, sizeof(out), x->l3, &x->rq);
}

struct rsp_ctx {
	const struct rtr_l3 *l3;
	struct rtr_response rsp;
	uint8_t buf[64];
	size_t len;
};

static long rsp_decode(const void *c)
{
	const struct rsp_ctx *x = c;
	struct rtr_response rsp;

	return rtr_response_decode(&rsp, x->l3, x->buf, x->len);
}

static long rsp_encode(const void *c)
{
	const struct rsp_ctx *x = c;
	uint8_t out[64];

	return rtr_response_encode(out, sizeof(out), x->l3, &x->rsp);
}

static void bench_messages(void)
{
	static const uint8_t t6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5};
	static struct req_ctx rq[3];
	static struct rsp_ctx rs[3];
	static const char *rq_names[3] = {"request_v4", "request_v6", "request_ext_v6"};
	static const char *rs_names[3] = {"response_ok_v4", "response_error_v4", "response_ok_v6"};
	char name[64];

	rq[0] = (struct req_ctx){
		.l3 = &l3_4,
		.rq = {.ident = 0x1234, .seq = 7, .ttl = 3, .proto = 17, .flow = 33435}};
	rq[1] = (struct req_ctx){
		.l3 = &l3_6, .rq = {.ident = 0x1234, .seq = 7, .ttl = 3, .proto = 6, .flow = 443}};
	rq[2] = (struct req_ctx){.l3 = &l3_6,
				 .rq = {.ident = 0x1234,
					.seq = 7,
					.ttl = 3,
					.proto = 17,
					.has_target = true,
					.target_obj_len = 20,
					.has_padding = true,
					.padding_len = 64}};
	rtr_addr_from_v6(&rq[2].rq.target, t6);
	for (int i = 0; i < 3; i++) {
		int n = rtr_request_encode(rq[i].buf, sizeof(rq[i].buf), rq[i].l3, &rq[i].rq);
		if (n <= 0)
			abort();
		rq[i].len = (size_t)n;
		snprintf(name, sizeof(name), "%s_decode", rq_names[i]);
		run(&(struct op){name, req_decode, &rq[i], n, rq[i].buf, rq[i].len});
		snprintf(name, sizeof(name), "%s_encode", rq_names[i]);
		run(&(struct op){name, req_encode, &rq[i], n, rq[i].buf, rq[i].len});
	}

	rs[0] = (struct rsp_ctx){.l3 = &l3_4, .rsp = {.ident = 0x1234, .rtt_ns = 12345678}};
	rtr_addr_from_v4(&rs[0].rsp.hop, rtr_addr_v4(&l3_4.dst));
	rs[1] = (struct rsp_ctx){.l3 = &l3_4, .rsp = {.ident = 0x1234, .state = RTR_STATE_TTL}};
	rs[2] = (struct rsp_ctx){.l3 = &l3_6, .rsp = {.ident = 0x1234, .rtt_ns = 12345678}};
	rs[2].rsp.hop = l3_6.dst;
	for (int i = 0; i < 3; i++) {
		int n = rtr_response_encode(rs[i].buf, sizeof(rs[i].buf), rs[i].l3, &rs[i].rsp);
		if (n <= 0)
			abort();
		rs[i].len = (size_t)n;
		snprintf(name, sizeof(name), "%s_decode", rs_names[i]);
		run(&(struct op){name, rsp_decode, &rs[i], n, rs[i].buf, rs[i].len});
		snprintf(name, sizeof(name), "%s_encode", rs_names[i]);
		run(&(struct op){name, rsp_encode, &rs[i], n, rs[i].buf, rs[i].len});
	}
}

/* ---- probes and answers ---- */

struct probe_ctx {
	const struct rtr_probe *p;
	uint8_t pkt[128];
	size_t len;
};

static long probe_encode(const void *c)
{
	const struct probe_ctx *x = c;
	uint8_t out[128];

	return rtr_probe_encode(out, sizeof(out), x->p, rnd);
}

static long probe_decode(const void *c)
{
	const struct probe_ctx *x = c;
	struct rtr_probe_seen s;

	return rtr_probe_decode(&s, x->pkt, x->len, 0);
}

struct ans_ctx {
	const struct rtr_probe *p;
	struct rtr_answer a;
	uint8_t pkt[256];
	size_t len;
};

static long ans_decode(const void *c)
{
	const struct ans_ctx *x = c;
	struct rtr_answer a;

	return rtr_answer_decode(&a, x->pkt, x->len);
}

static long ans_match(const void *c)
{
	const struct ans_ctx *x = c;

	return rtr_answer_match(&x->a, x->p);
}

static long ans_decode_match(const void *c)
{
	const struct ans_ctx *x = c;
	struct rtr_answer a;
	int r = rtr_answer_decode(&a, x->pkt, x->len);

	return r ? r : rtr_answer_match(&a, x->p);
}

/* A router's Time Exceeded quoting the whole probe, checksums valid. */
static size_t time_exceeded(uint8_t *out, const struct probe_ctx *pc)
{
	static const uint8_t r4[4] = {198, 51, 100, 1};
	static const uint8_t r6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	const struct rtr_probe *p = pc->p;
	struct rtr_ip ip = {.family = p->family, .ttl = 61};
	size_t icmp_len = RTR_ICMP_HDR_LEN + pc->len;

	ip.proto = p->family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	if (p->family == 4)
		rtr_addr_from_v4(&ip.src, r4);
	else
		rtr_addr_from_v6(&ip.src, r6);
	ip.dst = p->src;
	int h = rtr_ip_encode(out, 256, &ip, icmp_len);
	if (h <= 0)
		abort();
	uint8_t *icmp = out + h;
	memset(icmp, 0, RTR_ICMP_HDR_LEN);
	icmp[0] = p->family == 4 ? RTR_ICMP4_TIME_EXCEEDED : RTR_ICMP6_TIME_EXCEEDED;
	memcpy(icmp + RTR_ICMP_HDR_LEN, pc->pkt, pc->len);
	uint32_t sum = p->family == 4 ? 0
				      : rtr_csum_pseudo(6, &ip.src, &ip.dst, RTR_IPPROTO_ICMPV6,
							(uint32_t)icmp_len);
	rtr_put16(icmp + 2, rtr_csum_fold(rtr_csum_add(sum, icmp, icmp_len)));
	return (size_t)h + icmp_len;
}

static void bench_probes(void)
{
	static struct probe_ctx pc[2][3];
	static struct ans_ctx ac[2];
	static const char *pn[3] = {"udp", "tcp", "icmp"};
	char name[64];

	for (int v6 = 0; v6 < 2; v6++) {
		for (int i = 0; i < 3; i++) {
			struct probe_ctx *x = &pc[v6][i];
			x->p = &probes[v6][i];
			int n = rtr_probe_encode(x->pkt, sizeof(x->pkt), x->p, rnd);
			if (n <= 0)
				abort();
			x->len = (size_t)n;
			snprintf(name, sizeof(name), "probe_%s_v%d_encode", pn[i], v6 ? 6 : 4);
			run(&(struct op){name, probe_encode, x, n, x->pkt, x->len});
		}
	}
	for (int v6 = 0; v6 < 2; v6++) {
		struct probe_ctx *x = &pc[v6][0];
		snprintf(name, sizeof(name), "probe_udp_v%d_decode", v6 ? 6 : 4);
		run(&(struct op){name, probe_decode, x, RTR_OK, x->pkt, x->len});
	}
	for (int v6 = 0; v6 < 2; v6++) {
		struct ans_ctx *a = &ac[v6];
		a->p = pc[v6][0].p;
		a->len = time_exceeded(a->pkt, &pc[v6][0]);
		if (rtr_answer_decode(&a->a, a->pkt, a->len) != RTR_OK)
			abort();
		snprintf(name, sizeof(name), "answer_te_udp_v%d_decode", v6 ? 6 : 4);
		run(&(struct op){name, ans_decode, a, RTR_OK, a->pkt, a->len});
		snprintf(name, sizeof(name), "answer_te_udp_v%d_match", v6 ? 6 : 4);
		run(&(struct op){name, ans_match, a, RTR_OK, a->pkt, a->len});
		snprintf(name, sizeof(name), "answer_te_udp_v%d_decode_match", v6 ? 6 : 4);
		run(&(struct op){name, ans_decode_match, a, RTR_OK, a->pkt, a->len});
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"filter", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "f:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			only = optarg;
			break;
		case 'h':
			printf("usage: proto_bench [--filter SUBSTRING]\n"
			       "Prints BENCH lines: ns per proto/ encode/decode and an rtr_csum "
			       "baseline.\n");
			return 0;
		case 'V':
			printf("proto_bench (rtr) 0.1\n");
			return 0;
		default:
			fprintf(stderr, "proto_bench: unknown option; see proto_bench --help\n");
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "proto_bench: unexpected argument '%s'; see proto_bench --help\n",
			argv[optind]);
		return 2;
	}
	fixtures();
	bench_messages();
	bench_probes();
	return 0;
}
