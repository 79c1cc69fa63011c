// SPDX-License-Identifier: BSD-2-Clause
/* answer.c: decoding what a probe triggers, strict matching to the probe sent, and the RST. */
#include <string.h>

#include "answer.h"
#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "ip.h"
#include "rtr_wire.h"

#define TCP_HDR_MIN 20

/* ICMP Time Exceeded / Destination Unreachable: the quote starts after the 8-byte header. */
static int decode_quote(struct rtr_answer *a, const uint8_t *icmp, size_t len)
{
	int err = rtr_probe_decode(&a->probe, icmp + RTR_ICMP_HDR_LEN, len - RTR_ICMP_HDR_LEN,
				   RTR_IP_QUOTED);

	if (err == RTR_E_TRUNCATED)
		return RTR_E_QUOTE_SHORT;
	if (err == RTR_OK && a->probe.family != a->family)
		err = RTR_E_NOT_OURS;
	/* Whatever else is quoted (bad version, fragment, foreign protocol) is not our probe. */
	if (err != RTR_OK) {
		memset(&a->probe, 0, sizeof(a->probe));
		return RTR_E_NOT_OURS;
	}
	return RTR_OK;
}

static int decode_icmp(struct rtr_answer *a, const struct rtr_ip *ip, const uint8_t *icmp,
		       size_t len)
{
	if (len < RTR_ICMP_HDR_LEN)
		return RTR_E_TRUNCATED;
	uint8_t type = icmp[0], code = icmp[1];
	bool v4 = ip->family == 4;

	if (type == (v4 ? RTR_ICMP4_TIME_EXCEEDED : RTR_ICMP6_TIME_EXCEEDED))
		a->kind = RTR_ANS_TIME_EXCEEDED;
	else if (type == (v4 ? RTR_ICMP4_DEST_UNREACH : RTR_ICMP6_DEST_UNREACH))
		a->kind = RTR_ANS_DEST_UNREACH;
	else if (type == (v4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY) && code == 0)
		a->kind = RTR_ANS_ECHO_REPLY;
	else
		return RTR_E_NOT_OURS;

	uint32_t pseudo = 0;
	if (!v4)
		pseudo = rtr_csum_pseudo(6, &ip->src, &ip->dst, RTR_IPPROTO_ICMPV6, (uint32_t)len);
	if (!rtr_csum_ok(pseudo, icmp, len))
		return RTR_E_CHECKSUM;
	a->icmp_type = type;
	a->icmp_code = code;

	if (a->kind != RTR_ANS_ECHO_REPLY)
		return decode_quote(a, icmp, len);

	/* Echo Reply: rebuild the probe it answers; the flow (our checksum) is not echoed. */
	struct rtr_probe_seen *s = &a->probe;
	s->family = ip->family;
	s->proto = v4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	s->src = ip->dst;
	s->dst = ip->src;
	s->id.l4 = rtr_get32(icmp + 4);
	s->present = RTR_ID_L4;
	s->l4_len = (uint16_t)len;
	return RTR_OK;
}

static int decode_tcp(struct rtr_answer *a, const struct rtr_ip *ip, const uint8_t *tcp, size_t len)
{
	if (len < TCP_HDR_MIN)
		return RTR_E_TRUNCATED;
	if (rtr_get16(tcp + 2) != RTR_PROBE_SPORT)
		return RTR_E_NOT_OURS;
	uint8_t fl = tcp[13];
	/* Both answers acknowledge our SYN (RFC 9293 3.10.7.1): without ACK there is no ack number.
	 */
	if (!(fl & RTR_TCP_ACK))
		return RTR_E_NOT_OURS;
	if (fl & RTR_TCP_RST)
		a->kind = RTR_ANS_TCP_RST;
	else if (fl & RTR_TCP_SYN)
		a->kind = RTR_ANS_TCP_SYNACK;
	else
		return RTR_E_NOT_OURS;
	uint32_t pseudo =
		rtr_csum_pseudo(ip->family, &ip->src, &ip->dst, RTR_IPPROTO_TCP, (uint32_t)len);
	if (!rtr_csum_ok(pseudo, tcp, len))
		return RTR_E_CHECKSUM;

	uint32_t ack = rtr_get32(tcp + 8);
	struct rtr_probe_seen *s = &a->probe;
	s->family = ip->family;
	s->proto = RTR_IPPROTO_TCP;
	s->src = ip->dst;
	s->dst = ip->src;
	s->sport = RTR_PROBE_SPORT;
	s->flow = rtr_get16(tcp);
	s->id.l4 = ack - 1;
	s->present = RTR_ID_L4;
	s->l4_len = (uint16_t)len;
	a->tcp_ack = ack;
	return RTR_OK;
}

int rtr_answer_decode(struct rtr_answer *a, const uint8_t *pkt, size_t len)
{
	struct rtr_ip ip;
	int hl = rtr_ip_decode(&ip, pkt, len, 0);

	if (hl < 0)
		return hl;
	memset(a, 0, sizeof(*a));
	/* Answers are small; a fragment is someone else's traffic and goes to the stack. */
	if (ip.fragment)
		return RTR_E_FRAGMENT;
	a->family = ip.family;
	a->from = ip.src;
	a->to = ip.dst;
	a->reply_ttl = ip.ttl;

	const uint8_t *l4 = pkt + hl;
	size_t l4_len = rtr_ip_l4_len(&ip, len);
	int err;
	if (ip.proto == (ip.family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6))
		err = decode_icmp(a, &ip, l4, l4_len);
	else if (ip.proto == RTR_IPPROTO_TCP)
		err = decode_tcp(a, &ip, l4, l4_len);
	else
		err = RTR_E_NOT_OURS;
	if (err)
		memset(a, 0, sizeof(*a));
	return err;
}

int rtr_answer_match(const struct rtr_answer *a, const struct rtr_probe *sent)
{
	const struct rtr_probe_seen *s = &a->probe;
	bool quote = a->kind == RTR_ANS_TIME_EXCEEDED || a->kind == RTR_ANS_DEST_UNREACH;

	/* Time Exceeded code 1 (reassembly) is not a hop on the path. */
	if (a->kind == RTR_ANS_TIME_EXCEEDED && a->icmp_code != RTR_CODE_TTL_EXCEEDED)
		return RTR_E_MISMATCH;
	if (a->kind < RTR_ANS_TIME_EXCEEDED || a->kind > RTR_ANS_TCP_SYNACK)
		return RTR_E_MISMATCH;
	if (a->family != sent->family || s->family != sent->family || s->proto != sent->proto)
		return RTR_E_MISMATCH;
	if (!rtr_addr_eq(&s->src, &sent->src) || !rtr_addr_eq(&s->dst, &sent->dst))
		return RTR_E_MISMATCH;
	/* An Echo Reply does not carry our checksum, so the flow is unknown there. */
	if (a->kind != RTR_ANS_ECHO_REPLY && s->flow != sent->flow)
		return RTR_E_MISMATCH;
	if (quote && (sent->proto == RTR_IPPROTO_UDP || sent->proto == RTR_IPPROTO_TCP) &&
	    s->sport != RTR_PROBE_SPORT)
		return RTR_E_MISMATCH;

	uint32_t want_l4 = sent->proto == RTR_IPPROTO_UDP ? (sent->id.l4 & 0xffff) : sent->id.l4;
	if ((s->present & RTR_ID_L4) && s->id.l4 != want_l4)
		return RTR_E_MISMATCH;
	if ((s->present & RTR_ID_IPID) && s->id.ip_id != sent->id.ip_id)
		return RTR_E_MISMATCH;
	if ((s->present & RTR_ID_TAG) && s->id.tag != sent->id.tag)
		return RTR_E_MISMATCH;
	if ((s->present & RTR_ID_LEN) && s->id.len_extra != sent->id.len_extra)
		return RTR_E_MISMATCH;

	/* Everything shown agrees; now is enough shown to be sure (PROTOCOL.md 4.1)? */
	if (!(s->present & RTR_ID_L4))
		return RTR_E_QUOTE_SHORT;
	if (quote && sent->family == 4 && !(s->present & RTR_ID_IPID))
		return RTR_E_QUOTE_SHORT;
	if (sent->family == 6 && sent->proto == RTR_IPPROTO_UDP && !(s->present & RTR_ID_TAG))
		return RTR_E_QUOTE_SHORT;
	return RTR_OK;
}

int rtr_answer_encode_rst(uint8_t *out, size_t cap, const struct rtr_answer *synack)
{
	if (synack->kind != RTR_ANS_TCP_SYNACK || (synack->family != 4 && synack->family != 6))
		return RTR_E_INVAL;
	size_t hl = synack->family == 4 ? RTR_IPV4_HDR_MIN : RTR_IPV6_HDR_LEN;
	if (cap < hl + TCP_HDR_MIN)
		return RTR_E_NOSPACE;

	/* IPv4 ID 0 is fine for an atomic datagram (DF set, RFC 6864). */
	struct rtr_ip ip = {
		.family = synack->family,
		.tos = 0,
		.ttl = RTR_RSP_TTL,
		.proto = RTR_IPPROTO_TCP,
		.id = 0,
		.df = true,
		.flowlabel = RTR_PROBE_FLOWLABEL,
		.src = synack->to,
		.dst = synack->from,
	};
	int n = rtr_ip_encode(out, cap, &ip, TCP_HDR_MIN);
	if (n < 0)
		return n;
	uint8_t *tcp = out + n;
	memset(tcp, 0, TCP_HDR_MIN);
	rtr_put16(tcp, RTR_PROBE_SPORT);
	rtr_put16(tcp + 2, synack->probe.flow);
	rtr_put32(tcp + 4, synack->tcp_ack);
	tcp[12] = (TCP_HDR_MIN / 4) << 4;
	tcp[13] = RTR_TCP_RST;
	uint32_t pseudo =
		rtr_csum_pseudo(ip.family, &ip.src, &ip.dst, RTR_IPPROTO_TCP, TCP_HDR_MIN);
	rtr_put16(tcp + 16, rtr_csum_fold(rtr_csum_add(pseudo, tcp, TCP_HDR_MIN)));
	return n + TCP_HDR_MIN;
}
