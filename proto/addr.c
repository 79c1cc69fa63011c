// SPDX-License-Identifier: BSD-2-Clause
/* addr.c: the 16-byte address type: IPv4-mapped storage, comparison, text form. */
#include <arpa/inet.h>
#include <string.h>

#include "addr.h"
#include "err.h"

static const uint8_t v4mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

void rtr_addr_from_v4(struct rtr_addr *a, const uint8_t v4[4])
{
	memcpy(a->b, v4mapped_prefix, sizeof(v4mapped_prefix));
	memcpy(a->b + 12, v4, 4);
}

void rtr_addr_from_v6(struct rtr_addr *a, const uint8_t v6[16])
{
	memcpy(a->b, v6, 16);
}

bool rtr_addr_is_v4mapped(const struct rtr_addr *a)
{
	return memcmp(a->b, v4mapped_prefix, sizeof(v4mapped_prefix)) == 0;
}

int rtr_addr_family(const struct rtr_addr *a)
{
	return rtr_addr_is_v4mapped(a) ? 4 : 6;
}

bool rtr_addr_eq(const struct rtr_addr *a, const struct rtr_addr *b)
{
	return memcmp(a->b, b->b, sizeof(a->b)) == 0;
}

int rtr_addr_parse(struct rtr_addr *a, const char *text)
{
	uint8_t buf[16];

	if (!text)
		return RTR_E_INVAL;
	/* A colon means IPv6 text, even for ::ffff:a.b.c.d: the caller asked for v6 syntax. */
	if (strchr(text, ':')) {
		if (inet_pton(AF_INET6, text, buf) != 1)
			return RTR_E_INVAL;
		rtr_addr_from_v6(a, buf);
		return 6;
	}
	if (inet_pton(AF_INET, text, buf) != 1)
		return RTR_E_INVAL;
	rtr_addr_from_v4(a, buf);
	return 4;
}

char *rtr_addr_format(const struct rtr_addr *a, char *out, size_t cap)
{
	const char *r;

	if (cap == 0)
		return out;
	if (rtr_addr_is_v4mapped(a))
		r = inet_ntop(AF_INET, a->b + 12, out, (socklen_t)cap);
	else
		r = inet_ntop(AF_INET6, a->b, out, (socklen_t)cap);
	/* Too small a buffer yields an empty string rather than a partial address. */
	if (!r)
		out[0] = '\0';
	return out;
}
