/* SPDX-License-Identifier: BSD-2-Clause */
/* request.h: the reverse traceroute request (ICMP/ICMPv6 Echo Request code 1). */
#ifndef RTR_REQUEST_H
#define RTR_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/*
 * The ICMP part of a request: the 12-byte header and the optional extension
 * structure (docs/PROTOCOL.md sections 2 and 6). The enclosing IP header's
 * family and addresses are needed for the ICMPv6 checksum.
 */
struct rtr_request {
	uint16_t ident;
	uint16_t seq;
	uint8_t ttl;
	uint8_t proto; /* as on the wire: 0 default, 1, 6, 17, 58, or anything */
	uint16_t flow; /* as on the wire: 0 means the protocol's default */

	/* Extension structure; all zero / false when absent. */
	bool has_ext;		/* a version-2 extension header was present */
	uint16_t ext_len;	/* bytes of the extension structure (header + objects) */
	bool has_target;	/* class 5 / c-type 0 object */
	uint8_t target_obj_len; /* its length field as sent: 16 or 20 */
	struct rtr_addr target;
	bool has_padding;      /* class 6 / c-type 0 object */
	uint16_t padding_len;  /* its length field: object header + padding bytes */
	bool has_unknown;      /* any other object */
	uint8_t unknown_class; /* the first such object's class-num */
	uint8_t unknown_ctype; /* and c-type */
};

/* The enclosing IP header as far as ICMP needs it. */
struct rtr_l3 {
	uint8_t family; /* 4 or 6 */
	struct rtr_addr src;
	struct rtr_addr dst;
};

/*
 * Encodes a request into out: the header, then the extension structure when
 * has_target or has_padding or has_unknown is set (objects in that order,
 * target with target_obj_len 16 or 20, padding of padding_len bytes filled
 * with zero, an unknown object with 4 bytes of zero data), with valid
 * extension and ICMP checksums. Returns bytes written or RTR_E_NOSPACE,
 * RTR_E_INVAL.
 */
int rtr_request_encode(uint8_t *out, size_t cap, const struct rtr_l3 *l3,
		       const struct rtr_request *rq);

/*
 * Decodes the ICMP bytes of a request. Checks, in this order: length >= 12
 * (RTR_E_TRUNCATED), type 8/128 (RTR_E_TYPE), code 1 (RTR_E_CODE), checksum
 * over all len bytes (RTR_E_CHECKSUM), then the extension structure if the
 * byte at offset 12 has version 2 (RTR_E_EXT_MALFORMED, RTR_E_EXT_CHECKSUM).
 * Bytes after offset 12 that do not start with version 2 are ignored.
 * Returns len on success.
 */
int rtr_request_decode(struct rtr_request *rq, const struct rtr_l3 *l3, const uint8_t *icmp,
		       size_t len);

/* What the server accepts beyond the base protocol. */
struct rtr_request_policy {
	uint16_t min_padding; /* required padding object length; 0 = none */
	bool allow_target;    /* accept a class 5 target at all (off by default) */
};

/*
 * The state a server answers to a decoded request, in the validation order
 * of docs/PROTOCOL.md 2.1: TTL 0 -> 1; protocol not allowed for family -> 2;
 * extension object not accepted -> 4 (value = class << 8 | c-type);
 * padding shorter than policy->min_padding -> 5 (value = missing bytes);
 * else 0. value may be NULL. policy may be NULL (defaults).
 */
int rtr_request_state(const struct rtr_request *rq, int family,
		      const struct rtr_request_policy *policy, uint16_t *value);

/*
 * The probe protocol a request asks for once defaults are applied: protocol 0
 * becomes 1 (v4) or 58 (v6). Returns RTR_E_PROTO when not allowed for family.
 */
int rtr_request_probe_proto(uint8_t proto, int family);

/* The flow (destination port or ICMP checksum) once the default for proto is applied. */
uint16_t rtr_request_probe_flow(uint8_t probe_proto, uint16_t flow);

#endif
