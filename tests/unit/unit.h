/* SPDX-License-Identifier: BSD-2-Clause */
/* unit.h: helpers shared by the proto/ cmocka tests (hex vectors, addresses, buffers). */
#ifndef RTR_UNIT_H
#define RTR_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"

/* Parses "08 01 ab" style hex (spaces ignored) into out; fails the test on bad input. */
static inline size_t unit_hex(uint8_t *out, size_t cap, const char *hex)
{
	size_t n = 0;
	int hi = -1;

	for (const char *p = hex; *p; p++) {
		int v = 0;
		if (*p == ' ')
			continue;
		if (*p >= '0' && *p <= '9')
			v = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			v = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			v = *p - 'A' + 10;
		else
			fail_msg("bad hex character '%c'", *p);
		if (hi < 0) {
			hi = v;
			continue;
		}
		assert_true(n < cap);
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	assert_int_equal(hi, -1);
	return n;
}

/* An address from text; fails the test when the text does not parse. */
static inline struct rtr_addr unit_addr(const char *text)
{
	struct rtr_addr a;

	assert_true(rtr_addr_parse(&a, text) > 0);
	return a;
}

/* A heap copy of exactly len bytes, so ASan flags any read past the end. */
static inline uint8_t *unit_dup(const uint8_t *buf, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	assert_non_null(p);
	if (len)
		memcpy(p, buf, len);
	return p;
}

/* Deterministic pseudo-random bytes (xorshift) so tests are reproducible. */
static inline void unit_rand(uint64_t *state, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t x = *state;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		*state = x;
		out[i] = (uint8_t)(x >> 24);
	}
}

#endif
