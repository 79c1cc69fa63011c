// SPDX-License-Identifier: BSD-2-Clause
/* extract_corpus.c: writes fuzz seed corpora from spec-vector pcaps (packet, ICMP part, quote). */

/*
 * Usage: extract_corpus -o DIR FILE.pcap...
 *
 * For every packet of every pcap it writes, under DIR/<harness>/<vector>,
 * the harness input (selector byte + message, see fuzz/fuzz.h):
 *   ip, probe, answer: the IP packet as captured after the link header;
 *   roundtrip: the same packet in probe mode;
 *   request / response: the ICMP part of an Echo Request / Reply code 1,
 *     IPv6 ones with the checksum-fix bit because the harness's addresses
 *     are fixed (the original checksum covers the vector's addresses);
 *   ip, probe: the packet quoted by an ICMP error, as a quote (<vector>.quote).
 * <vector> is the pcap name without .pcap, plus ".N" when it holds several
 * packets. The IP header is read with proto/'s rtr_ip_decode.
 */
#include <errno.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ip.h"
#include "rtr_wire.h"

/* Selector bits, as in fuzz/fuzz.h (which needs the libFuzzer build). */
#define SEL_V6 0x01
#define SEL_QUOTED 0x01
#define SEL_FIX 0x02
#define MODE_REQUEST 0
#define MODE_RESPONSE 1
#define MODE_PROBE 2

static const char *outdir;
static unsigned long written;

static int mkdir_p(const char *path)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	fprintf(stderr, "extract_corpus: cannot create %s: %s\n", path, strerror(errno));
	return -1;
}

static int put(const char *harness, const char *name, const char *suffix, uint8_t sel,
	       const uint8_t *msg, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, harness);
	if (mkdir_p(path))
		return -1;
	snprintf(path, sizeof(path), "%s/%s/%s%s", outdir, harness, name, suffix);
	f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "extract_corpus: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	bool ok = fwrite(&sel, 1, 1, f) == 1 && fwrite(msg, 1, len, f) == len;
	if (fclose(f) != 0 || !ok) {
		fprintf(stderr, "extract_corpus: short write to %s\n", path);
		return -1;
	}
	written++;
	return 0;
}

/* Offset of the IP header behind the link header, or -1 for a link type or frame we do not read. */
static long link_offset(int dlt, const uint8_t *p, size_t len)
{
	size_t off;
	uint16_t et;

	switch (dlt) {
	case DLT_RAW:
#ifdef DLT_IPV4
	case DLT_IPV4:
	case DLT_IPV6:
#endif
		return 0;
	case DLT_NULL:
		return len >= 4 ? 4 : -1;
	case DLT_EN10MB:
		off = 12;
		break;
	case DLT_LINUX_SLL:
		off = 14;
		break;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		return len >= 20 ? 20 : -1;
#endif
	default:
		return -1;
	}
	for (;;) { /* ethertype, skipping 802.1Q tags */
		if (off + 2 > len)
			return -1;
		et = (uint16_t)(p[off] << 8 | p[off + 1]);
		if (et != 0x8100 && et != 0x88A8)
			break;
		off += 4;
	}
	return et == 0x0800 || et == 0x86DD ? (long)off + 2 : -1;
}

static int one_packet(const char *name, const char *suffix, const uint8_t *pkt, size_t len)
{
	struct rtr_ip ip;
	int err = 0;

	err |= put("ip", name, suffix, 0, pkt, len);
	err |= put("probe", name, suffix, 0, pkt, len);
	err |= put("answer", name, suffix, 0, pkt, len);
	err |= put("roundtrip", name, suffix, MODE_PROBE, pkt, len);

	int h = rtr_ip_decode(&ip, pkt, len, RTR_IP_QUOTED);
	if (h < 0 || ip.fragment)
		return err;
	bool v6 = ip.family == 6;
	if (ip.proto != (v6 ? RTR_IPPROTO_ICMPV6 : RTR_IPPROTO_ICMP))
		return err;
	const uint8_t *icmp = pkt + h;
	size_t icmp_len = rtr_ip_l4_len(&ip, len);
	uint8_t sel = v6 ? SEL_V6 | SEL_FIX : 0;
	uint8_t type = icmp_len > 0 ? icmp[0] : 0xFF;

	/* Short requests (0..11 bytes) are vectors too: they go to the request harness. */
	if (icmp_len < 2 || type == (v6 ? RTR_ICMP6_ECHO_REQUEST : RTR_ICMP4_ECHO_REQUEST)) {
		err |= put("request", name, suffix, sel, icmp, icmp_len);
		err |= put("roundtrip", name, ".req", (uint8_t)(MODE_REQUEST | sel << 2), icmp,
			   icmp_len);
	} else if (type == (v6 ? RTR_ICMP6_ECHO_REPLY : RTR_ICMP4_ECHO_REPLY)) {
		err |= put("response", name, suffix, sel, icmp, icmp_len);
		err |= put("roundtrip", name, ".rsp", (uint8_t)(MODE_RESPONSE | sel << 2), icmp,
			   icmp_len);
	} else if (icmp_len > RTR_ICMP_HDR_LEN &&
		   (type == (v6 ? RTR_ICMP6_TIME_EXCEEDED : RTR_ICMP4_TIME_EXCEEDED) ||
		    type == (v6 ? RTR_ICMP6_DEST_UNREACH : RTR_ICMP4_DEST_UNREACH))) {
		char qs[64];
		snprintf(qs, sizeof(qs), "%s.quote", suffix);
		err |= put("ip", name, qs, SEL_QUOTED, icmp + RTR_ICMP_HDR_LEN,
			   icmp_len - RTR_ICMP_HDR_LEN);
		err |= put("probe", name, qs, SEL_QUOTED, icmp + RTR_ICMP_HDR_LEN,
			   icmp_len - RTR_ICMP_HDR_LEN);
	}
	return err;
}

static int one_pcap(const char *file)
{
	char errbuf[PCAP_ERRBUF_SIZE], name[1024];
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int err = 0, rc;
	unsigned total = 0, n = 0;

	/* Count first: a single-packet vector keeps its bare name. */
	for (int pass = 0; pass < 2; pass++) {
		pcap_t *pc = pcap_open_offline(file, errbuf);
		if (!pc) {
			fprintf(stderr, "extract_corpus: %s: %s\n", file, errbuf);
			return -1;
		}
		int dlt = pcap_datalink(pc);
		while ((rc = pcap_next_ex(pc, &hdr, &data)) == 1) {
			if (pass == 0) {
				total++;
				continue;
			}
			n++;
			long off = link_offset(dlt, data, hdr->caplen);
			if (off < 0) {
				fprintf(stderr,
					"extract_corpus: %s packet %u: link type %d not read\n",
					file, n, dlt);
				err = -1;
				continue;
			}
			const char *base = strrchr(file, '/');
			base = base ? base + 1 : file;
			snprintf(name, sizeof(name), "%s", base);
			char *dot = strstr(name, ".pcap");
			if (dot)
				*dot = '\0';
			char suffix[32] = "";
			if (total > 1)
				snprintf(suffix, sizeof(suffix), ".%u", n);
			err |= one_packet(name, suffix, data + off, hdr->caplen - (size_t)off);
		}
		if (rc == PCAP_ERROR) {
			fprintf(stderr, "extract_corpus: %s: %s\n", file, pcap_geterr(pc));
			err = -1;
		}
		pcap_close(pc);
	}
	return err;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: extract_corpus -o DIR FILE.pcap...\n"
		   "Writes the fuzz seed corpora DIR/<harness>/<vector> from spec-vector pcaps.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c, err = 0;

	while ((c = getopt_long(argc, argv, "o:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outdir = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("extract_corpus (rtr) 0.1\n");
			return 0;
		default:
			fprintf(stderr,
				"extract_corpus: unknown option; see extract_corpus --help\n");
			return 2;
		}
	}
	if (!outdir || optind >= argc) {
		fprintf(stderr, "extract_corpus: need -o DIR and at least one pcap; see --help\n");
		return 2;
	}
	if (mkdir_p(outdir))
		return 1;
	for (int i = optind; i < argc; i++)
		err |= one_pcap(argv[i]);
	printf("extract_corpus: %lu corpus files from %d pcaps\n", written, argc - optind);
	return err ? 1 : 0;
}
