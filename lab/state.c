// SPDX-License-Identifier: BSD-2-Clause
/* state.c: the per-lab directory under /run/rtr-lab that later rtr-lab commands read. */
#include "lab.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

bool lab_valid_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len >= LAB_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9')))
			return false;
	return true;
}

void lab_ns_name(char *buf, size_t len, const char *lab, const char *node)
{
	snprintf(buf, len, "%s%s-%s", LAB_NS_PREFIX, lab, node);
}

static void state_path(char *buf, size_t len, const char *lab, const char *file)
{
	snprintf(buf, len, "%s/%s%s%s", LAB_STATE_DIR, lab, file ? "/" : "", file ? file : "");
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t len = strlen(text);
	int rc = 0;

	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, text, len);
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != len)
		rc = -EIO;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	return rc;
}

static int lock_path(const char *lab, bool create)
{
	char path[512];
	int fd;

	state_path(path, sizeof(path), lab, "lock");
	fd = open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0644);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

int state_create(const char *lab, const char *text)
{
	char path[512];
	int fd, rc;

	if (mkdir(LAB_STATE_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	state_path(path, sizeof(path), lab, NULL);
	if (mkdir(path, 0755) < 0)
		return -errno;
	fd = lock_path(lab, true);
	if (fd < 0)
		return fd;
	state_path(path, sizeof(path), lab, "topology");
	if ((rc = write_file(path, text)) < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

int state_lock(const char *lab)
{
	return lock_path(lab, false);
}

int state_set_ready(const char *lab, pid_t holder)
{
	char path[512], text[64];

	state_path(path, sizeof(path), lab, "ready");
	if (holder)
		snprintf(text, sizeof(text), "hold %d\n", (int)holder);
	else
		snprintf(text, sizeof(text), "detached\n");
	return write_file(path, text);
}

bool state_is_ready(const char *lab, pid_t *holder)
{
	char path[512], text[64] = "";
	FILE *f;
	int pid = 0;

	state_path(path, sizeof(path), lab, "ready");
	f = fopen(path, "re");
	*holder = 0;
	if (!f)
		return false;
	if (!fgets(text, sizeof(text), f))
		text[0] = '\0';
	fclose(f);
	if (sscanf(text, "hold %d", &pid) == 1)
		*holder = pid;
	return true;
}

int state_load(const char *lab, struct topo *t, char err[TOPO_ERR_MAX])
{
	char path[512];

	state_path(path, sizeof(path), lab, "topology");
	if (access(path, R_OK) < 0) {
		snprintf(err, TOPO_ERR_MAX, "no lab called '%s' (see rtr-lab list)", lab);
		return -1;
	}
	return topo_parse_file(t, path, err);
}

long state_age(const char *lab)
{
	char path[512];
	struct stat st;

	state_path(path, sizeof(path), lab, NULL);
	if (stat(path, &st) < 0)
		return 0;
	return (long)(time(NULL) - st.st_mtime);
}

int state_remove(const char *lab)
{
	static const char *const files[] = {"topology", "ready", "lock"};
	char path[512];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		state_path(path, sizeof(path), lab, files[i]);
		unlink(path);
	}
	state_path(path, sizeof(path), lab, NULL);
	return rmdir(path) < 0 && errno != ENOENT ? -errno : 0;
}

int state_labs(char (*names)[LAB_NAME_MAX], int max)
{
	DIR *d = opendir(LAB_STATE_DIR);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max)
		if (lab_valid_name(e->d_name))
			snprintf(names[n++], LAB_NAME_MAX, "%.12s", e->d_name);
	closedir(d);
	qsort(names, n, LAB_NAME_MAX, (int (*)(const void *, const void *))strcmp);
	return n;
}
