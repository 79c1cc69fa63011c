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

int rtr_endpoints_load(struct rtr_endpoints *list, const char *path, char *err, size_t errlen)
{
	list->count = 0;
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot read endpoints file %s: %s", path, strerror(errno));
		return -1;
	}
	char line[1024];
	unsigned lineno = 0;
	int rc = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		size_t len = strlen(line);
		if (len && line[len - 1] != '\n' && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line too long", path, lineno);
			rc = -1;
			break;
		}
		line[strcspn(line, "\r\n")] = 0;
		const char *p = line;
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			continue;
		if (list->count == RTR_ENDPOINTS_MAX) {
			snprintf(err, errlen, "%s:%u: more than %d endpoints", path, lineno,
				 RTR_ENDPOINTS_MAX);
			rc = -1;
			break;
		}
		struct rtr_endpoint *e = &list->e[list->count];
		if (!word(&p, e->name, sizeof(e->name)) || !word(&p, e->host, sizeof(e->host))) {
			snprintf(err, errlen, "%s:%u: expected NAME HOST [description]", path,
				 lineno);
			rc = -1;
			break;
		}
		if (rtr_endpoints_find(list, e->name)) {
			snprintf(err, errlen, "%s:%u: endpoint %s is listed twice", path, lineno,
				 e->name);
			rc = -1;
			break;
		}
		while (*p && isspace((unsigned char)*p))
			p++;
		snprintf(e->note, sizeof(e->note), "%s", p);
		list->count++;
	}
	if (!rc && ferror(f)) {
		snprintf(err, errlen, "cannot read endpoints file %s", path);
		rc = -1;
	}
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
