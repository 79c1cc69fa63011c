// SPDX-License-Identifier: BSD-2-Clause
/* fuzz_roundtrip.c: libFuzzer harness for decode -> encode -> decode stability of every message. */
#include "answer.h"
#include "fuzz.h"
#include "ip.h"
#include "probe.h"
#include "request.h"
#include "response.h"
#include "rtr_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Selector: bits 0-1 pick the mode, bits 2-3 are the usual selector (fuzz.h)
 * shifted by two: v6 or quoted, and the checksum fix.
 */
enum mode {
	MODE_REQUEST = 0,  /* decode, encode, decode: same fields, same bytes */
	MODE_RESPONSE = 1, /* the same for responses */
	MODE_PROBE = 2,	   /* decode a probe, rebuild it from the decoded fields, decode again */
	MODE_BUILD = 3,	   /* build a probe from input fields; it decodes and its quote matches */
};

static uint8_t out1[2 * FUZZ_MAX_MSG], out2[2 * FUZZ_MAX_MSG];

static void same_request(const struct rtr_request *a, const struct rtr_request *b)
{
	FUZZ_CHECK(a->ident == b->ident && a->seq == b->seq && a->ttl == b->ttl);
	FUZZ_CHECK(a->proto == b->proto && a->flow == b->flow);
	FUZZ_CHECK(a->has_target == b->has_target && a->has_padding == b->has_padding &&
		   a->has_unknown == b->has_unknown);
	if (a->has_target)
		FUZZ_CHECK(a->target_obj_len == b->target_obj_len &&
			   rtr_addr_eq(&a->target, &b->target));
	if (a->has_padding)
		FUZZ_CHECK(a->padding_len == b->padding_len);
	if (a->has_unknown)
		FUZZ_CHECK(a->unknown_class == b->unknown_class &&
			   a->unknown_ctype == b->unknown_ctype);
	if (a->has_target || a->has_padding || a->has_unknown)
		FUZZ_CHECK(a->has_ext && b->has_ext);
}

static void roundtrip_request(uint8_t sel, uint8_t *m, size_t len)
{
	struct rtr_request rq, back, again;
	struct rtr_l3 l3;

	fuzz_l3(&l3, sel & FUZZ_SEL_V6);
	if (sel & FUZZ_SEL_FIX)
		fuzz_fix_icmp(&l3, m, len);
	if (rtr_request_decode(&rq, &l3, m, len) < 0)
		return;
	int n = rtr_request_encode(out1, sizeof(out1), &l3, &rq);
	FUZZ_CHECK(n >= RTR_REQ_LEN);
	FUZZ_CHECK(rtr_request_decode(&back, &l3, out1, (size_t)n) == n);
	same_request(&rq, &back);
	/* The encoding of a decoded encoding is the same bytes. */
	int n2 = rtr_request_encode(out2, sizeof(out2), &l3, &back);
	FUZZ_CHECK(n2 == n && memcmp(out1, out2, (size_t)n) == 0);
	FUZZ_CHECK(rtr_request_decode(&again, &l3, out2, (size_t)n2) == n2);
	same_request(&back, &again);
	FUZZ_CHECK(back.ext_len == again.ext_len);
	FUZZ_CHECK(rtr_request_encode(out2, (size_t)n - 1, &l3, &back) == RTR_E_NOSPACE);
}

static void same_response(const struct rtr_response *a, const struct rtr_response *b)
{
	FUZZ_CHECK(a->ident == b->ident && a->seq == b->seq && a->state == b->state);
	FUZZ_CHECK(a->errlen == b->errlen && a->value == b->value);
	if (a->state != RTR_STATE_OK)
		return;
	FUZZ_CHECK(rtr_addr_eq(&a->hop, &b->hop));
	/* RSP-4: the 32-bit interop layout; 0xFFFFFFFF ns and more read back as unknown. */
	bool unknown = a->rtt_unknown || a->rtt_ns >= RTR_RTT_UNKNOWN;
	FUZZ_CHECK(b->rtt_unknown == unknown);
	if (!unknown)
		FUZZ_CHECK(b->rtt_ns == a->rtt_ns && b->rtt_layout == RTR_RTT_32);
}

static void roundtrip_response(uint8_t sel, uint8_t *m, size_t len)
{
	struct rtr_response rsp, back;
	struct rtr_l3 l3;

	fuzz_l3(&l3, sel & FUZZ_SEL_V6);
	if (sel & FUZZ_SEL_FIX)
		fuzz_fix_icmp(&l3, m, len);
	if (rtr_response_decode(&rsp, &l3, m, len) < 0)
		return;
	int n = rtr_response_encode(out1, sizeof(out1), &l3, &rsp);
	FUZZ_CHECK(n == (rsp.state == RTR_STATE_OK ? RTR_RSP_OK_LEN : RTR_RSP_ERR_LEN));
	FUZZ_CHECK(rtr_response_decode(&back, &l3, out1, (size_t)n) == n);
	same_response(&rsp, &back);
	if (rsp.state == RTR_STATE_OK)
		FUZZ_CHECK(rtr_get32(out1 + RTR_RSP_OFF_TIMESPAN + 4) == 0);
	/* A state beyond 5 is refused (RTR_E_STATE). */
	struct rtr_response bad = rsp;
	bad.state = (uint8_t)(RTR_STATE_MAX + 1 + (rsp.value & 0x7F));
	FUZZ_CHECK(rtr_response_encode(out2, sizeof(out2), &l3, &bad) == RTR_E_STATE);
	int n2 = rtr_response_encode(out2, sizeof(out2), &l3, &back);
	FUZZ_CHECK(n2 == n && memcmp(out1, out2, (size_t)n) == 0);
	FUZZ_CHECK(rtr_response_encode(out2, (size_t)n - 1, &l3, &back) == RTR_E_NOSPACE);
}

/* The whole packet rtr_probe_encode built for p decodes as exactly that probe (PRB-1..7). */
static void check_built(const struct rtr_probe *p, const uint8_t *pkt, int n)
{
	struct rtr_probe_seen s;
	struct rtr_ip ip;
	bool v4 = p->family == 4;

	int h = rtr_ip_decode(&ip, pkt, (size_t)n, 0);
	FUZZ_CHECK(h == (v4 ? RTR_IPV4_HDR_MIN : RTR_IPV6_HDR_LEN) && ip.total_len == n);
	FUZZ_CHECK(ip.tos == RTR_PROBE_IP_TOS && ip.ttl == p->ttl && ip.proto == p->proto);
	if (v4)
		FUZZ_CHECK(ip.df && ip.id == p->id.ip_id);
	else
		FUZZ_CHECK(ip.flowlabel == RTR_PROBE_FLOWLABEL);
	const uint8_t *l4 = pkt + h;
	size_t l4_len = (size_t)n - (size_t)h;
	uint32_t pseudo = fuzz_pseudo(p->family, p->src.b, p->dst.b, p->proto, (uint32_t)l4_len);
	switch (p->proto) {
	case RTR_IPPROTO_UDP:
		FUZZ_CHECK(l4_len == RTR_UDP_HDR_LEN + RTR_PROBE_PAYLOAD_LEN + p->id.len_extra);
		FUZZ_CHECK(rtr_get16(l4 + 4) == l4_len);
		FUZZ_CHECK(fuzz_csum_ok(pseudo, l4, l4_len));
		FUZZ_CHECK(rtr_get16(l4 + 6) != 0 && rtr_get16(l4 + 6) != 0xFFFF);
		break;
	case RTR_IPPROTO_TCP:
		FUZZ_CHECK(l4_len == RTR_TCP_PROBE_HDR_LEN);
		FUZZ_CHECK(fuzz_csum_ok(pseudo, l4, l4_len));
		FUZZ_CHECK(l4[12] >> 4 == 6 && l4[13] == RTR_TCP_SYN);
		FUZZ_CHECK(rtr_get32(l4 + 8) == 0);
		FUZZ_CHECK(rtr_get16(l4 + 14) == RTR_TCP_PROBE_WINDOW);
		FUZZ_CHECK(l4[20] == 2 && l4[21] == 4);
		FUZZ_CHECK(rtr_get16(l4 + 22) == (v4 ? RTR_TCP_MSS_V4 : RTR_TCP_MSS_V6));
		break;
	default:
		FUZZ_CHECK(l4_len == RTR_ICMP_HDR_LEN + RTR_PROBE_PAYLOAD_LEN);
		FUZZ_CHECK(fuzz_csum_ok(v4 ? 0 : pseudo, l4, l4_len));
		break;
	}

	memset(&s, 0xA5, sizeof(s));
	FUZZ_CHECK(rtr_probe_decode(&s, pkt, (size_t)n, 0) == RTR_OK);
	FUZZ_CHECK(s.family == p->family && s.proto == p->proto && s.ttl == p->ttl);
	FUZZ_CHECK(rtr_addr_eq(&s.src, &p->src) && rtr_addr_eq(&s.dst, &p->dst));
	FUZZ_CHECK(s.flow == p->flow && s.l4_len == l4_len && !s.truncated);
	FUZZ_CHECK(
		s.sport ==
		(p->proto == RTR_IPPROTO_UDP || p->proto == RTR_IPPROTO_TCP ? RTR_PROBE_SPORT : 0));
	FUZZ_CHECK(s.id.l4 == p->id.l4);
	if (v4)
		FUZZ_CHECK((s.present & RTR_ID_IPID) && s.id.ip_id == p->id.ip_id);
	if (p->proto == RTR_IPPROTO_UDP) {
		FUZZ_CHECK((s.present & RTR_ID_TAG) && s.id.tag == p->id.tag);
		if (v4)
			FUZZ_CHECK((s.present & RTR_ID_LEN) && s.id.len_extra == p->id.len_extra);
	}
}

/*
 * A router's Time Exceeded quoting the probe (the whole probe or only its
 * first 8 L4 bytes) decodes as an answer and matches the probe, except that
 * an IPv6 UDP probe cannot be verified from 8 bytes (PRB-5 decision).
 */
static void check_quoted(const struct rtr_probe *p, const uint8_t *pkt, int n, bool short_quote)
{
	static const uint8_t r4[4] = {198, 51, 100, 1};
	static const uint8_t r6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	uint8_t te[2048];
	struct rtr_ip outer = {0};
	struct rtr_answer a;
	bool v4 = p->family == 4;
	size_t q = (size_t)n;

	if (short_quote)
		q = (v4 ? RTR_IPV4_HDR_MIN : RTR_IPV6_HDR_LEN) + RTR_QUOTE_L4_MIN;
	outer.family = p->family;
	outer.ttl = 60;
	outer.proto = v4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	if (v4)
		rtr_addr_from_v4(&outer.src, r4);
	else
		rtr_addr_from_v6(&outer.src, r6);
	outer.dst = p->src;
	size_t icmp_len = RTR_ICMP_HDR_LEN + q;
	int h = rtr_ip_encode(te, sizeof(te), &outer, icmp_len);
	FUZZ_CHECK(h > 0);
	uint8_t *icmp = te + h;
	memset(icmp, 0, RTR_ICMP_HDR_LEN);
	icmp[0] = v4 ? RTR_ICMP4_TIME_EXCEEDED : RTR_ICMP6_TIME_EXCEEDED;
	icmp[1] = RTR_CODE_TTL_EXCEEDED;
	memcpy(icmp + RTR_ICMP_HDR_LEN, pkt, q);
	uint32_t pseudo = v4 ? 0
			     : fuzz_pseudo(6, outer.src.b, outer.dst.b, RTR_IPPROTO_ICMPV6,
					   (uint32_t)icmp_len);
	fuzz_csum_set(pseudo, icmp, icmp_len, 2);

	FUZZ_CHECK(rtr_answer_decode(&a, te, (size_t)h + icmp_len) == RTR_OK);
	FUZZ_CHECK(a.kind == RTR_ANS_TIME_EXCEEDED && a.family == p->family);
	FUZZ_CHECK(rtr_addr_eq(&a.from, &outer.src) && a.reply_ttl == outer.ttl);
	int r = rtr_answer_match(&a, p);
	if (short_quote && !v4 && p->proto == RTR_IPPROTO_UDP)
		FUZZ_CHECK(r == RTR_E_QUOTE_SHORT);
	else
		FUZZ_CHECK(r == RTR_OK);
	/* Code 1 (fragment reassembly time exceeded) never matches. */
	icmp[1] = 1;
	fuzz_csum_set(pseudo, icmp, icmp_len, 2);
	if (rtr_answer_decode(&a, te, (size_t)h + icmp_len) == RTR_OK)
		FUZZ_CHECK(rtr_answer_match(&a, p) != RTR_OK);
}

/* Encodes p, checks the packet and its quotes; refusals only for values outside the encoder's
 * domain. */
static void build_and_check(const struct rtr_probe *p, const uint8_t *rnd, bool short_quote)
{
	bool icmp = p->proto == (p->family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6);
	bool valid_proto = p->proto == RTR_IPPROTO_UDP || p->proto == RTR_IPPROTO_TCP || icmp;
	bool domain = valid_proto && p->flow != 0 && (p->family == 4 || p->id.ip_id == 0) &&
		      p->id.len_extra <= (p->family == 4 && p->proto == RTR_IPPROTO_UDP) &&
		      (p->proto != RTR_IPPROTO_UDP || (p->id.l4 >= 1 && p->id.l4 <= 0xFFFE)) &&
		      /* an IPv6 packet may carry ::ffff: addresses; a probe never does */
		      rtr_addr_family(&p->src) == p->family &&
		      rtr_addr_family(&p->dst) == p->family;

	FUZZ_CHECK(rtr_probe_random_len(p) <= 64);
	int n = rtr_probe_encode(out1, sizeof(out1), p, rnd);
	if (!valid_proto) {
		FUZZ_CHECK(n == RTR_E_PROTO);
		return;
	}
	if (!domain) {
		FUZZ_CHECK(n == RTR_E_INVAL || n > 0);
		if (n < 0)
			return;
	}
	FUZZ_CHECK(n > 0);
	/* Impossible values are refused (probe.h: RTR_E_INVAL). */
	struct rtr_probe bad = *p;
	bad.family = 5;
	FUZZ_CHECK(rtr_probe_encode(out2, sizeof(out2), &bad, rnd) == RTR_E_INVAL);
	if (p->family == 6) {
		bad = *p;
		bad.id.ip_id = 1; /* IPv6 has no IP ID */
		FUZZ_CHECK(rtr_probe_encode(out2, sizeof(out2), &bad, rnd) == RTR_E_INVAL);
	}
	if (rtr_probe_random_len(p) > 0)
		FUZZ_CHECK(rtr_probe_encode(out2, sizeof(out2), p, NULL) == RTR_E_INVAL);
	n = rtr_probe_encode(out1, sizeof(out1), p, rnd);
	check_built(p, out1, n);
	FUZZ_CHECK(rtr_probe_encode(out2, (size_t)n - 1, p, rnd) == RTR_E_NOSPACE);
	check_quoted(p, out1, n, short_quote);
}

static void roundtrip_probe(uint8_t sel, uint8_t *pkt, size_t len)
{
	struct rtr_probe_seen s;
	struct rtr_probe p;

	if (sel & FUZZ_SEL_FIX)
		fuzz_fix_packet(pkt, len);
	if (rtr_probe_decode(&s, pkt, len, sel & FUZZ_SEL_QUOTED ? RTR_IP_QUOTED : 0) != RTR_OK)
		return;
	memset(&p, 0, sizeof(p));
	p.family = s.family;
	p.proto = s.proto;
	p.src = s.src;
	p.dst = s.dst;
	p.ttl = s.ttl;
	p.flow = s.flow;
	p.id.l4 = s.id.l4;
	if (s.present & RTR_ID_IPID)
		p.id.ip_id = s.id.ip_id;
	if (s.present & RTR_ID_TAG)
		p.id.tag = s.id.tag;
	if (s.present & RTR_ID_LEN)
		p.id.len_extra = s.id.len_extra;
	build_and_check(&p, fuzz_probe_random(), false);
}

static void build_probe(const uint8_t *b, size_t len)
{
	static const uint8_t protos[4] = {RTR_IPPROTO_UDP, RTR_IPPROTO_TCP, RTR_IPPROTO_ICMP,
					  RTR_IPPROTO_ICMPV6};
	struct rtr_probe p;
	struct rtr_l3 l3;
	uint8_t in[16] = {0};

	memcpy(in, b, len < sizeof(in) ? len : sizeof(in));
	int family = in[0] & 1 ? 6 : 4;
	fuzz_probe_fixed(&p, family, RTR_IPPROTO_UDP);
	p.proto = protos[in[1] & 3];
	p.ttl = in[2];
	p.flow = rtr_get16(in + 3);
	fuzz_l3(&l3, family == 6);
	int r = rtr_probe_id_from_random(&p.id, family, p.proto, in + 5);
	bool icmp = p.proto == (family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6);
	if (p.proto != RTR_IPPROTO_UDP && p.proto != RTR_IPPROTO_TCP && !icmp) {
		FUZZ_CHECK(r == RTR_E_PROTO);
		FUZZ_CHECK(rtr_probe_encode(out1, sizeof(out1), &p, fuzz_probe_random()) ==
			   RTR_E_PROTO);
		return;
	}
	FUZZ_CHECK(r == RTR_OK);
	/* rtr_probe_id_from_random stays inside the encoder's domain (PRB-4). */
	if (family == 6)
		FUZZ_CHECK(p.id.ip_id == 0 && p.id.len_extra == 0);
	if (p.proto == RTR_IPPROTO_UDP)
		FUZZ_CHECK(p.id.l4 >= 1 && p.id.l4 <= 0xFFFE && p.id.len_extra <= 1);
	else
		FUZZ_CHECK(p.id.len_extra == 0);
	if (p.flow == 0)
		p.flow = rtr_request_probe_flow(p.proto, 0);
	/* The payload comes from the input when it has enough bytes. */
	const uint8_t *rnd = len >= 16 + 64 ? b + 16 : fuzz_probe_random();
	build_and_check(&p, rnd, in[13] & 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t sel;
	size_t len;
	uint8_t *m = fuzz_take(data, size, &sel, &len);

	if (!m)
		return 0;
	uint8_t sub = sel >> 2;
	switch (sel & 3) {
	case MODE_REQUEST:
		roundtrip_request(sub, m, len);
		break;
	case MODE_RESPONSE:
		roundtrip_response(sub, m, len);
		break;
	case MODE_PROBE:
		roundtrip_probe(sub, m, len);
		break;
	default:
		build_probe(m, len);
		break;
	}
	free(m);
	return 0;
}
