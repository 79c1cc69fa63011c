// SPDX-License-Identifier: BSD-2-Clause
/* siphash_ref.c: byte-wise SipHash-2-4 written from the paper, independent of rtr_server.h. */
#include "siphash_ref.h"

static uint64_t rotl(uint64_t x, unsigned b)
{
	return x << b | x >> (64 - b);
}

/* Little-endian 64-bit word from n <= 8 bytes (missing bytes zero). */
static uint64_t le_word(const uint8_t *p, size_t n)
{
	uint64_t w = 0;

	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)p[i] << (8 * i);
	return w;
}

static void sipround(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = rotl(v[1], 13);
	v[1] ^= v[0];
	v[0] = rotl(v[0], 32);
	v[2] += v[3];
	v[3] = rotl(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = rotl(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = rotl(v[1], 17);
	v[1] ^= v[2];
	v[2] = rotl(v[2], 32);
}

/* One message word: absorbed between c = 2 rounds. */
static void absorb(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	sipround(v);
	sipround(v);
	v[0] ^= m;
}

uint64_t siphash_ref(const uint8_t key[16], const uint8_t *msg, size_t len)
{
	uint64_t k0 = le_word(key, 8), k1 = le_word(key + 8, 8);
	/* The initial state: the key xored with "somepseudorandomlygeneratedbytes". */
	uint64_t v[4] = {k0 ^ 0x736f6d6570736575ull, k1 ^ 0x646f72616e646f6dull,
			 k0 ^ 0x6c7967656e657261ull, k1 ^ 0x7465646279746573ull};
	size_t full = len / 8 * 8;

	for (size_t i = 0; i < full; i += 8)
		absorb(v, le_word(msg + i, 8));
	/* The last word: the leftover bytes and the length's low byte on top. */
	absorb(v, le_word(msg + full, len - full) | (uint64_t)(len & 0xff) << 56);
	v[2] ^= 0xff;
	for (int i = 0; i < 4; i++) /* d = 4 finalisation rounds */
		sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}
