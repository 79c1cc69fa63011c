// SPDX-License-Identifier: BSD-2-Clause
/* fuzz_request.c: libFuzzer harness for rtr_request_decode and rtr_request_state. */
#include "fuzz.h"
#include "request.h"
#include "rtr_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Reference reading of the extension structure e[0..n) after docs/PROTOCOL.md
 * EXT-2..EXT-4, written apart from proto/request.c as a differential oracle.
 * Returns true when it is well formed and fills want's object fields. A
 * second target or padding object is malformed (EXT-6: which one
 * would count?); of several unknown objects the first is reported.
 */
static bool ref_ext(const uint8_t *e, size_t n, struct rtr_request *want)
{
	size_t off = RTR_EXT_HDR_LEN;
	unsigned objs = 0;

	if (n < RTR_EXT_HDR_LEN)
		return false;
	while (off < n) {
		/* EXT-6: at most RTR_EXT_MAX_OBJS objects, as many as the eBPF server walks. */
		if (++objs > RTR_EXT_MAX_OBJS || n - off < RTR_EXT_OBJ_HDR_LEN)
			return false;
		uint16_t olen = rtr_get16(e + off);
		uint8_t cls = e[off + 2], ct = e[off + 3];
		if (cls == RTR_EXT_CLASS_TARGET && ct == 0) {
			/* 16 (reference: data only) and 20 (RFC 4884) both mean 4 + 16 bytes. */
			if (olen != RTR_EXT_TARGET_LEN_REF && olen != RTR_EXT_TARGET_LEN_RFC)
				return false;
			if (want->has_target || n - off < RTR_EXT_OBJ_HDR_LEN + 16)
				return false;
			want->has_target = true;
			want->target_obj_len = (uint8_t)olen;
			memcpy(want->target.b, e + off + RTR_EXT_OBJ_HDR_LEN, 16);
			off += RTR_EXT_OBJ_HDR_LEN + 16;
			continue;
		}
		if (olen < RTR_EXT_OBJ_HDR_LEN || olen > n - off)
			return false;
		if (cls == RTR_EXT_CLASS_PADDING && ct == 0) {
			if (want->has_padding)
				return false;
			want->has_padding = true;
			want->padding_len = olen;
		} else if (!want->has_unknown) {
			want->has_unknown = true;
			want->unknown_class = cls;
			want->unknown_ctype = ct;
		}
		off += olen;
	}
	return true;
}

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
	FUZZ_CHECK(rq->ext_len == len - RTR_REQ_OFF_EXT); /* objects run to the end (RFC 4884) */
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

	/* The objects are the ones an independent reading of the structure finds. */
	struct rtr_request want = {0};
	FUZZ_CHECK(ref_ext(e, rq->ext_len, &want));
	FUZZ_CHECK(rq->has_target == want.has_target && rq->has_padding == want.has_padding &&
		   rq->has_unknown == want.has_unknown);
	if (want.has_target)
		FUZZ_CHECK(rq->target_obj_len == want.target_obj_len &&
			   rtr_addr_eq(&rq->target, &want.target));
	if (want.has_padding)
		FUZZ_CHECK(rq->padding_len == want.padding_len);
	if (want.has_unknown)
		FUZZ_CHECK(rq->unknown_class == want.unknown_class &&
			   rq->unknown_ctype == want.unknown_ctype);
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
		FUZZ_CHECK(value == need - have); /* EXT-3: P - length */
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
		else if (len - RTR_REQ_OFF_EXT < RTR_EXT_HDR_LEN)
			FUZZ_CHECK(ret == RTR_E_EXT_MALFORMED);
		else if (rtr_get16(m + RTR_REQ_OFF_EXT + 2) != 0 &&
			 !fuzz_csum_ok(0, m + RTR_REQ_OFF_EXT, len - RTR_REQ_OFF_EXT))
			FUZZ_CHECK(ret == RTR_E_EXT_CHECKSUM);
		else
			FUZZ_CHECK(ret == RTR_E_EXT_MALFORMED &&
				   !ref_ext(m + RTR_REQ_OFF_EXT, len - RTR_REQ_OFF_EXT,
					    &(struct rtr_request){0}));
	}
	free(m);
	return 0;
}
