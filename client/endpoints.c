// SPDX-License-Identifier: BSD-2-Clause
/* endpoints.c: parsing the ENDPOINTS file and looking servers up by name. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "endpoints.h"

/* Copies the next whitespace-separated word of *s into out; false when there is none or it is too
 * long. */
static bool word(const char **s, char *out, size_t cap)
{
	const char *p = *s;
	while (*p && isspace((unsigned char)*p))
		p++;
	size_t n = 0;
	while (p[n] && !isspace((unsigned char)p[n]))
		n++;
	if (!n || n >= cap)
		return false;
	memcpy(out, p, n);
	out[n] = 0;
	*s = p + n;
	return true;
}

/*
 * Reads one line of f into line (without its newline). fgets cannot tell a NUL byte from the end
 * of its data, and a file that never ends (/dev/zero, a pipe of comments) must still get an
 * answer, so bytes are taken one at a time and counted against the file's size limit.
 * Returns 1 (a line), 0 (end of file) or -1 with err set.
 */
static int read_line(FILE *f, char *line, size_t cap, size_t *total, const char *path,
		     unsigned lineno, char *err, size_t errlen)
{
	size_t n = 0;
	int c;

	while ((c = getc(f)) != EOF) {
		if (++*total > RTR_ENDPOINTS_MAX_BYTES) {
			snprintf(err, errlen, "%s: file larger than 1 MiB", path);
			return -1;
		}
		if (c == '\n')
			break;
		if (c == 0) {
			snprintf(err, errlen, "%s:%u: NUL byte (not a text file)", path, lineno);
			return -1;
		}
		/* A listing prints the file's words: no escape sequences reach the terminal. */
		if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
			snprintf(err, errlen, "%s:%u: control character 0x%02x", path, lineno, c);
			return -1;
		}
		if (n + 1 >= cap) {
			snprintf(err, errlen, "%s:%u: line too long", path, lineno);
			return -1;
		}
		line[n++] = (char)c;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read endpoints file %s", path);
		return -1;
	}
	line[n] = 0;
	return c == EOF && n == 0 ? 0 : 1;
}

int rtr_endpoints_read(struct rtr_endpoints *list, FILE *f, const char *path, char *err,
		       size_t errlen)
{
	char line[1024];
	unsigned lineno = 0;
	size_t total = 0;
	int got;

	list->count = 0;
	while ((got = read_line(f, line, sizeof(line), &total, path, lineno + 1, err, errlen)) ==
	       1) {
		lineno++;
		size_t len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[--len] = 0;
		if (memchr(line, '\r', len)) {
			snprintf(err, errlen, "%s:%u: control character 0x0d", path, lineno);
			return -1;
		}
		const char *p = line;
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			continue;
		if (list->count == RTR_ENDPOINTS_MAX) {
			snprintf(err, errlen, "%s:%u: more than %d endpoints", path, lineno,
				 RTR_ENDPOINTS_MAX);
			return -1;
		}
		struct rtr_endpoint *e = &list->e[list->count];
		if (!word(&p, e->name, sizeof(e->name)) || !word(&p, e->host, sizeof(e->host))) {
			snprintf(err, errlen, "%s:%u: expected NAME HOST [description]", path,
				 lineno);
			return -1;
		}
		if (rtr_endpoints_find(list, e->name)) {
			snprintf(err, errlen, "%s:%u: endpoint %s is listed twice", path, lineno,
				 e->name);
			return -1;
		}
		while (*p && isspace((unsigned char)*p))
			p++;
		snprintf(e->note, sizeof(e->note), "%s", p);
		list->count++;
	}
	return got;
}

int rtr_endpoints_load(struct rtr_endpoints *list, const char *path, char *err, size_t errlen)
{
	list->count = 0;
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot read endpoints file %s: %s", path, strerror(errno));
		return -1;
	}
	int rc = rtr_endpoints_read(list, f, path, err, errlen);
	fclose(f);
	return rc;
}

const struct rtr_endpoint *rtr_endpoints_find(const struct rtr_endpoints *list, const char *name)
{
	for (size_t i = 0; i < list->count; i++)
		if (!strcmp(list->e[i].name, name))
			return &list->e[i];
	return NULL;
}

void rtr_endpoints_print(FILE *f, const struct rtr_endpoints *list, const char *path)
{
	if (!list->count) {
		fprintf(f, "no endpoints listed in %s\n", path);
		return;
	}
	for (size_t i = 0; i < list->count; i++)
		if (list->e[i].note[0])
			fprintf(f, "%-20s %-40s %s\n", list->e[i].name, list->e[i].host,
				list->e[i].note);
		else
			fprintf(f, "%-20s %s\n", list->e[i].name, list->e[i].host);
}
