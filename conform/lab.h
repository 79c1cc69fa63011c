/* SPDX-License-Identifier: BSD-2-Clause */
/* lab.h: rtr-conform's use of rtr-lab (as a subprocess) and of the implementation under test. */
#ifndef CONFORM_LAB_H
#define CONFORM_LAB_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

struct lab {
	char bin[PATH_MAX + 32];  /* rtr-lab */
	char name[16];		  /* lab name printed by rtr-lab up */
	char topo[PATH_MAX + 32]; /* topology file */
};

/* Builds the topology; fills lab->name. Returns 0 or -1 (message on stderr). */
int lab_up(struct lab *lab);
/* Removes the lab (kills whatever still runs in it). */
void lab_down(struct lab *lab);
/* Namespace name of a node: rtrlab-NAME-NODE. */
void lab_ns(const struct lab *lab, const char *node, char *out, size_t cap);
/* Starts `sh -c CMD` on node in its own process group, output to logpath. Returns the pid or -1. */
pid_t lab_spawn(const struct lab *lab, const char *node, const char *cmd, const char *logpath);
/* Ends a spawned command: SIGTERM to its group, SIGKILL after 2 s. Returns its wait status. */
int lab_stop(pid_t pid);
/*
 * Replaces every {key} in tmpl by its value (keys/values: NULL-terminated pairs) into out.
 * Returns 0, or -1 when out is too small.
 */
int lab_subst(char *out, size_t cap, const char *tmpl, const char *const *kv);

#endif
