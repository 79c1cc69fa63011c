// SPDX-License-Identifier: BSD-2-Clause
/* targets.c: reads a campaign's targets (one per line) with bounds on every line and the count. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "targets.h"

int rtr_targets_add(struct rtr_targets *t, const char *target, char *err, size_t errlen)
{
	if (t->n >= RTR_TARGETS_MAX) {
		snprintf(err, errlen, "more than %d targets: split the campaign", RTR_TARGETS_MAX);
		return -1;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **v = realloc(t->v, cap * sizeof(*v));
		if (!v) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		t->v = v;
		t->cap = cap;
	}
	if (!(t->v[t->n] = strdup(target))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t->n++;
	return 0;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int rtr_targets_read(struct rtr_targets *t, FILE *f, const char *name, char *err, size_t errlen)
{
	char line[RTR_TARGET_LEN + 2];
	size_t len = 0;
	unsigned long lineno = 1;
	bool more = true;
	size_t before = t->n;
	while (more) {
		int c = getc(f);
		if (c == EOF) {
			if (ferror(f)) {
				snprintf(err, errlen, "%s: cannot read", name);
				return -1;
			}
			more = false;
		} else if (c == '\0') {
			snprintf(err, errlen,
				 "%s:%lu: a NUL byte: give a text file, one target per line", name,
				 lineno);
			return -1;
		} else if (c != '\n') {
			if (len > RTR_TARGET_LEN) {
				snprintf(err, errlen,
					 "%s:%lu: line longer than %d characters: one target per "
					 "line",
					 name, lineno, RTR_TARGET_LEN);
				return -1;
			}
			line[len++] = (char)c;
			continue;
		}
		if (!more && len == 0)
			break;
		line[len] = '\0';
		char *s = line;
		while (is_space(*s))
			s++;
		char *e = s + strlen(s);
		while (e > s && is_space(e[-1]))
			*--e = '\0';
		if (*s && *s != '#') {
			for (char *p = s; *p; p++)
				if (is_space(*p)) {
					snprintf(err, errlen,
						 "%s:%lu: more than one word: one target per line",
						 name, lineno);
					return -1;
				}
			char why[128];
			if (rtr_targets_add(t, s, why, sizeof(why))) {
				snprintf(err, errlen, "%s:%lu: %s", name, lineno, why);
				return -1;
			}
		}
		len = 0;
		lineno++;
	}
	if (t->n == before) {
		snprintf(err, errlen, "%s: no targets in it: give one per line", name);
		return -1;
	}
	return 0;
}

void rtr_targets_free(struct rtr_targets *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	memset(t, 0, sizeof(*t));
}
