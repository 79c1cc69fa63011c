// SPDX-License-Identifier: BSD-2-Clause
/* checks.c: field-by-field verdicts on probes and responses, decoded by proto/. */
#include "checks.h"

#include <stdio.h>
#include <string.h>

#include "checksum.h"
#include "err.h"
#include "rtr_wire.h"

static const char *pname(uint8_t p)
{
	switch (p) {
	case RTR_IPPROTO_UDP:
		return "udp";
	case RTR_IPPROTO_TCP:
		return "tcp";
	case RTR_IPPROTO_ICMP:
		return "icmp";
	case RTR_IPPROTO_ICMPV6:
		return "icmpv6";
	}
	return "?";
}

void check_probe(struct result *r, const struct wire_pkt *p, const struct fam_addrs *a, int family,
		 uint8_t proto, uint16_t flow, uint8_t ttl)
{
	struct rtr_ip ip;
	char b1[RTR_ADDR_STRLEN], b2[RTR_ADDR_STRLEN];
	int h = rtr_ip_decode(&ip, p->data, p->len, 0);
	if (h < 0) {
		result_fail(r, "probe IP header: %s (section 4)", rtr_strerror(h));
		return;
	}
	if (ip.family != family || !rtr_addr_eq(&ip.src, &a->server) ||
	    !rtr_addr_eq(&ip.dst, &a->client))
		result_fail(r, "probe addresses: expected %s -> client, seen %s -> %s", "server",
			    rtr_addr_format(&ip.src, b1, sizeof(b1)),
			    rtr_addr_format(&ip.dst, b2, sizeof(b2)));
	if (ip.proto != proto)
		result_fail(r, "probe protocol: expected %s, seen %s", pname(proto),
			    pname(ip.proto));
	if (ip.ttl != ttl)
		result_fail(r, "probe TTL: expected %u, seen %u (section 4)", ttl, ip.ttl);
	size_t l4 = rtr_ip_l4_len(&ip, p->len);
	const uint8_t *t = p->data + h;
	uint16_t seen_flow = l4 >= 4 ? (uint16_t)(t[2] << 8 | t[3]) : 0;
	if (seen_flow != flow)
		result_fail(r, "probe flow: expected %u, seen %u (section 4)", flow, seen_flow);
	if (proto != RTR_IPPROTO_ICMP && proto != RTR_IPPROTO_ICMPV6 &&
	    (l4 < 2 || (t[0] << 8 | t[1]) != RTR_PROBE_SPORT))
		result_fail(r, "probe source port: expected 1021 (the policing marker), seen %u",
			    l4 >= 2 ? (unsigned)(t[0] << 8 | t[1]) : 0u);
	if ((proto == RTR_IPPROTO_ICMP || proto == RTR_IPPROTO_ICMPV6) && l4 >= 2 && t[1] != 0)
		result_fail(r, "probe ICMP Echo Request code: expected 0, seen %u", t[1]);
	/* L4 checksum over the pseudo-header (none for ICMPv4). */
	uint32_t pseudo = 0;
	if (proto != RTR_IPPROTO_ICMP)
		pseudo = rtr_csum_pseudo(family, &ip.src, &ip.dst, proto, (uint32_t)l4);
	if (!rtr_csum_ok(pseudo, t, l4))
		result_fail(r, "probe %s checksum does not verify (PRB-3)", pname(proto));
	if (proto == RTR_IPPROTO_UDP && family == 6 && l4 >= 8 && t[6] == 0 && t[7] == 0)
		result_fail(r, "probe UDP checksum 0 over IPv6 (RFC 8200 8.1, PRB-4)");
}

/* rtr's own layout of a probe (PRB-1 decision, PRB-2, PRB-4, PRB-6, PRB-7, PRB-9), as text. */
static void profile_shape(const struct wire_pkt *p, int family, uint8_t proto, char *why,
			  size_t cap)
{
	struct rtr_ip ip;
	struct rtr_probe_seen s;
	size_t n = 0;
	why[0] = 0;
#define WHY(...)                                                                      \
	do {                                                                          \
		if (n < cap)                                                          \
			n += (size_t)snprintf(why + n, cap - n, "%s", n ? "; " : ""); \
		if (n < cap)                                                          \
			n += (size_t)snprintf(why + n, cap - n, __VA_ARGS__);         \
	} while (0)
	int h = rtr_ip_decode(&ip, p->data, p->len, 0);
	if (h < 0)
		return;
	int err = rtr_probe_decode(&s, p->data, p->len, 0);
	if (err != RTR_OK)
		WHY("not rtr's probe shape: %s (PRB-9)", rtr_strerror(err));
	if (ip.tos != 0)
		WHY("TOS/traffic class %u, rtr sends 0 (PRB-2)", ip.tos);
	if (family == 4 && (ip.options_len || !ip.df))
		WHY("IPv4 %u option bytes, DF %d; rtr sends IHL 5 with DF (PRB-2)", ip.options_len,
		    ip.df);
	if (family == 6 && ip.flowlabel != 0)
		WHY("flow label 0x%05x, rtr sends 0 (PRB-1 decision)", ip.flowlabel);
	size_t l4 = rtr_ip_l4_len(&ip, p->len);
	const uint8_t *t = p->data + h;
	if (proto == RTR_IPPROTO_UDP) {
		/* A probe of another shape may be shorter: read only captured bytes. */
		uint16_t ck = l4 >= 8 ? (uint16_t)(t[6] << 8 | t[7]) : 0;
		if (ck == 0 || ck == 0xFFFF)
			WHY("UDP checksum 0x%04x, rtr never sends 0 or 0xFFFF (PRB-4)", ck);
		if (!(l4 == 40 || (family == 4 && l4 == 41)))
			WHY("UDP length %zu, rtr sends 40%s (PRB-6)", l4,
			    family == 4 ? " or 41" : "");
	} else if (proto == RTR_IPPROTO_TCP) {
		/*
		 * Fields of a shorter segment read as 0, never past the capture (fuzz_conform: the
		 * reason changed with stale buffer bytes).
		 */
		uint32_t ack = l4 >= 12 ? (uint32_t)t[8] << 24 | (uint32_t)t[9] << 16 |
						  (uint32_t)t[10] << 8 | t[11]
					: 0;
		uint16_t win = l4 >= 16 ? (uint16_t)(t[14] << 8 | t[15]) : 0;
		uint8_t off = l4 >= 13 ? t[12] >> 4 : 0, flags = l4 >= 14 ? t[13] : 0;
		uint16_t mss =
			l4 >= 24 && t[20] == 2 && t[21] == 4 ? (uint16_t)(t[22] << 8 | t[23]) : 0;
		uint16_t want_mss = family == 4 ? 1460 : 1440;
		if (l4 != 24 || off != 6 || flags != RTR_TCP_SYN || win != 64240 || ack != 0 ||
		    mss != want_mss)
			WHY("TCP %zu bytes, data offset %u, flags 0x%02x, window %u, ack %u, MSS "
			    "%u; rtr sends 24 bytes, offset 6, SYN only, window 64240, ack 0, MSS "
			    "%u and no other option (PRB-6, PRB-7)",
			    l4, off, flags, win, ack, mss, want_mss);
	} else if (l4 != 40) {
		WHY("ICMP length %zu, rtr sends 40 (PRB-6)", l4);
	}
#undef WHY
}

/* Bits that differed from the first probe of the same flow in some probe. */
static int span(uint32_t var)
{
	return __builtin_popcount(var);
}

void shape_note(struct conform *c, const char *case_name, const struct wire_pkt *p, int family,
		uint8_t proto)
{
	struct rtr_ip ip;
	int h = rtr_ip_decode(&ip, p->data, p->len, 0);
	if (h < 0)
		return;
	struct shape_acc *s = &c->shape[family == 4 ? 0 : 1][proto == RTR_IPPROTO_UDP	? 0
							     : proto == RTR_IPPROTO_TCP ? 1
											: 2];
	s->seen++;
	char why[sizeof(s->first)];
	profile_shape(p, family, proto, why, sizeof(why));
	if (why[0] && s->bad++ == 0) {
		snprintf(s->first_case, sizeof(s->first_case), "%s", case_name);
		snprintf(s->first, sizeof(s->first), "%s", why);
	}
	/* rtr's identity fields (4.1), read where rtr keeps them, whatever the shape. */
	size_t l4 = rtr_ip_l4_len(&ip, p->len);
	const uint8_t *t = p->data + h;
	uint16_t ipid = family == 4 ? ip.id : 0;
	uint32_t id = 0, tag = 0;
	if (l4 >= 8)
		id = proto == RTR_IPPROTO_UDP ? (uint32_t)(t[6] << 8 | t[7])
					      : (uint32_t)t[4] << 24 | (uint32_t)t[5] << 16 |
							(uint32_t)t[6] << 8 | t[7];
	if (proto == RTR_IPPROTO_UDP && l4 >= 8 + RTR_PROBE_TAG_OFF + 4)
		tag = (uint32_t)t[10] << 24 | (uint32_t)t[11] << 16 | (uint32_t)t[12] << 8 | t[13];
	uint16_t flow = l4 >= 4 ? (uint16_t)(t[2] << 8 | t[3]) : 0;
	int f = 0;
	while (f < s->nflows && s->first_of[f].flow != flow)
		f++;
	if (f == s->nflows) {
		if (f == 16)
			return;
		s->first_of[f].flow = flow;
		s->first_of[f].ipid = ipid;
		s->first_of[f].l4 = id;
		s->first_of[f].tag = tag;
		s->nflows++;
		return;
	}
	/* Within one flow only: the flow itself moves checksums but is no identity. */
	s->compared++;
	s->ipid_var |= (uint16_t)(ipid ^ s->first_of[f].ipid);
	s->l4_var |= id ^ s->first_of[f].l4;
	s->tag_var |= tag ^ s->first_of[f].tag;
}

void shape_cases(struct conform *c, struct report *rep, int family)
{
	static const char *const pn[3] = {"udp", "tcp", "icmp"};
	for (int i = 0; i < 3; i++) {
		const struct shape_acc *s = &c->shape[family == 4 ? 0 : 1][i];
		char name[64];
		snprintf(name, sizeof(name), "profile-probe-shape-%s-v%d", pn[i], family);
		struct result *r = report_add(rep, name, "PRB-1 PRB-2 PRB-4 PRB-6 PRB-7 PRB-9",
					      true, L_PROFILE);
		if (!s->seen)
			result_inconclusive(r, "no %s probe was seen in this run", pn[i]);
		else if (s->bad)
			result_fail(r, "%d of %d %s probes deviate; the first, in %s: %s", s->bad,
				    s->seen, pn[i], s->first_case, s->first);
		snprintf(name, sizeof(name), "profile-probe-identity-%s-v%d", pn[i], family);
		r = report_add(rep, name, "PRB-5 SRV-6", true, L_PROFILE);
		int bits = span(s->ipid_var) + span(s->l4_var) + span(s->tag_var);
		/*
		 * Random bits differ from a flow's first probe half the time each: after 4
		 * comparisons 32 random bits show about 30, a 16-bit identity at most 16.
		 */
		if (s->compared < 4)
			result_inconclusive(
				r,
				"%d %s probes shared a flow with an earlier one, 4 needed "
				"to judge which bits vary",
				s->compared, pn[i]);
		else if (bits < 24)
			result_fail(r,
				    "over %d %s probes of one flow only %d bits of rtr's identity "
				    "fields varied (IP ID %d, %s %d, UDP tag %d); rtr draws 32 or "
				    "more (4.1)",
				    s->compared + s->nflows, pn[i], bits, span(s->ipid_var),
				    i == 0   ? "UDP checksum"
				    : i == 1 ? "sequence"
					     : "ident/seq",
				    span(s->l4_var), span(s->tag_var));
	}
}

void describe_response(const struct seen_rsp *s, uint16_t req_seq, char *out, size_t cap)
{
	char hop[RTR_ADDR_STRLEN];
	/* A repeated sequence is the kernel's echo whatever its length (RSP-7). */
	const char *echo = obs_is_echo(s, req_seq) ? "a kernel echo of the request (sequence "
						     "repeated): "
						   : "";
	if (s->err < 0) {
		/* Only bytes that were really there: a failed decode's fields mean nothing. */
		char b8[24] = "";
		if (s->raw_state >= 0)
			snprintf(b8, sizeof(b8), ", byte 8 = %d", s->raw_state);
		snprintf(out, cap, "%smalformed reply (%s): %zu ICMP bytes, sequence %u%s", echo,
			 rtr_strerror(s->err), s->icmp_len, s->raw_seq, b8);
		return;
	}
	snprintf(out, cap, "%sstate %u value 0x%04x seq %u len %zu hop %s rtt %llu ns TTL %u", echo,
		 s->rsp.state, s->rsp.value, s->rsp.seq, s->icmp_len,
		 s->rsp.state == 0 ? rtr_addr_format(&s->rsp.hop, hop, sizeof(hop)) : "-",
		 (unsigned long long)s->rsp.rtt_ns, s->ip.ttl);
}

void check_response(struct result *r, const struct seen_rsp *s, const struct fam_addrs *a,
		    uint16_t req_seq, int state, uint16_t value, const struct rtr_addr *hop,
		    uint64_t max_rtt_ns)
{
	char seen[300], b1[RTR_ADDR_STRLEN];
	describe_response(s, req_seq, seen, sizeof(seen));
	if (s->err < 0) {
		result_fail(r, "expected a response with state %d, seen %s (RSP-1)", state, seen);
		return;
	}
	if (!rtr_addr_eq(&s->ip.src, &a->server) || !rtr_addr_eq(&s->ip.dst, &a->client))
		result_fail(r, "response addresses: expected server -> client, seen %s -> ...",
			    rtr_addr_format(&s->ip.src, b1, sizeof(b1)));
	/* Sent with 64, seen at the client after r1. */
	if (s->ip.ttl != RTR_RSP_TTL - 1)
		result_fail(r,
			    "response IP TTL: expected 64 at the server (63 after r1), seen %u "
			    "after r1 (section 3)",
			    s->ip.ttl);
	if (s->rsp.seq != 0)
		result_fail(r, "response sequence: expected 0, seen %u (RSP-2)", s->rsp.seq);
	if (s->rsp.state != state) {
		result_fail(r, "expected state %d, seen %s (REQ-3)", state, seen);
		return;
	}
	if (s->rsp.value != value || s->rsp.errlen != 0)
		result_fail(r, "response value/error length: expected 0x%04x/0, seen 0x%04x/%u",
			    value, s->rsp.value, s->rsp.errlen);
	size_t want = state == 0 ? RTR_RSP_OK_LEN : RTR_RSP_ERR_LEN;
	if (s->icmp_len != want)
		result_fail(r, "response length: expected %zu, seen %zu (RSP-1)", want,
			    s->icmp_len);
	if (state != 0)
		return;
	if (hop && !rtr_addr_eq(&s->rsp.hop, hop))
		result_fail(r, "response hop: expected %s, seen %s (ANS-1)",
			    rtr_addr_format(hop, b1, sizeof(b1)), seen);
	if (s->rsp.rtt_unknown || s->rsp.rtt_ns == 0 || s->rsp.rtt_ns > max_rtt_ns)
		result_fail(r,
			    "response RTT: expected 0 < rtt <= %llu ns (request to response), "
			    "seen %s (RSP-4)",
			    (unsigned long long)max_rtt_ns, seen);
}
