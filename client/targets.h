/* SPDX-License-Identifier: BSD-2-Clause */
/* targets.h: a campaign's list of targets: arguments, a file or stdin, the servers list. */
#ifndef RTR_CLIENT_TARGETS_H
#define RTR_CLIENT_TARGETS_H

#include <stddef.h>
#include <stdio.h>

#define RTR_TARGETS_MAX 1000000 /* targets in one campaign */
#define RTR_TARGET_LEN 255	/* longest target (a DNS name is at most 253) */

struct rtr_targets {
	char **v; /* malloc'd strings */
	size_t n, cap;
};

/* Appends a copy of target. Returns 0, or -1 with err (too many, out of memory). */
int rtr_targets_add(struct rtr_targets *t, const char *target, char *err, size_t errlen);

/*
 * Reads one target per line from f (name says where, for messages): blank
 * lines and lines starting with # are skipped, spaces around a target are
 * trimmed. A line with two words, a NUL byte, a line longer than
 * RTR_TARGET_LEN, or more than RTR_TARGETS_MAX targets is an error, so a
 * wrong file (or /dev/zero) ends at once. Returns 0, or -1 with one line in
 * err naming the file and line.
 */
int rtr_targets_read(struct rtr_targets *t, FILE *f, const char *name, char *err, size_t errlen);

void rtr_targets_free(struct rtr_targets *t);

#endif
