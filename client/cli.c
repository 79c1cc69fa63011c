// SPDX-License-Identifier: BSD-2-Clause
/* cli.c: getopt_long parsing and validation of the rtr-client command line. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine.h"
#include "transmit.h"

const char *rtr_cli_usage(void)
{
	return "Usage: rtr-client [options] {forward|reverse|two-way} {udp|tcp|icmp}\n"
	       "                  {singlepath|multipath} TARGET...\n"
	       "       rtr-client [options] --targets FILE|--all-endpoints "
	       "{forward|reverse|two-way}\n"
	       "                  {udp|tcp|icmp} {singlepath|multipath} [TARGET...]\n"
	       "\n"
	       "Traces the path to TARGET (forward), the path from TARGET back to us as seen by\n"
	       "a reverse traceroute server running there (reverse), or both (two-way).\n"
	       "Several targets make a campaign: traces run concurrently under one --rate and\n"
	       "each is written as soon as it ends.\n"
	       "\n"
	       "Options:\n"
	       "      --flow N         flow: UDP/TCP destination port or ICMP checksum (1-65535;\n"
	       "                       default 33434 (multipath 53), 80 or 0xBEAF)\n"
	       "  -q, --probes N       singlepath: probes per hop (1-10, default 3)\n"
	       "  -f, --first-ttl N    first TTL (1-255, default 1)\n"
	       "  -m, --max-ttl N      last TTL (1-255, default 30)\n"
	       "  -w, --wait SECONDS   time to wait for each answer (default 3)\n"
	       "      --rate PPS       at most PPS packets per second over the whole run\n"
	       "                       (default: unlimited; campaigns 100)\n"
	       "      --gap-limit N    stop after N silent hops in a row (0 = never, default 5)\n"
	       "      --retries N      reverse: send a silent request again up to N times,\n"
	       "                       with backoff (0-5, default 2)\n"
	       "  -N, --parallel N     probes in flight at once (1-255, default 16)\n"
	       "  -n, --no-resolve     do not look up host names\n"
	       "  -4, -6               use IPv4 / IPv6 only\n"
	       "  -i, --interface IF   send and receive on interface IF\n"
	       "  -s, --source ADDR    send from address ADDR\n"
	       "      --format FMT     text (default), json, jsonl (one line per trace), dot,\n"
	       "                       or (through graphviz's dot) svg or png\n"
	       "      --targets FILE   campaign: one target per line from FILE (- = stdin)\n"
	       "      --all-endpoints  campaign: every server of the servers list\n"
	       "      --concurrent N   campaign: traces in flight at most (1-1024, default 16)\n"
	       "  -a, --alpha P        multipath: failure probability of each MDA test\n"
	       "                       (0 < P < 1, default 0.05)\n"
	       "      --max-probes N   multipath: probe budget per direction (1-65535,\n"
	       "                       default 10000)\n"
	       "      --time-limit S   multipath: stop after S seconds per direction\n"
	       "                       (0 = none, default 0)\n"
	       "  -o, --output FILE    write the result to FILE instead of stdout\n"
	       "      --pcap FILE      record every packet sent and received (raw IP) in FILE\n"
	       "      --transmit URL   post the JSON result to URL (http or https) after asking;\n"
	       "                       host names are included unless -n\n"
	       "  -y, --yes            transmit without asking\n"
	       "      --cacert FILE    trust the CA certificates in FILE for an https collector\n"
	       "      --endpoints FILE servers list (NAME HOST [description] per line) whose\n"
	       "                       NAMEs may be given as TARGET (default: the shipped list)\n"
	       "      --list-endpoints print the servers list and exit\n"
	       "  -h, --help           show this help\n"
	       "  -V, --version        show the version\n"
	       "\n"
	       "Exit status: 0 trace done, 1 runtime error, 2 usage error, 3 no reverse\n"
	       "traceroute server at TARGET, 130 interrupted.\n";
}

enum {
	OPT_FLOW = 256,
	OPT_RATE,
	OPT_GAP,
	OPT_RETRIES,
	OPT_FORMAT,
	OPT_PCAP,
	OPT_TRANSMIT,
	OPT_ENDPOINTS,
	OPT_CACERT,
	OPT_LIST_ENDPOINTS,
	OPT_MAX_PROBES,
	OPT_TIME_LIMIT,
	OPT_TARGETS,
	OPT_ALL_ENDPOINTS,
	OPT_CONCURRENT
};

static const struct option longopts[] = {
	{"flow", required_argument, NULL, OPT_FLOW},
	{"probes", required_argument, NULL, 'q'},
	{"first-ttl", required_argument, NULL, 'f'},
	{"max-ttl", required_argument, NULL, 'm'},
	{"wait", required_argument, NULL, 'w'},
	{"rate", required_argument, NULL, OPT_RATE},
	{"gap-limit", required_argument, NULL, OPT_GAP},
	{"retries", required_argument, NULL, OPT_RETRIES},
	{"parallel", required_argument, NULL, 'N'},
	{"no-resolve", no_argument, NULL, 'n'},
	{"interface", required_argument, NULL, 'i'},
	{"source", required_argument, NULL, 's'},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"output", required_argument, NULL, 'o'},
	{"pcap", required_argument, NULL, OPT_PCAP},
	{"transmit", required_argument, NULL, OPT_TRANSMIT},
	{"yes", no_argument, NULL, 'y'},
	{"cacert", required_argument, NULL, OPT_CACERT},
	{"endpoints", required_argument, NULL, OPT_ENDPOINTS},
	{"list-endpoints", no_argument, NULL, OPT_LIST_ENDPOINTS},
	{"alpha", required_argument, NULL, 'a'},
	{"max-probes", required_argument, NULL, OPT_MAX_PROBES},
	{"time-limit", required_argument, NULL, OPT_TIME_LIMIT},
	{"targets", required_argument, NULL, OPT_TARGETS},
	{"all-endpoints", no_argument, NULL, OPT_ALL_ENDPOINTS},
	{"concurrent", required_argument, NULL, OPT_CONCURRENT},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

static int fail(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
	snprintf(err, errlen, fmt, a, b);
	return RTR_EXIT_USAGE;
}

/* Parses a whole decimal (or 0x hex) number in [lo, hi]. */
static bool number(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
	if (!*s || *s == '-' || *s == '+')
		return false;
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 0);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool real(const char *s, double lo, double hi, double *out)
{
	if (!*s)
		return false;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static int positional(struct rtr_opts *o, char **pos, char *err, size_t errlen)
{
	if (!strcmp(pos[0], "forward"))
		o->mode = RTR_MODE_FORWARD;
	else if (!strcmp(pos[0], "reverse"))
		o->mode = RTR_MODE_REVERSE;
	else if (!strcmp(pos[0], "two-way"))
		o->mode = RTR_MODE_TWO_WAY;
	else
		return fail(err, errlen,
			    "unknown direction '%s': use forward, reverse or two-way%s", pos[0],
			    "");
	if (strcmp(pos[1], "udp") && strcmp(pos[1], "tcp") && strcmp(pos[1], "icmp"))
		return fail(err, errlen, "unknown protocol '%s': use udp, tcp or icmp%s", pos[1],
			    "");
	o->proto_name = pos[1];
	if (!strcmp(pos[2], "multipath"))
		o->multipath = true;
	else if (strcmp(pos[2], "singlepath"))
		return fail(err, errlen, "unknown method '%s': use singlepath or multipath%s",
			    pos[2], "");
	for (int i = 0; i < o->ntargets; i++)
		if (!*o->targets[i])
			return fail(err, errlen, "empty TARGET: give a host name or address%s%s",
				    "", "");
	o->target = o->ntargets ? o->targets[0] : NULL;
	return 0;
}

bool rtr_cli_is_campaign(const struct rtr_opts *o)
{
	return o->targets_file || o->all_endpoints || o->ntargets > 1;
}

bool rtr_cli_tcp_answers(const struct rtr_opts *o)
{
	return o->mode != RTR_MODE_REVERSE && o->proto_name && strcmp(o->proto_name, "tcp") == 0;
}

int rtr_cli_parse(struct rtr_opts *o, int argc, char **argv, char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	o->probes = 3;
	o->first_ttl = 1;
	o->max_ttl = 30;
	o->wait_s = 3.0;
	o->gap_limit = 5;
	o->parallel = 16;
	o->retries = 2;
	o->format = RTR_FMT_TEXT;
	o->alpha = 0.05;
	o->max_probes = 10000;
	o->concurrent = RTR_CAMPAIGN_CONCURRENT;

	optind = 1;
	opterr = 0;
	int c;
	unsigned long v;
	char optname[64];
	while ((c = getopt_long(argc, argv, ":q:f:m:w:N:ni:s:o:yhV46a:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_FLOW:
			if (!number(optarg, 1, 65535, &v))
				return fail(err, errlen, "--flow '%s' is not a number in 1-65535%s",
					    optarg, "");
			o->flow = (uint16_t)v;
			break;
		case 'q':
			if (!number(optarg, 1, RTR_ENG_MAX_PROBES, &v))
				return fail(err, errlen, "--probes '%s' is not a number in 1-10%s",
					    optarg, "");
			o->probes = (unsigned)v;
			o->probes_given = true;
			break;
		case 'f':
			if (!number(optarg, 1, 255, &v))
				return fail(err, errlen,
					    "--first-ttl '%s' is not a number in 1-255%s", optarg,
					    "");
			o->first_ttl = (unsigned)v;
			break;
		case 'm':
			if (!number(optarg, 1, 255, &v))
				return fail(err, errlen,
					    "--max-ttl '%s' is not a number in 1-255%s", optarg,
					    "");
			o->max_ttl = (unsigned)v;
			break;
		case 'w':
			if (!real(optarg, 0.001, 60, &o->wait_s))
				return fail(err, errlen,
					    "--wait '%s' is not a number of seconds in 0.001-60%s",
					    optarg, "");
			break;
		case OPT_RATE:
			if (!real(optarg, 0.1, 1e6, &o->rate_pps))
				return fail(err, errlen,
					    "--rate '%s' is not a rate in 0.1-1000000 packets/s%s",
					    optarg, "");
			break;
		case OPT_GAP:
			if (!number(optarg, 0, 255, &v))
				return fail(err, errlen,
					    "--gap-limit '%s' is not a number in 0-255%s", optarg,
					    "");
			o->gap_limit = (unsigned)v;
			break;
		case OPT_RETRIES:
			if (!number(optarg, 0, 5, &v))
				return fail(err, errlen, "--retries '%s' is not a number in 0-5%s",
					    optarg, "");
			o->retries = (unsigned)v;
			break;
		case 'N':
			if (!number(optarg, 1, 255, &v))
				return fail(err, errlen,
					    "--parallel '%s' is not a number in 1-255%s", optarg,
					    "");
			o->parallel = (unsigned)v;
			break;
		case 'a':
			if (!real(optarg, 1e-9, 0.999999, &o->alpha))
				return fail(err, errlen,
					    "--alpha '%s' is not a probability between 0 and 1 "
					    "(exclusive)%s",
					    optarg, "");
			break;
		case OPT_MAX_PROBES:
			if (!number(optarg, 1, 65535, &v))
				return fail(err, errlen,
					    "--max-probes '%s' is not a number in 1-65535%s",
					    optarg, "");
			o->max_probes = (unsigned)v;
			break;
		case OPT_TIME_LIMIT:
			if (!real(optarg, 0, 86400, &o->time_limit_s))
				return fail(
					err, errlen,
					"--time-limit '%s' is not a number of seconds in 0-86400%s",
					optarg, "");
			break;
		case 'n':
			o->no_resolve = true;
			break;
		case '4':
		case '6':
			if (o->family && o->family != c - '0')
				return fail(err, errlen,
					    "-4 and -6 exclude each other: give one%s%s", "", "");
			o->family = c - '0';
			break;
		case 'i':
			if (!*optarg || strlen(optarg) >= 16)
				return fail(err, errlen,
					    "--interface '%s' is not an interface name%s", optarg,
					    "");
			o->iface = optarg;
			break;
		case 's':
			o->src = optarg;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "text"))
				o->format = RTR_FMT_TEXT;
			else if (!strcmp(optarg, "json"))
				o->format = RTR_FMT_JSON;
			else if (!strcmp(optarg, "dot"))
				o->format = RTR_FMT_DOT;
			else if (!strcmp(optarg, "svg"))
				o->format = RTR_FMT_SVG;
			else if (!strcmp(optarg, "png"))
				o->format = RTR_FMT_PNG;
			else if (!strcmp(optarg, "jsonl"))
				o->format = RTR_FMT_JSONL;
			else
				return fail(err, errlen,
					    "--format '%s' is unknown: use text, json, jsonl, dot, "
					    "svg or png%s",
					    optarg, "");
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_PCAP:
			o->pcap = optarg;
			break;
		case OPT_TRANSMIT:
			if (!rtr_transmit_url_ok(optarg))
				return fail(err, errlen,
					    "--transmit '%s' is not an http:// or https:// URL%s",
					    optarg, "");
			o->transmit = optarg;
			break;
		case 'y':
			o->yes = true;
			break;
		case OPT_CACERT:
			o->cacert = optarg;
			break;
		case OPT_ENDPOINTS:
			o->endpoints = optarg;
			break;
		case OPT_LIST_ENDPOINTS:
			o->list_endpoints = true;
			break;
		case OPT_TARGETS:
			if (!*optarg)
				return fail(err, errlen,
					    "--targets needs a file name (- for stdin)%s%s", "",
					    "");
			o->targets_file = optarg;
			break;
		case OPT_ALL_ENDPOINTS:
			o->all_endpoints = true;
			break;
		case OPT_CONCURRENT:
			if (!number(optarg, 1, RTR_CAMPAIGN_CONCURRENT_MAX, &v))
				return fail(err, errlen,
					    "--concurrent '%s' is not a number in 1-1024%s", optarg,
					    "");
			o->concurrent = (unsigned)v;
			o->concurrent_given = true;
			break;
		case 'h':
			o->help = true;
			return 0;
		case 'V':
			o->version = true;
			return 0;
		case ':':
		case '?':
		default:
			if (optopt && optopt < 256 && optopt != '?')
				snprintf(optname, sizeof(optname), "-%c", optopt);
			else
				snprintf(optname, sizeof(optname), "%s", argv[optind - 1]);
			if (c == ':')
				return fail(err, errlen, "option %s needs a value: see --help%s",
					    optname, "");
			return fail(err, errlen, "unknown option %s: see --help%s", optname, "");
		}
	}
	int npos = argc - optind;
	if (o->list_endpoints) {
		if (npos)
			return fail(err, errlen,
				    "--list-endpoints takes no other arguments: drop '%s'%s",
				    argv[optind], "");
		return 0;
	}
	/* A campaign may take its targets from --targets or the list alone. */
	int need = o->targets_file || o->all_endpoints ? 3 : 4;
	if (npos < need)
		return fail(err, errlen,
			    "missing arguments: give {forward|reverse|two-way} {udp|tcp|icmp} "
			    "{singlepath|multipath} TARGET%s (see --help)%s",
			    need == 4 ? "" : " (or none with --targets/--all-endpoints)", "");
	o->targets = argv + optind + 3;
	o->ntargets = npos - 3;
	int rc = positional(o, argv + optind, err, errlen);
	if (rc)
		return rc;
	if (rtr_cli_is_campaign(o)) {
		if (o->format != RTR_FMT_TEXT && o->format != RTR_FMT_JSONL)
			return fail(err, errlen,
				    "a campaign writes one result per trace as it ends: use "
				    "--format jsonl or text%s%s",
				    "", "");
		if (o->transmit)
			return fail(err, errlen,
				    "--transmit sends a single trace: drop it, or trace one "
				    "TARGET%s%s",
				    "", "");
	} else if (o->concurrent_given) {
		return fail(err, errlen,
			    "--concurrent is for campaigns: give several TARGETs, --targets FILE "
			    "or --all-endpoints%s%s",
			    "", "");
	}
	if (o->cacert && !o->transmit)
		return fail(err, errlen, "--cacert is for --transmit: add --transmit URL%s%s", "",
			    "");
	if (o->yes && !o->transmit)
		return fail(err, errlen, "-y only confirms --transmit: add --transmit URL%s%s", "",
			    "");
	if (!o->multipath && (o->alpha != 0.05 || o->max_probes != 10000 || o->time_limit_s))
		return fail(err, errlen,
			    "--alpha, --max-probes and --time-limit are for multipath: drop them "
			    "or trace multipath%s%s",
			    "", "");
	if (o->multipath && o->probes_given)
		return fail(
			err, errlen,
			"-q has no meaning with multipath: the stopping rule decides probes per "
			"hop; use -a%s%s",
			"", "");
	if (o->first_ttl > o->max_ttl)
		return fail(err, errlen, "--first-ttl is larger than --max-ttl: lower it%s%s", "",
			    "");
	return 0;
}
