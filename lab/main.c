// SPDX-License-Identifier: BSD-2-Clause
/* main.c: the rtr-lab command line: argument handling, up, down, exec, list and reap; the
 * read-only views are in show.c and draw.c. */
#include "datadir.h"
#include "diag.h"
#include "draw.h"
#include "lab.h"
#include "netns.h"
#include "show.h"
#include "topo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define VERSION "0.1"
#define MAX_LABS 256

static const char usage_text[] =
	"usage: rtr-lab COMMAND [ARGS]\n"
	"  up FILE [--name N] [--hold]  build the topology of FILE (or of a shipped NAME such as\n"
	"                               diamond); prints the lab name.\n"
	"                               --hold stays in the foreground and tears the lab down\n"
	"                               on SIGINT/SIGTERM/SIGHUP\n"
	"  down N                       remove lab N (kills processes still inside it)\n"
	"  exec N NODE -- CMD...        run CMD in NODE's namespace\n"
	"  list                         labs and their state\n"
	"  truth N                      expected paths: 'FROM TO: NODE...' one per ECMP branch\n"
	"  nodes N                      'NODE NAMESPACE KIND SETTINGS...'\n"
	"  addrs N                      'NODE IF ADDRESS/LEN', primary address first\n"
	"  routes N                     'NODE DEST/LEN via NODE GATEWAY weight W...'\n"
	"  draw N|FILE                  graphviz picture (pipe into dot -Tsvg)\n"
	"  check FILE                   parse and check FILE (or a shipped NAME) only\n"
	"  reap [--dry-run] NAME...     remove the labs NAME (shell patterns) whose creator died\n"
	"  reap [--dry-run] --abandoned every abandoned lab of this host (--all: every lab)\n"
	"Namespaces are rtrlab-N-NODE (ip netns exec works); state is in " LAB_STATE_DIR ".\n";

static void usage(FILE *out)
{
	fputs(usage_text, out);
}

static int bad_args(const char *what)
{
	rtr_warn("%s (see rtr-lab --help)", what);
	return 2;
}

static int need_root(void)
{
	if (geteuid() != 0) {
		rtr_warn("needs root (namespaces and mounts); run it with sudo");
		return -1;
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	FILE *m = open_memstream(&text, &len);
	if (m) {
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, m);
		fclose(m);
	}
	fclose(f);
	return text;
}

static int load(const char *lab, struct topo *t)
{
	char err[TOPO_ERR_MAX];

	if (!lab_valid_name(lab)) {
		rtr_warn("'%s' is not a lab name (1-12 of a-z 0-9)", lab);
		return -1;
	}
	if (state_load(lab, t, err) < 0) {
		rtr_warn("%s", err);
		return -1;
	}
	return 0;
}

static void random_name(char *buf)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char r[6];

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		for (size_t i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)(rand() ^ getpid() ^ (int)i);
	for (size_t i = 0; i < sizeof(r); i++)
		buf[i] = chars[r[i] % (sizeof(chars) - 1)];
	buf[sizeof(r)] = '\0';
}

/*
 * A topology given as a FILE, or by the name of a shipped one ("diamond":
 * topologies/diamond.topo of the data directory, common/datadir.h) when no
 * file of that name exists here. Returns the path to read (arg or buf).
 */
static const char *topo_path(const char *arg, char *buf, size_t cap)
{
	char rel[LAB_NAME_MAX + 64];
	if (access(arg, F_OK) == 0 || strchr(arg, '/') || strlen(arg) > LAB_NAME_MAX + 20)
		return arg;
	snprintf(rel, sizeof(rel), "topologies/%s.topo", arg);
	return rtr_datadir_find(rel, buf, cap) == 0 ? buf : arg;
}

static int cmd_up(int argc, char **argv, struct topo *t)
{
	static const struct option opts[] = {
		{"name", required_argument, NULL, 'n'},
		{"hold", no_argument, NULL, 'H'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	char name[LAB_NAME_MAX] = "", err[512];
	bool hold = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:H", opts, NULL)) != -1) {
		if (c == 'n') {
			if (!lab_valid_name(optarg))
				return bad_args("--name takes 1-12 characters of a-z and 0-9");
			snprintf(name, sizeof(name), "%s", optarg);
		} else if (c == 'H') {
			hold = true;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			return bad_args("unknown option for up");
		}
	}
	if (optind != argc - 1)
		return bad_args("up takes one topology FILE or the NAME of a shipped one");
	if (need_root() < 0)
		return 1;
	char shipped[4096];
	const char *file = topo_path(argv[optind], shipped, sizeof(shipped));
	if (topo_parse_file(t, file, err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	char *text = read_all(file);
	if (!text) {
		rtr_warn("%s: %s", file, strerror(errno));
		return 1;
	}
	/* Signals stay pending while we build; the build checks for them between steps and
	 * we tear down before exiting. */
	sigset_t stop;
	/* An inherited SIG_IGN (background jobs of a shell) would discard them instead. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, NULL);

	int lock = -EEXIST;
	for (int tries = 0; tries < 8 && lock == -EEXIST; tries++) {
		bool given = name[0] != '\0';
		if (!given)
			random_name(name);
		lock = state_create(name, text);
		if (lock == -EEXIST && given) {
			rtr_warn("a lab called '%s' exists (rtr-lab down %s)", name, name);
			free(text);
			return 1;
		}
		if (lock == -EEXIST)
			name[0] = '\0';
	}
	free(text);
	if (lock < 0) {
		rtr_warn("cannot create %s/%s: %s", LAB_STATE_DIR, name, strerror(-lock));
		return 1;
	}
	double t0 = now_s();
	int rc = lab_build(t, name, &stop, err, sizeof(err));
	if (rc < 0) {
		int removed = lab_teardown(name);
		state_remove(name);
		rtr_warn("%s: %s; removed %d namespace(s)", name, err, removed);
		return rc == -2 ? 130 : 1;
	}
	double t1 = now_s();
	state_set_ready(name, hold ? getpid() : 0);
	printf("%s\n", name);
	fflush(stdout);
	rtr_warn("lab %s (%s) up: %d namespaces, %d links in %.3f s", name, t->name, t->n_nodes,
		 t->n_links, t1 - t0);
	if (!hold) {
		close(lock);
		return 0;
	}
	int sig = 0;
	sigwait(&stop, &sig);
	t0 = now_s();
	int removed = lab_teardown(name);
	state_remove(name);
	rtr_warn("lab %s down on signal %d: %d namespaces in %.3f s", name, sig, removed,
		 now_s() - t0);
	close(lock);
	return 0;
}

static bool has_namespaces(const char *lab)
{
	char prefix[64];
	DIR *d = opendir(NETNS_DIR);
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	snprintf(prefix, sizeof(prefix), "%s%s-", LAB_NS_PREFIX, lab);
	while (!found && (e = readdir(d)))
		found = !strncmp(e->d_name, prefix, strlen(prefix));
	closedir(d);
	return found;
}

static int cmd_down(int argc, char **argv)
{
	if (argc != 2)
		return bad_args("down takes one lab name");
	const char *lab = argv[1];
	if (!lab_valid_name(lab))
		return bad_args("a lab name is 1-12 characters of a-z and 0-9");
	if (need_root() < 0)
		return 1;
	int lock = state_lock(lab);
	if (lock == -EWOULDBLOCK) {
		rtr_warn("lab %s is being built or held by 'rtr-lab up --hold'; stop that "
			 "process instead",
			 lab);
		return 1;
	}
	if (lock < 0 && !has_namespaces(lab)) {
		rtr_warn("no lab called '%s' (see rtr-lab list)", lab);
		return 1;
	}
	double t0 = now_s();
	int removed = lab_teardown(lab);
	state_remove(lab);
	if (lock >= 0)
		close(lock);
	rtr_warn("lab %s down: %d namespaces in %.3f s", lab, removed, now_s() - t0);
	return 0;
}

static int cmd_exec(int argc, char **argv, struct topo *t)
{
	char ns[128];

	if (argc < 5 || strcmp(argv[3], "--"))
		return bad_args("usage: exec N NODE -- CMD...");
	if (load(argv[1], t) < 0)
		return 1;
	if (topo_find_node(t, argv[2]) < 0) {
		rtr_warn("lab %s has no node '%s'", argv[1], argv[2]);
		return 1;
	}
	lab_ns_name(ns, sizeof(ns), argv[1], argv[2]);
	int fd = netns_open(ns);
	if (fd < 0 || netns_enter(fd) < 0) {
		rtr_warn("cannot enter namespace %s: %s", ns, strerror(fd < 0 ? -fd : errno));
		return 1;
	}
	close(fd);
	execvp(argv[4], &argv[4]);
	rtr_warn("%s: %s", argv[4], strerror(errno));
	return 127;
}

static int cmd_list(void)
{
	static char names[MAX_LABS][LAB_NAME_MAX];
	static struct topo t;
	char err[TOPO_ERR_MAX];
	int n = state_labs(names, MAX_LABS);

	for (int i = 0; i < n; i++) {
		pid_t holder;
		const char *status;
		bool ready = state_is_ready(names[i], &holder);
		int lock = state_lock(names[i]);
		if (lock >= 0)
			close(lock);
		if (ready && !holder)
			status = "ready";
		else if (lock == -EWOULDBLOCK)
			status = ready ? "held" : "building";
		else
			status = "abandoned";
		if (state_load(names[i], &t, err) < 0)
			printf("%s ? 0 %s\n", names[i], status);
		else
			printf("%s %s %d %s\n", names[i], t.name, t.n_nodes, status);
	}
	return 0;
}

/* What reap acts on: the labs named (shell patterns), or every one (--abandoned / --all). */
struct reap_sel {
	char **names;
	int nnames;
	bool every;   /* --abandoned or --all: no name needed */
	bool all;     /* --all: ready detached labs too */
	bool dry_run; /* --dry-run: say what would go, remove nothing */
};

static bool reap_wants(const struct reap_sel *s, const char *lab)
{
	if (s->every)
		return true;
	for (int i = 0; i < s->nnames; i++)
		if (fnmatch(s->names[i], lab, 0) == 0)
			return true;
	return false;
}

/* Removes lab (or, with --dry-run, says it would); returns the namespaces removed. */
static int reap_one(const struct reap_sel *s, const char *lab, bool state, const char *why)
{
	if (s->dry_run) {
		printf("would reap %s (%s)\n", lab, why);
		return 0;
	}
	int spaces = lab_teardown(lab);
	if (state)
		state_remove(lab);
	return spaces;
}

static int cmd_reap(int argc, char **argv)
{
	static char names[MAX_LABS][LAB_NAME_MAX];
	static const struct option opts[] = {
		{"all", no_argument, NULL, 'a'},
		{"abandoned", no_argument, NULL, 'A'},
		{"dry-run", no_argument, NULL, 'n'},
		{0},
	};
	struct reap_sel sel = {0};
	int labs = 0, spaces = 0, c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == 'a')
			sel.all = sel.every = true;
		else if (c == 'A')
			sel.every = true;
		else if (c == 'n')
			sel.dry_run = true;
		else
			return bad_args("reap takes NAME..., --abandoned, --all and --dry-run");
	}
	sel.names = argv + optind;
	sel.nnames = argc - optind;
	/* Other people's abandoned labs on a shared host are theirs to look at: name yours. */
	if (!sel.nnames && !sel.every)
		return bad_args("reap needs a lab NAME (a pattern like 'ci*' is fine), or "
				"--abandoned for every abandoned lab of this host");
	if (sel.nnames && sel.every)
		return bad_args("reap takes NAMEs or --abandoned/--all, not both");
	if (need_root() < 0)
		return 1;
	int n = state_labs(names, MAX_LABS);
	for (int i = 0; i < n; i++) {
		if (!reap_wants(&sel, names[i]))
			continue;
		int lock = state_lock(names[i]);
		pid_t holder;
		if (lock == -ENOENT && state_age(names[i]) > 10) {
			/* Killed between making the directory and its lock file; 10 s leaves a
			 * live `up` all the time it needs for those two steps. */
			spaces += reap_one(&sel, names[i], true, "no lock file");
			labs++;
			continue;
		}
		if (lock < 0)
			continue; /* its creator is alive (building or holding) */
		bool ready = state_is_ready(names[i], &holder);
		/* A free lock on an unfinished or held lab means its creator died. */
		if (sel.all || !ready || holder) {
			spaces += reap_one(&sel, names[i], true,
					   !ready   ? "build interrupted"
					   : holder ? "holder gone"
						    : "ready, --all");
			labs++;
		}
		close(lock);
	}
	/* Namespaces without state: their creator died before writing any (cannot happen
	 * with this version, which writes state first) or the state was lost. */
	DIR *d = opendir(NETNS_DIR);
	struct dirent *e;
	if (d) {
		static char orphans[MAX_LABS][LAB_NAME_MAX];
		int no = 0;
		size_t pl = strlen(LAB_NS_PREFIX);
		while ((e = readdir(d)) && no < MAX_LABS) {
			char lab[LAB_NAME_MAX], path[512];
			if (strncmp(e->d_name, LAB_NS_PREFIX, pl))
				continue;
			const char *dash = strchr(e->d_name + pl, '-');
			size_t len = dash ? (size_t)(dash - e->d_name - pl) : 0;
			if (!len || len >= LAB_NAME_MAX)
				continue;
			memcpy(lab, e->d_name + pl, len);
			lab[len] = '\0';
			snprintf(path, sizeof(path), "%s/%s", LAB_STATE_DIR, lab);
			if (access(path, F_OK) == 0 || !reap_wants(&sel, lab))
				continue;
			bool seen = false;
			for (int k = 0; k < no; k++)
				seen |= !strcmp(orphans[k], lab);
			if (!seen)
				snprintf(orphans[no++], LAB_NAME_MAX, "%s", lab);
		}
		closedir(d);
		for (int k = 0; k < no; k++) {
			spaces += reap_one(&sel, orphans[k], false, "namespaces without state");
			labs++;
		}
	}
	if (sel.dry_run)
		printf("would reap %d lab(s)\n", labs);
	else
		printf("reaped %d lab(s), %d namespace(s)\n", labs, spaces);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{0},
	};

	rtr_diag_prog("rtr-lab");
	static struct topo t; /* large: keep it off the stack */
	char err[TOPO_ERR_MAX];

	if (argc >= 2 && argv[1][0] == '-') {
		int c = getopt_long(2, argv, "hV", opts, NULL);
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		if (c == 'V') {
			printf("rtr-lab " VERSION "\n");
			return 0;
		}
		return bad_args("unknown option");
	}
	if (argc < 2)
		return bad_args("missing COMMAND");
	const char *cmd = argv[1];
	argc--;
	argv++;
	if (!strcmp(cmd, "up"))
		return cmd_up(argc, argv, &t);
	if (!strcmp(cmd, "down"))
		return cmd_down(argc, argv);
	if (!strcmp(cmd, "exec"))
		return cmd_exec(argc, argv, &t);
	if (!strcmp(cmd, "list"))
		return argc == 1 ? cmd_list() : bad_args("list takes no argument");
	if (!strcmp(cmd, "reap"))
		return cmd_reap(argc, argv);
	if (!strcmp(cmd, "check") || !strcmp(cmd, "draw")) {
		if (argc != 2)
			return bad_args("check and draw take one FILE (draw: or a lab name)");
		bool is_lab = !strcmp(cmd, "draw") && lab_valid_name(argv[1]) &&
			      access(argv[1], F_OK) != 0;
		char shipped[4096];
		const char *file = is_lab ? argv[1] : topo_path(argv[1], shipped, sizeof(shipped));
		if (is_lab) {
			if (load(argv[1], &t) < 0)
				return 1;
		} else if (topo_parse_file(&t, file, err) < 0) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		if (!strcmp(cmd, "draw"))
			draw_dot(&t, stdout);
		else
			printf("%s: ok: %d nodes, %d links, %d routes, %d truth lines\n", file,
			       t.n_nodes, t.n_links, t.n_routes, t.n_truth);
		return 0;
	}
	if (!strcmp(cmd, "truth") || !strcmp(cmd, "nodes") || !strcmp(cmd, "addrs") ||
	    !strcmp(cmd, "routes")) {
		if (argc != 2)
			return bad_args("truth, nodes, addrs and routes take one lab name");
		if (load(argv[1], &t) < 0)
			return 1;
		if (!strcmp(cmd, "truth"))
			return show_truth(&t, stdout);
		if (!strcmp(cmd, "nodes"))
			return show_nodes(&t, argv[1], stdout);
		if (!strcmp(cmd, "routes"))
			return show_routes(&t, stdout);
		return show_addrs(&t, stdout);
	}
	rtr_warn("unknown command '%s' (see rtr-lab --help)", cmd);
	return 2;
}
