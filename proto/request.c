// SPDX-License-Identifier: BSD-2-Clause
/* request.c: reverse traceroute request encode/decode, extension objects and server states. */
#include <string.h>

#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "request.h"
#include "rtr_wire.h"

/* The ICMP checksum field value for msg (field zeroed) under the enclosing IP header. */
static uint16_t icmp_csum(const struct rtr_l3 *l3, const uint8_t *msg, size_t len)
{
	uint32_t sum = 0;

	if (l3->family == 6)
		sum = rtr_csum_pseudo(6, &l3->src, &l3->dst, RTR_IPPROTO_ICMPV6, (uint32_t)len);
	return rtr_csum_fold(rtr_csum_add(sum, msg, len));
}

static bool icmp_csum_ok(const struct rtr_l3 *l3, const uint8_t *msg, size_t len)
{
	uint32_t sum = 0;

	if (l3->family == 6)
		sum = rtr_csum_pseudo(6, &l3->src, &l3->dst, RTR_IPPROTO_ICMPV6, (uint32_t)len);
	return rtr_csum_ok(sum, msg, len);
}

static bool is_target(uint8_t cls, uint8_t ctype)
{
	return cls == RTR_EXT_CLASS_TARGET && ctype == 0;
}

static bool is_padding(uint8_t cls, uint8_t ctype)
{
	return cls == RTR_EXT_CLASS_PADDING && ctype == 0;
}

static int encode_ext(struct rtr_wcur *w, const struct rtr_request *rq)
{
	size_t start = w->off;
	int err;

	if ((err = rtr_wcur_u16(w, RTR_EXT_VERSION << 12)) || (err = rtr_wcur_u16(w, 0)))
		return err;
	if (rq->has_target) {
		if ((err = rtr_wcur_u16(w, rq->target_obj_len)) ||
		    (err = rtr_wcur_u8(w, RTR_EXT_CLASS_TARGET)) || (err = rtr_wcur_u8(w, 0)) ||
		    (err = rtr_wcur_bytes(w, rq->target.b, 16)))
			return err;
	}
	if (rq->has_padding) {
		if ((err = rtr_wcur_u16(w, rq->padding_len)) ||
		    (err = rtr_wcur_u8(w, RTR_EXT_CLASS_PADDING)) || (err = rtr_wcur_u8(w, 0)))
			return err;
		size_t n = rq->padding_len - RTR_EXT_OBJ_HDR_LEN;
		if ((err = rtr_wcur_need(w, n)))
			return err;
		memset(w->buf + w->off, 0, n);
		w->off += n;
	}
	if (rq->has_unknown) {
		if ((err = rtr_wcur_u16(w, RTR_EXT_OBJ_HDR_LEN + 4)) ||
		    (err = rtr_wcur_u8(w, rq->unknown_class)) ||
		    (err = rtr_wcur_u8(w, rq->unknown_ctype)) || (err = rtr_wcur_u32(w, 0)))
			return err;
	}
	rtr_put16(w->buf + start + 2, rtr_csum(w->buf + start, w->off - start));
	return RTR_OK;
}

int rtr_request_encode(uint8_t *out, size_t cap, const struct rtr_l3 *l3,
		       const struct rtr_request *rq)
{
	struct rtr_wcur w;
	int err;

	if (l3->family != 4 && l3->family != 6)
		return RTR_E_INVAL;
	if (rq->has_target && rq->target_obj_len != RTR_EXT_TARGET_LEN_REF &&
	    rq->target_obj_len != RTR_EXT_TARGET_LEN_RFC)
		return RTR_E_INVAL;
	if (rq->has_padding && rq->padding_len < RTR_EXT_OBJ_HDR_LEN)
		return RTR_E_INVAL;
	/* An "unknown" object with a known class would decode as something else. */
	if (rq->has_unknown && (is_target(rq->unknown_class, rq->unknown_ctype) ||
				is_padding(rq->unknown_class, rq->unknown_ctype)))
		return RTR_E_INVAL;

	rtr_wcur_init(&w, out, cap);
	if ((err = rtr_wcur_u8(&w, l3->family == 4 ? RTR_ICMP4_ECHO_REQUEST
						   : RTR_ICMP6_ECHO_REQUEST)) ||
	    (err = rtr_wcur_u8(&w, RTR_CODE_RTR)) || (err = rtr_wcur_u16(&w, 0)) ||
	    (err = rtr_wcur_u16(&w, rq->ident)) || (err = rtr_wcur_u16(&w, rq->seq)) ||
	    (err = rtr_wcur_u8(&w, rq->ttl)) || (err = rtr_wcur_u8(&w, rq->proto)) ||
	    (err = rtr_wcur_u16(&w, rq->flow)))
		return err;
	if (rq->has_target || rq->has_padding || rq->has_unknown) {
		if ((err = encode_ext(&w, rq)))
			return err;
	}
	if (w.off > 0xffff)
		return RTR_E_INVAL;
	rtr_put16(out + RTR_REQ_OFF_CSUM, icmp_csum(l3, out, w.off));
	return (int)w.off;
}

/* Walks the objects after the 4-byte extension header; ext/len cover the whole structure. */
static int decode_objects(struct rtr_request *rq, const uint8_t *ext, size_t len)
{
	struct rtr_rcur c;
	unsigned nobjs = 0;

	rtr_rcur_init(&c, ext, len);
	if (rtr_rcur_skip(&c, RTR_EXT_HDR_LEN))
		return RTR_E_EXT_MALFORMED;
	while (rtr_rcur_left(&c) > 0) {
		uint16_t olen;
		/* The eBPF server can only walk a bounded number; both parsers must agree. */
		if (++nobjs > RTR_EXT_MAX_OBJS)
			return RTR_E_EXT_MALFORMED;
		uint8_t cls, ctype;
		if (rtr_rcur_u16(&c, &olen) || rtr_rcur_u8(&c, &cls) || rtr_rcur_u8(&c, &ctype))
			return RTR_E_EXT_MALFORMED;
		if (is_target(cls, ctype)) {
			/* Reference length 16 counts the data only, RFC 4884's 20 the header too.
			 */
			if (olen != RTR_EXT_TARGET_LEN_REF && olen != RTR_EXT_TARGET_LEN_RFC)
				return RTR_E_EXT_MALFORMED;
			/* Two targets would be ambiguous: which one does the server trace to? */
			if (rq->has_target || rtr_rcur_bytes(&c, rq->target.b, 16))
				return RTR_E_EXT_MALFORMED;
			rq->has_target = true;
			rq->target_obj_len = (uint8_t)olen;
			continue;
		}
		if (olen < RTR_EXT_OBJ_HDR_LEN || rtr_rcur_skip(&c, olen - RTR_EXT_OBJ_HDR_LEN))
			return RTR_E_EXT_MALFORMED;
		if (is_padding(cls, ctype)) {
			/* Two padding objects must not add up to more padding than was sent. */
			if (rq->has_padding)
				return RTR_E_EXT_MALFORMED;
			rq->has_padding = true;
			rq->padding_len = olen;
		} else if (!rq->has_unknown) {
			rq->has_unknown = true;
			rq->unknown_class = cls;
			rq->unknown_ctype = ctype;
		}
	}
	return RTR_OK;
}

int rtr_request_decode(struct rtr_request *rq, const struct rtr_l3 *l3, const uint8_t *icmp,
		       size_t len)
{
	if (len < RTR_REQ_LEN)
		return RTR_E_TRUNCATED;
	if (len > 0xffff || (l3->family != 4 && l3->family != 6))
		return RTR_E_INVAL;
	if (icmp[RTR_REQ_OFF_TYPE] !=
	    (l3->family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST))
		return RTR_E_TYPE;
	if (icmp[RTR_REQ_OFF_CODE] != RTR_CODE_RTR)
		return RTR_E_CODE;
	if (!icmp_csum_ok(l3, icmp, len))
		return RTR_E_CHECKSUM;

	memset(rq, 0, sizeof(*rq));
	rq->ident = rtr_get16(icmp + RTR_REQ_OFF_IDENT);
	rq->seq = rtr_get16(icmp + RTR_REQ_OFF_SEQ);
	rq->ttl = icmp[RTR_REQ_OFF_TTL];
	rq->proto = icmp[RTR_REQ_OFF_PROTO];
	rq->flow = rtr_get16(icmp + RTR_REQ_OFF_FLOW);

	if (len == RTR_REQ_LEN || icmp[RTR_REQ_OFF_EXT] >> 4 != RTR_EXT_VERSION)
		return (int)len;

	const uint8_t *ext = icmp + RTR_REQ_OFF_EXT;
	size_t ext_len = len - RTR_REQ_OFF_EXT;
	if (ext_len < RTR_EXT_HDR_LEN)
		return RTR_E_EXT_MALFORMED;
	/* Checksum 0: the sender did not compute one (RFC 4884 makes it mandatory; we tolerate). */
	if (rtr_get16(ext + 2) != 0 && !rtr_csum_ok(0, ext, ext_len))
		return RTR_E_EXT_CHECKSUM;
	rq->has_ext = true;
	rq->ext_len = (uint16_t)ext_len;
	int err = decode_objects(rq, ext, ext_len);
	if (err) {
		memset(rq, 0, sizeof(*rq));
		return err;
	}
	return (int)len;
}

int rtr_request_probe_proto(uint8_t proto, int family)
{
	if (family == 4) {
		if (proto == RTR_PROTO_DEFAULT)
			return RTR_IPPROTO_ICMP;
		if (proto == RTR_IPPROTO_ICMP || proto == RTR_IPPROTO_TCP ||
		    proto == RTR_IPPROTO_UDP)
			return proto;
	} else if (family == 6) {
		if (proto == RTR_PROTO_DEFAULT)
			return RTR_IPPROTO_ICMPV6;
		if (proto == RTR_IPPROTO_ICMPV6 || proto == RTR_IPPROTO_TCP ||
		    proto == RTR_IPPROTO_UDP)
			return proto;
	}
	return RTR_E_PROTO;
}

uint16_t rtr_request_probe_flow(uint8_t probe_proto, uint16_t flow)
{
	if (flow != 0)
		return flow;
	switch (probe_proto) {
	case RTR_IPPROTO_UDP:
		return RTR_DEFAULT_UDP_DPORT;
	case RTR_IPPROTO_TCP:
		return RTR_DEFAULT_TCP_DPORT;
	case RTR_PROTO_DEFAULT:
	case RTR_IPPROTO_ICMP:
	case RTR_IPPROTO_ICMPV6:
		return RTR_DEFAULT_ICMP_CSUM;
	default:
		return 0;
	}
}

int rtr_request_state(const struct rtr_request *rq, int family,
		      const struct rtr_request_policy *policy, uint16_t *value)
{
	static const struct rtr_request_policy defaults = {0};
	uint16_t v = 0;
	int state = RTR_STATE_OK;

	if (family != 4 && family != 6)
		return RTR_E_INVAL;
	if (!policy)
		policy = &defaults;

	/* docs/PROTOCOL.md REQ-3: TTL, protocol, flow (never refused), extensions, padding. */
	if (rq->ttl == 0) {
		state = RTR_STATE_TTL;
	} else if (rtr_request_probe_proto(rq->proto, family) < 0) {
		state = RTR_STATE_PROTOCOL;
	} else if (rq->has_unknown) {
		state = RTR_STATE_EXTENSION;
		v = (uint16_t)(rq->unknown_class << 8 | rq->unknown_ctype);
	} else if (rq->has_target && !policy->allow_target) {
		state = RTR_STATE_EXTENSION;
		v = RTR_EXT_CLASS_TARGET << 8;
	} else if (policy->min_padding > 0) {
		uint16_t have = rq->has_padding ? rq->padding_len : 0;
		if (have < policy->min_padding) {
			state = RTR_STATE_PADDING;
			v = (uint16_t)(policy->min_padding - have);
		}
	}
	if (value)
		*value = v;
	return state;
}
