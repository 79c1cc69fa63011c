// SPDX-License-Identifier: BSD-2-Clause
/* fuzz_decode.c: rtr-decode's pcap reading in memory, against the same capture read from a file. */
/* fuzz-sources: decode/stream.c decode/print.c decode/link.c */
/* fuzz-cflags: -Idecode */
/* fuzz-libs: -lpcap */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "stream.h"

/*
 * Input: byte 0 selects, the rest is a capture.
 *   bits 0-1  link type of the built capture: raw IP, Ethernet, Linux SLL, or PPP (unsupported)
 *   bit 2     recompute each packet's checksums (fuzz_fix_packet) so mutations reach the decoders
 *   bit 3     literal: the rest is a whole pcap file, handed to libpcap as it is
 *   bit 4     with capture times; bit 5 allow target objects; bit 6 require 16 bytes of padding
 * Otherwise the rest is records: flags, time step (ms), length (2 bytes, big-endian), bytes.
 *   flags bit 0  the bytes are the whole frame (no link header is added)
 *   flags bit 1  cut: the record says the packet was (flags >> 2) + 1 bytes longer on the wire
 * A record whose length runs past the input keeps the bytes there are.
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
#define REC_HDR 4
#define MAX_RECORDS 512

static const int link_types[4] = {DLT_RAW, DLT_EN10MB, DLT_LINUX_SLL, DLT_PPP};

struct built {
	uint8_t *buf;
	size_t len, cap;
	unsigned records, cut[MAX_RECORDS];
};

static void put(struct built *b, const void *p, size_t n)
{
	if (!n)
		return;
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->buf = realloc(b->buf, b->cap);
		FUZZ_CHECK(b->buf != NULL);
	}
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static void put32(struct built *b, uint32_t v)
{
	put(b, &v, 4); /* host order, as libpcap writes: the magic tells readers which */
}

/* Builds a pcap file of the records in msg; the link header comes from the IP version. */
static void build(struct built *b, uint8_t sel, const uint8_t *msg, size_t len)
{
	int dlt = link_types[sel & SEL_LINK];
	uint32_t ts_ms = 1000;

	put32(b, 0xa1b2c3d4);
	put(b, (const uint16_t[]){2, 4}, 4);
	put32(b, 0);
	put32(b, 0);
	put32(b, 65535);
	put32(b, dlt == DLT_RAW ? 101 : dlt == DLT_LINUX_SLL ? 113 : (uint32_t)dlt);
	for (size_t i = 0; i + REC_HDR <= len && b->records < MAX_RECORDS;) {
		uint8_t flags = msg[i];
		ts_ms += msg[i + 1];
		size_t n = (size_t)msg[i + 2] << 8 | msg[i + 3];
		i += REC_HDR;
		if (n > len - i)
			n = len - i;
		uint8_t *pkt = malloc(n + 1);
		FUZZ_CHECK(pkt != NULL);
		memcpy(pkt, msg + i, n);
		i += n;
		uint8_t hdr[16] = {0};
		size_t hl = 0;
		if (!(flags & 1) && (sel & SEL_FIX))
			fuzz_fix_packet(pkt, n);
		uint16_t et = n && pkt[0] >> 4 == 6 ? 0x86dd : 0x0800;
		if (!(flags & 1) && dlt == DLT_EN10MB) {
			memcpy(hdr, "\x02\0\0\0\0\x01\x02\0\0\0\0\x02", 12);
			rtr_put16(hdr + 12, et);
			hl = 14;
		} else if (!(flags & 1) && dlt == DLT_LINUX_SLL) {
			rtr_put16(hdr + 2, 1); /* ARPHRD_ETHER */
			rtr_put16(hdr + 4, 6);
			rtr_put16(hdr + 14, et);
			hl = 16;
		}
		uint32_t cut = flags & 2 ? (uint32_t)(flags >> 2) + 1 : 0;
		b->cut[b->records++] = cut;
		put32(b, ts_ms / 1000);
		put32(b, ts_ms % 1000 * 1000);
		put32(b, (uint32_t)(hl + n));
		put32(b, (uint32_t)(hl + n) + cut);
		put(b, hdr, hl);
		put(b, pkt, n);
		free(pkt);
	}
}

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

static void check_lines(const struct run *r, uint8_t sel, const struct built *b)
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
	struct built b = {0};
	uint8_t sel;
	size_t len;

	uint8_t *msg = fuzz_take(data, size, &sel, &len);
	if (!msg)
		return 0;
	bool literal = sel & SEL_LITERAL;
	if (literal)
		put(&b, msg, len);
	else
		build(&b, sel, msg, len);
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

/*
 * Structure-aware mutation: most of the time one record's bytes are mutated by libFuzzer and
 * its length field rewritten, or a record is repeated (a request and its duplicate, a probe
 * and its answer), so mutations keep a capture's framing and reach the decoders.
 */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	size_t off[64], nrec = 0;

	if (size < 1 + REC_HDR || (data[0] & SEL_LITERAL) || seed % 5 == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	for (size_t i = 1; i + REC_HDR <= size && nrec < 64;) {
		size_t n = (size_t)data[i + 2] << 8 | data[i + 3];
		if (n > size - i - REC_HDR)
			break;
		off[nrec++] = i;
		i += REC_HDR + n;
	}
	if (!nrec)
		return LLVMFuzzerMutate(data, size, max_size);
	size_t r = off[(seed / 5) % nrec];
	size_t n = (size_t)data[r + 2] << 8 | data[r + 3];
	size_t tail = size - (r + REC_HDR + n);
	if (seed / 5 / 64 % 4 == 0 && size + REC_HDR + n <= max_size) {
		/* Repeat the record right after itself. */
		memmove(data + r + 2 * (REC_HDR + n), data + r + REC_HDR + n, tail);
		memmove(data + r + REC_HDR + n, data + r, REC_HDR + n);
		return size + REC_HDR + n;
	}
	/* Mutate the record's bytes in a scratch copy of at most 65535 bytes, then splice. */
	size_t room = max_size > size ? max_size - size : 0;
	size_t cap = n + room < 65535 ? n + room : 65535;
	uint8_t *tmp = malloc(cap + 1);
	if (!tmp)
		return size;
	memcpy(tmp, data + r + REC_HDR, n);
	size_t m = LLVMFuzzerMutate(tmp, n, cap);
	if (seed % 3 == 0)
		data[r] = (uint8_t)(data[r] ^ (1u << (seed / 7 % 8)));
	memmove(data + r + REC_HDR + m, data + r + REC_HDR + n, tail);
	memcpy(data + r + REC_HDR, tmp, m);
	rtr_put16(data + r + 2, (uint16_t)m);
	free(tmp);
	return size - n + m;
}
