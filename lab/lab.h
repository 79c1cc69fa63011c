/* SPDX-License-Identifier: BSD-2-Clause */
/* lab.h: building and removing a running lab, and the state that lets later commands find it. */
#ifndef RTR_LAB_LAB_H
#define RTR_LAB_LAB_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "topo.h"

#define LAB_STATE_DIR "/run/rtr-lab"
#define LAB_NS_PREFIX "rtrlab-"
#define LAB_NAME_MAX 13 /* 12 characters a-z 0-9, with the NUL */

/** lab_valid_name() - lab names are 1..12 of a-z and 0-9 (no '-', so prefixes are unique). */
bool lab_valid_name(const char *name);

/** lab_ns_name() - "rtrlab-<lab>-<node>" into @buf. */
void lab_ns_name(char *buf, size_t len, const char *lab, const char *node);

/**
 * lab_build() - create every namespace, link, address, route, sysctl and nft rule of @t.
 * @stop: signals that abort the build when pending (the caller blocks them).
 * @err:  receives what went wrong.
 * Return: 0, -1 on error, -2 when a @stop signal arrived. The caller tears down on failure.
 */
int lab_build(const struct topo *t, const char *lab, const sigset_t *stop, char *err,
	      size_t errlen);

/** lab_teardown() - kill processes left in the lab's namespaces and remove every namespace
 * named "rtrlab-<lab>-*". Return: how many namespaces were removed. */
int lab_teardown(const char *lab);

/* State under /run/rtr-lab/<lab>/: "topology" (a copy of the file), "lock" (flock held by
 * the process that builds or holds the lab), "ready" ("detached" or "hold PID"). */

/** state_create() - make the state directory of a new lab and lock it.
 * Return: the lock fd, -EEXIST if the name is taken, or -errno. */
int state_create(const char *lab, const char *text);

/** state_lock() - lock an existing lab. Return: fd, -EWOULDBLOCK if someone holds it. */
int state_lock(const char *lab);

/** state_set_ready() - record that the lab is complete; @holder is 0 for a detached lab. */
int state_set_ready(const char *lab, pid_t holder);

/** state_is_ready() - has the lab been completed? @holder receives the holding PID or 0. */
bool state_is_ready(const char *lab, pid_t *holder);

/** state_load() - parse the lab's copy of its topology. Return: 0 or -1 with @err. */
int state_load(const char *lab, struct topo *t, char err[TOPO_ERR_MAX]);

/** state_age() - seconds since the lab's state directory was made (0 if it has none). */
long state_age(const char *lab);

/** state_remove() - remove the state directory. */
int state_remove(const char *lab);

/** state_labs() - names of all labs with state; @names holds @max entries. Return: count. */
int state_labs(char (*names)[LAB_NAME_MAX], int max);

#endif
