// SPDX-License-Identifier: BSD-2-Clause
/* test_vectors_fields.c: every golden vector decoded by proto/ to its stated fields; printer
 * robustness. */

/*
 * Each packet of each vector in spec-vectors/src/NAME.vec carries one "expect"
 * line (the format is in spec-vectors/README.md). This test reads the sources,
 * reads the committed pcaps, and checks every stated field with the proto/
 * decoders; where proto/ also encodes (probes, the server's RST, router ICMP
 * errors), the encoder
 * must reproduce the vector byte for byte. One cmocka test per vector.
 *
 * usage: test_vectors_fields [SPEC_VECTORS_DIR]   (default: spec-vectors)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <glob.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../decode/link.h"
#include "../../decode/print.h"
#include "addr.h"
#include "answer.h"
#include "err.h"
#include "icmperr.h"
#include "ip.h"
#include "probe.h"
#include "request.h"
#include "response.h"
#include "rtr_wire.h"

#define MAX_VECTORS 512
#define MAX_PKTS 8
#define MAX_KV 16
#define PKT_MAX 9000

struct expect {
	char kind[24];
	int nkv;
	char key[MAX_KV][24];
	char val[MAX_KV][48];
};

struct vector {
	char name[128];
	char src[256];
	struct rtr_request_policy policy;
	int npkts;
	int nexpect[MAX_PKTS];
	struct expect ex[MAX_PKTS];
	/* Filled from the pcap when the test runs. */
	uint8_t pkt[MAX_PKTS][PKT_MAX];
	size_t len[MAX_PKTS];
};

static const char *g_dir = "spec-vectors";
static struct vector *g_vec;
static int g_nvec;

/* ------------------------------------------------------------ source parsing */

static void parse_expect(struct expect *e, char **tok, int ntok)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->kind, sizeof(e->kind), "%s", ntok > 1 ? tok[1] : "");
	for (int i = 2; i < ntok && e->nkv < MAX_KV; i++) {
		char *eq = strchr(tok[i], '=');
		if (eq)
			*eq++ = 0;
		snprintf(e->key[e->nkv], sizeof(e->key[0]), "%s", tok[i]);
		snprintf(e->val[e->nkv], sizeof(e->val[0]), "%s", eq ? eq : "");
		e->nkv++;
	}
}

static void parse_opts(struct vector *v, char **tok, int ntok)
{
	for (int i = 1; i < ntok; i++) {
		if (!strcmp(tok[i], "--allow-target"))
			v->policy.allow_target = true;
		else if (!strncmp(tok[i], "--min-padding=", 14))
			v->policy.min_padding = (uint16_t)strtoul(tok[i] + 14, NULL, 0);
		else
			fail_msg("%s: unknown decode-opts word %s", v->name, tok[i]);
	}
}

static void load_sources(void)
{
	char pattern[512];
	glob_t g;
	snprintf(pattern, sizeof(pattern), "%s/src/*.vec", g_dir);
	if (glob(pattern, 0, NULL, &g) != 0) {
		fprintf(stderr, "test_vectors_fields: no sources match %s\n", pattern);
		exit(1);
	}
	g_vec = calloc(MAX_VECTORS, sizeof(*g_vec));
	if (!g_vec)
		exit(1);
	for (size_t f = 0; f < g.gl_pathc; f++) {
		FILE *fp = fopen(g.gl_pathv[f], "r");
		char line[1024];
		struct vector *v = NULL;
		if (!fp)
			exit(1);
		while (fgets(line, sizeof(line), fp)) {
			char *hash = strchr(line, '#'), *tok[40];
			int ntok = 0;
			if (hash)
				*hash = 0;
			for (char *t = strtok(line, " \t\r\n"); t && ntok < 40;
			     t = strtok(NULL, " \t\r\n"))
				tok[ntok++] = t;
			if (!ntok)
				continue;
			if (!strcmp(tok[0], "vector") && ntok == 2) {
				if (g_nvec == MAX_VECTORS)
					exit(1);
				v = &g_vec[g_nvec++];
				snprintf(v->name, sizeof(v->name), "%s", tok[1]);
				snprintf(v->src, sizeof(v->src), "%s", g.gl_pathv[f]);
			} else if (v && !strcmp(tok[0], "packet")) {
				if (v->npkts < MAX_PKTS)
					v->npkts++;
			} else if (v && !strcmp(tok[0], "decode-opts")) {
				parse_opts(v, tok, ntok);
			} else if (v && v->npkts && !strcmp(tok[0], "expect")) {
				int i = v->npkts - 1;
				parse_expect(&v->ex[i], tok, ntok);
				v->nexpect[i]++;
			}
		}
		fclose(fp);
	}
	globfree(&g);
}

static void load_pcap(struct vector *v)
{
	char path[512], err[PCAP_ERRBUF_SIZE];
	snprintf(path, sizeof(path), "%s/pcap/%s.pcap", g_dir, v->name);
	pcap_t *p = pcap_open_offline(path, err);
	if (!p)
		fail_msg("%s: %s", v->name, err);
	int dlt = pcap_datalink(p);
	struct pcap_pkthdr *h;
	const u_char *frame;
	int n = 0;
	while (pcap_next_ex(p, &h, &frame) == 1) {
		const uint8_t *ip;
		size_t len;
		const char *why;
		if (n == MAX_PKTS)
			fail_msg("%s: more packets than the source", v->name);
		if (rtr_link_ip(dlt, frame, h->caplen, &ip, &len, &why))
			fail_msg("%s: packet %d: %s", v->name, n + 1, why);
		if (len > PKT_MAX)
			fail_msg("%s: packet %d too long", v->name, n + 1);
		memcpy(v->pkt[n], ip, len);
		v->len[n] = len;
		n++;
	}
	pcap_close(p);
	if (n != v->npkts)
		fail_msg("%s: pcap has %d packets, source %d", v->name, n, v->npkts);
}

/* ------------------------------------------------------------ expectations */

static const char *get(const struct expect *e, const char *key)
{
	for (int i = 0; i < e->nkv; i++)
		if (!strcmp(e->key[i], key))
			return e->val[i];
	return NULL;
}

static unsigned long num(const struct vector *v, const struct expect *e, const char *key)
{
	const char *s = get(e, key);
	char *end;
	if (!s)
		fail_msg("%s: expect %s lacks %s=", v->name, e->kind, key);
	unsigned long x = strtoul(s, &end, 0);
	if (*end)
		fail_msg("%s: %s=%s is not a number", v->name, key, s);
	return x;
}

static void addr_is(const struct vector *v, const struct rtr_addr *a, const char *text)
{
	struct rtr_addr want;
	char got[RTR_ADDR_STRLEN];
	if (rtr_addr_parse(&want, text) < 0)
		fail_msg("%s: bad address %s", v->name, text);
	if (!rtr_addr_eq(a, &want))
		fail_msg("%s: address %s, want %s", v->name, rtr_addr_format(a, got, sizeof(got)),
			 text);
}

static int err_code(const struct vector *v, const char *name)
{
	static const struct {
		const char *name;
		int code;
	} names[] = {
		{"truncated", RTR_E_TRUNCATED},
		{"checksum", RTR_E_CHECKSUM},
		{"fragment", RTR_E_FRAGMENT},
		{"type", RTR_E_TYPE},
		{"code", RTR_E_CODE},
		{"ext-malformed", RTR_E_EXT_MALFORMED},
		{"ext-checksum", RTR_E_EXT_CHECKSUM},
		{"state", RTR_E_STATE},
		{"not-ours", RTR_E_NOT_OURS},
		{"quote-short", RTR_E_QUOTE_SHORT},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (name && !strcmp(names[i].name, name))
			return names[i].code;
	fail_msg("%s: unknown error name %s", v->name, name ? name : "(none)");
	return 0;
}

/* The IP header of a whole packet and where its L4 bytes are. */
static const uint8_t *l4_of(const struct vector *v, int i, struct rtr_ip *ip, size_t *l4_len)
{
	int hl = rtr_ip_decode(ip, v->pkt[i], v->len[i], 0);
	if (hl < 0)
		fail_msg("%s #%d: IP header: %s", v->name, i + 1, rtr_strerror(hl));
	*l4_len = rtr_ip_l4_len(ip, v->len[i]);
	return v->pkt[i] + hl;
}

static struct rtr_l3 l3_of(const struct rtr_ip *ip)
{
	struct rtr_l3 l3 = {.family = ip->family, .src = ip->src, .dst = ip->dst};
	return l3;
}

static void check_request(struct vector *v, int i, const struct expect *e)
{
	struct rtr_ip ip;
	size_t n;
	const uint8_t *icmp = l4_of(v, i, &ip, &n);
	struct rtr_l3 l3 = l3_of(&ip);
	struct rtr_request rq;
	int r = rtr_request_decode(&rq, &l3, icmp, n);
	assert_int_equal(r, (int)n);
	assert_int_equal(rq.ident, num(v, e, "ident"));
	assert_int_equal(rq.seq, num(v, e, "seq"));
	assert_int_equal(rq.ttl, num(v, e, "ttl"));
	assert_int_equal(rq.proto, num(v, e, "proto"));
	assert_int_equal(rq.flow, num(v, e, "flow"));
	uint16_t value = 0xdead;
	assert_int_equal(rtr_request_state(&rq, ip.family, &v->policy, &value), num(v, e, "state"));
	assert_int_equal(value, num(v, e, "value"));
	assert_int_equal(rq.has_ext, get(e, "ext") ? num(v, e, "ext") : 0);
	assert_int_equal(rq.has_target, get(e, "target") != NULL);
	if (rq.has_target) {
		addr_is(v, &rq.target, get(e, "target"));
		assert_int_equal(rq.target_obj_len, num(v, e, "target-len"));
	}
	assert_int_equal(rq.has_padding, get(e, "padding") != NULL);
	if (rq.has_padding)
		assert_int_equal(rq.padding_len, num(v, e, "padding"));
	assert_int_equal(rq.has_unknown, get(e, "unknown") != NULL);
	if (rq.has_unknown) {
		unsigned cls, ctype;
		assert_int_equal(sscanf(get(e, "unknown"), "%u/%u", &cls, &ctype), 2);
		assert_int_equal(rq.unknown_class, cls);
		assert_int_equal(rq.unknown_ctype, ctype);
	}
}

static void check_drop(struct vector *v, int i, const struct expect *e)
{
	int want = err_code(v, get(e, "err"));
	struct rtr_ip ip;
	int hl = rtr_ip_decode(&ip, v->pkt[i], v->len[i], 0);
	if (hl < 0) {
		assert_int_equal(hl, want);
		return;
	}
	if (ip.fragment) {
		assert_int_equal(RTR_E_FRAGMENT, want);
		return;
	}
	struct rtr_l3 l3 = l3_of(&ip);
	struct rtr_request rq;
	assert_int_equal(
		rtr_request_decode(&rq, &l3, v->pkt[i] + hl, rtr_ip_l4_len(&ip, v->len[i])), want);
}

static void check_response(struct vector *v, int i, const struct expect *e)
{
	struct rtr_ip ip;
	size_t n;
	const uint8_t *icmp = l4_of(v, i, &ip, &n);
	struct rtr_l3 l3 = l3_of(&ip);
	struct rtr_response rsp;
	assert_int_equal(rtr_response_decode(&rsp, &l3, icmp, n), (int)n);
	assert_int_equal(rsp.ident, num(v, e, "ident"));
	assert_int_equal(rsp.seq, num(v, e, "seq"));
	assert_int_equal(rsp.state, num(v, e, "state"));
	assert_int_equal(rsp.value, num(v, e, "value"));
	assert_int_equal(rsp.errlen, 0);
	assert_int_equal(n, rsp.state == 0 ? RTR_RSP_OK_LEN : RTR_RSP_ERR_LEN);
	if (rsp.state != 0)
		return;
	addr_is(v, &rsp.hop, get(e, "hop"));
	assert_int_equal(rsp.rtt_unknown, get(e, "unknown") != NULL);
	if (!rsp.rtt_unknown) {
		assert_int_equal(rsp.rtt_ns, num(v, e, "rtt"));
		assert_int_equal(rsp.rtt_layout,
				 num(v, e, "layout") == 64 ? RTR_RTT_64 : RTR_RTT_32);
	}
	/* A server's own answer is never mistaken for a kernel echo of a request with seq 1. */
	assert_false(rtr_response_is_kernel_echo(&rsp, n, 1));
}

static void check_malformed(struct vector *v, int i, const struct expect *e)
{
	struct rtr_ip ip;
	size_t n;
	const uint8_t *icmp = l4_of(v, i, &ip, &n);
	struct rtr_l3 l3 = l3_of(&ip);
	struct rtr_response rsp;
	assert_int_equal(rtr_response_decode(&rsp, &l3, icmp, n), err_code(v, get(e, "err")));
}

static void check_kernel_echo(struct vector *v, int i, const struct expect *e)
{
	struct rtr_ip ip;
	size_t n;
	const uint8_t *icmp = l4_of(v, i, &ip, &n);
	struct rtr_l3 l3 = l3_of(&ip);
	struct rtr_response rsp;
	/* The echo of a TTL-0 request reads as a state 0 response without hop: truncated. */
	assert_int_equal(rtr_response_decode(&rsp, &l3, icmp, n), RTR_E_TRUNCATED);
	assert_int_equal(rsp.ident, num(v, e, "ident"));
	assert_int_equal(rsp.seq, num(v, e, "seq"));
	assert_true(rtr_response_is_kernel_echo(&rsp, n, (uint16_t)num(v, e, "seq")));
}

static void probe_of(struct vector *v, int i, struct rtr_probe *p)
{
	struct rtr_probe_seen s;
	int r = rtr_probe_decode(&s, v->pkt[i], v->len[i], 0);
	if (r != RTR_OK)
		fail_msg("%s #%d: not a probe: %s", v->name, i + 1, rtr_strerror(r));
	memset(p, 0, sizeof(*p));
	p->family = s.family;
	p->proto = s.proto;
	p->src = s.src;
	p->dst = s.dst;
	p->ttl = s.ttl;
	p->flow = s.flow;
	p->id = s.id;
}

static void check_probe(struct vector *v, int i, const struct expect *e)
{
	struct rtr_probe_seen s;
	assert_int_equal(rtr_probe_decode(&s, v->pkt[i], v->len[i], 0), RTR_OK);
	assert_int_equal(s.proto, num(v, e, "proto"));
	assert_int_equal(s.ttl, num(v, e, "ttl"));
	assert_int_equal(s.sport, num(v, e, "sport"));
	assert_int_equal(s.flow, num(v, e, "flow"));
	assert_int_equal(s.id.l4, num(v, e, "l4"));
	assert_int_equal(!!(s.present & RTR_ID_IPID), get(e, "ipid") != NULL);
	if (get(e, "ipid"))
		assert_int_equal(s.id.ip_id, num(v, e, "ipid"));
	assert_int_equal(!!(s.present & RTR_ID_TAG), get(e, "tag") != NULL);
	if (get(e, "tag"))
		assert_int_equal(s.id.tag, num(v, e, "tag"));
	assert_int_equal(!!(s.present & RTR_ID_LEN), get(e, "len-extra") != NULL);
	if (get(e, "len-extra"))
		assert_int_equal(s.id.len_extra, num(v, e, "len-extra"));

	/*
	 * The encoder must build exactly this packet from the same identity and the
	 * vector's random payload bytes (those after the compensation bytes and the tag).
	 */
	struct rtr_probe p;
	probe_of(v, i, &p);
	struct rtr_ip ip;
	size_t n;
	const uint8_t *l4 = l4_of(v, i, &ip, &n);
	size_t rnd_off = s.proto == RTR_IPPROTO_UDP   ? RTR_UDP_HDR_LEN + RTR_PROBE_TAG_OFF + 4
			 : s.proto == RTR_IPPROTO_TCP ? n
						      : RTR_ICMP_HDR_LEN + RTR_PROBE_COMP_OFF + 2;
	size_t want_rnd = rtr_probe_random_len(&p);
	assert_int_equal(n - rnd_off, want_rnd);
	uint8_t out[PKT_MAX];
	int len = rtr_probe_encode(out, sizeof(out), &p, l4 + rnd_off);
	assert_int_equal(len, (int)v->len[i]);
	assert_memory_equal(out, v->pkt[i], v->len[i]);
}

/*
 * A router's ICMP error without outer IPv4 options is rebuilt byte for byte by
 * rtr_icmp_error_encode from its outer header fields and the bytes after the
 * ICMP header (the quote, with any RFC 4884 extension).
 */
static void check_icmp_error_encode(struct vector *v, int i, const struct rtr_answer *a)
{
	struct rtr_ip ip;
	int hl = rtr_ip_decode(&ip, v->pkt[i], v->len[i], 0);
	assert_true(hl > 0);
	if (ip.options_len)
		return;
	struct rtr_icmp_error e = {.ip = ip, .type = a->icmp_type, .code = a->icmp_code};
	const uint8_t *icmp = v->pkt[i] + hl;
	size_t l4 = rtr_ip_l4_len(&ip, v->len[i]);
	e.rest = (uint32_t)icmp[4] << 24 | (uint32_t)icmp[5] << 16 | (uint32_t)icmp[6] << 8 |
		 icmp[7];
	uint8_t out[PKT_MAX];
	int len = rtr_icmp_error_encode(out, sizeof(out), &e, icmp + 8, l4 - 8);
	assert_int_equal(len, (int)ip.total_len);
	assert_memory_equal(out, v->pkt[i], ip.total_len);
}

static void check_answer(struct vector *v, int i, const struct expect *e)
{
	struct rtr_answer a;
	int r = rtr_answer_decode(&a, v->pkt[i], v->len[i]);
	if (get(e, "err") && !get(e, "kind")) {
		assert_int_equal(r, err_code(v, get(e, "err")));
		return;
	}
	assert_int_equal(r, RTR_OK);
	static const char *const kinds[] = {"",		  "time-exceeded", "dest-unreach",
					    "echo-reply", "tcp-rst",	   "tcp-synack"};
	assert_true(a.kind >= 1 && a.kind <= 5);
	assert_string_equal(kinds[a.kind], get(e, "kind"));
	if (get(e, "code"))
		assert_int_equal(a.icmp_code, num(v, e, "code"));
	addr_is(v, &a.from, get(e, "from"));
	if (get(e, "ack"))
		assert_int_equal(a.tcp_ack, num(v, e, "ack"));
	if (a.kind == RTR_ANS_TIME_EXCEEDED || a.kind == RTR_ANS_DEST_UNREACH)
		check_icmp_error_encode(v, i, &a);

	const char *m = get(e, "match");
	assert_non_null(m);
	if (strcmp(m, "none")) {
		int k = (int)num(v, e, "match") - 1;
		assert_true(k >= 0 && k < i);
		struct rtr_probe p;
		probe_of(v, k, &p);
		assert_int_equal(rtr_answer_match(&a, &p), RTR_OK);
		return;
	}
	/* No earlier probe of the vector may match; err= names why the first one does not. */
	for (int k = 0; k < i; k++) {
		struct rtr_probe p;
		if (!v->nexpect[k] || strcmp(v->ex[k].kind, "probe"))
			continue;
		probe_of(v, k, &p);
		int mr = rtr_answer_match(&a, &p);
		assert_int_not_equal(mr, RTR_OK);
		if (get(e, "err"))
			assert_int_equal(mr, err_code(v, get(e, "err")));
	}
}

static void check_server_rst(struct vector *v, int i, const struct expect *e)
{
	/* The RST after a SYN-ACK: what rtr_answer_encode_rst builds from the SYN-ACK before it. */
	assert_true(i > 0);
	struct rtr_answer a;
	assert_int_equal(rtr_answer_decode(&a, v->pkt[i - 1], v->len[i - 1]), RTR_OK);
	assert_int_equal(a.kind, RTR_ANS_TCP_SYNACK);
	uint8_t out[PKT_MAX];
	int len = rtr_answer_encode_rst(out, sizeof(out), &a);
	assert_int_equal(len, (int)v->len[i]);
	assert_memory_equal(out, v->pkt[i], v->len[i]);
	struct rtr_ip ip;
	size_t n;
	const uint8_t *tcp = l4_of(v, i, &ip, &n);
	assert_int_equal((tcp[0] << 8 | tcp[1]), num(v, e, "sport"));
	assert_int_equal((tcp[2] << 8 | tcp[3]), num(v, e, "dport"));
	assert_int_equal((uint32_t)tcp[4] << 24 | (uint32_t)tcp[5] << 16 | (uint32_t)tcp[6] << 8 |
				 tcp[7],
			 num(v, e, "seq"));
	assert_int_equal(tcp[13], RTR_TCP_RST);
}

static void check_ip_error(struct vector *v, int i, const struct expect *e)
{
	struct rtr_ip ip;
	assert_int_equal(rtr_ip_decode(&ip, v->pkt[i], v->len[i], 0), err_code(v, get(e, "err")));
}

static void check_foreign(struct vector *v, int i)
{
	struct rtr_ip ip;
	size_t n;
	const uint8_t *l4 = l4_of(v, i, &ip, &n);
	struct rtr_l3 l3 = l3_of(&ip);
	if (ip.proto == (ip.family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6)) {
		struct rtr_request rq;
		struct rtr_response rsp;
		int rr = rtr_request_decode(&rq, &l3, l4, n);
		int sr = rtr_response_decode(&rsp, &l3, l4, n);
		assert_true(rr == RTR_E_TYPE || rr == RTR_E_CODE);
		assert_true(sr == RTR_E_TYPE || sr == RTR_E_CODE);
	}
	struct rtr_answer a;
	int r = rtr_answer_decode(&a, v->pkt[i], v->len[i]);
	assert_true(r == RTR_OK || r == RTR_E_NOT_OURS);
	for (int k = 0; r == RTR_OK && k < i; k++) {
		struct rtr_probe p;
		if (strcmp(v->ex[k].kind, "probe"))
			continue;
		probe_of(v, k, &p);
		assert_int_not_equal(rtr_answer_match(&a, &p), RTR_OK);
	}
}

static void test_vector(void **state)
{
	struct vector *v = *state;
	load_pcap(v);
	for (int i = 0; i < v->npkts; i++) {
		const struct expect *e = &v->ex[i];
		if (v->nexpect[i] != 1)
			fail_msg("%s #%d: %d expect lines (want exactly 1) in %s", v->name, i + 1,
				 v->nexpect[i], v->src);
		if (!strcmp(e->kind, "request"))
			check_request(v, i, e);
		else if (!strcmp(e->kind, "drop"))
			check_drop(v, i, e);
		else if (!strcmp(e->kind, "response"))
			check_response(v, i, e);
		else if (!strcmp(e->kind, "malformed"))
			check_malformed(v, i, e);
		else if (!strcmp(e->kind, "kernel-echo"))
			check_kernel_echo(v, i, e);
		else if (!strcmp(e->kind, "probe"))
			check_probe(v, i, e);
		else if (!strcmp(e->kind, "answer"))
			check_answer(v, i, e);
		else if (!strcmp(e->kind, "server-rst"))
			check_server_rst(v, i, e);
		else if (!strcmp(e->kind, "ip-error"))
			check_ip_error(v, i, e);
		else if (!strcmp(e->kind, "foreign"))
			check_foreign(v, i);
		else
			fail_msg("%s #%d: unknown expect kind '%s'", v->name, i + 1, e->kind);
	}
}

/*
 * The golden printer must describe any bytes without reading out of bounds:
 * every prefix of every packet, and deterministic byte mutations of it, go
 * through rtr_dec_packet under ASan/UBSan with the capture context that the
 * earlier packets of the vector built up.
 */
static void test_printer_robust(void **state)
{
	struct vector *v = *state;
	static struct rtr_dec_ctx ctx;
	char line[2048];
	uint8_t buf[PKT_MAX];
	uint32_t rnd = 2166136261u;
	load_pcap(v);
	for (int i = 0; i < v->npkts; i++) {
		for (size_t cut = 0; cut <= v->len[i]; cut++) {
			rtr_dec_init(&ctx, &v->policy);
			for (int k = 0; k < i; k++)
				rtr_dec_packet(&ctx, (unsigned)k + 1, 0, v->pkt[k], v->len[k], line,
					       sizeof(line));
			memcpy(buf, v->pkt[i], cut);
			rtr_dec_packet(&ctx, (unsigned)i + 1, 0, buf, cut, line, sizeof(line));
			assert_true(line[0] == '#' && strlen(line) < sizeof(line));
		}
		for (int m = 0; m < 64; m++) {
			memcpy(buf, v->pkt[i], v->len[i]);
			for (int flips = 0; flips < 1 + m % 4; flips++) {
				rnd = rnd * 1103515245u +
				      12345u; /* fixed LCG: the same run every time */
				buf[(rnd >> 8) % v->len[i]] = (uint8_t)(rnd >> 24);
			}
			rtr_dec_init(&ctx, &v->policy);
			for (int k = 0; k < i; k++)
				rtr_dec_packet(&ctx, (unsigned)k + 1, 0, v->pkt[k], v->len[k], line,
					       sizeof(line));
			rtr_dec_packet(&ctx, (unsigned)i + 1, 0, buf, v->len[i], line,
				       sizeof(line));
			assert_true(line[0] == '#' && strlen(line) < sizeof(line));
		}
	}
	/* A line buffer too small for the text is cut, never overrun. */
	char tiny[8];
	rtr_dec_init(&ctx, &v->policy);
	rtr_dec_packet(&ctx, 1, 0, v->pkt[0], v->len[0], tiny, sizeof(tiny));
	assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		g_dir = argv[1];
	load_sources();
	struct CMUnitTest *tests = calloc((size_t)g_nvec, sizeof(*tests));
	if (!tests || g_nvec == 0) {
		fprintf(stderr, "test_vectors_fields: no vectors found under %s/src\n", g_dir);
		return 1;
	}
	for (int i = 0; i < g_nvec; i++) {
		tests[i].name = g_vec[i].name;
		tests[i].test_func = test_vector;
		tests[i].initial_state = &g_vec[i];
	}
	int failed = _cmocka_run_group_tests("vector fields", tests, (size_t)g_nvec, NULL, NULL);
	for (int i = 0; i < g_nvec; i++)
		tests[i].test_func = test_printer_robust;
	failed += _cmocka_run_group_tests("printer robustness", tests, (size_t)g_nvec, NULL, NULL);
	free(tests);
	free(g_vec);
	return failed;
}
