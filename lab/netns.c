// SPDX-License-Identifier: BSD-2-Clause
/* netns.c: creates, enters and removes named network namespaces the way `ip netns` does. */
#include "netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static int ns_path(char *buf, size_t len, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", NETNS_DIR, name);

	return (n < 0 || (size_t)n >= len) ? -ENAMETOOLONG : 0;
}

/* /run/netns must be a shared mount point so that namespaces mounted on it are seen from
 * other mount namespaces (ip netns exec unshares one): same arrangement as iproute2. */
static int prepare_dir(void)
{
	if (mkdir(NETNS_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (mount("", NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
		return 0;
	if (errno != EINVAL)
		return -errno;
	if (mount(NETNS_DIR, NETNS_DIR, "none", MS_BIND | MS_REC, NULL) < 0)
		return -errno;
	if (mount("", NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) < 0)
		return -errno;
	return 0;
}

int netns_create(const char *name)
{
	char path[256];
	int rc, fd, root;

	if ((rc = ns_path(path, sizeof(path), name)) < 0)
		return rc;
	if ((rc = prepare_dir()) < 0)
		return rc;
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	close(fd);
	root = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (root < 0) {
		rc = -errno;
		goto fail;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		rc = -errno;
		close(root);
		goto fail;
	}
	rc = mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) < 0 ? -errno : 0;
	/* Back to where we were; failing here would leave us inside the lab: fatal. */
	if (setns(root, CLONE_NEWNET) < 0) {
		perror("rtr-lab: setns back to the original namespace");
		_exit(70);
	}
	close(root);
	if (rc == 0)
		return 0;
fail:
	unlink(path);
	return rc;
}

int netns_delete(const char *name)
{
	char path[256];
	int rc;

	if ((rc = ns_path(path, sizeof(path), name)) < 0)
		return rc;
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		rc = -errno;
	if (unlink(path) < 0 && errno != ENOENT)
		rc = -errno;
	return rc;
}

int netns_open(const char *name)
{
	char path[256];
	int rc = ns_path(path, sizeof(path), name);

	if (rc < 0)
		return rc;
	rc = open(path, O_RDONLY | O_CLOEXEC);
	return rc < 0 ? -errno : rc;
}

int netns_enter(int fd)
{
	return setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
}

int netns_kill_users(const char *name)
{
	char path[256], p[300];
	struct stat ns, st;
	int killed = 0;
	DIR *d;
	struct dirent *e;

	if (ns_path(path, sizeof(path), name) < 0 || stat(path, &ns) < 0)
		return 0;
	d = opendir("/proc");
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(p, sizeof(p), "/proc/%s/ns/net", e->d_name);
		if (stat(p, &st) < 0 || st.st_ino != ns.st_ino || st.st_dev != ns.st_dev)
			continue;
		pid_t pid = 0;
		sscanf(e->d_name, "%d", &pid);
		if (pid > 1 && pid != getpid() && kill(pid, SIGKILL) == 0)
			killed++;
	}
	closedir(d);
	return killed;
}

int sysctl_write(const char *key, const char *value)
{
	char path[256];
	int fd, rc = 0;
	size_t len = strlen(value);

	if (snprintf(path, sizeof(path), "/proc/sys/%s", key) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, value, len);
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != len)
		rc = -EIO;
	close(fd);
	return rc;
}

int netif_tx_csum_off(const char *ifname)
{
	struct ethtool_value ev = {.cmd = ETHTOOL_STXCSUM, .data = 0};
	struct ifreq ifr;
	int fd, rc = 0;

	memset(&ifr, 0, sizeof(ifr));
	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		return -ENAMETOOLONG;
	strcpy(ifr.ifr_name, ifname);
	ifr.ifr_data = (void *)&ev;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		rc = -errno;
	close(fd);
	return rc;
}
