// SPDX-License-Identifier: BSD-2-Clause
/* opts.c: parsing of rtr-server's numeric and duration arguments. */
#include "opts.h"

#include <ctype.h>
#include <string.h>

/* Reads the leading digits of s into *v; returns the first non-digit or NULL on overflow/none. */
static const char *digits(const char *s, uint64_t *v)
{
	const char *p = s;

	*v = 0;
	if (!isdigit((unsigned char)*p))
		return NULL;
	for (; isdigit((unsigned char)*p); p++) {
		uint64_t d = (uint64_t)(*p - '0');

		if (*v > (UINT64_MAX - d) / 10)
			return NULL;
		*v = *v * 10 + d;
	}
	return p;
}

int opts_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v;
	const char *end = digits(s, &v);

	if (!end || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int opts_duration_ns(const char *s, uint64_t *out)
{
	static const struct {
		const char *unit;
		uint64_t mult;
	} units[] = {
		{"", 1}, {"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000},
	};
	uint64_t v;
	const char *end = digits(s, &v);

	if (!end)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		if (v == 0 || v > UINT64_MAX / units[i].mult)
			return -1;
		*out = v * units[i].mult;
		return 0;
	}
	return -1;
}
