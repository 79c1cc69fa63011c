// SPDX-License-Identifier: BSD-2-Clause
/* icmperr.c: a router's ICMP error datagram (outer IP header, ICMP header, cut quote). */
#include "icmperr.h"

#include <string.h>

#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "rtr_wire.h"

#define ICMP_HDR_LEN 8

int rtr_icmp_error_encode(uint8_t *out, size_t cap, const struct rtr_icmp_error *e,
			  const uint8_t *quote, size_t quote_len)
{
	int v4 = e->ip.family == 4;
	if ((!v4 && e->ip.family != 6) || (quote == NULL && quote_len > 0))
		return RTR_E_INVAL;
	size_t hl = v4 ? RTR_IPV4_HDR_MIN : RTR_IPV6_HDR_LEN;
	size_t max = (v4 ? RTR_ICMP_ERROR_MAX4 : RTR_ICMP_ERROR_MAX6) - hl - ICMP_HDR_LEN;
	if (quote_len > max)
		quote_len = max;
	size_t l4_len = ICMP_HDR_LEN + quote_len;

	struct rtr_ip ip = e->ip;
	ip.proto = v4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	int n = rtr_ip_encode(out, cap, &ip, l4_len);
	if (n < 0)
		return n;
	if (cap - (size_t)n < l4_len)
		return RTR_E_NOSPACE;

	uint8_t *icmp = out + n;
	icmp[0] = e->type;
	icmp[1] = e->code;
	rtr_put16(icmp + 2, 0);
	rtr_put32(icmp + 4, e->rest);
	if (quote_len)
		memcpy(icmp + ICMP_HDR_LEN, quote, quote_len);
	uint32_t sum = 0;
	if (!v4)
		sum = rtr_csum_pseudo(6, &ip.src, &ip.dst, ip.proto, (uint32_t)l4_len);
	rtr_put16(icmp + 2, rtr_csum_fold(rtr_csum_add(sum, icmp, l4_len)));
	return n + (int)l4_len;
}
