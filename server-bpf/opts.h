/* SPDX-License-Identifier: BSD-2-Clause */
/* opts.h: parsing of rtr-server's numeric and duration arguments. */
#ifndef RTR_SRV_OPTS_H
#define RTR_SRV_OPTS_H

#include <stdint.h>

/*
 * Parses a decimal integer in [min, max] (no sign, no trailing garbage).
 * Returns 0 or -1.
 */
int opts_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/*
 * Parses a duration: plain nanoseconds ("5000000000") or a number with a unit
 * ns, us, ms or s ("5s", "500ms"). Returns 0 or -1 (also on overflow or 0).
 */
int opts_duration_ns(const char *s, uint64_t *out);

#endif
