/* SPDX-License-Identifier: BSD-2-Clause */
/* cursor.h: bounds-checked big-endian reader and writer over byte buffers. */
#ifndef RTR_CURSOR_H
#define RTR_CURSOR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "err.h"

/*
 * Wire fields are only ever read through these helpers: no casts of packet
 * bytes to structs, no unaligned loads, byte order handled in one place.
 * Every function returns RTR_OK or RTR_E_TRUNCATED (reader) / RTR_E_NOSPACE
 * (writer) and never touches memory outside [buf, buf + len).
 */
struct rtr_rcur {
	const uint8_t *buf;
	size_t len;
	size_t off;
};

struct rtr_wcur {
	uint8_t *buf;
	size_t cap;
	size_t off;
};

static inline void rtr_rcur_init(struct rtr_rcur *c, const uint8_t *buf, size_t len)
{
	c->buf = buf;
	c->len = len;
	c->off = 0;
}

static inline size_t rtr_rcur_left(const struct rtr_rcur *c)
{
	return c->len - c->off;
}

static inline int rtr_rcur_need(const struct rtr_rcur *c, size_t n)
{
	return rtr_rcur_left(c) >= n ? RTR_OK : RTR_E_TRUNCATED;
}

static inline int rtr_rcur_u8(struct rtr_rcur *c, uint8_t *v)
{
	if (rtr_rcur_need(c, 1))
		return RTR_E_TRUNCATED;
	*v = c->buf[c->off++];
	return RTR_OK;
}

static inline int rtr_rcur_u16(struct rtr_rcur *c, uint16_t *v)
{
	if (rtr_rcur_need(c, 2))
		return RTR_E_TRUNCATED;
	*v = (uint16_t)(c->buf[c->off] << 8 | c->buf[c->off + 1]);
	c->off += 2;
	return RTR_OK;
}

static inline int rtr_rcur_u32(struct rtr_rcur *c, uint32_t *v)
{
	if (rtr_rcur_need(c, 4))
		return RTR_E_TRUNCATED;
	const uint8_t *p = c->buf + c->off;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	c->off += 4;
	return RTR_OK;
}

static inline int rtr_rcur_bytes(struct rtr_rcur *c, void *dst, size_t n)
{
	if (rtr_rcur_need(c, n))
		return RTR_E_TRUNCATED;
	memcpy(dst, c->buf + c->off, n);
	c->off += n;
	return RTR_OK;
}

static inline int rtr_rcur_skip(struct rtr_rcur *c, size_t n)
{
	if (rtr_rcur_need(c, n))
		return RTR_E_TRUNCATED;
	c->off += n;
	return RTR_OK;
}

static inline void rtr_wcur_init(struct rtr_wcur *c, uint8_t *buf, size_t cap)
{
	c->buf = buf;
	c->cap = cap;
	c->off = 0;
}

static inline int rtr_wcur_need(const struct rtr_wcur *c, size_t n)
{
	return c->cap - c->off >= n ? RTR_OK : RTR_E_NOSPACE;
}

static inline int rtr_wcur_u8(struct rtr_wcur *c, uint8_t v)
{
	if (rtr_wcur_need(c, 1))
		return RTR_E_NOSPACE;
	c->buf[c->off++] = v;
	return RTR_OK;
}

static inline int rtr_wcur_u16(struct rtr_wcur *c, uint16_t v)
{
	if (rtr_wcur_need(c, 2))
		return RTR_E_NOSPACE;
	c->buf[c->off++] = (uint8_t)(v >> 8);
	c->buf[c->off++] = (uint8_t)v;
	return RTR_OK;
}

static inline int rtr_wcur_u32(struct rtr_wcur *c, uint32_t v)
{
	if (rtr_wcur_need(c, 4))
		return RTR_E_NOSPACE;
	for (int shift = 24; shift >= 0; shift -= 8)
		c->buf[c->off++] = (uint8_t)(v >> shift);
	return RTR_OK;
}

static inline int rtr_wcur_bytes(struct rtr_wcur *c, const void *src, size_t n)
{
	if (rtr_wcur_need(c, n))
		return RTR_E_NOSPACE;
	memcpy(c->buf + c->off, src, n);
	c->off += n;
	return RTR_OK;
}

/* Big-endian loads and stores for callers that already checked the length. */
static inline uint16_t rtr_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t rtr_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void rtr_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void rtr_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
