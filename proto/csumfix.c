// SPDX-License-Identifier: BSD-2-Clause
/* csumfix.c: recomputes the IPv4 header and upper-layer checksums of a whole packet. */
#include "csumfix.h"

#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "ip.h"
#include "rtr_wire.h"

/* Offset of the checksum field inside the upper-layer header, or -1 for a protocol we don't know.
 */
static int l4_csum_offset(int family, uint8_t proto)
{
	switch (proto) {
	case RTR_IPPROTO_ICMP:
		return family == 4 ? 2 : -1;
	case RTR_IPPROTO_ICMPV6:
		return family == 6 ? 2 : -1;
	case RTR_IPPROTO_UDP:
		return 6;
	case RTR_IPPROTO_TCP:
		return 16;
	}
	return -1;
}

int rtr_csum_fix_l4(uint8_t *pkt, size_t len)
{
	struct rtr_ip ip;
	/* QUOTED: the header checksum is what we are about to fix, so it must not be verified. */
	int hl = rtr_ip_decode(&ip, pkt, len, RTR_IP_QUOTED);
	if (hl < 0)
		return hl;
	if (len < ip.total_len)
		return RTR_E_TRUNCATED;
	if (ip.family == 4) {
		rtr_put16(pkt + 10, 0);
		rtr_put16(pkt + 10, rtr_csum(pkt, (size_t)hl));
	}
	if (ip.fragment)
		return RTR_E_FRAGMENT;
	int off = l4_csum_offset(ip.family, ip.proto);
	if (off < 0)
		return RTR_E_PROTO;
	uint8_t *l4 = pkt + hl;
	size_t l4_len = (size_t)ip.total_len - (size_t)hl;
	if (l4_len < (size_t)off + 2)
		return RTR_E_TRUNCATED;
	rtr_put16(l4 + off, 0);
	uint32_t sum = 0;
	if (ip.proto != RTR_IPPROTO_ICMP)
		sum = rtr_csum_pseudo(ip.family, &ip.src, &ip.dst, ip.proto, (uint32_t)l4_len);
	uint16_t c = rtr_csum_fold(rtr_csum_add(sum, l4, l4_len));
	if (ip.proto == RTR_IPPROTO_UDP && c == 0)
		c = 0xffff;
	rtr_put16(l4 + off, c);
	return RTR_OK;
}
