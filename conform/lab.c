// SPDX-License-Identifier: BSD-2-Clause
/* lab.c: runs rtr-lab up/down and the command under test inside a lab node. */
#include "lab.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"

int lab_up(struct lab *lab)
{
	char cmd[2 * PATH_MAX + 80];
	snprintf(cmd, sizeof(cmd), "'%s' up '%s'", lab->bin, lab->topo);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	char line[64] = "";
	if (!fgets(line, sizeof(line), p))
		line[0] = 0;
	int st = pclose(p);
	line[strcspn(line, "\r\n")] = 0;
	if (st != 0 || !line[0] || strlen(line) >= sizeof(lab->name)) {
		rtr_warn("'%s up %s' failed", lab->bin, lab->topo);
		return -1;
	}
	memcpy(lab->name, line, strlen(line) + 1); /* length checked above */
	return 0;
}

void lab_down(struct lab *lab)
{
	if (!lab->name[0])
		return;
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, 1);
		execl(lab->bin, lab->bin, "down", lab->name, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	lab->name[0] = 0;
}

void lab_ns(const struct lab *lab, const char *node, char *out, size_t cap)
{
	snprintf(out, cap, "rtrlab-%s-%s", lab->name, node);
}

pid_t lab_spawn(const struct lab *lab, const char *node, const char *cmd, const char *logpath)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setpgid(0, 0);
		int fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(lab->bin, lab->bin, "exec", lab->name, node, "--", "/bin/sh", "-c", cmd,
		      (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);
	return pid;
}

int lab_stop(pid_t pid)
{
	int st = 0;
	if (pid <= 0)
		return -1;
	kill(-pid, SIGTERM);
	for (int i = 0; i < 200; i++) {
		pid_t w = waitpid(pid, &st, WNOHANG);
		if (w == pid)
			return st;
		struct timespec ts = {0, 10000000};
		nanosleep(&ts, NULL);
	}
	kill(-pid, SIGKILL);
	waitpid(pid, &st, 0);
	return st;
}

int lab_subst(char *out, size_t cap, const char *tmpl, const char *const *kv)
{
	size_t o = 0;
	for (const char *s = tmpl; *s;) {
		const char *val = NULL;
		size_t klen = 0;
		if (*s == '{') {
			for (const char *const *p = kv; p[0]; p += 2) {
				size_t l = strlen(p[0]);
				if (!strncmp(s + 1, p[0], l) && s[1 + l] == '}') {
					val = p[1];
					klen = l + 2;
					break;
				}
			}
		}
		if (val) {
			size_t l = strlen(val);
			if (o + l >= cap)
				return -1;
			memcpy(out + o, val, l);
			o += l;
			s += klen;
		} else {
			if (o + 1 >= cap)
				return -1;
			out[o++] = *s++;
		}
	}
	out[o] = 0;
	return 0;
}
