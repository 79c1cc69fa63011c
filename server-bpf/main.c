// SPDX-License-Identifier: BSD-2-Clause
/* main.c: rtr-server, the loader that attaches the reverse traceroute tc program and sweeps it. */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "addr.h"
#include "diag.h"
#include "local.h"
#include "opts.h"
#include "own.h"
#include "rtr.skel.h"
#include "srv.h"
#include "stats.h"

#define VERSION "0.1.0"
#define LOG_LINES_PER_SEC 20
#define MIN_TIMEOUT_NS 100000000ull /* -t: 100 ms (docs/PROTOCOL.md SRV-17) */

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: rtr-server [options] IFNAME...\n"
		"Answers reverse traceroute requests on the given interfaces (tc ingress).\n"
		"  -n, --max-sessions N     pending sessions (default 5000, up to 16777216)\n"
		"  -t, --timeout T          session timeout: ns, or with unit ns/us/ms/s, at least "
		"100ms (default 5s)\n"
		"      --rate PPS           requests/s per source prefix /32 or /64 (default %d, 0 "
		"= off)\n"
		"      --burst N            token bucket depth per source prefix (default %d)\n"
		"      --global-rate PPS    requests/s over all sources (default %d, 0 = off)\n"
		"      --source-sessions N  pending sessions per source prefix (default -n / %d)\n"
		"      --stats[=FORMAT]     print counters as text or json every --interval and at "
		"exit\n"
		"      --interval SEC       seconds between --stats prints (default 10)\n"
		"      --log                session events on stderr, at most %d lines/s\n"
		"  -h, --help               this text\n"
		"      --version            version\n",
		SRV_DEFAULT_RATE, SRV_DEFAULT_BURST, SRV_DEFAULT_GLOBAL_RATE,
		SRV_DEFAULT_SRC_SESSIONS_DIV, LOG_LINES_PER_SEC);
}

static int die_usage(const char *what)
{
	return rtr_err(2, "%s (try 'rtr-server --help')", what);
}

/* Ring-buffer budget for --log: LOG_LINES_PER_SEC per second, the rest counted. */
static uint64_t log_window_start;
static unsigned log_in_window;
static unsigned long log_suppressed;
static bool log_to_journal; /* stderr is journald's stream: it stamps each line itself */

/* Is stderr the stream systemd named in JOURNAL_STREAM ("device:inode")? */
static bool stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && !fstat(2, &st) &&
	       (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

/* One --log line on stderr, after a UTC timestamp unless journald adds its own. */
static void __attribute__((format(printf, 1, 2))) log_line(const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	char stamp[32];
	va_list ap;

	if (!log_to_journal) {
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ldZ ", stamp, ts.tv_nsec / 1000000);
	}
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static int on_event(void *ctx, void *data, size_t len)
{
	const struct rtr_event *e = data;
	char a[RTR_ADDR_STRLEN], h[RTR_ADDR_STRLEN];
	struct rtr_addr addr, hop;
	uint64_t now = srv_now_ns();

	(void)ctx;
	if (len < sizeof(*e))
		return 0;
	if (now - log_window_start >= 1000000000ull) {
		if (log_suppressed)
			log_line("log: %lu events not shown\n", log_suppressed);
		log_window_start = now;
		log_in_window = 0;
		log_suppressed = 0;
	}
	if (log_in_window >= LOG_LINES_PER_SEC) {
		log_suppressed++;
		return 0;
	}
	log_in_window++;
	memcpy(addr.b, e->addr, 16);
	memcpy(hop.b, e->hop, 16);
	rtr_addr_format(&addr, a, sizeof(a));
	if (e->kind == RTR_EV_SESSION)
		log_line("probe client=%s ident=%u proto=%u ttl=%u\n", a, e->ident, e->proto,
			 e->value);
	else if (e->value)
		log_line("response client=%s ident=%u state=%u\n", a, e->ident, e->value);
	else
		log_line("response client=%s ident=%u hop=%s\n", a, e->ident,
			 rtr_addr_format(&hop, h, sizeof(h)));
	return 0;
}

static void print_stats(const struct srv *s, int json)
{
	struct rtr_counters c;
	long n = srv_count_sessions(s);

	if (srv_read_counters(s, &c))
		return;
	if (json)
		stats_print_json(stdout, &c, n);
	else
		stats_print_text(stdout, &c, n);
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

int main(int argc, char **argv)
{
	enum { O_RATE = 256, O_BURST, O_GRATE, O_SRCSESS, O_STATS, O_INTERVAL, O_LOG, O_VERSION };
	static const struct option lopts[] = {
		{"max-sessions", required_argument, NULL, 'n'},
		{"timeout", required_argument, NULL, 't'},
		{"rate", required_argument, NULL, O_RATE},
		{"burst", required_argument, NULL, O_BURST},
		{"global-rate", required_argument, NULL, O_GRATE},
		{"source-sessions", required_argument, NULL, O_SRCSESS},
		{"stats", optional_argument, NULL, O_STATS},
		{"interval", required_argument, NULL, O_INTERVAL},
		{"log", no_argument, NULL, O_LOG},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, O_VERSION},
		{0},
	};
	struct srv_cfg cfg;
	struct srv s;
	struct srv_local local;
	struct ring_buffer *rb = NULL;
	char err[1024] = "";
	int stats = -1, opt, rc = 0;
	uint64_t v, interval = 10, sweep_every, last_sweep, last_stats;

	rtr_diag_prog("rtr-server");
	srv_cfg_defaults(&cfg);
	opterr = 0; /* our own one-line messages */
	while ((opt = getopt_long(argc, argv, "n:t:h", lopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (opts_u64(optarg, 1, 16777216, &v))
				return die_usage(
					"-n wants a number of sessions from 1 to 16777216");
			cfg.max_sessions = (uint32_t)v;
			break;
		case 't':
			if (opts_duration_ns(optarg, &cfg.timeout_ns) ||
			    cfg.timeout_ns < MIN_TIMEOUT_NS)
				return die_usage("-t wants a timeout of at least 100ms, such as "
						 "5000000000, 5s or 500ms");
			break;
		case O_RATE:
			if (opts_u64(optarg, 0, 100000000, &cfg.src_rate))
				return die_usage(
					"--rate wants requests per second (0 = unlimited)");
			break;
		case O_BURST:
			if (opts_u64(optarg, 1, 100000000, &cfg.src_burst))
				return die_usage("--burst wants a number of requests >= 1");
			break;
		case O_GRATE:
			if (opts_u64(optarg, 0, 1000000000, &cfg.global_rate))
				return die_usage("--global-rate wants requests per second (0 = "
						 "unlimited)");
			break;
		case O_SRCSESS:
			if (opts_u64(optarg, 1, 16777216, &cfg.src_sessions))
				return die_usage("--source-sessions wants a number >= 1");
			break;
		case O_STATS:
			if (!optarg || !strcmp(optarg, "text"))
				stats = 0;
			else if (!strcmp(optarg, "json"))
				stats = 1;
			else
				return die_usage("--stats takes text or json");
			break;
		case O_INTERVAL:
			if (opts_u64(optarg, 1, 86400, &interval))
				return die_usage("--interval wants seconds from 1 to 86400");
			break;
		case O_LOG:
			cfg.log = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case O_VERSION:
			printf("rtr-server %s\n", VERSION);
			return 0;
		default: {
			char what[128];

			snprintf(what, sizeof(what), "unknown option or missing argument '%s'",
				 argv[optind - 1]);
			return die_usage(what);
		}
		}
	}
	if (optind >= argc)
		return die_usage("name at least one interface");
	for (int i = optind; i < argc; i++) {
		if (!if_nametoindex(argv[i])) {
			return rtr_err(1, "no interface named '%s' in this namespace", argv[i]);
		}
	}
	if (argc - optind > (int)(sizeof(s.ifindex) / sizeof(s.ifindex[0])))
		return die_usage("at most 16 interfaces");
	for (int i = optind; i < argc; i++) {
		for (int j = optind; j < i; j++) {
			if (if_nametoindex(argv[i]) == if_nametoindex(argv[j])) {
				char what[128];

				snprintf(what, sizeof(what), "interface '%s' named twice", argv[i]);
				return die_usage(what);
			}
		}
	}
	if (getenv("RTR_SERVER_ATTACH") && strcmp(getenv("RTR_SERVER_ATTACH"), "tc") &&
	    strcmp(getenv("RTR_SERVER_ATTACH"), "tcx"))
		return die_usage("RTR_SERVER_ATTACH takes tc or tcx");
	log_to_journal = stderr_is_journal();

	libbpf_set_print(libbpf_quiet);
	rc = srv_load(&s, &cfg, err, sizeof(err));
	if (rc) {
		if (rc == -EPERM && geteuid() != 0)
			rtr_warn("missing privileges: run as root or with CAP_BPF, CAP_NET_ADMIN "
				 "and CAP_PERFMON");
		else
			rtr_warn("%s", err);
		return 1;
	}
	/* This host's addresses before the first packet: only requests to them are ours. */
	rc = srv_local_open(&local, bpf_map__fd(s.skel->maps.local_addrs), err, sizeof(err));
	if (rc) {
		rtr_warn("%s", err);
		srv_close(&s);
		return 1;
	}
	for (int i = optind; i < argc; i++) {
		rc = srv_attach(&s, (int)if_nametoindex(argv[i]), err, sizeof(err));
		if (rc) {
			rtr_warn("%s: %s", argv[i],
				 rc == -EPERM ? "missing privileges (CAP_NET_ADMIN)" : err);
			srv_local_close(&local);
			srv_close(&s);
			return 1;
		}
	}
	/* After the locks: the last server of a namespace restores what the first found. */
	rc = own_enable_lo_forwarding(err, sizeof(err));
	if (rc) {
		rtr_warn("%s%s", err,
			 rc == -EACCES || rc == -EPERM ? " (missing privileges: run as root)" : "");
		srv_local_close(&local);
		srv_close(&s);
		own_restore_sysctls();
		return 1;
	}
	if (cfg.log) {
		rb = ring_buffer__new(bpf_map__fd(s.skel->maps.events), on_event, NULL, NULL);
		if (!rb) {
			rtr_warn("cannot open the event ring buffer");
			srv_local_close(&local);
			srv_close(&s);
			own_restore_sysctls();
			return 1;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	rtr_warn("serving on %d interface(s) (%s, program id %u), %u sessions, timeout %llu ns",
		 s.nif, srv_attach_kind(&s), srv_prog_id(&s), cfg.max_sessions,
		 (unsigned long long)cfg.timeout_ns);

	/* Sweep four times per timeout (10 ms .. 1 s): a session lives at most 1.25 timeouts. */
	sweep_every = cfg.timeout_ns / 4;
	if (sweep_every < 10000000ull)
		sweep_every = 10000000ull;
	if (sweep_every > 1000000000ull)
		sweep_every = 1000000000ull;
	last_sweep = last_stats = srv_now_ns();
	while (!stop_signal) {
		struct timespec nap = {0, 10000000};
		uint64_t now;

		nanosleep(&nap, NULL);
		now = srv_now_ns();
		if (rb)
			ring_buffer__consume(rb);
		if (srv_local_poll(&local, err, sizeof(err)))
			rtr_warn("%s", err);
		if (now - last_sweep >= sweep_every) {
			srv_sweep(&s, now);
			last_sweep = now;
		}
		if (stats >= 0 && now - last_stats >= interval * 1000000000ull) {
			print_stats(&s, stats);
			last_stats = now;
		}
	}
	if (stats >= 0)
		print_stats(&s, stats);
	ring_buffer__free(rb);
	srv_close(&s);
	srv_local_close(&local);
	own_restore_sysctls();
	rtr_warn("detached (signal %d)", (int)stop_signal);
	/* The shell's convention, which systemd's unit accepts (SuccessExitStatus=143). */
	return 128 + (int)stop_signal;
}
