// SPDX-License-Identifier: BSD-2-Clause
/* probe.c: probe identity, probe construction (UDP, TCP SYN, ICMP Echo) and probe decoding. */
#include <string.h>

#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "ip.h"
#include "probe.h"
#include "rtr_wire.h"

#define TCP_OPT_MSS 2
#define TCP_OPT_MSS_LEN 4
#define TCP_DOFF_WORDS 6
#define TCP_HDR_MIN 20

static bool proto_ok(int family, uint8_t proto)
{
	if (proto == RTR_IPPROTO_UDP || proto == RTR_IPPROTO_TCP)
		return family == 4 || family == 6;
	if (proto == RTR_IPPROTO_ICMP)
		return family == 4;
	if (proto == RTR_IPPROTO_ICMPV6)
		return family == 6;
	return false;
}

/* Maps 16 random bits into 1..0xFFFE: a UDP checksum of 0 means "none", 0xFFFF is its twin. */
static uint16_t udp_csum_value(uint16_t r)
{
	return (uint16_t)(1 + r % 0xfffe);
}

int rtr_probe_id_from_random(struct rtr_probe_id *id, int family, uint8_t proto,
			     const uint8_t rnd[8])
{
	if (!proto_ok(family, proto))
		return RTR_E_PROTO;
	memset(id, 0, sizeof(*id));
	if (family == 4) {
		id->ip_id = rtr_get16(rnd);
		if (proto == RTR_IPPROTO_UDP) {
			id->l4 = udp_csum_value(rtr_get16(rnd + 2));
			id->tag = rtr_get32(rnd + 4);
			/* 8 bytes cannot give 16 + 16 + 32 + 1 independent bits: the length bit
			 * shares a bit with the tag, which only full quotes carry anyway. */
			id->len_extra = rnd[7] & 1;
		} else {
			id->l4 = rtr_get32(rnd + 2);
		}
	} else {
		if (proto == RTR_IPPROTO_UDP) {
			id->l4 = udp_csum_value(rtr_get16(rnd));
			id->tag = rtr_get32(rnd + 2);
		} else {
			id->l4 = rtr_get32(rnd);
		}
	}
	return RTR_OK;
}

static size_t udp_payload_len(const struct rtr_probe *p)
{
	return RTR_PROBE_PAYLOAD_LEN + p->id.len_extra;
}

size_t rtr_probe_random_len(const struct rtr_probe *p)
{
	switch (p->proto) {
	case RTR_IPPROTO_UDP:
		return udp_payload_len(p) - RTR_PROBE_TAG_OFF - 4;
	case RTR_IPPROTO_ICMP:
	case RTR_IPPROTO_ICMPV6:
		return RTR_PROBE_PAYLOAD_LEN - RTR_PROBE_TAG_OFF;
	default:
		return 0;
	}
}

static size_t l4_len_of(const struct rtr_probe *p)
{
	switch (p->proto) {
	case RTR_IPPROTO_UDP:
		return RTR_UDP_HDR_LEN + udp_payload_len(p);
	case RTR_IPPROTO_TCP:
		return RTR_TCP_PROBE_HDR_LEN;
	default:
		return RTR_ICMP_HDR_LEN + RTR_PROBE_PAYLOAD_LEN;
	}
}

/* Partial sum of the pseudo-header, or 0 for ICMPv4, which has none. */
static uint32_t l4_pseudo(const struct rtr_probe *p, size_t l4_len)
{
	if (p->proto == RTR_IPPROTO_ICMP)
		return 0;
	return rtr_csum_pseudo(p->family, &p->src, &p->dst, p->proto, (uint32_t)l4_len);
}

/*
 * Sets the checksum field at csum_off to `want` and the payload word at
 * comp_off so that the checksum verifies (PROTOCOL.md PRB-3).
 */
static void place_checksum(uint8_t *l4, size_t l4_len, uint32_t pseudo, size_t csum_off,
			   size_t comp_off, uint16_t want)
{
	rtr_put16(l4 + csum_off, 0);
	rtr_put16(l4 + comp_off, 0);
	uint16_t have = rtr_csum_fold(rtr_csum_add(pseudo, l4, l4_len));
	rtr_put16(l4 + comp_off, rtr_csum_compensate(have, want));
	rtr_put16(l4 + csum_off, want);
}

static void encode_udp(uint8_t *l4, size_t l4_len, const struct rtr_probe *p, const uint8_t *random)
{
	uint8_t *pay = l4 + RTR_UDP_HDR_LEN;

	rtr_put16(l4, RTR_PROBE_SPORT);
	rtr_put16(l4 + 2, p->flow);
	rtr_put16(l4 + 4, (uint16_t)l4_len);
	rtr_put32(pay + RTR_PROBE_TAG_OFF, p->id.tag);
	memcpy(pay + RTR_PROBE_TAG_OFF + 4, random, rtr_probe_random_len(p));
	place_checksum(l4, l4_len, l4_pseudo(p, l4_len), 6, RTR_UDP_HDR_LEN + RTR_PROBE_COMP_OFF,
		       (uint16_t)p->id.l4);
}

static void encode_tcp(uint8_t *l4, size_t l4_len, const struct rtr_probe *p)
{
	rtr_put16(l4, RTR_PROBE_SPORT);
	rtr_put16(l4 + 2, p->flow);
	rtr_put32(l4 + 4, p->id.l4);
	rtr_put32(l4 + 8, 0);
	l4[12] = TCP_DOFF_WORDS << 4;
	l4[13] = RTR_TCP_SYN;
	rtr_put16(l4 + 14, RTR_TCP_PROBE_WINDOW);
	rtr_put16(l4 + 16, 0);
	rtr_put16(l4 + 18, 0);
	l4[20] = TCP_OPT_MSS;
	l4[21] = TCP_OPT_MSS_LEN;
	rtr_put16(l4 + 22, p->family == 4 ? RTR_TCP_MSS_V4 : RTR_TCP_MSS_V6);
	rtr_put16(l4 + 16, rtr_csum_fold(rtr_csum_add(l4_pseudo(p, l4_len), l4, l4_len)));
}

static void encode_icmp(uint8_t *l4, size_t l4_len, const struct rtr_probe *p,
			const uint8_t *random)
{
	uint8_t *pay = l4 + RTR_ICMP_HDR_LEN;

	l4[0] = p->family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST;
	l4[1] = 0;
	rtr_put16(l4 + 4, (uint16_t)(p->id.l4 >> 16));
	rtr_put16(l4 + 6, (uint16_t)p->id.l4);
	memcpy(pay + RTR_PROBE_TAG_OFF, random, rtr_probe_random_len(p));
	place_checksum(l4, l4_len, l4_pseudo(p, l4_len), 2, RTR_ICMP_HDR_LEN + RTR_PROBE_COMP_OFF,
		       p->flow);
}

int rtr_probe_encode(uint8_t *out, size_t cap, const struct rtr_probe *p, const uint8_t *random)
{
	if (p->family != 4 && p->family != 6)
		return RTR_E_INVAL;
	if (!proto_ok(p->family, p->proto))
		return RTR_E_PROTO;
	if (p->flow == 0 || p->id.len_extra > 1 || (p->family == 6 && p->id.len_extra != 0))
		return RTR_E_INVAL;
	if (p->family == 6 && p->id.ip_id != 0)
		return RTR_E_INVAL;
	if (p->proto == RTR_IPPROTO_UDP) {
		uint16_t c = (uint16_t)p->id.l4;
		if (c == 0 || c == 0xffff || p->id.l4 > 0xffff)
			return RTR_E_INVAL;
	}
	if (rtr_addr_family(&p->src) != p->family || rtr_addr_family(&p->dst) != p->family)
		return RTR_E_INVAL;
	if (!random && rtr_probe_random_len(p) > 0)
		return RTR_E_INVAL;

	size_t l4_len = l4_len_of(p);
	size_t ip_len = p->family == 4 ? RTR_IPV4_HDR_MIN : RTR_IPV6_HDR_LEN;
	if (cap < ip_len + l4_len)
		return RTR_E_NOSPACE;

	struct rtr_ip ip = {
		.family = p->family,
		.tos = RTR_PROBE_IP_TOS,
		.ttl = p->ttl,
		.proto = p->proto,
		.id = p->id.ip_id,
		.df = true,
		.flowlabel = RTR_PROBE_FLOWLABEL,
		.src = p->src,
		.dst = p->dst,
	};
	int hl = rtr_ip_encode(out, cap, &ip, l4_len);
	if (hl < 0)
		return hl;
	uint8_t *l4 = out + hl;
	memset(l4, 0, l4_len);
	if (p->proto == RTR_IPPROTO_UDP)
		encode_udp(l4, l4_len, p, random);
	else if (p->proto == RTR_IPPROTO_TCP)
		encode_tcp(l4, l4_len, p);
	else
		encode_icmp(l4, l4_len, p, random);
	return (int)(hl + l4_len);
}

static int decode_udp(struct rtr_probe_seen *s, const uint8_t *l4, size_t avail, bool quoted)
{
	if (rtr_get16(l4) != RTR_PROBE_SPORT)
		return RTR_E_NOT_OURS;
	uint16_t ulen = rtr_get16(l4 + 4);
	size_t extra = ulen - (size_t)(RTR_UDP_HDR_LEN + RTR_PROBE_PAYLOAD_LEN);
	/* Our UDP length is 40, or 41 on IPv4 (len_extra): anything else is not a probe. */
	if (ulen < RTR_UDP_HDR_LEN + RTR_PROBE_PAYLOAD_LEN || extra > (s->family == 4 ? 1u : 0u))
		return RTR_E_NOT_OURS;
	/* A whole packet must agree with its own IP length. */
	if (!quoted && ulen != avail)
		return RTR_E_NOT_OURS;
	s->sport = RTR_PROBE_SPORT;
	s->flow = rtr_get16(l4 + 2);
	s->id.l4 = rtr_get16(l4 + 6);
	s->present |= RTR_ID_L4;
	if (s->family == 4) {
		s->id.len_extra = (uint8_t)extra;
		s->present |= RTR_ID_LEN;
	}
	if (avail >= RTR_UDP_HDR_LEN + RTR_PROBE_TAG_OFF + 4) {
		s->id.tag = rtr_get32(l4 + RTR_UDP_HDR_LEN + RTR_PROBE_TAG_OFF);
		s->present |= RTR_ID_TAG;
	}
	return RTR_OK;
}

static int decode_tcp(struct rtr_probe_seen *s, const uint8_t *l4, size_t avail)
{
	if (rtr_get16(l4) != RTR_PROBE_SPORT)
		return RTR_E_NOT_OURS;
	/* The flags lie beyond the 8 bytes a minimal quote holds: check them when present. */
	if (avail >= 14 &&
	    (l4[13] & (RTR_TCP_SYN | RTR_TCP_ACK | RTR_TCP_RST | RTR_TCP_FIN)) != RTR_TCP_SYN)
		return RTR_E_NOT_OURS;
	s->sport = RTR_PROBE_SPORT;
	s->flow = rtr_get16(l4 + 2);
	s->id.l4 = rtr_get32(l4 + 4);
	s->present |= RTR_ID_L4;
	return RTR_OK;
}

static int decode_icmp(struct rtr_probe_seen *s, const uint8_t *l4)
{
	uint8_t want = s->family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST;

	if (l4[0] != want || l4[1] != 0)
		return RTR_E_NOT_OURS;
	s->sport = 0;
	s->flow = rtr_get16(l4 + 2);
	s->id.l4 = rtr_get32(l4 + 4);
	s->present |= RTR_ID_L4;
	return RTR_OK;
}

int rtr_probe_decode(struct rtr_probe_seen *s, const uint8_t *pkt, size_t len, unsigned flags)
{
	struct rtr_ip ip;
	int hl = rtr_ip_decode(&ip, pkt, len, flags);

	if (hl < 0)
		return hl;
	/* Probes are sent with DF and are far below any MTU: a fragment is never one. */
	if (ip.fragment)
		return RTR_E_FRAGMENT;
	if (!proto_ok(ip.family, ip.proto))
		return RTR_E_NOT_OURS;

	size_t avail = rtr_ip_l4_len(&ip, len);
	/* A quote needs the 8 L4 bytes RFC 792 guarantees; a whole packet a whole TCP header. */
	size_t need = RTR_QUOTE_L4_MIN;
	if (!(flags & RTR_IP_QUOTED) && ip.proto == RTR_IPPROTO_TCP)
		need = TCP_HDR_MIN;
	if (avail < need)
		return RTR_E_TRUNCATED;

	memset(s, 0, sizeof(*s));
	s->family = ip.family;
	s->proto = ip.proto;
	s->src = ip.src;
	s->dst = ip.dst;
	s->ttl = ip.ttl;
	s->l4_len = (uint16_t)avail;
	s->truncated = len < ip.total_len;
	if (ip.family == 4) {
		s->id.ip_id = ip.id;
		s->present |= RTR_ID_IPID;
	}

	const uint8_t *l4 = pkt + hl;
	int err;
	if (ip.proto == RTR_IPPROTO_UDP)
		err = decode_udp(s, l4, avail, flags & RTR_IP_QUOTED);
	else if (ip.proto == RTR_IPPROTO_TCP)
		err = decode_tcp(s, l4, avail);
	else
		err = decode_icmp(s, l4);
	if (err)
		memset(s, 0, sizeof(*s));
	return err;
}
