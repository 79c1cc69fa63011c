// SPDX-License-Identifier: BSD-2-Clause
/* pcapread.c: IP packets of a pcap file, link header removed. */
#include "pcapread.h"

#include <stdio.h>

#include <pcap/pcap.h>

int pcapread(const char *path, int (*cb)(void *ctx, const uint8_t *ip, size_t len, uint64_t t_ns),
	     void *ctx, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, perr);
	struct pcap_pkthdr *h;
	const uint8_t *p;
	int rc = 0;

	if (!pc) {
		snprintf(err, errlen, "%s", perr);
		return -1;
	}
	while (!rc && pcap_next_ex(pc, &h, &p) == 1) {
		size_t off;
		uint64_t t =
			(uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec * 1000;

		switch (pcap_datalink(pc)) {
		case DLT_RAW:
		case DLT_IPV4:
		case DLT_IPV6:
			off = 0;
			break;
		case DLT_EN10MB:
			off = h->caplen >= 14 && p[12] == 0x81 && p[13] == 0x00 ? 18 : 14;
			break;
		case DLT_LINUX_SLL:
			off = 16;
			break;
		default:
			snprintf(err, errlen, "%s: link type %d", path, pcap_datalink(pc));
			pcap_close(pc);
			return -1;
		}
		if (h->caplen > off)
			rc = cb(ctx, p + off, h->caplen - off, t);
	}
	pcap_close(pc);
	return rc;
}
