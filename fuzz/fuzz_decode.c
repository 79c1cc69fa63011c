// SPDX-License-Identifier: BSD-2-Clause
/* fuzz_decode.c: rtr-decode's pcap reading in memory, against the same capture read from a file. */
/* fuzz-sources: decode/stream.c decode/print.c decode/link.c */
/* fuzz-cflags: -Idecode */
/* fuzz-libs: -lpcap */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "fuzz_pcap.h"
#include "stream.h"

/*
 * Input: byte 0 selects, the rest is a capture.
 *   bits 0-1  link type of the built capture: raw IP, Ethernet, Linux SLL, or PPP (unsupported)
 *   bit 2     recompute each packet's checksums (fuzz_fix_packet) so mutations reach the decoders
 *   bit 3     literal: the rest is a whole pcap file, handed to libpcap as it is
 *   bit 4     with capture times; bit 5 allow target objects; bit 6 require 16 bytes of padding
 * Otherwise the rest is records (fuzz_pcap.h) that become a pcap file of that link type.
 *
 * Properties:
 *  - the capture read from memory (fmemopen + pcap_fopen_offline, as a pipe would give it) and
 *    from a file (pcap_open_offline, as rtr-decode reads it) prints the same lines, messages
 *    and status;
 *  - every line is printable text ending in a newline;
 *  - a built capture of a supported link type prints one line per record, "#N " in order
 *    (after the time when asked), cut records saying so, and status 0; the unsupported one
 *    prints nothing and a one-line message.
 */

enum {
	SEL_LINK = 3,
	SEL_FIX = 1 << 2,
	SEL_LITERAL = 1 << 3,
	SEL_STAMPS = 1 << 4,
	SEL_TARGET = 1 << 5,
	SEL_PADDING = 1 << 6,
};
static const int link_types[4] = {DLT_RAW, DLT_EN10MB, DLT_LINUX_SLL, DLT_PPP};

struct run {
	char *out, *err;
	size_t out_len, err_len;
	int status;
};

static void decode(pcap_t *p, uint8_t sel, struct run *r)
{
	struct rtr_request_policy policy = {.allow_target = !!(sel & SEL_TARGET),
					    .min_padding = sel & SEL_PADDING ? 16 : 0};
	FILE *out = open_memstream(&r->out, &r->out_len);
	FILE *err = open_memstream(&r->err, &r->err_len);
	FUZZ_CHECK(out && err);
	r->status = rtr_decode_pcap(p, "capture", sel & SEL_STAMPS, &policy, out, err);
	fclose(out);
	fclose(err);
}

/* libpcap's own messages name how it read the data; only ours must agree word for word. */
static bool same_messages(const struct run *a, const struct run *b)
{
	if (a->err_len == b->err_len && !memcmp(a->err, b->err, a->err_len))
		return true;
	return a->err_len && b->err_len && !strncmp(a->err, b->err, 21) &&
	       strstr(a->err, "(after ") && strstr(b->err, "(after ") &&
	       !strcmp(strstr(a->err, "(after "), strstr(b->err, "(after "));
}

static void check_lines(const struct run *r, uint8_t sel, const struct fuzz_cap *b)
{
	unsigned n = 0;
	for (const char *p = r->out; p < r->out + r->out_len;) {
		const char *nl = memchr(p, '\n', (size_t)(r->out + r->out_len - p));
		FUZZ_CHECK(nl != NULL);
		for (const char *c = p; c < nl; c++)
			FUZZ_CHECK((uint8_t)*c >= 0x20 && *c != 0x7f);
		n++;
		if (b) {
			const char *q = p;
			if (sel & SEL_STAMPS) {
				q = memchr(p, ' ', (size_t)(nl - p));
				FUZZ_CHECK(q != NULL);
				q++;
			}
			char want[24];
			int k = snprintf(want, sizeof(want), "#%u ", n);
			FUZZ_CHECK(nl - q > k && !memcmp(q, want, (size_t)k));
			bool says_cut = (size_t)(nl - p) > 15 &&
					memmem(p, (size_t)(nl - p), "[capture cut at ", 16);
			/* A frame without IP says so instead; a cut one says it was cut. */
			if (b->cut[n - 1] && !memmem(p, (size_t)(nl - p), ": not IP", 8) &&
			    !memmem(p, (size_t)(nl - p), "truncated link header", 21))
				FUZZ_CHECK(says_cut);
		}
		p = nl + 1;
	}
	if (b) {
		FUZZ_CHECK(n == b->records);
		FUZZ_CHECK(r->status == 0 && r->err_len == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int memfd = -1;
	char errbuf[PCAP_ERRBUF_SIZE];
	struct fuzz_cap b = {0};
	uint8_t sel;
	size_t len;

	uint8_t *msg = fuzz_take(data, size, &sel, &len);
	if (!msg)
		return 0;
	bool literal = sel & SEL_LITERAL;
	if (literal)
		fuzz_cap_put(&b, msg, len);
	else
		fuzz_cap_build(&b, link_types[sel & SEL_LINK], sel & SEL_FIX, msg, len);
	free(msg);
	if (!b.len) {
		free(b.buf);
		return 0;
	}

	/* From memory. */
	struct run mem = {0}, file = {0};
	FILE *f = fmemopen(b.buf, b.len, "r");
	FUZZ_CHECK(f != NULL);
	pcap_t *p = pcap_fopen_offline(f, errbuf); /* closes f with the capture */
	if (p) {
		decode(p, sel, &mem);
		pcap_close(p);
	} else {
		fclose(f);
	}
	/* From a file, as rtr-decode opens it (a memfd under /proc: no file left behind). */
	if (memfd < 0)
		memfd = memfd_create("fuzz_decode.pcap", 0);
	FUZZ_CHECK(memfd >= 0);
	FUZZ_CHECK(ftruncate(memfd, 0) == 0);
	FUZZ_CHECK(pwrite(memfd, b.buf, b.len, 0) == (ssize_t)b.len);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	pcap_t *q = pcap_open_offline(path, errbuf);
	FUZZ_CHECK(!q == !p);
	if (q) {
		decode(q, sel, &file);
		pcap_close(q);
		FUZZ_CHECK(mem.status == file.status);
		FUZZ_CHECK(mem.out_len == file.out_len && !memcmp(mem.out, file.out, mem.out_len));
		FUZZ_CHECK(same_messages(&mem, &file));
		bool supported = (sel & SEL_LINK) != 3;
		check_lines(&mem, sel, literal || !supported ? NULL : &b);
		if (!literal && !supported)
			FUZZ_CHECK(mem.status == 1 && mem.out_len == 0 &&
				   memchr(mem.err, '\n', mem.err_len) == mem.err + mem.err_len - 1);
	} else {
		/* Built captures always open; a literal one may not be a pcap file at all. */
		FUZZ_CHECK(literal);
	}
	free(mem.out);
	free(mem.err);
	free(file.out);
	free(file.err);
	free(b.buf);
	return 0;
}

/* Structure-aware mutation (fuzz_pcap.h), except for literal pcap files. */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	if (size && (data[0] & SEL_LITERAL))
		return LLVMFuzzerMutate(data, size, max_size);
	return fuzz_records_mutate(data, size, max_size, seed);
}
