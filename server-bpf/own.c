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
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71 /* Linux 5.14; newer than some UAPI headers */
#endif

/*
 * Locks are flock(2)s on files under OWN_DIR named after the network
 * namespace (its nsfs inode: ifindexes repeat across namespaces) and the
 * ifindex. The kernel drops a flock when its holder dies, however it dies,
 * so a SIGKILLed server never blocks a restart; the pid written into the
 * file only names the holder in the refusal. A file is unlinked only by a
 * process holding its lock, and whoever locks a file checks afterwards that
 * the name still leads to the inode it locked (else it locked an unlinked
 * file and tries again), so two servers never hold locks on two inodes of
 * one name. A clean exit removes the exiting server's files (docs/PROTOCOL.md
 * SRV-18, SRV-20).
 */
#define OWN_DIR "/run/rtr-server"

static unsigned long netns_ino(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : (unsigned long)st.st_ino;
}

/*
 * The namespace's cookie (SO_NETNS_COOKIE), which, unlike its inode, is
 * never given to another namespace while the system runs; 0 where the
 * kernel has none.
 */
static unsigned long long netns_cookie(void)
{
	unsigned long long cookie = 0;
	socklen_t len = sizeof(cookie);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len))
		cookie = 0;
	close(fd);
	return cookie;
}

static void if_lock_path(char *path, size_t len, int ifindex)
{
	snprintf(path, len, OWN_DIR "/net%lu-if%d.lock", netns_ino(), ifindex);
}

/*
 * Opens (creating) and flocks path with how (LOCK_EX, maybe LOCK_NB), then
 * checks that path still names the locked inode: a holder may have unlinked
 * it meanwhile. Returns the fd or -errno (-EWOULDBLOCK: held).
 */
static int open_locked(const char *path, int how)
{
	for (;;) {
		struct stat held, named;
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644), rc;

		if (fd < 0)
			return -errno;
		if (flock(fd, how)) {
			rc = -errno;
			close(fd);
			return rc;
		}
		/* Only a name that is gone or leads elsewhere means another try; a check that
		 * cannot be made keeps the lock as taken (no endless loop). */
		if (fstat(fd, &held))
			return fd;
		if (stat(path, &named)) {
			if (errno != ENOENT)
				return fd;
		} else if (held.st_ino == named.st_ino && held.st_dev == named.st_dev) {
			return fd;
		}
		close(fd);
	}
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
	if_lock_path(path, sizeof(path), ifindex);
	fd = open_locked(path, LOCK_EX | LOCK_NB);
	if (fd == -EWOULDBLOCK) {
		/* Names the holder from the file it holds (a racing unlink shows "?"). */
		int rd = open(path, O_RDONLY | O_CLOEXEC);

		n = rd < 0 ? -1 : pread(rd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = 0;
		buf[strcspn(buf, "\n")] = 0;
		if (rd >= 0)
			close(rd);
		snprintf(err, errlen,
			 "already served by rtr-server pid %s (stop it first; lock %s)",
			 *buf ? buf : "?", path);
		return -EBUSY;
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot lock %s: %s", path, strerror(-fd));
		return fd;
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

void own_unlock_if(int fd, int ifindex)
{
	char path[128];

	if_lock_path(path, sizeof(path), ifindex);
	unlink(path); /* while we hold it: see open_locked */
	close(fd);
}

static void netns_lock_path(char *path, size_t len)
{
	snprintf(path, len, OWN_DIR "/net%lu.lock", netns_ino());
}

/* The namespace-wide lock that orders sysctl saves and restores; fd or -errno. */
static int lock_netns(void)
{
	char path[128];
	int rc = own_dir();

	if (rc)
		return rc;
	netns_lock_path(path, sizeof(path));
	return open_locked(path, LOCK_EX);
}

/*
 * Is an interface lock of this namespace held by a live server? With
 * remove, also unlinks every lock file of the namespace that nobody holds
 * (a killed run's), until a held one is found.
 */
static int other_server_alive(int remove)
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
		else if (remove)
			unlink(path); /* held by us now; a locker that opened it first retries */
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

/*
 * The saved values ("10": IPv4 and IPv6 lo forwarding, '-' for absent) if
 * path holds them for this namespace: its second line is the cookie of the
 * namespace that wrote it. A file of another cookie was left by a killed
 * server in a namespace that is gone and whose inode number this one got.
 */
static int read_saved(const char *path, char *vals, size_t len)
{
	char line[32] = "", cookie[32] = "";
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return 0;
	ok = fgets(line, sizeof(line), f) && fgets(cookie, sizeof(cookie), f) &&
	     strtoull(cookie, NULL, 10) == netns_cookie();
	fclose(f);
	line[strcspn(line, "\n")] = 0;
	snprintf(vals, len, "%s", line);
	return ok;
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
	 * originals, which the last server to leave writes back. A file of
	 * another namespace (a reused inode number) is replaced.
	 */
	if (!read_saved(path, orig, sizeof(orig))) {
		for (int i = 0; i < OWN_NSYSCTL; i++)
			orig[i] = (char)(read_one(fwd_paths[i]) ? read_one(fwd_paths[i]) : '-');
		f = fopen(path, "w");
		if (!f || fprintf(f, "%s\n%llu\n", orig, netns_cookie()) < 0 || fclose(f)) {
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

	if (lk < 0)
		return;
	/* The last server of the namespace: restores, then leaves no file of it behind. */
	if (!other_server_alive(1)) {
		saved_path(path, sizeof(path));
		if (read_saved(path, orig, sizeof(orig)))
			for (int i = 0; i < OWN_NSYSCTL && orig[i]; i++)
				if (orig[i] != '-')
					write_one(fwd_paths[i], orig[i]);
		unlink(path);
		netns_lock_path(path, sizeof(path));
		unlink(path); /* while we hold it: see open_locked */
	}
	close(lk);
}
