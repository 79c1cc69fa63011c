// SPDX-License-Identifier: BSD-2-Clause
/* names.c: reverse DNS of hop addresses, each looked up once per run. */
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "output.h"

#define NAME_CACHE 512

struct name_entry {
	struct rtr_addr addr;
	bool found;
	char name[NI_MAXHOST];
};

static struct name_entry cache[NAME_CACHE];
static unsigned cached;

static bool lookup(const struct rtr_addr *a, char *out, size_t cap)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	socklen_t len;
	if (rtr_addr_is_v4mapped(a)) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, rtr_addr_v4(a), 4);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, a->b, 16);
		len = sizeof(*sin6);
	}
	return getnameinfo((struct sockaddr *)&ss, len, out, (socklen_t)cap, NULL, 0,
			   NI_NAMEREQD) == 0;
}

const char *rtr_name_of(const struct rtr_addr *a, bool resolve)
{
	if (!resolve)
		return NULL;
	for (unsigned i = 0; i < cached; i++)
		if (rtr_addr_eq(&cache[i].addr, a))
			return cache[i].found ? cache[i].name : NULL;
	if (cached == NAME_CACHE)
		return NULL;
	struct name_entry *e = &cache[cached++];
	e->addr = *a;
	e->found = lookup(a, e->name, sizeof(e->name));
	return e->found ? e->name : NULL;
}
