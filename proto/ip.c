// SPDX-License-Identifier: BSD-2-Clause
/* ip.c: IPv4 and IPv6 header decode and encode (fixed headers, IPv4 options, v6 Fragment). */
#include <string.h>

#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "ip.h"
#include "rtr_wire.h"

#define IPV6_NEXTHDR_FRAGMENT 44
#define IPV6_FRAG_HDR_LEN 8
#define IPV4_DF 0x4000
#define IPV4_MF 0x2000
#define IPV4_OFFSET_MASK 0x1fff

static int ip4_decode(struct rtr_ip *ip, const uint8_t *buf, size_t len, unsigned flags)
{
	if (len < RTR_IPV4_HDR_MIN)
		return RTR_E_TRUNCATED;
	size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
	if (ihl < RTR_IPV4_HDR_MIN)
		return RTR_E_IPHDR;
	if (len < ihl)
		return RTR_E_TRUNCATED;
	uint16_t total = rtr_get16(buf + 2);
	if (total < ihl)
		return RTR_E_IPHDR;
	if (!(flags & RTR_IP_QUOTED)) {
		if (len < total)
			return RTR_E_TRUNCATED;
		if (!rtr_csum_ok(0, buf, ihl))
			return RTR_E_CHECKSUM;
	}
	uint16_t frag = rtr_get16(buf + 6);

	ip->family = 4;
	ip->tos = buf[1];
	ip->total_len = total;
	ip->id = rtr_get16(buf + 4);
	ip->df = (frag & IPV4_DF) != 0;
	ip->fragment = (frag & (IPV4_MF | IPV4_OFFSET_MASK)) != 0;
	ip->ttl = buf[8];
	ip->proto = buf[9];
	ip->flowlabel = 0;
	ip->hdr_len = (uint16_t)ihl;
	ip->options_len = (uint16_t)(ihl - RTR_IPV4_HDR_MIN);
	rtr_addr_from_v4(&ip->src, buf + 12);
	rtr_addr_from_v4(&ip->dst, buf + 16);
	return (int)ihl;
}

static int ip6_decode(struct rtr_ip *ip, const uint8_t *buf, size_t len, unsigned flags)
{
	if (len < RTR_IPV6_HDR_LEN)
		return RTR_E_TRUNCATED;
	uint32_t plen = rtr_get16(buf + 4);
	/* total_len is 16 bits wide: the few largest payload lengths cannot be represented. */
	if (plen + RTR_IPV6_HDR_LEN > 0xffff)
		return RTR_E_IPHDR;
	uint16_t total = (uint16_t)(plen + RTR_IPV6_HDR_LEN);
	uint16_t hdr_len = RTR_IPV6_HDR_LEN;
	uint8_t next = buf[6];
	bool fragment = false;

	if (next == IPV6_NEXTHDR_FRAGMENT) {
		if (len < RTR_IPV6_HDR_LEN + IPV6_FRAG_HDR_LEN)
			return RTR_E_TRUNCATED;
		if (total < RTR_IPV6_HDR_LEN + IPV6_FRAG_HDR_LEN)
			return RTR_E_IPHDR;
		fragment = true;
		next = buf[RTR_IPV6_HDR_LEN];
		hdr_len += IPV6_FRAG_HDR_LEN;
	}
	if (!(flags & RTR_IP_QUOTED) && len < total)
		return RTR_E_TRUNCATED;

	uint32_t w0 = rtr_get32(buf);
	ip->family = 6;
	ip->tos = (uint8_t)(w0 >> 20);
	ip->flowlabel = w0 & 0xfffff;
	ip->total_len = total;
	ip->id = 0;
	ip->df = false;
	ip->fragment = fragment;
	ip->proto = next;
	ip->ttl = buf[7];
	ip->hdr_len = hdr_len;
	ip->options_len = 0;
	rtr_addr_from_v6(&ip->src, buf + 8);
	rtr_addr_from_v6(&ip->dst, buf + 24);
	return hdr_len;
}

int rtr_ip_decode(struct rtr_ip *ip, const uint8_t *buf, size_t len, unsigned flags)
{
	if (len < 1)
		return RTR_E_TRUNCATED;
	switch (buf[0] >> 4) {
	case 4:
		return ip4_decode(ip, buf, len, flags);
	case 6:
		return ip6_decode(ip, buf, len, flags);
	default:
		return RTR_E_VERSION;
	}
}

size_t rtr_ip_l4_len(const struct rtr_ip *ip, size_t len)
{
	size_t end = len < ip->total_len ? len : ip->total_len;

	return end > ip->hdr_len ? end - ip->hdr_len : 0;
}

int rtr_ip_encode(uint8_t *out, size_t cap, const struct rtr_ip *ip, size_t l4_len)
{
	if (ip->family == 4) {
		if (l4_len > 0xffff - RTR_IPV4_HDR_MIN || !rtr_addr_is_v4mapped(&ip->src) ||
		    !rtr_addr_is_v4mapped(&ip->dst))
			return RTR_E_INVAL;
		if (cap < RTR_IPV4_HDR_MIN)
			return RTR_E_NOSPACE;
		out[0] = 0x45;
		out[1] = ip->tos;
		rtr_put16(out + 2, (uint16_t)(RTR_IPV4_HDR_MIN + l4_len));
		rtr_put16(out + 4, ip->id);
		rtr_put16(out + 6, ip->df ? IPV4_DF : 0);
		out[8] = ip->ttl;
		out[9] = ip->proto;
		rtr_put16(out + 10, 0);
		memcpy(out + 12, rtr_addr_v4(&ip->src), 4);
		memcpy(out + 16, rtr_addr_v4(&ip->dst), 4);
		rtr_put16(out + 10, rtr_csum(out, RTR_IPV4_HDR_MIN));
		return RTR_IPV4_HDR_MIN;
	}
	if (ip->family == 6) {
		if (l4_len > 0xffff || ip->flowlabel > 0xfffff)
			return RTR_E_INVAL;
		if (cap < RTR_IPV6_HDR_LEN)
			return RTR_E_NOSPACE;
		rtr_put32(out, 6u << 28 | (uint32_t)ip->tos << 20 | ip->flowlabel);
		rtr_put16(out + 4, (uint16_t)l4_len);
		out[6] = ip->proto;
		out[7] = ip->ttl;
		memcpy(out + 8, ip->src.b, 16);
		memcpy(out + 24, ip->dst.b, 16);
		return RTR_IPV6_HDR_LEN;
	}
	return RTR_E_INVAL;
}
