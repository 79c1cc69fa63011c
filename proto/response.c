// SPDX-License-Identifier: BSD-2-Clause
/* response.c: reverse traceroute response encode/decode, tolerant timespan, kernel echoes. */
#include <string.h>

#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "response.h"
#include "rtr_wire.h"

static uint32_t icmp_pseudo(const struct rtr_l3 *l3, size_t len)
{
	if (l3->family == 6)
		return rtr_csum_pseudo(6, &l3->src, &l3->dst, RTR_IPPROTO_ICMPV6, (uint32_t)len);
	return 0;
}

int rtr_response_encode(uint8_t *out, size_t cap, const struct rtr_l3 *l3,
			const struct rtr_response *rsp)
{
	if (l3->family != 4 && l3->family != 6)
		return RTR_E_INVAL;
	if (rsp->state > RTR_STATE_MAX)
		return RTR_E_STATE;
	size_t len = rsp->state == RTR_STATE_OK ? RTR_RSP_OK_LEN : RTR_RSP_ERR_LEN;
	if (cap < len)
		return RTR_E_NOSPACE;

	out[0] = l3->family == 4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY;
	out[1] = RTR_CODE_RTR;
	rtr_put16(out + RTR_REQ_OFF_CSUM, 0);
	rtr_put16(out + RTR_REQ_OFF_IDENT, rsp->ident);
	rtr_put16(out + RTR_REQ_OFF_SEQ, rsp->seq);
	out[RTR_RSP_OFF_STATE] = rsp->state;
	out[RTR_RSP_OFF_ERRLEN] = rsp->errlen;
	rtr_put16(out + RTR_RSP_OFF_VALUE, rsp->value);
	if (rsp->state == RTR_STATE_OK) {
		memcpy(out + RTR_RSP_OFF_HOP, rsp->hop.b, 16);
		/* Interop layout (PROTOCOL.md 3.2): 32-bit ns, then four zero bytes. */
		uint32_t ts = rsp->rtt_unknown || rsp->rtt_ns > 0xffffffffull
				      ? RTR_RTT_UNKNOWN
				      : (uint32_t)rsp->rtt_ns;
		rtr_put32(out + RTR_RSP_OFF_TIMESPAN, ts);
		rtr_put32(out + RTR_RSP_OFF_TIMESPAN + 4, 0);
	}
	rtr_put16(out + RTR_REQ_OFF_CSUM,
		  rtr_csum_fold(rtr_csum_add(icmp_pseudo(l3, len), out, len)));
	return (int)len;
}

int rtr_response_decode(struct rtr_response *rsp, const struct rtr_l3 *l3, const uint8_t *icmp,
			size_t len)
{
	/* Never leave the caller an uninitialised struct, whatever the outcome. */
	memset(rsp, 0, sizeof(*rsp));
	if (len < RTR_RSP_ERR_LEN)
		return RTR_E_TRUNCATED;
	if (len > 0xffff || (l3->family != 4 && l3->family != 6))
		return RTR_E_INVAL;
	if (icmp[0] != (l3->family == 4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY))
		return RTR_E_TYPE;
	if (icmp[1] != RTR_CODE_RTR)
		return RTR_E_CODE;
	if (!rtr_csum_ok(icmp_pseudo(l3, len), icmp, len))
		return RTR_E_CHECKSUM;

	/*
	 * The header is filled before the state checks so that a caller can still
	 * recognise a kernel echo (12 bytes, state byte 0) from a RTR_E_TRUNCATED.
	 */
	rsp->ident = rtr_get16(icmp + RTR_REQ_OFF_IDENT);
	rsp->seq = rtr_get16(icmp + RTR_REQ_OFF_SEQ);
	rsp->state = icmp[RTR_RSP_OFF_STATE];
	rsp->errlen = icmp[RTR_RSP_OFF_ERRLEN];
	rsp->value = rtr_get16(icmp + RTR_RSP_OFF_VALUE);
	if (rsp->state > RTR_STATE_MAX)
		return RTR_E_STATE;
	if (rsp->state != RTR_STATE_OK)
		return (int)len;
	if (len < RTR_RSP_OK_LEN)
		return RTR_E_TRUNCATED;

	memcpy(rsp->hop.b, icmp + RTR_RSP_OFF_HOP, 16);
	uint32_t hi = rtr_get32(icmp + RTR_RSP_OFF_TIMESPAN);
	uint32_t lo = rtr_get32(icmp + RTR_RSP_OFF_TIMESPAN + 4);
	rsp->rtt_layout = RTR_RTT_32;
	if (hi == RTR_RTT_UNKNOWN) {
		rsp->rtt_unknown = true;
	} else if (hi == 0 && lo != 0) {
		/* A server writing 64-bit ns: the high word is 0 for any RTT below 4.29 s. */
		rsp->rtt_layout = RTR_RTT_64;
		rsp->rtt_ns = lo;
	} else {
		rsp->rtt_ns = hi;
	}
	return (int)len;
}

bool rtr_response_is_kernel_echo(const struct rtr_response *rsp, size_t icmp_len, uint16_t sent_seq)
{
	/* A server always answers with sequence 0; the kernel repeats ours. */
	if (sent_seq != 0 && rsp->seq == sent_seq)
		return true;
	/* The echo of a TTL-0 request reads as state 0 without hop and timespan. */
	return rsp->state == RTR_STATE_OK && icmp_len >= RTR_RSP_ERR_LEN &&
	       icmp_len < RTR_RSP_OK_LEN;
}
