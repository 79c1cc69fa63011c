// SPDX-License-Identifier: BSD-2-Clause
/* rtr-decode.c: prints every packet of a pcap file as reverse traceroute messages, one line each.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "stream.h"

#ifndef RTR_VERSION
#define RTR_VERSION "0.1.0"
#endif

#define EXIT_USAGE 2

static void usage(FILE *out)
{
	fprintf(out,
		"usage: rtr-decode [OPTIONS] FILE.pcap\n"
		"Prints each packet of FILE.pcap (\"-\" for stdin) on one line, decoding reverse\n"
		"traceroute requests, responses, probes and the answers probes trigger.\n"
		"\n"
		"  -t, --timestamps       start each line with the capture time (seconds.micro)\n"
		"      --allow-target     assume a server that accepts class 5 target objects\n"
		"      --min-padding=N    assume a server that requires N bytes of padding object\n"
		"  -h, --help             show this help and exit\n"
		"  -V, --version          show the version and exit\n"
		"\n"
		"Link types: Ethernet, Linux cooked (SLL), raw IP (DLT_RAW, IPv4, IPv6).\n"
		"Exit status: 0 all packets printed, 1 the file cannot be read, 2 bad usage.\n");
}

static int parse_padding(const char *s, uint16_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v > 65535)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	enum { OPT_ALLOW_TARGET = 256, OPT_MIN_PADDING };
	static const struct option opts[] = {
		{"timestamps", no_argument, NULL, 't'},
		{"allow-target", no_argument, NULL, OPT_ALLOW_TARGET},
		{"min-padding", required_argument, NULL, OPT_MIN_PADDING},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};

	rtr_diag_prog("rtr-decode");
	struct rtr_request_policy policy = {0};
	int stamps = 0, c;

	while ((c = getopt_long(argc, argv, "thV", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			stamps = 1;
			break;
		case OPT_ALLOW_TARGET:
			policy.allow_target = true;
			break;
		case OPT_MIN_PADDING:
			if (parse_padding(optarg, &policy.min_padding)) {
				rtr_warn("--min-padding '%s': give a byte count "
					 "0..65535",
					 optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("rtr-decode %s\n", RTR_VERSION);
			return 0;
		default:
			rtr_warn("try 'rtr-decode --help'");
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		rtr_warn("%s; give exactly one pcap file (try --help)",
			 optind == argc ? "no pcap file given" : "too many arguments");
		return EXIT_USAGE;
	}

	const char *path = argv[optind];
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	if (!p) {
		rtr_warn("%s", err);
		return 1;
	}
	int status = rtr_decode_pcap(p, path, stamps, &policy, stdout, stderr);
	pcap_close(p);
	if (fflush(stdout) == EOF) {
		rtr_warn("write error: %s", strerror(errno));
		status = 1;
	}
	return status;
}
