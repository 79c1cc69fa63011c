/* SPDX-License-Identifier: BSD-2-Clause */
/* addr.h: one 16-byte address type for both families (IPv4 held IPv4-mapped). */
#ifndef RTR_ADDR_H
#define RTR_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * IPv4 addresses are stored as ::ffff:a.b.c.d, the form the response's hop
 * field uses on the wire, so one type and one comparison serve both families.
 */
struct rtr_addr {
	uint8_t b[16];
};

/* Stores the IPv4 address v4[0..3] as ::ffff:a.b.c.d. */
void rtr_addr_from_v4(struct rtr_addr *a, const uint8_t v4[4]);

/* Stores the IPv6 address v6[0..15]. */
void rtr_addr_from_v6(struct rtr_addr *a, const uint8_t v6[16]);

/* True when a is ::ffff:a.b.c.d. */
bool rtr_addr_is_v4mapped(const struct rtr_addr *a);

/* Family of a: 4 when IPv4-mapped, else 6. */
int rtr_addr_family(const struct rtr_addr *a);

/* True when both addresses are byte-for-byte equal. */
bool rtr_addr_eq(const struct rtr_addr *a, const struct rtr_addr *b);

/* Pointer to the 4 IPv4 bytes of an IPv4-mapped address. */
static inline const uint8_t *rtr_addr_v4(const struct rtr_addr *a)
{
	return a->b + 12;
}

/*
 * Parses text ("198.51.100.1", "2001:db8::1", "::ffff:198.51.100.1").
 * Returns 4 or 6 (the family of the text as written) or RTR_E_INVAL.
 */
int rtr_addr_parse(struct rtr_addr *a, const char *text);

/*
 * Formats a into out (at least RTR_ADDR_STRLEN bytes): dotted quad for
 * IPv4-mapped addresses, RFC 5952 text for IPv6. Returns out.
 */
#define RTR_ADDR_STRLEN 46
char *rtr_addr_format(const struct rtr_addr *a, char *out, size_t cap);

#endif
