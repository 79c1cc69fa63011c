/* SPDX-License-Identifier: BSD-2-Clause */
/* endpoints.h: the list of public reverse traceroute servers (ENDPOINTS file) and lookups in it. */
#ifndef RTR_CLIENT_ENDPOINTS_H
#define RTR_CLIENT_ENDPOINTS_H

#include <stddef.h>
#include <stdio.h>

#define RTR_ENDPOINTS_MAX 1024
#define RTR_ENDPOINTS_MAX_BYTES (1u << 20) /* a longer file is refused, so reading always ends */

/* One line of the file: NAME HOST [description...]. */
struct rtr_endpoint {
	char name[64];
	char host[256]; /* address or DNS name */
	char note[256]; /* rest of the line, may be empty */
};

struct rtr_endpoints {
	size_t count;
	struct rtr_endpoint e[RTR_ENDPOINTS_MAX];
};

/*
 * Reads an ENDPOINTS file: blank lines and lines starting with # are skipped,
 * every other line is NAME HOST [description]. Returns 0, or -1 with one line
 * in err naming the file and line that is wrong (or that it cannot be read).
 */
int rtr_endpoints_load(struct rtr_endpoints *list, const char *path, char *err, size_t errlen);

/*
 * The same from an open stream (path only names it in messages). A NUL byte, a control
 * character other than tab (CR only before the newline), a line of 1024 bytes or more, or more
 * than RTR_ENDPOINTS_MAX_BYTES bytes in all is refused, so reading ends on any input
 * (/dev/zero, an endless pipe) and entries are printable. Returns 0, or -1 with err set.
 */
int rtr_endpoints_read(struct rtr_endpoints *list, FILE *f, const char *path, char *err,
		       size_t errlen);

/* The entry called name, or NULL. */
const struct rtr_endpoint *rtr_endpoints_find(const struct rtr_endpoints *list, const char *name);

/* Prints the list as a table (or a line saying it is empty). */
void rtr_endpoints_print(FILE *f, const struct rtr_endpoints *list, const char *path);

#endif
