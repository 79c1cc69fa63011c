// SPDX-License-Identifier: BSD-2-Clause
/* names.c: reverse DNS of hop addresses, each looked up once per run, made safe to print. */
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "output.h"

#define NAME_CACHE 512

struct name_entry {
	struct rtr_addr addr;
	bool found;
	char name[4 * NI_MAXHOST]; /* escaped: up to 4 bytes per byte */
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

/* Length of the valid UTF-8 sequence at s (a printable character), or 0. */
static size_t utf8_char(const unsigned char *s)
{
	unsigned char c = s[0];
	if (c >= 0x20 && c < 0x7f)
		return 1;
	size_t n = c >= 0xc2 && c <= 0xdf   ? 2
		   : c >= 0xe0 && c <= 0xef ? 3
		   : c >= 0xf0 && c <= 0xf4 ? 4
					    : 0;
	if (!n)
		return 0; /* C0 controls, DEL, continuation bytes, 0xc0/0xc1, 0xf5.. */
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong forms, surrogates, beyond U+10FFFF, and the C1 controls (0x9b is a CSI). */
	if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0) ||
	    (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90) || (c == 0xc2 && s[1] < 0xa0))
		return 0;
	return n;
}

const char *rtr_safe_text(const char *in, char *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;
	while (*s) {
		size_t n = utf8_char(s);
		char esc[5];
		const char *piece = (const char *)s;
		if (!n) {
			snprintf(esc, sizeof(esc), "\\x%02x", *s);
			piece = esc;
			n = 4;
		}
		if (o + n >= cap)
			break; /* never half a character */
		memcpy(out + o, piece, n);
		o += n;
		s += piece == esc ? 1 : n;
	}
	out[o] = 0;
	return out;
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
	char raw[NI_MAXHOST];
	/* Names come from whoever controls the resolver or /etc/hosts: escape before any output. */
	e->found = lookup(a, raw, sizeof(raw));
	if (e->found)
		rtr_safe_text(raw, e->name, sizeof(e->name));
	return e->found ? e->name : NULL;
}
