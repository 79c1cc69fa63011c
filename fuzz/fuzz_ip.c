// SPDX-License-Identifier: BSD-2-Clause
/* fuzz_ip.c: libFuzzer harness for rtr_ip_decode (plain and RTR_IP_QUOTED) and rtr_ip_encode. */
#include "fuzz.h"
#include "ip.h"
#include "rtr_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bits of what is wrong with a header, read independently of proto/ip.c. */
enum flaw {
	FLAW_VERSION = 1 << 0,
	FLAW_TRUNCATED = 1 << 1,
	FLAW_IPHDR = 1 << 2,
	FLAW_CHECKSUM = 1 << 3,
};

/* Every defect docs/PROTOCOL.md and ip.h name that the bytes p[0..len) show. */
static unsigned flaws(const uint8_t *p, size_t len, unsigned flags)
{
	bool quoted = flags & RTR_IP_QUOTED;
	unsigned f = 0;

	if (len < 1)
		return FLAW_TRUNCATED;
	if (p[0] >> 4 == 4) {
		size_t ihl = (size_t)(p[0] & 15) * 4;
		if (len < RTR_IPV4_HDR_MIN)
			return FLAW_TRUNCATED;
		size_t total = rtr_get16(p + 2);
		if (ihl < RTR_IPV4_HDR_MIN || total < ihl)
			f |= FLAW_IPHDR;
		if (len < ihl || (!quoted && len < total))
			f |= FLAW_TRUNCATED;
		if (!quoted && ihl >= RTR_IPV4_HDR_MIN && len >= ihl && !fuzz_csum_ok(0, p, ihl))
			f |= FLAW_CHECKSUM;
		return f;
	}
	if (p[0] >> 4 != 6)
		return FLAW_VERSION;
	if (len < RTR_IPV6_HDR_LEN)
		return FLAW_TRUNCATED;
	size_t total = RTR_IPV6_HDR_LEN + (size_t)rtr_get16(p + 4);
	if (total > 0xFFFF) /* total_len is 16 bits */
		f |= FLAW_IPHDR;
	if (p[6] == 44 && total < RTR_IPV6_HDR_LEN + 8)
		f |= FLAW_IPHDR;
	if ((p[6] == 44 && len < RTR_IPV6_HDR_LEN + 8) || (!quoted && len < total))
		f |= FLAW_TRUNCATED;
	return f;
}

static unsigned flaw_of(int err)
{
	switch (err) {
	case RTR_E_VERSION:
		return FLAW_VERSION;
	case RTR_E_TRUNCATED:
		return FLAW_TRUNCATED;
	case RTR_E_IPHDR:
		return FLAW_IPHDR;
	case RTR_E_CHECKSUM:
		return FLAW_CHECKSUM;
	default:
		return 0;
	}
}

/* Every field the decoder reports must be the one on the wire. */
static void check_fields(const struct rtr_ip *ip, const uint8_t *p, size_t len, unsigned flags,
			 int ret)
{
	struct rtr_addr a;

	FUZZ_CHECK(ret == ip->hdr_len);
	FUZZ_CHECK((size_t)ret <= len);
	FUZZ_CHECK(ip->family == p[0] >> 4);
	if (ip->family == 4) {
		FUZZ_CHECK(ip->hdr_len == (p[0] & 15) * 4);
		FUZZ_CHECK(ip->hdr_len >= RTR_IPV4_HDR_MIN);
		FUZZ_CHECK(ip->options_len == ip->hdr_len - RTR_IPV4_HDR_MIN);
		FUZZ_CHECK(ip->tos == p[1]);
		FUZZ_CHECK(ip->total_len == rtr_get16(p + 2));
		FUZZ_CHECK(ip->total_len >= ip->hdr_len);
		FUZZ_CHECK(ip->id == rtr_get16(p + 4));
		FUZZ_CHECK(ip->df == !!(p[6] & 0x40));
		FUZZ_CHECK(ip->fragment == ((rtr_get16(p + 6) & 0x3FFF) != 0));
		FUZZ_CHECK(ip->ttl == p[8]);
		FUZZ_CHECK(ip->proto == p[9]);
		fuzz_addr_at(&a, p + 12, 4);
		FUZZ_CHECK(rtr_addr_eq(&a, &ip->src));
		fuzz_addr_at(&a, p + 16, 4);
		FUZZ_CHECK(rtr_addr_eq(&a, &ip->dst));
		if (!(flags & RTR_IP_QUOTED))
			FUZZ_CHECK(fuzz_csum_ok(0, p, ip->hdr_len));
	} else {
		FUZZ_CHECK(ip->family == 6);
		FUZZ_CHECK(ip->hdr_len >= RTR_IPV6_HDR_LEN);
		FUZZ_CHECK(ip->options_len == 0);
		FUZZ_CHECK(ip->tos == (uint8_t)(rtr_get16(p) >> 4));
		FUZZ_CHECK(ip->flowlabel == (rtr_get32(p) & 0xFFFFF));
		FUZZ_CHECK(ip->total_len == RTR_IPV6_HDR_LEN + rtr_get16(p + 4));
		FUZZ_CHECK(ip->id == 0);
		FUZZ_CHECK(ip->ttl == p[7]);
		/* Only a Fragment header (44) is looked into; it makes hdr_len 48. */
		if (p[6] == 44) {
			FUZZ_CHECK(ip->fragment);
			FUZZ_CHECK(ip->hdr_len == RTR_IPV6_HDR_LEN + 8);
		} else {
			FUZZ_CHECK(!ip->fragment);
			FUZZ_CHECK(ip->proto == p[6]);
			FUZZ_CHECK(ip->hdr_len == RTR_IPV6_HDR_LEN);
		}
		fuzz_addr_at(&a, p + 8, 6);
		FUZZ_CHECK(rtr_addr_eq(&a, &ip->src));
		fuzz_addr_at(&a, p + 24, 6);
		FUZZ_CHECK(rtr_addr_eq(&a, &ip->dst));
	}
	if (!(flags & RTR_IP_QUOTED))
		FUZZ_CHECK(ip->total_len <= len);
	size_t l4 = rtr_ip_l4_len(ip, len);
	size_t end = ip->total_len < len ? ip->total_len : len;
	FUZZ_CHECK(end >= ip->hdr_len);
	FUZZ_CHECK(l4 == end - ip->hdr_len);
}

/* Encoding the decoded fields and decoding that again must give the same fields back. */
static void check_reencode(const struct rtr_ip *ip)
{
	static uint8_t out[RTR_IPV6_HDR_LEN + FUZZ_MAX_MSG];
	struct rtr_ip back;
	size_t l4_len = ip->total_len - ip->hdr_len;
	size_t hdr = ip->family == 4 ? RTR_IPV4_HDR_MIN : RTR_IPV6_HDR_LEN;

	if (ip->family == 4 && l4_len + hdr > 0xFFFF)
		l4_len = 0xFFFF - hdr; /* options dropped: the same payload always fits */
	memset(out, 0, hdr + l4_len);
	int n = rtr_ip_encode(out, sizeof(out), ip, l4_len);
	FUZZ_CHECK(n == (int)hdr);
	/* Too small a buffer is refused, never overrun. */
	FUZZ_CHECK(rtr_ip_encode(out, hdr - 1, ip, l4_len) == RTR_E_NOSPACE);
	/* Impossible values are refused (ip.h: RTR_E_INVAL). */
	struct rtr_ip bad = *ip;
	bad.family = 5;
	FUZZ_CHECK(rtr_ip_encode(out, sizeof(out), &bad, l4_len) == RTR_E_INVAL);
	bad = *ip;
	if (ip->family == 4)
		bad.src.b[0] ^= 0x20; /* no longer ::ffff:a.b.c.d */
	else
		bad.flowlabel |= 0x100000; /* 21 bits */
	FUZZ_CHECK(rtr_ip_encode(out, sizeof(out), &bad, l4_len) == RTR_E_INVAL);
	n = rtr_ip_encode(out, sizeof(out), ip, l4_len);
	/* An IPv6 next header of 44 makes the encoded payload read as a Fragment header. */
	if (ip->family == 6 && ip->proto == 44)
		return;
	int m = rtr_ip_decode(&back, out, hdr + l4_len, 0);
	FUZZ_CHECK(m == n);
	FUZZ_CHECK(back.family == ip->family);
	FUZZ_CHECK(back.tos == ip->tos);
	FUZZ_CHECK(back.ttl == ip->ttl);
	FUZZ_CHECK(back.total_len == hdr + l4_len);
	FUZZ_CHECK(back.options_len == 0);
	FUZZ_CHECK(rtr_addr_eq(&back.src, &ip->src));
	FUZZ_CHECK(rtr_addr_eq(&back.dst, &ip->dst));
	FUZZ_CHECK(!back.fragment);
	if (ip->family == 4) {
		FUZZ_CHECK(back.proto == ip->proto);
		FUZZ_CHECK(back.id == ip->id);
		FUZZ_CHECK(back.df == ip->df);
	} else {
		FUZZ_CHECK(back.flowlabel == ip->flowlabel);
		if (!ip->fragment)
			FUZZ_CHECK(back.proto == ip->proto);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtr_ip ip, quoted;
	uint8_t sel;
	size_t len;
	uint8_t *p = fuzz_take(data, size, &sel, &len);

	if (!p)
		return 0;
	if (sel & FUZZ_SEL_FIX)
		fuzz_fix_packet(p, len);
	unsigned flags = sel & FUZZ_SEL_QUOTED ? RTR_IP_QUOTED : 0;

	memset(&ip, 0xA5, sizeof(ip));
	int ret = rtr_ip_decode(&ip, p, len, flags);
	unsigned f = flaws(p, len, flags);
	if (ret >= 0) {
		FUZZ_CHECK(f == 0); /* accepted only when nothing is wrong */
		check_fields(&ip, p, len, flags, ret);
		check_reencode(&ip);
		/* A quote is read more leniently: whatever decodes whole also decodes quoted. */
		if (!flags) {
			int q = rtr_ip_decode(&quoted, p, len, RTR_IP_QUOTED);
			FUZZ_CHECK(q == ret);
			check_fields(&quoted, p, len, RTR_IP_QUOTED, q);
		}
	} else {
		FUZZ_CHECK(ret == RTR_E_TRUNCATED || ret == RTR_E_VERSION || ret == RTR_E_IPHDR ||
			   ret == RTR_E_CHECKSUM);
		if (flags)
			FUZZ_CHECK(ret != RTR_E_CHECKSUM);
		/* Refused only for a defect the bytes really have. */
		FUZZ_CHECK(f & flaw_of(ret));
	}
	free(p);
	return 0;
}
