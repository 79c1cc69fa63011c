// SPDX-License-Identifier: BSD-2-Clause
/* test_output.c: the text, JSON and DOT renderings of scripted traces, byte for byte where stable.
 */
#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "answer.h"
#include "ip.h"
#include "mda.h"
#include "output.h"
#include "pkt.h"
#include "request.h"
#include "rtr_wire.h"
#include "sim.h"

/* Forward: two routers then the target; answers after 10 + TTL ms. */
static void net_forward(struct sim *s, const struct rtr_eng_tx *tx)
{
	struct rtr_addr r[2];
	rtr_addr_parse(&r[0], "203.0.113.101");
	rtr_addr_parse(&r[1], "203.0.113.102");
	uint8_t out[700];
	size_t n;
	if (tx->ttl <= 2)
		n = pkt_icmp_error(out, sizeof(out), &r[tx->ttl - 1], RTR_ICMP4_TIME_EXCEEDED, 0,
				   tx->pkt, tx->len, tx->len);
	else
		n = pkt_icmp_error(out, sizeof(out), &s->e.t.cfg.dst, RTR_ICMP4_DEST_UNREACH, 3,
				   tx->pkt, tx->len, tx->len);
	/* TTL 2 stays silent for its second probe: a '*' among answers */
	if (tx->ttl == 2 && s->e.hop[2].nsent == 2)
		return;
	sim_deliver(s, (10 + tx->ttl) * SIM_MS, out, n);
}

/* Reverse: the server's probes cross one router, then reach us; or a kernel echo. */
static int reverse_mode; /* 0 server, 1 kernel echo, 2 state 2 */
static void net_reverse(struct sim *s, const struct rtr_eng_tx *tx)
{
	uint8_t out[700];
	size_t n;
	if (reverse_mode == 1) {
		n = pkt_kernel_echo(out, sizeof(out), tx->pkt, tx->len);
		sim_deliver(s, SIM_MS, out, n);
		return;
	}
	struct rtr_ip ip;
	int hl = rtr_ip_decode(&ip, tx->pkt, tx->len, 0);
	struct rtr_l3 l3 = {.family = 4, .src = ip.src, .dst = ip.dst};
	struct rtr_request rq;
	assert_true(rtr_request_decode(&rq, &l3, tx->pkt + hl, tx->len - (size_t)hl) > 0);
	struct rtr_response rsp = {.ident = rq.ident};
	if (rq.ttl == 0)
		rsp.state = RTR_STATE_TTL;
	else if (reverse_mode == 2)
		rsp.state = RTR_STATE_PROTOCOL;
	else if (rq.ttl == 1)
		rtr_addr_parse(&rsp.hop, "203.0.113.201");
	else
		rsp.hop = s->e.t.cfg.src;
	rsp.rtt_ns = rq.ttl * 250000ull;
	rsp.rtt_unknown = rq.ttl == 2 && s->e.hop[2].nsent == 3;
	n = pkt_response(out, sizeof(out), tx->pkt, tx->len, &rsp);
	sim_deliver(s, 2 * SIM_MS, out, n);
}

static struct rtr_opts opts(int mode)
{
	struct rtr_opts o = {.mode = mode,
			     .proto_name = "udp",
			     .probes = 3,
			     .first_ttl = 1,
			     .max_ttl = 30,
			     .wait_s = 1,
			     .gap_limit = 5,
			     .parallel = 16,
			     .no_resolve = true};
	return o;
}

static struct sim *run(int direction, sim_net_fn net)
{
	struct rtr_engine_cfg cfg = sim_cfg(4, direction, RTR_IPPROTO_UDP);
	struct sim *s = sim_new(&cfg, net, NULL);
	assert_true(sim_run(s, 60000 * SIM_MS) > 0);
	return s;
}

static void run_info(struct rtr_run *r, const struct rtr_opts *o, struct sim *f, struct sim *v)
{
	memset(r, 0, sizeof(*r));
	r->opts = o;
	r->family = 4;
	r->target = "target.example";
	rtr_addr_parse(&r->src, "198.51.100.1");
	rtr_addr_parse(&r->dst, "203.0.113.9");
	r->start.tv_sec = 1795791768;
	r->start.tv_usec = 444847;
	r->fwd = f ? f->t : NULL;
	r->rev = v ? v->t : NULL;
	r->duration_ns[0] = 13 * SIM_MS;
	r->duration_ns[1] = 7 * SIM_MS;
}

/* Renders with fn into a string the caller frees. */
static char *render(int (*fn)(FILE *, const struct rtr_run *), const struct rtr_run *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(fn(f, r), 0);
	fclose(f);
	return buf;
}

static void t_text_forward(void **st)
{
	(void)st;
	struct sim *f = run(RTR_FORWARD, net_forward);
	struct rtr_opts o = opts(RTR_MODE_FORWARD);
	struct rtr_run r;
	run_info(&r, &o, f, NULL);
	char *t = render(rtr_out_text, &r);
	assert_string_equal(t,
			    "rtr-client forward udp singlepath: target.example (203.0.113.9) <-> "
			    "198.51.100.1, flow 53, TTL 1-30, 3 probes\n"
			    "  1  203.0.113.101  11.000 ms  11.000 ms  11.000 ms\n"
			    "  2  203.0.113.102  12.000 ms  *  12.000 ms\n"
			    "  3  203.0.113.9  13.000 ms  13.000 ms  13.000 ms\n"
			    "forward stop: completed after hop 3 (21 packets sent, 20 answered)\n");
	free(t);
	sim_free(f);
}

static void t_text_two_way(void **st)
{
	(void)st;
	reverse_mode = 0;
	struct sim *f = run(RTR_FORWARD, net_forward);
	struct sim *v = run(RTR_REVERSE, net_reverse);
	struct rtr_opts o = opts(RTR_MODE_TWO_WAY);
	struct rtr_run r;
	run_info(&r, &o, f, v);
	char *t = render(rtr_out_text, &r);
	assert_string_equal(
		t, "rtr-client two-way udp singlepath: target.example (203.0.113.9) <-> "
		   "198.51.100.1, flow 53, TTL 1-30, 3 probes\n"
		   "hop  forward (towards the target)                    reverse (back from the "
		   "target)\n"
		   "  1  203.0.113.101  11.000 ms  11.000 ms  11.000 ms  203.0.113.201  0.250 ms  "
		   "0.250 ms  0.250 ms\n"
		   "  2  203.0.113.102  12.000 ms  *  12.000 ms          198.51.100.1  0.500 ms  "
		   "0.500 ms  ? ms\n"
		   "  3  203.0.113.9  13.000 ms  13.000 ms  13.000 ms\n"
		   "forward stop: completed after hop 3 (21 packets sent, 20 answered)\n"
		   "reverse stop: completed after hop 2 (17 packets sent, 17 answered)\n");
	free(t);
	sim_free(f);
	sim_free(v);
}

static void t_text_no_server_and_refused(void **st)
{
	(void)st;
	struct rtr_opts o = opts(RTR_MODE_REVERSE);
	struct rtr_run r;
	char msg[256];

	reverse_mode = 1;
	struct sim *v = run(RTR_REVERSE, net_reverse);
	run_info(&r, &o, NULL, v);
	char *t = render(rtr_out_text, &r);
	assert_string_equal(t, "rtr-client reverse udp singlepath: target.example (203.0.113.9) "
			       "<-> 198.51.100.1, flow 53, TTL 1-30, 3 probes\n"
			       "reverse stop: no-server after hop 0: no reverse traceroute server "
			       "at target.example (203.0.113.9): its kernel echoed the request (1 "
			       "packets sent, 1 answered)\n");
	free(t);
	sim_free(v);

	reverse_mode = 2;
	v = run(RTR_REVERSE, net_reverse);
	run_info(&r, &o, NULL, v);
	t = render(rtr_out_text, &r);
	assert_non_null(strstr(t, "  1  !S2  !S2  !S2\n"));
	assert_string_equal(rtr_stop_message(&r, v->t, msg, sizeof(msg)),
			    "the server at 203.0.113.9 refused the request: state 2, protocol not "
			    "allowed for this address family");
	free(t);
	sim_free(v);
}

/* Multipath: a refusal's state is read from the MDA engine's own requests. */
static void t_text_refused_multipath(void **st)
{
	(void)st;
	struct rtr_opts o = opts(RTR_MODE_REVERSE);
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_REVERSE, RTR_IPPROTO_UDP);
	struct sim *v = sim_new(&cfg, net_reverse, NULL);
	/* The sim's config: its seeded random source included. */
	struct rtr_mda_cfg mc = {.base = v->e.t.cfg, .alpha = 0.05, .max_probes = 1000};
	struct rtr_mda *m = calloc(1, sizeof(*m));
	struct rtr_run r;
	char msg[256];

	reverse_mode = 2;
	assert_non_null(m);
	assert_int_equal(rtr_mda_init(m, &mc), 0);
	v->t = &m->t; /* the sim drives the multipath trace instead */
	assert_int_equal(sim_run(v, 60000 * SIM_MS), RTR_STOP_REFUSED);
	run_info(&r, &o, NULL, v);
	assert_string_equal(rtr_stop_message(&r, v->t, msg, sizeof(msg)),
			    "the server at 203.0.113.9 refused the request: state 2, protocol not "
			    "allowed for this address family");
	/* A refusal names no hop: no interface without an address (fuzz_engine found "::" as
	 * one, fuzz/regressions/engine/mda-refused-interface). */
	struct rtr_addr none;
	memset(&none, 0, sizeof(none));
	for (unsigned t = cfg.first_ttl; t <= m->t.last_ttl; t++)
		for (unsigned n = 0; n < m->hop[t].nnodes; n++)
			assert_false(rtr_addr_eq(&m->hop[t].node[n].addr, &none));
	rtr_tracer_release(&m->t);
	free(m);
	sim_free(v);
}

static json_object *at(json_object *o, const char *path)
{
	/* "a.b.0.c": members and array indexes */
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *save, *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(k));
		else if (!json_object_object_get_ex(o, k, &o))
			return NULL;
		if (!o)
			return NULL;
	}
	return o;
}

static const char *str(json_object *o, const char *path)
{
	return json_object_get_string(at(o, path));
}

static void t_json_two_way(void **st)
{
	(void)st;
	reverse_mode = 0;
	struct sim *f = run(RTR_FORWARD, net_forward);
	struct sim *v = run(RTR_REVERSE, net_reverse);
	struct rtr_opts o = opts(RTR_MODE_TWO_WAY);
	struct rtr_run r;
	run_info(&r, &o, f, v);
	char *t = render(rtr_out_json, &r);
	json_object *j = json_tokener_parse(t);
	assert_non_null(j);
	assert_string_equal(str(j, "schema"), "rtr-client/1");
	assert_string_equal(str(j, "direction"), "two-way");
	assert_string_equal(str(j, "start.iso8601"), "2026-11-27T15:02:48Z");
	assert_int_equal(json_object_get_int(at(j, "parameters.flow")), 53);
	assert_string_equal(str(j, "traces.0.stop_reason"), "completed");
	assert_string_equal(str(j, "traces.0.hops.1.probes.0.address"), "203.0.113.102");
	assert_string_equal(str(j, "traces.0.hops.1.probes.1.status"), "timeout");
	assert_null(at(j, "traces.0.hops.1.probes.1.address"));
	assert_string_equal(str(j, "traces.0.hops.2.probes.2.answer"), "destination-unreachable");
	assert_int_equal(json_object_get_int(at(j, "traces.0.hops.2.probes.2.icmp_code")), 3);
	/* "%.3f" text survives serialisation exactly */
	assert_non_null(strstr(t, "\"rtt_ms\":13.000"));
	assert_string_equal(str(j, "traces.1.direction"), "reverse");
	assert_string_equal(str(j, "traces.1.src"), "203.0.113.9");
	assert_true(json_object_get_boolean(at(j, "traces.1.server.present")));
	assert_int_equal(json_object_get_int(at(j, "traces.1.server.presence_checks.0.state")), 1);
	assert_string_equal(str(j, "traces.1.hops.0.probes.0.address"), "203.0.113.201");
	assert_string_equal(str(j, "traces.1.hops.0.probes.0.server_rtt_ms"), "0.250");
	assert_true(json_object_is_type(at(j, "traces.1.hops.1.probes.2.server_rtt_ms"),
					json_type_null));
	assert_string_equal(str(j, "traces.1.hops.1.verdict"), "destination");
	assert_int_equal(json_object_get_int(at(j, "traces.1.probe_counts.sent")), 17);
	json_object_put(j);
	free(t);
	sim_free(f);
	sim_free(v);
}

static void t_dot(void **st)
{
	(void)st;
	reverse_mode = 0;
	struct sim *f = run(RTR_FORWARD, net_forward);
	struct sim *v = run(RTR_REVERSE, net_reverse);
	struct rtr_opts o = opts(RTR_MODE_TWO_WAY);
	struct rtr_run r;
	run_info(&r, &o, f, v);
	char *t = render(rtr_out_dot, &r);
	assert_true(!strncmp(t, "digraph rtr {\n", 14));
	assert_non_null(strstr(
		t, "\t\"198.51.100.1\" -> \"203.0.113.101\" [color=blue, label=\"forward 1\"];\n"));
	assert_non_null(strstr(
		t, "\t\"203.0.113.102\" -> \"203.0.113.9\" [color=blue, label=\"forward 3\"];\n"));
	assert_non_null(strstr(
		t, "\t\"203.0.113.9\" -> \"203.0.113.201\" [color=red, label=\"reverse 1\"];\n"));
	assert_non_null(strstr(
		t, "\t\"203.0.113.201\" -> \"198.51.100.1\" [color=red, label=\"reverse 2\"];\n"));
	assert_string_equal(t + strlen(t) - 2, "}\n");
	/* Every node is declared once: the target and we keep their role labels (issue 13). */
	static const char *const decl[] = {
		"\"198.51.100.1\" [label=", "\"203.0.113.9\" [label=", "\"203.0.113.101\" [label="};
	for (unsigned i = 0; i < 3; i++) {
		const char *first = strstr(t, decl[i]);
		assert_non_null(first);
		assert_null(strstr(first + 1, decl[i]));
	}
	assert_non_null(strstr(t, "\"203.0.113.9\" [label=\"203.0.113.9\\n(target)\"];\n"));
	free(t);
	sim_free(f);
	sim_free(v);
}

/* Untrusted text (resolver names, the target as given): printable valid UTF-8 (issue 13). */
static void t_safe_text(void **st)
{
	(void)st;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"router.example", "router.example"},
		{"r1\033[2Jx", "r1\\x1b[2Jx"},
		{"a\xff", "a\\xff"},
		{"caf\xc3\xa9", "caf\xc3\xa9"}, /* valid UTF-8 stays */
		{"\xe2\x82\xac"
		 "1",
		 "\xe2\x82\xac"
		 "1"},			    /* the euro sign */
		{"x\xc3", "x\\xc3"},	    /* cut short */
		{"\xc0\xaf", "\\xc0\\xaf"}, /* overlong '/' */
		{"\xc2\x9b"
		 "1m",
		 "\\xc2\\x9b"
		 "1m"},				     /* C1 CSI */
		{"\xed\xa0\x80", "\\xed\\xa0\\x80"}, /* a surrogate */
		{"\x7f\t", "\\x7f\\x09"},
	};
	char out[64];
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(rtr_safe_text(cases[i].in, out, sizeof(out)), cases[i].out);
	/* Never half an escape or half a character at the end of a short buffer. */
	assert_string_equal(rtr_safe_text("ab\xff", out, 5), "ab");
	assert_string_equal(rtr_safe_text("a\xc3\xa9", out, 3), "a");

	/* The JSON document stays valid UTF-8 whatever the target argument held. */
	struct sim *f = run(RTR_FORWARD, net_forward);
	struct rtr_opts o = opts(RTR_MODE_FORWARD);
	struct rtr_run r;
	run_info(&r, &o, f, NULL);
	r.target = "bad\xff\033";
	char *t = render(rtr_out_json, &r);
	assert_non_null(strstr(t, "\"target\":\"bad\\\\xff\\\\x1b\""));
	free(t);
	sim_free(f);
}

/* Two-way from -f 2: the table starts at hop 2, no empty rows before it (issue 13). */
static void t_text_two_way_first_ttl(void **st)
{
	(void)st;
	reverse_mode = 0;
	struct rtr_engine_cfg cf = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_UDP);
	struct rtr_engine_cfg cr = sim_cfg(4, RTR_REVERSE, RTR_IPPROTO_UDP);
	cf.first_ttl = cr.first_ttl = 2;
	struct sim *f = sim_new(&cf, net_forward, NULL);
	struct sim *v = sim_new(&cr, net_reverse, NULL);
	assert_int_equal(sim_run(f, 60000 * SIM_MS), RTR_STOP_COMPLETED);
	assert_int_equal(sim_run(v, 60000 * SIM_MS), RTR_STOP_COMPLETED);
	struct rtr_opts o = opts(RTR_MODE_TWO_WAY);
	o.first_ttl = 2;
	struct rtr_run r;
	run_info(&r, &o, f, v);
	char *t = render(rtr_out_text, &r);
	assert_null(strstr(t, "\n  1"));
	assert_non_null(strstr(t, "target)\n  2  203.0.113.102  "));
	assert_non_null(strstr(t, "\n  3  203.0.113.9  "));
	free(t);
	sim_free(f);
	sim_free(v);
}

/* Forward, every probe answered, deeper TTLs later: the trace ends with probes in flight. */
static void net_forward_clean(struct sim *s, const struct rtr_eng_tx *tx)
{
	struct rtr_addr r;
	rtr_addr_parse(&r, "203.0.113.101");
	uint8_t out[700];
	size_t n = tx->ttl == 1
			   ? pkt_icmp_error(out, sizeof(out), &r, RTR_ICMP4_TIME_EXCEEDED, 0,
					    tx->pkt, tx->len, tx->len)
			   : pkt_icmp_error(out, sizeof(out), &s->e.t.cfg.dst,
					    RTR_ICMP4_DEST_UNREACH, 3, tx->pkt, tx->len, tx->len);
	sim_deliver(s, (10 + tx->ttl) * SIM_MS, out, n);
}

/* Item 8 of issue 13: "1 probe", and requests in flight at the end are abandoned (CLI-16). */
static void t_text_abandoned_one_probe(void **st)
{
	(void)st;
	struct rtr_engine_cfg cfg = sim_cfg(4, RTR_FORWARD, RTR_IPPROTO_UDP);
	cfg.probes = 1;
	cfg.parallel = 4;
	struct sim *f = sim_new(&cfg, net_forward_clean, NULL);
	assert_int_equal(sim_run(f, 60000 * SIM_MS), RTR_STOP_COMPLETED);
	struct rtr_opts o = opts(RTR_MODE_FORWARD);
	o.probes = 1;
	struct rtr_run r;
	run_info(&r, &o, f, NULL);
	char *t = render(rtr_out_text, &r);
	assert_string_equal(t,
			    "rtr-client forward udp singlepath: target.example (203.0.113.9) <-> "
			    "198.51.100.1, flow 53, TTL 1-30, 1 probe\n"
			    "  1  203.0.113.101  11.000 ms\n"
			    "  2  203.0.113.9  12.000 ms\n"
			    "forward stop: completed after hop 2 (5 packets sent, 2 answered, 3 "
			    "abandoned)\n");
	free(t);
	sim_free(f);
}

/* CLI-14: a reverse trace whose server dropped requests says so under the stop line. */
static void t_text_limited_note(void **st)
{
	(void)st;
	reverse_mode = 0;
	struct sim *v = run(RTR_REVERSE, net_reverse);
	v->e.t.limited = true;
	v->e.t.stats.retried = 5;
	v->e.t.stats.recovered = 4;
	v->e.t.pace_ns = 400 * SIM_MS;
	struct rtr_opts o = opts(RTR_MODE_REVERSE);
	struct rtr_run r;
	run_info(&r, &o, NULL, v);
	char *t = render(rtr_out_text, &r);
	assert_non_null(
		strstr(t, "reverse stop: completed after hop 2 (17 packets sent, 17 "
			  "answered, 5 sent again)\n"
			  "reverse note: the server at 203.0.113.9 dropped requests: 4 were "
			  "answered only when sent again, so unanswered requests point at its "
			  "rate limit, not at the path; slowed down to 2.5 requests/s (--rate, "
			  "-N and -w lower the load)\n"));
	free(t);
	sim_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_text_forward),
		cmocka_unit_test(t_text_two_way),
		cmocka_unit_test(t_text_no_server_and_refused),
		cmocka_unit_test(t_text_refused_multipath),
		cmocka_unit_test(t_json_two_way),
		cmocka_unit_test(t_dot),
		cmocka_unit_test(t_text_abandoned_one_probe),
		cmocka_unit_test(t_text_limited_note),
		cmocka_unit_test(t_text_two_way_first_ttl),
		cmocka_unit_test(t_safe_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
