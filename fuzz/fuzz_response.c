// SPDX-License-Identifier: BSD-2-Clause
/* fuzz_response.c: libFuzzer harness for rtr_response_decode and the kernel-echo check. */
#include "fuzz.h"
#include "response.h"
#include "rtr_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What a successful decode promises about the bytes it accepted (RSP-x in docs/PROTOCOL.md). */
static void check_decoded(const struct rtr_response *rsp, const struct rtr_l3 *l3, const uint8_t *m,
			  size_t len)
{
	FUZZ_CHECK(len >= RTR_RSP_ERR_LEN);
	FUZZ_CHECK(m[0] == (l3->family == 4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY));
	FUZZ_CHECK(m[1] == RTR_CODE_RTR);
	FUZZ_CHECK(fuzz_csum_ok(fuzz_icmp_pseudo(l3, len), m, len));
	FUZZ_CHECK(rsp->ident == rtr_get16(m + 4));
	FUZZ_CHECK(rsp->seq == rtr_get16(m + 6));
	FUZZ_CHECK(rsp->state == m[RTR_RSP_OFF_STATE]);
	FUZZ_CHECK(rsp->state <= RTR_STATE_MAX);
	FUZZ_CHECK(rsp->errlen == m[RTR_RSP_OFF_ERRLEN]);
	FUZZ_CHECK(rsp->value == rtr_get16(m + RTR_RSP_OFF_VALUE));
	if (rsp->state != RTR_STATE_OK)
		return;
	FUZZ_CHECK(len >= RTR_RSP_OK_LEN);
	struct rtr_addr hop;
	rtr_addr_from_v6(&hop, m + RTR_RSP_OFF_HOP);
	FUZZ_CHECK(rtr_addr_eq(&hop, &rsp->hop));
	uint32_t hi = rtr_get32(m + RTR_RSP_OFF_TIMESPAN),
		 lo = rtr_get32(m + RTR_RSP_OFF_TIMESPAN + 4);
	if (hi == RTR_RTT_UNKNOWN) {
		FUZZ_CHECK(rsp->rtt_unknown);
	} else if (hi == 0 && lo != 0) {
		/* RSP-5: tolerant 64-bit layout; its high half is the zero word. */
		FUZZ_CHECK(!rsp->rtt_unknown);
		FUZZ_CHECK(rsp->rtt_layout == RTR_RTT_64);
		FUZZ_CHECK(rsp->rtt_ns == lo);
	} else {
		FUZZ_CHECK(!rsp->rtt_unknown);
		FUZZ_CHECK(rsp->rtt_layout == RTR_RTT_32);
		FUZZ_CHECK(rsp->rtt_ns == hi);
	}
}

/* RSP-7: only a reply repeating the non-zero sequence we sent can be a kernel echo. */
static void check_echo(const struct rtr_response *rsp, size_t len)
{
	FUZZ_CHECK(!rtr_response_is_kernel_echo(rsp, len, 0));
	FUZZ_CHECK(!rtr_response_is_kernel_echo(rsp, len, (uint16_t)(rsp->seq + 1)));
	bool echo = rtr_response_is_kernel_echo(rsp, len, rsp->seq);
	if (echo)
		FUZZ_CHECK(rsp->seq != 0);
	/* Deterministic: the same question gets the same answer. */
	FUZZ_CHECK(rtr_response_is_kernel_echo(rsp, len, rsp->seq) == echo);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtr_response rsp;
	struct rtr_l3 l3;
	uint8_t sel;
	size_t len;
	uint8_t *m = fuzz_take(data, size, &sel, &len);

	if (!m)
		return 0;
	fuzz_l3(&l3, sel & FUZZ_SEL_V6);
	if (sel & FUZZ_SEL_FIX)
		fuzz_fix_icmp(&l3, m, len);

	memset(&rsp, 0xA5, sizeof(rsp));
	int ret = rtr_response_decode(&rsp, &l3, m, len);
	if (ret >= 0) {
		FUZZ_CHECK((size_t)ret == len);
		check_decoded(&rsp, &l3, m, len);
		check_echo(&rsp, len);
	} else {
		FUZZ_CHECK(ret == RTR_E_TRUNCATED || ret == RTR_E_TYPE || ret == RTR_E_CODE ||
			   ret == RTR_E_CHECKSUM || ret == RTR_E_STATE);
		/* The documented order of checks. */
		if (len < RTR_RSP_ERR_LEN)
			FUZZ_CHECK(ret == RTR_E_TRUNCATED);
		else if (m[0] != (l3.family == 4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY))
			FUZZ_CHECK(ret == RTR_E_TYPE);
		else if (m[1] != RTR_CODE_RTR)
			FUZZ_CHECK(ret == RTR_E_CODE);
		else if (!fuzz_csum_ok(fuzz_icmp_pseudo(&l3, len), m, len))
			FUZZ_CHECK(ret == RTR_E_CHECKSUM);
		else if (m[RTR_RSP_OFF_STATE] > RTR_STATE_MAX)
			FUZZ_CHECK(ret == RTR_E_STATE);
		else
			FUZZ_CHECK(ret == RTR_E_TRUNCATED && m[RTR_RSP_OFF_STATE] == RTR_STATE_OK);
		/*
		 * RSP-7: past the checksum the header is filled even on an error, and a
		 * 12..35-byte "state 0" is the kernel's echo of a TTL-0 request.
		 */
		if (ret == RTR_E_STATE || (ret == RTR_E_TRUNCATED && len >= RTR_RSP_ERR_LEN)) {
			FUZZ_CHECK(rsp.ident == rtr_get16(m + 4) && rsp.seq == rtr_get16(m + 6));
			FUZZ_CHECK(rsp.state == m[RTR_RSP_OFF_STATE]);
			FUZZ_CHECK(rsp.errlen == m[RTR_RSP_OFF_ERRLEN]);
			FUZZ_CHECK(rsp.value == rtr_get16(m + RTR_RSP_OFF_VALUE));
		}
		if (ret == RTR_E_TRUNCATED && len >= RTR_RSP_ERR_LEN) {
			FUZZ_CHECK(rtr_response_is_kernel_echo(&rsp, len, 0));
			FUZZ_CHECK(rtr_response_is_kernel_echo(&rsp, len, (uint16_t)(rsp.seq + 1)));
		}
	}
	free(m);
	return 0;
}
