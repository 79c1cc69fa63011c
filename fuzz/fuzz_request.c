/* fuzz_request.c: libFuzzer harness for rtr_request_decode and rtr_request_state (both families).
 */
#include "fuzz.h"
#include "request.h"
#include "rtr_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What a successful decode promises about the bytes it accepted. */
static void check_decoded(const struct rtr_request *rq, const struct rtr_l3 *l3, const uint8_t *m,
			  size_t len)
{
	FUZZ_CHECK(len >= RTR_REQ_LEN);
	FUZZ_CHECK(m[0] == (l3->family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST));
	FUZZ_CHECK(m[1] == RTR_CODE_RTR);
	FUZZ_CHECK(fuzz_csum_ok(fuzz_icmp_pseudo(l3, len), m, len));
	FUZZ_CHECK(rq->ident == rtr_get16(m + RTR_REQ_OFF_IDENT));
	FUZZ_CHECK(rq->seq == rtr_get16(m + RTR_REQ_OFF_SEQ));
	FUZZ_CHECK(rq->ttl == m[RTR_REQ_OFF_TTL]);
	FUZZ_CHECK(rq->proto == m[RTR_REQ_OFF_PROTO]);
	FUZZ_CHECK(rq->flow == rtr_get16(m + RTR_REQ_OFF_FLOW));

	bool ext = len > RTR_REQ_OFF_EXT && m[RTR_REQ_OFF_EXT] >> 4 == RTR_EXT_VERSION;
	FUZZ_CHECK(rq->has_ext == ext);
	if (!ext) {
		FUZZ_CHECK(!rq->has_target && !rq->has_padding && !rq->has_unknown);
		FUZZ_CHECK(rq->ext_len == 0);
		return;
	}
	const uint8_t *e = m + RTR_REQ_OFF_EXT;
	FUZZ_CHECK(rq->ext_len >= RTR_EXT_HDR_LEN);
	FUZZ_CHECK(rq->ext_len <= len - RTR_REQ_OFF_EXT);
	/* EXT-1: a checksum field of 0 means "not computed"; any other value verifies. */
	FUZZ_CHECK(rtr_get16(e + 2) == 0 || fuzz_csum_ok(0, e, rq->ext_len));
	if (rq->has_target) {
		FUZZ_CHECK(rq->target_obj_len == RTR_EXT_TARGET_LEN_REF ||
			   rq->target_obj_len == RTR_EXT_TARGET_LEN_RFC);
	}
	if (rq->has_padding)
		FUZZ_CHECK(rq->padding_len >= RTR_EXT_OBJ_HDR_LEN);
	if (rq->has_unknown)
		FUZZ_CHECK(!(rq->unknown_class == RTR_EXT_CLASS_TARGET && rq->unknown_ctype == 0) &&
			   !(rq->unknown_class == RTR_EXT_CLASS_PADDING && rq->unknown_ctype == 0));

	/* Every object the decoder reports is really in the structure, at an object boundary. */
	size_t off = RTR_EXT_HDR_LEN;
	bool seen_target = false, seen_pad = false, seen_unknown = false;
	while (off + RTR_EXT_OBJ_HDR_LEN <= rq->ext_len) {
		uint16_t olen = rtr_get16(e + off);
		uint8_t cls = e[off + 2], ct = e[off + 3];
		if (cls == RTR_EXT_CLASS_TARGET && ct == 0 && !seen_target) {
			seen_target = true;
			FUZZ_CHECK(!rq->has_target || olen == rq->target_obj_len);
		} else if (cls == RTR_EXT_CLASS_PADDING && ct == 0 && !seen_pad) {
			seen_pad = true;
			FUZZ_CHECK(!rq->has_padding || olen == rq->padding_len);
		} else if (!(cls == RTR_EXT_CLASS_TARGET && ct == 0) &&
			   !(cls == RTR_EXT_CLASS_PADDING && ct == 0) && !seen_unknown) {
			seen_unknown = true;
			FUZZ_CHECK(!rq->has_unknown ||
				   (cls == rq->unknown_class && ct == rq->unknown_ctype));
		}
		if (olen == 0)
			break; /* cannot advance; the decoder must have refused or stopped here */
		/* The reference writes the target's length as data only (16). */
		size_t step =
			cls == RTR_EXT_CLASS_TARGET && ct == 0 && olen == RTR_EXT_TARGET_LEN_REF
				? RTR_EXT_OBJ_HDR_LEN + olen
				: olen;
		off += step;
	}
	FUZZ_CHECK(!rq->has_target || seen_target);
	FUZZ_CHECK(!rq->has_padding || seen_pad);
	FUZZ_CHECK(!rq->has_unknown || seen_unknown);
}

/* rtr_request_state follows the validation order of docs/PROTOCOL.md 2.1 for any request. */
static void check_state(const struct rtr_request *rq, int family,
			const struct rtr_request_policy *pol)
{
	uint16_t value = 0xDEAD;
	int st = rtr_request_state(rq, family, pol, &value);

	FUZZ_CHECK(st >= RTR_STATE_OK && st <= RTR_STATE_MAX);
	FUZZ_CHECK(st != RTR_STATE_FLOW); /* every flow is accepted */
	FUZZ_CHECK(rtr_request_state(rq, family, pol, NULL) == st);
	if (rq->ttl == 0) {
		FUZZ_CHECK(st == RTR_STATE_TTL);
		return;
	}
	FUZZ_CHECK(st != RTR_STATE_TTL);
	int pp = rtr_request_probe_proto(rq->proto, family);
	if (pp < 0) {
		FUZZ_CHECK(pp == RTR_E_PROTO);
		FUZZ_CHECK(st == RTR_STATE_PROTOCOL);
		return;
	}
	FUZZ_CHECK(st != RTR_STATE_PROTOCOL);
	FUZZ_CHECK(pp == RTR_IPPROTO_UDP || pp == RTR_IPPROTO_TCP ||
		   pp == (family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6));
	FUZZ_CHECK(rq->proto == pp || rq->proto == RTR_PROTO_DEFAULT);
	uint16_t flow = rtr_request_probe_flow((uint8_t)pp, rq->flow);
	FUZZ_CHECK(flow != 0);
	FUZZ_CHECK(rq->flow == 0 || flow == rq->flow);

	bool allow_target = pol && pol->allow_target;
	bool refused = rq->has_unknown || (rq->has_target && !allow_target);
	if (refused) {
		FUZZ_CHECK(st == RTR_STATE_EXTENSION);
		/* EXT-2, EXT-4: the value names the refused object. */
		uint16_t unk = (uint16_t)(rq->unknown_class << 8 | rq->unknown_ctype);
		uint16_t tgt = RTR_EXT_CLASS_TARGET << 8;
		if (!rq->has_unknown)
			FUZZ_CHECK(value == tgt);
		else if (!rq->has_target || allow_target)
			FUZZ_CHECK(value == unk);
		else
			FUZZ_CHECK(value == unk || value == tgt);
		return;
	}
	FUZZ_CHECK(st != RTR_STATE_EXTENSION);
	uint16_t need = pol ? pol->min_padding : 0;
	uint16_t have = rq->has_padding ? rq->padding_len : 0;
	if (need > have) {
		FUZZ_CHECK(st == RTR_STATE_PADDING);
		FUZZ_CHECK(value > 0 && value <= need);
		return;
	}
	FUZZ_CHECK(st == RTR_STATE_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct rtr_request_policy pols[] = {
		{.min_padding = 0, .allow_target = false},
		{.min_padding = 64, .allow_target = false},
		{.min_padding = 1200, .allow_target = true},
	};
	struct rtr_request rq;
	struct rtr_l3 l3;
	uint8_t sel;
	size_t len;
	uint8_t *m = fuzz_take(data, size, &sel, &len);

	if (!m)
		return 0;
	fuzz_l3(&l3, sel & FUZZ_SEL_V6);
	if (sel & FUZZ_SEL_FIX)
		fuzz_fix_icmp(&l3, m, len);

	memset(&rq, 0xA5, sizeof(rq));
	int ret = rtr_request_decode(&rq, &l3, m, len);
	if (ret >= 0) {
		FUZZ_CHECK((size_t)ret == len);
		check_decoded(&rq, &l3, m, len);
		for (int fam = 4; fam <= 6; fam += 2) {
			check_state(&rq, fam, NULL);
			for (size_t i = 0; i < sizeof(pols) / sizeof(pols[0]); i++)
				check_state(&rq, fam, &pols[i]);
		}
	} else {
		FUZZ_CHECK(ret == RTR_E_TRUNCATED || ret == RTR_E_TYPE || ret == RTR_E_CODE ||
			   ret == RTR_E_CHECKSUM || ret == RTR_E_EXT_MALFORMED ||
			   ret == RTR_E_EXT_CHECKSUM);
		/* The documented order of checks. */
		if (len < RTR_REQ_LEN)
			FUZZ_CHECK(ret == RTR_E_TRUNCATED);
		else if (m[0] != (l3.family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST))
			FUZZ_CHECK(ret == RTR_E_TYPE);
		else if (m[1] != RTR_CODE_RTR)
			FUZZ_CHECK(ret == RTR_E_CODE);
		else if (!fuzz_csum_ok(fuzz_icmp_pseudo(&l3, len), m, len))
			FUZZ_CHECK(ret == RTR_E_CHECKSUM);
		else
			FUZZ_CHECK(ret == RTR_E_EXT_MALFORMED || ret == RTR_E_EXT_CHECKSUM);
	}
	free(m);
	return 0;
}
