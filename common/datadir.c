// SPDX-License-Identifier: BSD-2-Clause
/* datadir.c: finds shipped data files through RTR_DATADIR, next to the running binary, or the
 * compiled-in PREFIX (shared by rtr-client, rtr-conform and rtr-lab). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datadir.h"

#ifndef RTR_DATADIR_DEFAULT
#define RTR_DATADIR_DEFAULT "/usr/local/share/rtr"
#endif

/* dir/name into path; true when it fits and is readable. */
static int try_at(const char *dir, const char *name, char *path, size_t cap)
{
	int n = snprintf(path, cap, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= cap)
		return -1;
	return access(path, R_OK) == 0 ? 0 : -1;
}

int rtr_datadir_find(const char *name, char *path, size_t cap)
{
	if (!cap)
		return -1;
	path[0] = '\0';
	const char *env = getenv("RTR_DATADIR");
	if (env && *env)
		return try_at(env, name, path, cap);

	/* The program's own place, not argv[0]: that may be a bare name found through PATH. */
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			char dir[PATH_MAX + 32], real[PATH_MAX];
			snprintf(dir, sizeof(dir), "%s/../share/rtr", exe);
			/* Canonical, so messages and --help name the place plainly. */
			if (try_at(realpath(dir, real) ? real : dir, name, path, cap) == 0)
				return 0;
		}
	}
	char first[PATH_MAX];
	snprintf(first, sizeof(first), "%s", path);
	if (try_at(RTR_DATADIR_DEFAULT, name, path, cap) == 0)
		return 0;
	if (first[0])
		snprintf(path, cap, "%s", first);
	return -1;
}
