// SPDX-License-Identifier: BSD-2-Clause
/* craft.c: builds the requests and router answers rtr-conform puts on the wire (proto/ encoders).
 */
#include "craft.h"

#include <string.h>
#include <sys/random.h>

#include "checksum.h"
#include "csumfix.h"
#include "err.h"
#include "icmperr.h"
#include "ip.h"
#include "rtr_wire.h"

static uint16_t rnd16(void)
{
	uint16_t v = 0;
	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = 0x5a5a;
	return v;
}

/* Fills the ICMPv6 or UDP/TCP checksum at l4 + off over the pseudo-header (family 6 or any UDP). */
static void l4_csum(uint8_t *l4, size_t len, size_t off, int family, const struct rtr_addr *src,
		    const struct rtr_addr *dst, uint8_t proto)
{
	l4[off] = l4[off + 1] = 0;
	uint32_t sum = 0;
	if (family == 6 || proto != RTR_IPPROTO_ICMP)
		sum = rtr_csum_pseudo(family, src, dst, proto, (uint32_t)len);
	uint16_t c = rtr_csum_fold(rtr_csum_add(sum, l4, len));
	if (proto == RTR_IPPROTO_UDP && c == 0)
		c = 0xFFFF;
	l4[off] = (uint8_t)(c >> 8);
	l4[off + 1] = (uint8_t)c;
}

int craft_ip(uint8_t *out, size_t cap, int family, const struct rtr_addr *src,
	     const struct rtr_addr *dst, uint8_t proto, uint8_t ttl, const uint8_t *l4,
	     size_t l4len)
{
	struct rtr_ip ip = {.family = (uint8_t)family, .ttl = ttl, .proto = proto, .df = true};
	ip.id = rnd16();
	ip.src = *src;
	ip.dst = *dst;
	int h = rtr_ip_encode(out, cap, &ip, l4len);
	if (h < 0)
		return h;
	if ((size_t)h + l4len > cap)
		return RTR_E_NOSPACE;
	memcpy(out + h, l4, l4len);
	return h + (int)l4len;
}

int craft_request(uint8_t *out, size_t cap, int family, const struct rtr_addr *src,
		  const struct rtr_addr *dst, const struct rtr_request *rq)
{
	struct rtr_l3 l3 = {.family = (uint8_t)family, .src = *src, .dst = *dst};
	uint8_t icmp[512];
	int n = rtr_request_encode(icmp, sizeof(icmp), &l3, rq);
	if (n < 0)
		return n;
	return craft_ip(out, cap, family, src, dst,
			family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6, 64, icmp, (size_t)n);
}

int craft_request_ipopts(uint8_t *out, size_t cap, const struct rtr_addr *src,
			 const struct rtr_addr *dst, const struct rtr_request *rq)
{
	int len = craft_request(out, cap, 4, src, dst, rq);
	if (len < 0)
		return len;
	if ((size_t)len + 4 > cap)
		return RTR_E_NOSPACE;
	memmove(out + 24, out + 20, (size_t)len - 20);
	static const uint8_t opts[4] = {1, 1, 1, 0};
	memcpy(out + 20, opts, 4);
	len += 4;
	out[0] = 0x46;
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
	int r = rtr_csum_fix_l4(out, (size_t)len);
	return r < 0 ? r : len;
}

int craft_request_fragment(uint8_t *out, size_t cap, int family, const struct rtr_addr *src,
			   const struct rtr_addr *dst, const struct rtr_request *rq)
{
	struct rtr_l3 l3 = {.family = (uint8_t)family, .src = *src, .dst = *dst};
	uint8_t icmp[512];
	int n = rtr_request_encode(icmp, sizeof(icmp), &l3, rq);
	if (n < 0)
		return n;
	if (family == 4) {
		int len = craft_ip(out, cap, 4, src, dst, RTR_IPPROTO_ICMP, 64, icmp, (size_t)n);
		if (len < 0)
			return len;
		out[6] = 0x20; /* MF, offset 0, DF cleared */
		/* A fragment's header is re-signed; its L4 checksum is the unfragmented request's.
		 */
		int r = rtr_csum_fix_l4(out, (size_t)len);
		return r == RTR_E_FRAGMENT ? len : r;
	}
	/* IPv6: a Fragment header (next header 58, offset 0, M set) before the request. */
	uint8_t l4[8 + 512];
	l4[0] = RTR_IPPROTO_ICMPV6;
	l4[1] = 0;
	l4[2] = 0;
	l4[3] = 1; /* offset 0, M */
	uint16_t id = rnd16();
	l4[4] = 0x52;
	l4[5] = 0x54;
	l4[6] = (uint8_t)(id >> 8);
	l4[7] = (uint8_t)id;
	memcpy(l4 + 8, icmp, (size_t)n);
	return craft_ip(out, cap, 6, src, dst, 44, 64, l4, 8 + (size_t)n);
}

int craft_icmp_error(uint8_t *out, size_t cap, int family, const struct rtr_addr *from,
		     const struct rtr_addr *to, uint8_t type, uint8_t code, const uint8_t *quote,
		     size_t quote_len)
{
	/* proto/ cuts the quote to what a router sends (RFC 1812 4.3.2.3, RFC 4443 2.4(c)). */
	struct rtr_icmp_error e = {.type = type, .code = code};
	e.ip.family = (uint8_t)family;
	e.ip.ttl = 64;
	e.ip.df = true;
	e.ip.id = rnd16();
	e.ip.src = *from;
	e.ip.dst = *to;
	return rtr_icmp_error_encode(out, cap, &e, quote, quote_len);
}

int craft_udp(uint8_t *out, size_t cap, int family, const struct rtr_addr *src,
	      const struct rtr_addr *dst, uint16_t sport, uint16_t dport, size_t payload)
{
	uint8_t l4[8 + 256];
	if (payload > 256)
		return RTR_E_INVAL;
	memset(l4, 0x61, sizeof(l4));
	size_t len = 8 + payload;
	l4[0] = (uint8_t)(sport >> 8);
	l4[1] = (uint8_t)sport;
	l4[2] = (uint8_t)(dport >> 8);
	l4[3] = (uint8_t)dport;
	l4[4] = (uint8_t)(len >> 8);
	l4[5] = (uint8_t)len;
	l4_csum(l4, len, 6, family, src, dst, RTR_IPPROTO_UDP);
	return craft_ip(out, cap, family, src, dst, RTR_IPPROTO_UDP, 64, l4, len);
}

int craft_ping(uint8_t *out, size_t cap, int family, const struct rtr_addr *src,
	       const struct rtr_addr *dst, uint16_t ident, uint16_t seq)
{
	uint8_t l4[8 + 32];
	memset(l4, 0x70, sizeof(l4));
	l4[0] = family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST;
	l4[1] = 0;
	l4[4] = (uint8_t)(ident >> 8);
	l4[5] = (uint8_t)ident;
	l4[6] = (uint8_t)(seq >> 8);
	l4[7] = (uint8_t)seq;
	uint8_t proto = family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	l4_csum(l4, sizeof(l4), 2, family, src, dst, proto);
	return craft_ip(out, cap, family, src, dst, proto, 64, l4, sizeof(l4));
}
