// SPDX-License-Identifier: BSD-2-Clause
/* main.c: rtr-conform, the conformance checker: CLI, lab set-up, server under test, report. */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include "datadir.h"
#include "diag.h"
#include "conform.h"
#include "lab.h"
#include "report.h"
#include "wire.h"

#define VERSION "0.1"

volatile sig_atomic_t conform_stop;

static void on_signal(int sig)
{
	conform_stop = sig;
}

static void usage(FILE *f)
{
	static const char text[] =
		"usage: rtr-conform server [options]\n"
		"       rtr-conform client --client-cmd CMD [options]\n"
		"Checks a reverse traceroute server (or client) against docs/PROTOCOL.md in a "
		"lab.\n"
		"  --server-cmd CMD   server to test, run with sh -c on the lab's server node:\n"
		"                     {ifname} its interface, {timeout} a session timeout in ns,\n"
		"                     {timeout_ms} the same in ms (default: rtr-server next to\n"
		"                     rtr-conform, -t {timeout} {ifname})\n"
		"  --client-cmd CMD   client to test on the client node: {target} the address to\n"
		"                     trace, {rate} a request rate (packets/s) it must keep to\n"
		"  --family 4|6|both  families to test (default both)\n"
		"  --format text|json|junit  report format (default text)\n"
		"  --strict           profile MUST cases gate the exit status too (default: only\n"
		"                     the draft's MUST cases)\n"
		"  --only ID          play only matching cases: a case id or shell pattern (with "
		"or\n"
		"                     without -v4/-v6) or a requirement id; repeatable\n"
		"  --skip ID          leave matching cases out; repeatable\n"
		"  --list-cases       print every case id with its level, strength and "
		"requirement\n"
		"                     ids, and exit (no root, no lab)\n"
		"  -o, --output FILE  write the report to FILE (default stdout)\n"
		"  --lab-bin PATH     rtr-lab binary (default: next to rtr-conform)\n"
		"  --topology FILE    lab file (default: conform.topo of the data directory:\n"
		"                     $RTR_DATADIR, else ../share/rtr next to rtr-conform, else\n"
		"                     PREFIX/share/rtr; the last line says which)\n"
		"  --timeout-ms MS    session timeout given as {timeout} (default 1000)\n"
		"  -v, --verbose      one line per case on stderr as it runs\n"
		"  -h, --help         this text\n"
		"      --version      version\n"
		"Exit: 0 every gating MUST passed, 1 one failed, 3 none failed but one was\n"
		"inconclusive, 2 usage or set-up error, 130 interrupted.\n";
	fputs(text, f);
	char topo[PATH_MAX];
	bool found = rtr_datadir_find("conform.topo", topo, sizeof(topo)) == 0;
	fprintf(f, "Default topology: %s%s\n", topo, found ? "" : " (not readable)");
}

static int bad_usage(const char *what)
{
	return rtr_err(2, "%s (see rtr-conform --help)", what);
}

int client_mode(struct conform *c, struct lab *lab, const char *cmd, struct report *rep);

/* The case id without its family suffix: "valid-udp-flow0-v4" -> "valid-udp-flow0". */
static void base_name(const char *name, char *out, size_t cap)
{
	snprintf(out, cap, "%s", name);
	size_t n = strlen(out);
	if (n > 3 && out[n - 3] == '-' && out[n - 2] == 'v' &&
	    (out[n - 1] == '4' || out[n - 1] == '6'))
		out[n - 3] = 0;
}

static bool matches(const char *pat, const char *name, const char *reqs)
{
	char base[64], buf[160];
	base_name(name, base, sizeof(base));
	if (!fnmatch(pat, name, 0) || !fnmatch(pat, base, 0))
		return true;
	snprintf(buf, sizeof(buf), "%s", reqs);
	for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		if (!strcmp(pat, t))
			return true;
	return false;
}

bool case_selected(const struct case_filter *f, const char *name, const char *reqs)
{
	bool in = f->nonly == 0;
	for (int i = 0; i < f->nonly && !in; i++)
		in = matches(f->only[i], name, reqs);
	for (int i = 0; i < f->nskip && in; i++)
		in = !matches(f->skip[i], name, reqs);
	return in;
}

/* Drops the results --only / --skip leave out (cases judged after a whole run). */
static void report_select(struct report *rep, const struct case_filter *f)
{
	int n = 0;
	for (int i = 0; i < rep->n; i++)
		if (case_selected(f, rep->r[i].name, rep->r[i].reqs))
			rep->r[n++] = rep->r[i];
	rep->n = n;
}

/* --list-cases: one line per case of the modes asked for, in the order they are played. */
static int list_cases(struct conform *c, const char *mode)
{
	for (int m = 0; m < 2; m++) {
		const char *name = m == 0 ? "server" : "client";
		if (mode && strcmp(mode, name))
			continue;
		struct report rep = {.mode = name};
		c->listing = true;
		if (m == 0)
			server_cases(c, &rep);
		else
			client_mode(c, NULL, "", &rep);
		report_select(&rep, &c->filter);
		for (int i = 0; i < rep.n; i++)
			printf("%s\t%s\t%s\t%s\t%s\n", name, rep.r[i].name,
			       level_name[rep.r[i].level], rep.r[i].must ? "MUST" : "SHOULD",
			       rep.r[i].reqs);
		report_free(&rep);
	}
	return 0;
}

/* Addresses of conform.topo: link 1 client .1 / r1 .2, link 2 r1 .1 / server .2. */
static void topo_addrs(struct conform *c)
{
	const char *t[2][4] = {
		{"10.201.1.1", "10.201.1.2", "10.201.2.1", "10.201.2.2"},
		{"fd00:201:1::1", "fd00:201:1::2", "fd00:201:2::1", "fd00:201:2::2"}};
	for (int f = 0; f < 2; f++) {
		rtr_addr_parse(&c->a[f].client, t[f][0]);
		rtr_addr_parse(&c->a[f].r1in, t[f][1]);
		rtr_addr_parse(&c->a[f].r1out, t[f][2]);
		rtr_addr_parse(&c->a[f].server, t[f][3]);
	}
}

/* Opens the senders and captures inside the lab's namespaces. */
static int open_wire(struct conform *c, const struct lab *lab)
{
	char ns[64], err[256] = "";
	uint8_t mac_r1[6], mac_srv[6], mac_r1out[6];
	lab_ns(lab, "server", ns, sizeof(ns));
	if (wire_enter(ns) < 0 || wire_mac("eth0", mac_srv) < 0)
		goto fail;
	lab_ns(lab, "r1", ns, sizeof(ns));
	if (wire_enter(ns) < 0 || wire_mac("eth0", mac_r1) < 0 || wire_mac("eth1", mac_r1out) < 0 ||
	    wire_tx_open(&c->tx_r1, "eth1", mac_srv) < 0 ||
	    wire_cap_open(&c->cap_r1, "eth1", err, sizeof(err)) < 0)
		goto fail;
	lab_ns(lab, "server", ns, sizeof(ns));
	if (wire_enter(ns) < 0 || wire_tx_open(&c->tx_server, "eth0", mac_r1out) < 0 ||
	    wire_cap_open(&c->cap_server, "eth0", err, sizeof(err)) < 0)
		goto fail;
	lab_ns(lab, "client", c->client_ns, sizeof(c->client_ns));
	if (wire_enter(c->client_ns) < 0 || wire_tx_open(&c->tx_client, "eth0", mac_r1) < 0 ||
	    wire_cap_open(&c->cap_client, "eth0", err, sizeof(err)) < 0)
		goto fail;
	return wire_leave();
fail:
	rtr_warn("opening lab sockets: %s", err[0] ? err : strerror(errno));
	wire_leave();
	return -1;
}

static void self_dir(char *out, size_t cap)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		snprintf(out, cap, ".");
		return;
	}
	exe[n] = 0;
	snprintf(out, cap, "%s", dirname(exe));
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"server-cmd", required_argument, NULL, 'S'},
		{"client-cmd", required_argument, NULL, 'C'},
		{"family", required_argument, NULL, 'f'},
		{"format", required_argument, NULL, 'F'},
		{"output", required_argument, NULL, 'o'},
		{"lab-bin", required_argument, NULL, 'L'},
		{"topology", required_argument, NULL, 'T'},
		{"timeout-ms", required_argument, NULL, 't'},
		{"verbose", no_argument, NULL, 'v'},
		{"strict", no_argument, NULL, 's'},
		{"only", required_argument, NULL, 'y'},
		{"skip", required_argument, NULL, 'k'},
		{"list-cases", no_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *server_cmd = NULL, *client_cmd = NULL, *out_path = NULL;
	int format = 0; /* text, json, junit */
	bool strict = false, list = false;
	long timeout_ms = 1000;
	struct conform c;
	struct lab lab;
	rtr_diag_prog("rtr-conform");
	memset(&c, 0, sizeof(c));
	memset(&lab, 0, sizeof(lab));
	c.families = 3;
	char dir[PATH_MAX];
	self_dir(dir, sizeof(dir));
	snprintf(lab.bin, sizeof(lab.bin), "%s/rtr-lab", dir);
	/* The shipped copy: RTR_DATADIR, next to the binary (build tree or any install), or the
	 * PREFIX built in (common/datadir.h). */
	rtr_datadir_find("conform.topo", lab.topo, sizeof(lab.topo));
	int o;
	while ((o = getopt_long(argc, argv, "o:vh", opts, NULL)) != -1) {
		char *end;
		switch (o) {
		case 'S':
			server_cmd = optarg;
			break;
		case 'C':
			client_cmd = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "4"))
				c.families = 1;
			else if (!strcmp(optarg, "6"))
				c.families = 2;
			else if (!strcmp(optarg, "both"))
				c.families = 3;
			else
				return bad_usage("--family takes 4, 6 or both");
			break;
		case 'F':
			if (!strcmp(optarg, "json"))
				format = 1;
			else if (!strcmp(optarg, "junit"))
				format = 2;
			else if (strcmp(optarg, "text"))
				return bad_usage("--format takes text, json or junit");
			break;
		case 's':
			strict = true;
			break;
		case 'y':
		case 'k': {
			struct case_filter *f = &c.filter;
			if ((o == 'y' ? f->nonly : f->nskip) == 32)
				return bad_usage("at most 32 --only and 32 --skip");
			if (!optarg[0])
				return bad_usage(
					"--only and --skip take a case id or requirement id");
			if (o == 'y')
				f->only[f->nonly++] = optarg;
			else
				f->skip[f->nskip++] = optarg;
			break;
		}
		case 'l':
			list = true;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'L':
			snprintf(lab.bin, sizeof(lab.bin), "%s", optarg);
			break;
		case 'T':
			snprintf(lab.topo, sizeof(lab.topo), "%s", optarg);
			break;
		case 't':
			errno = 0;
			timeout_ms = strtol(optarg, &end, 10);
			if (errno || *end || timeout_ms < 100 || timeout_ms > 60000)
				return bad_usage("--timeout-ms takes 100..60000");
			break;
		case 'v':
			c.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("rtr-conform %s\n", VERSION);
			return 0;
		default:
			return bad_usage("unknown option");
		}
	}
	if (list) {
		if (optind < argc - 1 || (optind == argc - 1 && strcmp(argv[optind], "server") &&
					  strcmp(argv[optind], "client")))
			return bad_usage("--list-cases takes no mode or one: server or client");
		return list_cases(&c, optind == argc - 1 ? argv[optind] : NULL);
	}
	if (optind != argc - 1)
		return bad_usage("give exactly one mode: server or client");
	const char *mode = argv[optind];
	bool server = !strcmp(mode, "server");
	if (!server && strcmp(mode, "client"))
		return bad_usage("the mode is server or client");
	if (!server && !client_cmd)
		return bad_usage("client mode needs --client-cmd 'CMD ... {target}'");
	if (server && client_cmd)
		return bad_usage("--client-cmd belongs to client mode");
	if (!server && server_cmd)
		return bad_usage("--server-cmd belongs to server mode");
	/* --only/--skip that select nothing are a usage error, found before any lab is built. */
	struct report sel = {.mode = mode};
	c.listing = true;
	if (server)
		server_cases(&c, &sel);
	else
		client_mode(&c, NULL, client_cmd, &sel);
	c.listing = false;
	report_select(&sel, &c.filter);
	int selected = sel.n;
	report_free(&sel);
	if (!selected)
		return bad_usage("--only/--skip leave no case to play; --list-cases shows the ids");
	memset(c.shape, 0, sizeof(c.shape));
	if (geteuid() != 0) {
		return rtr_err(2, "needs root (it builds a lab of network namespaces)");
	}
	if (access(lab.topo, R_OK) < 0) {
		return rtr_err(2, "cannot read the topology %s (use --topology)", lab.topo);
	}
	FILE *out = stdout;
	if (out_path && !(out = fopen(out_path, "w"))) {
		return rtr_err(2, "cannot write %s: %s", out_path, strerror(errno));
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	topo_addrs(&c);
	if (getrandom(&c.next_ident, sizeof(c.next_ident), 0) != sizeof(c.next_ident))
		c.next_ident = 0x1000;
	/* Fresh identifiers stay clear of the boundary cases 0 and 0xFFFF for a whole run. */
	c.next_ident = (uint16_t)(0x1000 + c.next_ident % 0xC000);
	struct report rep = {.mode = server ? "server" : "client", .strict = strict};
	if (lab_up(&lab) < 0)
		return 2;
	int rc = 2;
	if (open_wire(&c, &lab) < 0)
		goto out;
	if (server) {
		char def[PATH_MAX + 64], cmd[4096], tmo[32], logp[] = "/tmp/rtr-conform-srv.XXXXXX";
		snprintf(def, sizeof(def), "'%s/rtr-server' -t {timeout} {ifname}", dir);
		snprintf(tmo, sizeof(tmo), "%lld", (long long)timeout_ms * 1000000ll);
		char tmo_ms[32];
		snprintf(tmo_ms, sizeof(tmo_ms), "%ld", timeout_ms);
		const char *kv[] = {"ifname", "eth0", "timeout", tmo, "timeout_ms", tmo_ms, NULL};
		const char *tmpl = server_cmd ? server_cmd : def;
		if (lab_subst(cmd, sizeof(cmd), tmpl, kv) < 0) {
			rtr_warn("--server-cmd is too long");
			goto out;
		}
		bool has_timeout = strstr(tmpl, "{timeout}") || strstr(tmpl, "{timeout_ms}");
		c.server_timeout_ns = has_timeout ? (uint64_t)timeout_ms * 1000000ull : 0;
		int lfd = mkstemp(logp);
		if (lfd >= 0)
			close(lfd);
		pid_t spid = lab_spawn(&lab, "server", cmd, logp);
		bool ready = false;
		for (int f = 0; f < 2; f++)
			if ((c.families & (1 << f)) &&
			    server_wait_ready(&c, f == 0 ? 4 : 6, ready ? 3000 : 10000))
				ready = true;
		if (!ready)
			snprintf(rep.note, sizeof(rep.note),
				 "the server never answered a presence check (TTL 0) within 10 s");
		int alive = spid > 0 && waitpid(spid, NULL, WNOHANG) == 0;
		if (!alive && !rep.note[0])
			snprintf(rep.note, sizeof(rep.note), "the server command exited early");
		if (!conform_stop)
			server_cases(&c, &rep);
		if (spid > 0 && waitpid(spid, NULL, WNOHANG) != 0 && alive)
			snprintf(rep.note, sizeof(rep.note),
				 "the server command exited during the run");
		lab_stop(spid);
		if (c.verbose || report_status(&rep) != 0) {
			FILE *lf = fopen(logp, "r");
			char line[512];
			int n = 0;
			while (lf && n++ < 20 && fgets(line, sizeof(line), lf))
				fprintf(stderr, "server: %s", line);
			if (lf)
				fclose(lf);
		}
		unlink(logp);
	} else {
		if (client_mode(&c, &lab, client_cmd, &rep) < 0)
			goto out;
	}
	if (conform_stop) {
		rtr_warn("interrupted");
		rc = 130;
		goto out;
	}
	report_select(&rep, &c.filter);
	if (format == 1)
		report_json(&rep, out);
	else if (format == 2)
		report_junit(&rep, out);
	else
		report_text(&rep, out);
	rc = report_status(&rep);
out:
	wire_cap_close(&c.cap_client);
	wire_cap_close(&c.cap_r1);
	wire_cap_close(&c.cap_server);
	lab_down(&lab);
	report_free(&rep);
	if (out != stdout)
		fclose(out);
	return rc;
}
