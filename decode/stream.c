// SPDX-License-Identifier: BSD-2-Clause
/* stream.c: rtr-decode's per-packet loop over an open pcap capture. */
#include "stream.h"

#include "link.h"
#include "print.h"

int rtr_decode_pcap(pcap_t *p, const char *path, bool stamps,
		    const struct rtr_request_policy *policy, FILE *out, FILE *errf)
{
	int dlt = pcap_datalink(p);
	if (!rtr_link_supported(dlt)) {
		const char *name = pcap_datalink_val_to_name(dlt);
		fprintf(errf,
			"rtr-decode: %s: link type %s (%d) is not supported; capture on Ethernet, "
			"\"any\" (SLL) or a raw IP interface\n",
			path, name ? name : "unknown", dlt);
		return 1;
	}

	/* About 7 KiB of state: static, as rtr-decode had it, since one capture is read at a time.
	 */
	static struct rtr_dec_ctx ctx;
	static char line[2048];
	rtr_dec_init(&ctx, policy);
	struct pcap_pkthdr *h;
	const u_char *frame;
	unsigned n = 0;
	int rc;
	while ((rc = pcap_next_ex(p, &h, &frame)) == 1) {
		const uint8_t *ip;
		size_t ip_len;
		const char *why;
		n++;
		if (stamps)
			fprintf(out, "%lld.%06ld ", (long long)h->ts.tv_sec, (long)h->ts.tv_usec);
		if (rtr_link_ip(dlt, frame, h->caplen, &ip, &ip_len, &why)) {
			fprintf(out, "#%u %s: %s\n", n, rtr_link_name(dlt), why);
			continue;
		}
		uint64_t ts_us = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
		rtr_dec_packet(&ctx, n, ts_us, ip, ip_len, line, sizeof(line));
		if (h->caplen < h->len)
			fprintf(out, "%s [capture cut at %u of %u bytes]\n", line, h->caplen,
				h->len);
		else
			fprintf(out, "%s\n", line);
	}
	if (rc == PCAP_ERROR) {
		fprintf(errf, "rtr-decode: %s: %s (after %u packets)\n", path, pcap_geterr(p), n);
		return 1;
	}
	return 0;
}
