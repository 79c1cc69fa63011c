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
	struct rtr_probe_seen s;
	char b1[RTR_ADDR_STRLEN], b2[RTR_ADDR_STRLEN];
	int h = rtr_ip_decode(&ip, p->data, p->len, 0);
	if (h < 0) {
		result_fail(r, "probe IP header: %s (PRB-2)", rtr_strerror(h));
		return;
	}
	int err = rtr_probe_decode(&s, p->data, p->len, 0);
	if (err != RTR_OK) {
		result_fail(r, "probe is not of our shape: %s (PRB-9)", rtr_strerror(err));
		return;
	}
	if (s.family != family || !rtr_addr_eq(&s.src, &a->server) ||
	    !rtr_addr_eq(&s.dst, &a->client))
		result_fail(r, "probe addresses: expected %s -> client, seen %s -> %s", "server",
			    rtr_addr_format(&s.src, b1, sizeof(b1)),
			    rtr_addr_format(&s.dst, b2, sizeof(b2)));
	if (s.proto != proto)
		result_fail(r, "probe protocol: expected %s, seen %s", pname(proto),
			    pname(s.proto));
	if (s.flow != flow)
		result_fail(r, "probe flow: expected %u, seen %u (section 4)", flow, s.flow);
	if (proto != RTR_IPPROTO_ICMP && proto != RTR_IPPROTO_ICMPV6 && s.sport != 1021)
		result_fail(r, "probe source port: expected 1021, seen %u", s.sport);
	if (s.ttl != ttl)
		result_fail(r, "probe TTL: expected %u, seen %u", ttl, s.ttl);
	if (ip.tos != 0)
		result_fail(r, "probe TOS/traffic class: expected 0, seen %u (PRB-2)", ip.tos);
	if (family == 4 && (ip.options_len || !ip.df))
		result_fail(r,
			    "probe IPv4 header: expected IHL 5 and DF, seen %u option bytes, DF %d "
			    "(PRB-2)",
			    ip.options_len, ip.df);
	if (family == 6 && ip.flowlabel != 0)
		result_fail(r, "probe flow label: expected 0, seen 0x%05x (PRB-1)", ip.flowlabel);
	/* L4 checksum over the pseudo-header (none for ICMPv4). */
	size_t l4 = rtr_ip_l4_len(&ip, p->len);
	uint32_t pseudo = 0;
	if (proto != RTR_IPPROTO_ICMP)
		pseudo = rtr_csum_pseudo(family, &ip.src, &ip.dst, proto, (uint32_t)l4);
	if (!rtr_csum_ok(pseudo, p->data + h, l4))
		result_fail(r, "probe %s checksum does not verify (PRB-3)", pname(proto));
	const uint8_t *t = p->data + h;
	if (proto == RTR_IPPROTO_UDP) {
		/* A probe of another protocol may be shorter: read only captured bytes. */
		uint16_t ck = l4 >= 8 ? (uint16_t)(t[6] << 8 | t[7]) : 0;
		if (ck == 0 || ck == 0xFFFF)
			result_fail(r, "probe UDP checksum 0x%04x (PRB-4)", ck);
		if (!(l4 == 40 || (family == 4 && l4 == 41)))
			result_fail(r, "probe UDP length: expected 40%s, seen %zu (PRB-6)",
				    family == 4 ? " or 41" : "", l4);
	} else if (proto == RTR_IPPROTO_TCP) {
		/* Fields of a shorter segment (another protocol's probe) read as 0, never past the
		 * capture (fuzz_conform: the reason changed with stale buffer bytes). */
		uint32_t ack = l4 >= 12 ? (uint32_t)t[8] << 24 | (uint32_t)t[9] << 16 |
						  (uint32_t)t[10] << 8 | t[11]
					: 0;
		uint16_t win = l4 >= 16 ? (uint16_t)(t[14] << 8 | t[15]) : 0;
		uint8_t off = l4 >= 13 ? t[12] >> 4 : 0, flags = l4 >= 14 ? t[13] : 0;
		uint16_t mss = l4 >= 24 ? (uint16_t)(t[22] << 8 | t[23]) : 0;
		uint16_t want_mss = family == 4 ? 1460 : 1440;
		if (l4 != 24 || off != 6 || flags != 0x02 || win != 64240 || ack != 0 ||
		    t[20] != 2 || t[21] != 4 || mss != want_mss)
			result_fail(
				r,
				"probe TCP: expected 24 bytes, data offset 6, SYN only, window "
				"64240, ack 0, MSS %u; seen %zu bytes, offset %u, flags 0x%02x, "
				"window %u, ack %u, MSS %u (PRB-6, PRB-7)",
				want_mss, l4, off, flags, win, ack, mss);
	} else if (l4 != 40) {
		result_fail(r, "probe ICMP length: expected 40, seen %zu (PRB-6)", l4);
	}
}

void describe_response(const struct seen_rsp *s, char *out, size_t cap)
{
	char hop[RTR_ADDR_STRLEN];
	if (s->err < 0) {
		snprintf(out, cap, "malformed response (%s, %zu ICMP bytes, seq %u, state %u)",
			 rtr_strerror(s->err), s->icmp_len, s->rsp.seq, s->rsp.state);
		return;
	}
	snprintf(out, cap, "state %u value 0x%04x seq %u len %zu hop %s rtt %llu ns TTL %u",
		 s->rsp.state, s->rsp.value, s->rsp.seq, s->icmp_len,
		 s->rsp.state == 0 ? rtr_addr_format(&s->rsp.hop, hop, sizeof(hop)) : "-",
		 (unsigned long long)s->rsp.rtt_ns, s->ip.ttl);
}

void check_response(struct result *r, const struct seen_rsp *s, const struct fam_addrs *a,
		    int family, int state, uint16_t value, const struct rtr_addr *hop,
		    uint64_t max_rtt_ns)
{
	char seen[200], b1[RTR_ADDR_STRLEN];
	describe_response(s, seen, sizeof(seen));
	(void)family;
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
