/* SPDX-License-Identifier: BSD-2-Clause */
/* checksum.h: RFC 1071 Internet checksum, pseudo-headers and RFC 1624 updates. */
#ifndef RTR_CHECKSUM_H
#define RTR_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/*
 * Sums are carried as 32-bit partial sums of 16-bit big-endian words so that
 * pieces (pseudo-header, header, payload) can be added in any order and folded
 * once. An odd trailing byte is padded with zero as RFC 1071 says; a piece of
 * odd length must therefore come last.
 */

/* Adds the bytes [buf, buf + len) to the partial sum and returns the new sum. */
uint32_t rtr_csum_add(uint32_t sum, const void *buf, size_t len);

/* Folds a partial sum to 16 bits and returns its one's complement (the field value). */
uint16_t rtr_csum_fold(uint32_t sum);

/*
 * Partial sum of the pseudo-header for an upper-layer checksum. family is 4
 * (RFC 768/793: src, dst, zero, proto, length) or 6 (RFC 8200 8.1); l4_len is
 * the upper-layer length in bytes. IPv4 addresses are given IPv4-mapped.
 */
uint32_t rtr_csum_pseudo(int family, const struct rtr_addr *src, const struct rtr_addr *dst,
			 uint8_t proto, uint32_t l4_len);

/* Checksum field value of buf as a whole (IPv4 header, ICMPv4) with the field zeroed by the caller.
 */
uint16_t rtr_csum(const void *buf, size_t len);

/*
 * Returns 1 when buf (which holds its own checksum field) plus the partial sum
 * `pseudo` verifies (sums to 0xFFFF), else 0. Pass pseudo 0 for IPv4 headers and ICMPv4.
 */
int rtr_csum_ok(uint32_t pseudo, const void *buf, size_t len);

/*
 * RFC 1624 eqn. 3: the new checksum field value after a 16-bit word of the
 * covered data changes from old_word to new_word.
 */
uint16_t rtr_csum_update16(uint16_t csum, uint16_t old_word, uint16_t new_word);

/*
 * Returns the 16-bit word that, written at an even offset of data covered by a
 * checksum whose field currently holds `have` (computed with that word zero),
 * makes the field value equal `want`. Used by probes to place the flow or an
 * identity in a checksum field while keeping the checksum valid.
 */
uint16_t rtr_csum_compensate(uint16_t have, uint16_t want);

#endif
