/* SPDX-License-Identifier: BSD-2-Clause */
/* cli.h: the rtr-client command line, parsed into options without side effects. */
#ifndef RTR_CLIENT_CLI_H
#define RTR_CLIENT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTR_CLIENT_VERSION "0.1.0"
/* The default UDP flow: traceroute's first port (CLI-22), not the wire default 53. */
#define RTR_CLIENT_UDP_FLOW 33434

enum rtr_mode { RTR_MODE_FORWARD, RTR_MODE_REVERSE, RTR_MODE_TWO_WAY };
enum rtr_format {
	RTR_FMT_TEXT,
	RTR_FMT_JSON,
	RTR_FMT_DOT,
	RTR_FMT_SVG,
	RTR_FMT_PNG,
	RTR_FMT_JSONL
};

/* Campaigns: default global rate (packets/s) and traces in flight. */
#define RTR_CAMPAIGN_RATE 100
#define RTR_CAMPAIGN_CONCURRENT 16
#define RTR_CAMPAIGN_CONCURRENT_MAX 1024

/* Exit codes (documented in rtr-client(1)). */
enum rtr_exit {
	RTR_EXIT_OK = 0,	/* the trace ran and ended with a stop reason */
	RTR_EXIT_ERROR = 1,	/* runtime failure: sockets, permissions, resolution, output */
	RTR_EXIT_USAGE = 2,	/* wrong arguments, or a feature that is not implemented */
	RTR_EXIT_NO_SERVER = 3, /* reverse: no reverse traceroute server at the target */
	RTR_EXIT_INTERRUPTED = 130,
};

struct rtr_opts {
	int mode;		/* enum rtr_mode */
	const char *proto_name; /* "udp", "tcp", "icmp" */
	bool multipath;
	double alpha;	     /* multipath: failure probability per test, default 0.05 */
	unsigned max_probes; /* multipath: probe budget per direction */
	double time_limit_s; /* multipath: wall-clock limit per direction, 0 = none */
	const char *target;  /* the first TARGET */
	char **targets;	     /* every TARGET argument (ntargets of them) */
	int ntargets;
	const char *targets_file; /* --targets FILE ("-" = stdin) */
	bool all_endpoints;	  /* --all-endpoints: every server of the list */
	unsigned concurrent;	  /* campaign: traces in flight at most */
	bool concurrent_given;
	uint16_t flow; /* 0 = the protocol's default */
	unsigned probes;
	bool probes_given; /* -q was on the command line (multipath refuses it) */
	unsigned first_ttl;
	unsigned max_ttl;
	double wait_s;
	double rate_pps; /* 0 = unlimited */
	unsigned gap_limit;
	unsigned parallel;
	unsigned retries; /* reverse: sends of a silent request after the first (CLI-14) */
	bool no_resolve;
	int family; /* 0, 4 or 6 */
	const char *iface;
	const char *src;
	int format; /* enum rtr_format */
	const char *output;
	const char *pcap;
	const char *transmit;  /* collector URL */
	bool yes;	       /* transmit without asking */
	const char *cacert;    /* CA bundle for an https collector */
	const char *endpoints; /* ENDPOINTS file given with --endpoints */
	bool list_endpoints;
	bool help;
	bool version;
};

/*
 * Parses argv. On success returns 0; on a usage error returns RTR_EXIT_USAGE
 * with one line (no trailing newline) in err saying what is wrong and what to
 * do. Does not print, open files or touch the network.
 */
int rtr_cli_parse(struct rtr_opts *o, int argc, char **argv, char *err, size_t errlen);

/* True when the options ask for a campaign: several targets, --targets or --all-endpoints. */
bool rtr_cli_is_campaign(const struct rtr_opts *o);

/* Whether TCP answers can reach us: forward (or two-way) traces with TCP probes. */
bool rtr_cli_tcp_answers(const struct rtr_opts *o);

/* The --help text. */
const char *rtr_cli_usage(void);

#endif
