// SPDX-License-Identifier: BSD-2-Clause
/* test_vectors.c: every packet of spec-vectors/TESTLIST through the program, checked against the
 * proto/ model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "answer.h"
#include "bpftest.h"
#include "cursor.h"
#include "err.h"
#include "ip.h"
#include "model.h"
#include "pcapread.h"
#include "request.h"
#include "response.h"
#include "rtr.skel.h"
#include "rtr_wire.h"

/*
 * For each vector file, in order: a packet that is one of our probes (the
 * server's own output in the capture) becomes a pending session, put into
 * the program's maps directly with the vector's identity, its timestamp set
 * so the program sees the capture's time gaps; every other packet goes
 * through the program, whose verdict must be the model's, and whose output
 * must be byte-exact: a probe re-encodes through rtr_probe_encode, a
 * response equals rtr_response_encode's (for success: the hop, the
 * identifier of the request and an RTT equal to the capture's gap).
 */

#define VEC_DIR "spec-vectors/"
#define DEFAULT_IDENT 0x1234

static struct bt_env env;
static struct model mdl;

struct inserted {
	struct rtr_sess_key key;
	struct rtr_sess val;
	uint64_t t_ns; /* capture time of the probe */
	long slot;     /* model slot */
};

static struct inserted ins[256];
static size_t nins;

static void clear_maps(void)
{
	srv_clear_sessions(&env.srv);
	memset(&mdl, 0, sizeof(mdl));
	mdl.timeout_ns = RTR_DEFAULT_TIMEOUT_NS;
	nins = 0;
}

/* A probe in the capture: the session the program would hold for it. */
static void insert_probe(const struct rtr_probe_seen *s, const uint8_t *pkt, size_t len,
			 uint16_t ident, uint64_t t_ns)
{
	struct inserted *in = &ins[nins++];

	assert_true(nins < sizeof(ins) / sizeof(ins[0]));
	memset(in, 0, sizeof(*in));
	memcpy(in->key.client, s->dst.b, 16);
	in->key.proto = s->proto;
	in->key.family = s->family;
	if (s->proto == RTR_IPPROTO_UDP)
		in->key.id = s->family == 4 ? (uint32_t)s->id.ip_id << 16 | (s->id.l4 & 0xffff)
					    : s->id.tag;
	else
		in->key.id = s->id.l4;
	memcpy(in->val.server, s->src.b, 16);
	in->val.l4 = s->id.l4;
	in->val.tag = s->id.tag;
	in->val.ip_id = s->id.ip_id;
	in->val.ident = ident;
	in->val.flow = s->flow;
	in->val.len_extra = s->id.len_extra;
	in->val.ttl = s->ttl;
	in->val.ts_ns = srv_now_ns();
	in->t_ns = t_ns;
	assert_int_equal(srv_add_session(&env.srv, &in->key, &in->val), 0);
	in->slot = model_add(&mdl, s, pkt, len, ident, t_ns);
	assert_true(in->slot >= 0);
}

/* Before a packet at capture time t: every inserted session looks as old as the capture says. */
static void age_sessions(uint64_t t_ns)
{
	uint64_t now = srv_now_ns();

	for (size_t i = 0; i < nins; i++) {
		struct rtr_slot *sl = srv_find_session(&env.srv, &ins[i].key);

		ins[i].val.ts_ns = now - (t_ns - ins[i].t_ns);
		if (sl) /* still pending (the program may have ended it) */
			sl->ts_ns = ins[i].val.ts_ns;
	}
}

static long packets, files, probes_in, by_kind[5];

struct file_ctx {
	const char *name;
	uint16_t last_ident;
	int n;
};

static int one_packet(void *vctx, const uint8_t *ip, size_t len, uint64_t t_ns)
{
	struct file_ctx *fc = vctx;
	const char *name = fc->name;
	struct rtr_probe_seen seen;
	struct bt_result r;
	uint8_t mstate = 0, ostate = 0;
	size_t which = 0;
	enum kind want, got;
	int n = ++fc->n;

	if (len < 20 || (ip[0] >> 4 == 6 && len < 40))
		return 0; /* BPF_PROG_TEST_RUN cannot carry it as IP */
	if (rtr_probe_decode(&seen, ip, len, 0) == RTR_OK) {
		insert_probe(&seen, ip, len, fc->last_ident, t_ns);
		probes_in++;
		return 0;
	}
	/* Remember a request's identifier: the probe after it answers for it. */
	{
		struct rtr_ip q;
		int hl = rtr_ip_decode(&q, ip, len, 0);

		if (hl > 0 && len >= (size_t)hl + 8 &&
		    ip[hl] == (q.family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST) &&
		    ip[hl + 1] == RTR_CODE_RTR)
			fc->last_ident = rtr_get16(ip + hl + RTR_REQ_OFF_IDENT);
	}
	age_sessions(t_ns);
	want = model_decide(&mdl, ip, len, t_ns, &mstate, &which);
	assert_int_equal(bt_run(&env, srv_prog_fd(&env.srv), ip, len, &r), 0);
	got = model_observed(&r, ip, len, &ostate, &seen);
	if ((int)got < 0 || got != want || (want == K_ERR && mstate != ostate))
		fail_msg("%s packet %d: model says %s (state %u), program gave %s (verdict %u, "
			 "state %u)",
			 name, n, kind_name[want], mstate,
			 (int)got < 0 ? "garbage" : kind_name[got], r.retval, ostate);
	if (got == K_PROBE || got == K_ERR) {
		struct rtr_ip q;
		struct rtr_request rq;
		int hl = rtr_ip_decode(&q, ip, len, 0);
		struct rtr_l3 l3 = {.family = q.family, .src = q.src, .dst = q.dst};

		assert_true(hl > 0);
		assert_true(rtr_request_decode(&rq, &l3, ip + hl, rtr_ip_l4_len(&q, len)) > 0);
		if (got == K_PROBE) {
			struct bt_probe bp;
			uint8_t pr = (uint8_t)rtr_request_probe_proto(rq.proto, q.family);
			const char *why =
				bt_check_probe(&r, q.family, &q.src, &q.dst, pr,
					       rtr_request_probe_flow(pr, rq.flow), rq.ttl, &bp);

			if (why)
				fail_msg("%s packet %d: %s", name, n, why);
			assert_true(model_add(&mdl, &seen, r.l3, r.l3len, rq.ident, t_ns) >= 0);
		} else {
			struct rtr_response rsp = {.ident = rq.ident, .state = mstate};
			const char *why;

			rtr_request_state(&rq, q.family, NULL, &rsp.value);
			why = bt_check_response(&r, q.family, &q.src, &q.dst, &rsp, 0);
			if (why)
				fail_msg("%s packet %d: %s", name, n, why);
		}
	} else if (got == K_OK) {
		struct model_sess *s = &mdl.s[which];
		struct rtr_ip q;
		struct rtr_response rsp = {.ident = s->ident, .state = RTR_STATE_OK};
		uint64_t gap = t_ns - s->t_ns;
		const char *why;

		rtr_ip_decode(&q, ip, len, 0);
		rsp.hop = q.src;
		why = bt_check_response(&r, s->sent.family, &s->sent.dst, &s->sent.src, &rsp,
					UINT64_MAX);
		if (why)
			fail_msg("%s packet %d: %s", name, n, why);
		/* The RTT is the capture's gap (plus this run's microseconds); 2^32 ns or more is
		 * 0xFFFFFFFF. */
		if (rsp.rtt_ns == RTR_RTT_UNKNOWN
			    ? gap + 100000000ull < RTR_RTT_UNKNOWN
			    : rsp.rtt_ns < gap || rsp.rtt_ns > gap + 100000000ull)
			fail_msg("%s packet %d: RTT %llu ns for a gap of %llu ns", name, n,
				 (unsigned long long)rsp.rtt_ns, (unsigned long long)gap);
		s->live = false;
	}
	by_kind[got]++;
	packets++;
	return 0;
}

static void run_file(const char *name, const char *path)
{
	struct file_ctx fc = {.name = name, .last_ident = DEFAULT_IDENT};
	char err[256];

	clear_maps();
	if (pcapread(path, one_packet, &fc, err, sizeof(err)))
		fail_msg("%s: %s", name, err);
	files++;
}

static void test_spec_vectors(void **state)
{
	FILE *tl = fopen(VEC_DIR "TESTLIST", "r");
	struct srv_cfg cfg;
	char line[512];

	(void)state;
	if (!tl)
		fail_msg("no " VEC_DIR "TESTLIST");
	bt_cfg(&cfg);
	cfg.timeout_ns = RTR_DEFAULT_TIMEOUT_NS;
	assert_int_equal(bt_setup(&env, &cfg), 0);
	while (fgets(line, sizeof(line), tl)) {
		char name[128], pcapf[256], path[300];

		if (line[0] == '#' || sscanf(line, "%127s %255s", name, pcapf) != 2)
			continue;
		snprintf(path, sizeof(path), VEC_DIR "%s", pcapf);
		run_file(name, path);
	}
	fclose(tl);
	print_message("vectors: %ld files, %ld packets agree (%ld probes inserted; %ld passed, %ld "
		      "dropped, %ld probes, %ld error and %ld success responses)\n",
		      files, packets, probes_in, by_kind[K_PASS], by_kind[K_DROP], by_kind[K_PROBE],
		      by_kind[K_ERR], by_kind[K_OK]);
	assert_true(files >= 100);
	for (int k = 0; k < 5; k++)
		assert_true(by_kind[k] > 0);
	bt_teardown(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_spec_vectors)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
