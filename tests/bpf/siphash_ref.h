/* SPDX-License-Identifier: BSD-2-Clause */
/* siphash_ref.h: byte-wise SipHash-2-4, the tests' reference for the server's identity PRF. */
#ifndef RTR_SIPHASH_REF_H
#define RTR_SIPHASH_REF_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-2-4 of len bytes under the 16-byte key, as the paper defines it (little-endian words). */
uint64_t siphash_ref(const uint8_t key[16], const uint8_t *msg, size_t len);

#endif
