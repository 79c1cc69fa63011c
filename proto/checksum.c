// SPDX-License-Identifier: BSD-2-Clause
/* checksum.c: RFC 1071 Internet checksum, pseudo-headers and RFC 1624 updates. */
#include "checksum.h"

/* End-around carry down to 16 bits, without the final complement. */
static uint16_t fold16(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

uint32_t rtr_csum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t acc = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		acc += (uint32_t)p[len - 1] << 8;
	/* Keep the result a valid 32-bit partial sum however long the buffer was. */
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t rtr_csum_fold(uint32_t sum)
{
	return (uint16_t)~fold16(sum);
}

uint32_t rtr_csum_pseudo(int family, const struct rtr_addr *src, const struct rtr_addr *dst,
			 uint8_t proto, uint32_t l4_len)
{
	uint32_t sum = 0;

	if (family == 4) {
		sum = rtr_csum_add(sum, rtr_addr_v4(src), 4);
		sum = rtr_csum_add(sum, rtr_addr_v4(dst), 4);
		sum += proto;
		sum += l4_len & 0xffff;
	} else {
		sum = rtr_csum_add(sum, src->b, 16);
		sum = rtr_csum_add(sum, dst->b, 16);
		sum += l4_len >> 16;
		sum += l4_len & 0xffff;
		sum += proto;
	}
	return sum;
}

uint16_t rtr_csum(const void *buf, size_t len)
{
	return rtr_csum_fold(rtr_csum_add(0, buf, len));
}

int rtr_csum_ok(uint32_t pseudo, const void *buf, size_t len)
{
	return rtr_csum_fold(rtr_csum_add(pseudo, buf, len)) == 0;
}

uint16_t rtr_csum_update16(uint16_t csum, uint16_t old_word, uint16_t new_word)
{
	/* HC' = ~(~HC + ~m + m'); eqn. 3 avoids the -0 result of eqn. 2. */
	uint32_t sum = (uint16_t)~csum;

	sum += (uint16_t)~old_word;
	sum += new_word;
	return (uint16_t)~fold16(sum);
}

uint16_t rtr_csum_compensate(uint16_t have, uint16_t want)
{
	/*
	 * have = ~S (S: sum with the word zero). The field verifies as `want` when
	 * S + w + want == -0, so w = ~want - S = ~want + have in one's complement.
	 */
	return fold16((uint32_t)have + (uint16_t)~want);
}
