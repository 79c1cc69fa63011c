/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz.h: what the libFuzzer harnesses share: property check, selectors, reference checksums. */
#ifndef RTR_FUZZ_H
#define RTR_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "cursor.h"
#include "probe.h"
#include "request.h"
#include "rtr_wire.h"

/*
 * A harness states properties, not just "no crash": a violated property prints
 * which one and aborts, so libFuzzer saves the input as a crash. The message
 * names the file and line, which is what a regression report needs.
 */
#define FUZZ_CHECK(cond)                                                                      \
	do {                                                                                  \
		if (!(cond)) {                                                                \
			fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__, \
				#cond);                                                       \
			abort();                                                              \
		}                                                                             \
	} while (0)

/*
 * Input layout of every harness: byte 0 is a selector, the rest is the
 * message. Bits of the selector (a harness uses the ones it needs):
 *   FUZZ_SEL_V6   ICMP-level harnesses: the message sits in IPv6 (else IPv4)
 *   FUZZ_SEL_QUOTED  packet-level harnesses: decode with RTR_IP_QUOTED
 *   FUZZ_SEL_FIX  recompute checksums before decoding, so that mutations get
 *                 past the checksum test and reach the code behind it
 * Seeds extracted from spec-vectors/ carry the selector the extractor chose.
 */
enum fuzz_sel {
	FUZZ_SEL_V6 = 1 << 0,
	FUZZ_SEL_QUOTED = 1 << 0,
	FUZZ_SEL_FIX = 1 << 1,
};

/* The largest message a harness looks at; longer inputs are cut (IP total length is 16 bits). */
#define FUZZ_MAX_MSG 65535

/* Fixed enclosing IP header of the ICMP-level harnesses (vector address ranges). */
static inline void fuzz_l3(struct rtr_l3 *l3, bool v6)
{
	static const uint8_t c4[4] = {198, 51, 100, 7}, s4[4] = {203, 0, 113, 9};
	static const uint8_t c6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7};
	static const uint8_t s6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9};

	memset(l3, 0, sizeof(*l3));
	l3->family = v6 ? 6 : 4;
	if (v6) {
		rtr_addr_from_v6(&l3->src, c6);
		rtr_addr_from_v6(&l3->dst, s6);
	} else {
		rtr_addr_from_v4(&l3->src, c4);
		rtr_addr_from_v4(&l3->dst, s4);
	}
}

/*
 * The probes the answer harness matches against and the hand-made seeds
 * quote: server 203.0.113.9 / 2001:db8:1::9 towards client 198.51.100.7 /
 * 2001:db8::7, TTL 5, fixed identity. proto is UDP, TCP or the family's ICMP.
 */
static inline void fuzz_probe_fixed(struct rtr_probe *p, int family, uint8_t proto)
{
	struct rtr_l3 l3;

	fuzz_l3(&l3, family == 6);
	memset(p, 0, sizeof(*p));
	p->family = (uint8_t)family;
	p->proto = proto;
	p->src = l3.dst;
	p->dst = l3.src;
	p->ttl = 5;
	p->flow = proto == RTR_IPPROTO_UDP ? 33435 : proto == RTR_IPPROTO_TCP ? 443 : 0xBEEF;
	p->id.ip_id = family == 4 ? 0x4A5B : 0;
	p->id.l4 = proto == RTR_IPPROTO_UDP ? 0x7C3D : 0x9E1F2A3B;
	p->id.tag = proto == RTR_IPPROTO_UDP ? 0x5D6E7F80 : 0;
	p->id.len_extra = proto == RTR_IPPROTO_UDP && family == 4 ? 1 : 0;
}

/* Payload bytes every harness hands to rtr_probe_encode: fixed, so runs are deterministic. */
static inline const uint8_t *fuzz_probe_random(void)
{
	static uint8_t rnd[64];
	for (size_t i = 0; i < sizeof(rnd); i++)
		rnd[i] = (uint8_t)(i * 37 + 11);
	return rnd;
}

/*
 * Reference RFC 1071 sum, written independently of proto/checksum.c so that a
 * harness can check the library's verdict instead of trusting it.
 */
static inline uint32_t fuzz_sum(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static inline uint16_t fuzz_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)sum;
}

/* Pseudo-header sum (RFC 768/793 for v4 from the mapped addresses, RFC 8200 8.1 for v6). */
static inline uint32_t fuzz_pseudo(int family, const uint8_t *src16, const uint8_t *dst16,
				   uint8_t proto, uint32_t l4_len)
{
	uint32_t sum = 0;

	if (family == 4) {
		sum = fuzz_sum(sum, src16 + 12, 4);
		sum = fuzz_sum(sum, dst16 + 12, 4);
		return sum + proto + (l4_len & 0xFFFF);
	}
	sum = fuzz_sum(sum, src16, 16);
	sum = fuzz_sum(sum, dst16, 16);
	return sum + (l4_len >> 16) + (l4_len & 0xFFFF) + proto;
}

/* True when data (holding its own checksum field) plus pseudo sums to 0xFFFF. */
static inline bool fuzz_csum_ok(uint32_t pseudo, const uint8_t *p, size_t len)
{
	return fuzz_fold(fuzz_sum(pseudo, p, len)) == 0xFFFF;
}

/* Writes the checksum field at p + off so that p[0..len) verifies with pseudo. */
static inline void fuzz_csum_set(uint32_t pseudo, uint8_t *p, size_t len, size_t off)
{
	if (off + 2 > len)
		return;
	rtr_put16(p + off, 0);
	rtr_put16(p + off, (uint16_t)~fuzz_fold(fuzz_sum(pseudo, p, len)));
}

/* ICMP checksum of an ICMP message inside the fixed l3 (ICMPv6 has a pseudo-header). */
static inline uint32_t fuzz_icmp_pseudo(const struct rtr_l3 *l3, size_t len)
{
	if (l3->family == 4)
		return 0;
	return fuzz_pseudo(6, l3->src.b, l3->dst.b, 58, (uint32_t)len);
}

/*
 * Makes an ICMP request/response valid as far as checksums go: the RFC 4884
 * extension checksum (when byte 12 says version 2) and then the ICMP checksum.
 */
static inline void fuzz_fix_icmp(const struct rtr_l3 *l3, uint8_t *icmp, size_t len)
{
	if (len >= 16 && icmp[12] >> 4 == 2)
		fuzz_csum_set(0, icmp + 12, len - 12, 2);
	fuzz_csum_set(fuzz_icmp_pseudo(l3, len), icmp, len, 2);
}

/*
 * Makes a whole IP packet's checksums valid: the IPv4 header checksum and the
 * ICMP, TCP or UDP checksum of an unfragmented L4 part (over the bytes present).
 * Only a helper to get mutations past checksum tests; it parses just enough.
 */
static inline void fuzz_fix_packet(uint8_t *p, size_t len)
{
	uint8_t src[16] = {0}, dst[16] = {0};
	size_t hl, end;
	uint8_t proto;
	int family;

	if (len < 1)
		return;
	if (p[0] >> 4 == 4) {
		hl = (size_t)(p[0] & 15) * 4;
		if (hl < 20 || hl > len)
			return;
		fuzz_csum_set(0, p, hl, 10);
		end = rtr_get16(p + 2);
		if (rtr_get16(p + 6) & 0x3FFF) /* MF or an offset: no L4 header to fix */
			return;
		proto = p[9];
		family = 4;
		src[10] = src[11] = dst[10] = dst[11] = 0xFF;
		memcpy(src + 12, p + 12, 4);
		memcpy(dst + 12, p + 16, 4);
	} else if (p[0] >> 4 == 6) {
		hl = 40;
		if (len < hl)
			return;
		end = 40 + (size_t)rtr_get16(p + 4);
		proto = p[6];
		family = 6;
		memcpy(src, p + 8, 16);
		memcpy(dst, p + 24, 16);
	} else {
		return;
	}
	if (end > len)
		end = len;
	if (end <= hl)
		return;
	uint8_t *l4 = p + hl;
	size_t l4_len = end - hl;

	if (proto == 1 && family == 4)
		fuzz_csum_set(0, l4, l4_len, 2);
	else if (proto == 58 && family == 6)
		fuzz_csum_set(fuzz_pseudo(6, src, dst, 58, (uint32_t)l4_len), l4, l4_len, 2);
	else if (proto == 6)
		fuzz_csum_set(fuzz_pseudo(family, src, dst, 6, (uint32_t)l4_len), l4, l4_len, 16);
	else if (proto == 17 && l4_len >= 8)
		fuzz_csum_set(fuzz_pseudo(family, src, dst, 17, (uint32_t)l4_len), l4, l4_len, 6);
}

/*
 * Copies the message part of a harness input into a private, writable buffer
 * of exactly its length (so ASan catches any read past it) and applies the
 * checksum fix the selector asks for. Returns NULL for an empty input; the
 * caller frees.
 */
static inline uint8_t *fuzz_take(const uint8_t *data, size_t size, uint8_t *sel, size_t *len)
{
	if (size < 1)
		return NULL;
	*sel = data[0];
	*len = size - 1;
	if (*len > FUZZ_MAX_MSG)
		*len = FUZZ_MAX_MSG;
	uint8_t *msg = malloc(*len ? *len : 1);
	if (!msg)
		abort();
	memcpy(msg, data + 1, *len);
	return msg;
}

/* The 16 address bytes of an IPv4 (mapped) or IPv6 address at p, for comparisons. */
static inline void fuzz_addr_at(struct rtr_addr *a, const uint8_t *p, int family)
{
	if (family == 4)
		rtr_addr_from_v4(a, p);
	else
		rtr_addr_from_v6(a, p);
}

#endif
