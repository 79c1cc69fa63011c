// SPDX-License-Identifier: BSD-2-Clause
/* own.c: which rtr-server owns an interface (pid locks) and the sysctls it must give back. */
#include "own.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Locks are flock(2)s on files under OWN_DIR named after the network
 * namespace (its nsfs inode: ifindexes repeat across namespaces) and the
 * ifindex. The kernel drops a flock when its holder dies, however it dies,
 * so a SIGKILLed server never blocks a restart; the pid written into the
 * file only names the holder in the refusal. Lock files are never removed:
 * unlinking a file another process may be locking would let two servers
 * each hold a lock on a different inode of the same name.
 */
#define OWN_DIR "/run/rtr-server"

static unsigned long netns_ino(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : (unsigned long)st.st_ino;
}

static int own_dir(void)
{
	if (mkdir(OWN_DIR, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int own_lock_if(int ifindex, char *err, size_t errlen)
{
	char path[128], buf[32];
	ssize_t n;
	int fd, rc = own_dir();

	if (rc) {
		snprintf(err, errlen, "cannot create %s: %s", OWN_DIR, strerror(-rc));
		return rc;
	}
	snprintf(path, sizeof(path), OWN_DIR "/net%lu-if%d.lock", netns_ino(), ifindex);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(-rc));
		return rc;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
		n = pread(fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = 0;
		buf[strcspn(buf, "\n")] = 0;
		if (rc == -EBUSY)
			snprintf(err, errlen,
				 "already served by rtr-server pid %s (stop it first; lock %s)",
				 *buf ? buf : "?", path);
		else
			snprintf(err, errlen, "cannot lock %s: %s", path, strerror(-rc));
		close(fd);
		return rc;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, buf, (size_t)n, 0) != n) {
		rc = -errno;
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(-rc));
		close(fd);
		return rc;
	}
	return fd;
}

/* The namespace-wide lock that orders sysctl saves and restores; fd or -errno. */
static int lock_netns(void)
{
	char path[128];
	int fd, rc = own_dir();

	if (rc)
		return rc;
	snprintf(path, sizeof(path), OWN_DIR "/net%lu.lock", netns_ino());
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

/* Is an interface lock of this namespace other than ours (keep_fd's) held by a live server? */
static int other_server_alive(void)
{
	char prefix[64], path[512];
	struct dirent *d;
	DIR *dir = opendir(OWN_DIR);
	int alive = 0;

	if (!dir)
		return 0;
	snprintf(prefix, sizeof(prefix), "net%lu-if", netns_ino());
	while (!alive && (d = readdir(dir))) {
		int fd;

		if (strncmp(d->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(path, sizeof(path), OWN_DIR "/%s", d->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		/* Our own locks are closed before this runs: a held one is another server's. */
		if (flock(fd, LOCK_EX | LOCK_NB))
			alive = errno == EWOULDBLOCK;
		close(fd);
	}
	closedir(dir);
	return alive;
}

static const char *const fwd_paths[OWN_NSYSCTL] = {"/proc/sys/net/ipv4/conf/lo/forwarding",
						   "/proc/sys/net/ipv6/conf/lo/forwarding"};

/* Reads a sysctl's first character ('0', '1'); 0 when the file is missing (IPv6 off). */
static int read_one(const char *path)
{
	FILE *f = fopen(path, "r");
	int c;

	if (!f)
		return 0;
	c = fgetc(f);
	fclose(f);
	return c == EOF ? 0 : c;
}

static int write_one(const char *path, char v)
{
	FILE *f = fopen(path, "w");
	int rc = 0;

	if (!f)
		return errno == ENOENT ? 0 : -errno;
	if (fprintf(f, "%c\n", v) < 0)
		rc = -EIO;
	if (fclose(f) && !rc)
		rc = -errno;
	return rc;
}

static void saved_path(char *path, size_t len)
{
	snprintf(path, len, OWN_DIR "/net%lu.sysctl", netns_ino());
}

int own_enable_lo_forwarding(char *err, size_t errlen)
{
	char path[128], orig[OWN_NSYSCTL + 1] = {0};
	int lk = lock_netns(), rc = 0;
	FILE *f;

	if (lk < 0) {
		snprintf(err, errlen, "cannot lock %s: %s", OWN_DIR, strerror(-lk));
		return lk;
	}
	saved_path(path, sizeof(path));
	/*
	 * The first server of a namespace saves the values it found; a later one
	 * (or one started after a SIGKILL) finds the file and keeps the true
	 * originals, which the last server to leave writes back.
	 */
	if (access(path, F_OK)) {
		for (int i = 0; i < OWN_NSYSCTL; i++)
			orig[i] = (char)(read_one(fwd_paths[i]) ? read_one(fwd_paths[i]) : '-');
		f = fopen(path, "w");
		if (!f || fprintf(f, "%s\n", orig) < 0 || fclose(f)) {
			rc = -errno ? -errno : -EIO;
			snprintf(err, errlen, "cannot write %s: %s", path, strerror(-rc));
			close(lk);
			return rc;
		}
	}
	for (int i = 0; i < OWN_NSYSCTL && !rc; i++) {
		rc = write_one(fwd_paths[i], '1');
		if (rc)
			snprintf(err, errlen, "cannot enable %s: %s", fwd_paths[i], strerror(-rc));
	}
	close(lk);
	return rc;
}

void own_restore_sysctls(void)
{
	char path[128], orig[16] = "";
	int lk = lock_netns();
	FILE *f;

	if (lk < 0)
		return;
	saved_path(path, sizeof(path));
	f = fopen(path, "r");
	if (f && !other_server_alive()) {
		if (fgets(orig, sizeof(orig), f))
			for (int i = 0; i < OWN_NSYSCTL && orig[i] && orig[i] != '\n'; i++)
				if (orig[i] != '-')
					write_one(fwd_paths[i], orig[i]);
		unlink(path);
	}
	if (f)
		fclose(f);
	close(lk);
}
