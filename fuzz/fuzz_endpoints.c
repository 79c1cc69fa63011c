// SPDX-License-Identifier: BSD-2-Clause
/* fuzz_endpoints.c: the ENDPOINTS reader on arbitrary bytes, against a reading of its own. */
/* fuzz-sources: client/endpoints.c */
/* fuzz-cflags: -Iclient */
#include <ctype.h>

#include "endpoints.h"
#include "fuzz.h"

/*
 * Properties, for any input read from memory (fmemopen, as from a file):
 *  - reading ends, with 0 or -1 and, on -1, one printable line that names the file;
 *  - accepted iff no NUL, no control byte but tab (CR only before a newline), no line over 1023
 *    bytes or more, at most 1 MiB, and every other line is blank, a comment or NAME HOST...
 *    with a NAME of < 64 and a HOST of < 256 bytes, no NAME twice, at most 1024 entries;
 *  - an accepted file's entries are the words of its lines in order, printable, NUL-terminated
 *    inside their arrays, found by name, and the listing prints one line per entry.
 */

static bool ws(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* Length of the word at p[0..n) after skipping blanks from *i; *i moves past it. */
static size_t ref_word(const uint8_t *p, size_t n, size_t *i, size_t *start)
{
	while (*i < n && ws(p[*i]))
		(*i)++;
	*start = *i;
	while (*i < n && !ws(p[*i]))
		(*i)++;
	return *i - *start;
}

/* The reference verdict: 0 or -1, and the entries it expects (NULL list: verdict only). */
static int ref_read(const uint8_t *d, size_t size, struct rtr_endpoints *want)
{
	if (size > RTR_ENDPOINTS_MAX_BYTES)
		return -1;
	want->count = 0;
	size_t pos = 0;
	while (pos < size) {
		size_t end = pos;
		while (end < size && d[end] != '\n')
			end++;
		const uint8_t *l = d + pos;
		size_t n = end - pos;
		pos = end + 1;
		if (n >= 1024) /* the reader keeps 1023 bytes and the NUL */
			return -1;
		if (n && l[n - 1] == '\r')
			n--;
		for (size_t k = 0; k < n; k++)
			if ((l[k] < 0x20 && l[k] != '\t') || l[k] == 0x7f)
				return -1;
		size_t i = 0, s;
		while (i < n && ws(l[i]))
			i++;
		if (i == n || l[i] == '#')
			continue;
		if (want->count == RTR_ENDPOINTS_MAX)
			return -1;
		struct rtr_endpoint *e = &want->e[want->count];
		size_t wn = ref_word(l, n, &i, &s);
		if (!wn || wn >= sizeof(e->name))
			return -1;
		memcpy(e->name, l + s, wn);
		e->name[wn] = 0;
		wn = ref_word(l, n, &i, &s);
		if (!wn || wn >= sizeof(e->host))
			return -1;
		memcpy(e->host, l + s, wn);
		e->host[wn] = 0;
		for (size_t k = 0; k < want->count; k++)
			if (!strcmp(want->e[k].name, e->name))
				return -1;
		while (i < n && ws(l[i]))
			i++;
		size_t nn = n - i < sizeof(e->note) - 1 ? n - i : sizeof(e->note) - 1;
		memcpy(e->note, l + i, nn);
		e->note[nn] = 0;
		want->count++;
	}
	return 0;
}

static void check_text(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	FUZZ_CHECK(n < cap);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(((uint8_t)s[i] >= 0x20 || s[i] == '\t') && (uint8_t)s[i] != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rtr_endpoints got, want;
	static const char name[] = "fuzz.endpoints";
	char err[256] = "";

	/* fmemopen refuses a zero-sized buffer; an empty file is one byte of nothing read. */
	FILE *f = fmemopen((void *)(size ? data : (const uint8_t *)""), size ? size : 1, "r");
	FUZZ_CHECK(f != NULL);
	if (!size)
		(void)getc(f);
	int rc = rtr_endpoints_read(&got, f, name, err, sizeof(err));
	fclose(f);

	int ref = ref_read(data, size, &want);
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(rc == ref);
	if (rc) {
		check_text(err, sizeof(err));
		FUZZ_CHECK(!strncmp(err, name, strlen(name)) || strstr(err, name));
		return 0;
	}
	FUZZ_CHECK(got.count == want.count && got.count <= RTR_ENDPOINTS_MAX);
	for (size_t i = 0; i < got.count; i++) {
		const struct rtr_endpoint *e = &got.e[i];
		check_text(e->name, sizeof(e->name));
		check_text(e->host, sizeof(e->host));
		check_text(e->note, sizeof(e->note));
		FUZZ_CHECK(e->name[0] && e->host[0]);
		FUZZ_CHECK(!strcmp(e->name, want.e[i].name));
		FUZZ_CHECK(!strcmp(e->host, want.e[i].host));
		FUZZ_CHECK(!strcmp(e->note, want.e[i].note));
		FUZZ_CHECK(rtr_endpoints_find(&got, e->name) == e);
	}
	/* The listing: one line per entry, starting with its name (or one "no endpoints" line). */
	char *out = NULL;
	size_t outlen = 0;
	FILE *m = open_memstream(&out, &outlen);
	FUZZ_CHECK(m != NULL);
	rtr_endpoints_print(m, &got, name);
	fclose(m);
	size_t lines = 0;
	for (const char *p = out; p < out + outlen;) {
		const char *nl = memchr(p, '\n', (size_t)(out + outlen - p));
		FUZZ_CHECK(nl != NULL);
		if (got.count) {
			size_t k = strlen(got.e[lines].name);
			FUZZ_CHECK(!strncmp(p, got.e[lines].name, k) &&
				   (p[k] == ' ' || p[k] == '\n'));
		}
		lines++;
		p = nl + 1;
	}
	FUZZ_CHECK(lines == (got.count ? got.count : 1));
	free(out);
	return 0;
}
