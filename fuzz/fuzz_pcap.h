/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_pcap.h: the capture-of-records input of the pcap harnesses: builder and custom mutator. */
#ifndef RTR_FUZZ_PCAP_H
#define RTR_FUZZ_PCAP_H

#include <pcap/pcap.h>

#include "fuzz.h"

/*
 * After the selector byte, an input is records: flags, time step (ms), length (2 bytes,
 * big-endian), bytes. flags bit 0: the bytes are the whole frame (no link header is added);
 * bit 1: cut, the packet was (flags >> 2) + 1 bytes longer on the wire. A record whose length
 * runs past the input keeps the bytes there are.
 */
#define REC_HDR 4
#define MAX_RECORDS 512

struct fuzz_cap {
	uint8_t *buf;
	size_t len, cap;
	unsigned records, cut[MAX_RECORDS]; /* per record: bytes missing from the capture */
	size_t frame_at[MAX_RECORDS];	    /* offset of the frame in buf */
	uint32_t frame_len[MAX_RECORDS], ts_ms[MAX_RECORDS];
};

static inline void fuzz_cap_put(struct fuzz_cap *b, const void *p, size_t n)
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

static inline void fuzz_cap_put32(struct fuzz_cap *b, uint32_t v)
{
	fuzz_cap_put(b, &v, 4); /* host order, as libpcap writes: the magic tells readers which */
}

/* Builds a pcap file of the records in msg; the link header comes from the IP version. */
static inline void fuzz_cap_build(struct fuzz_cap *b, int dlt, bool fix, const uint8_t *msg,
				  size_t len)
{
	uint32_t ts_ms = 1000;

	fuzz_cap_put32(b, 0xa1b2c3d4);
	fuzz_cap_put(b, (const uint16_t[]){2, 4}, 4);
	fuzz_cap_put32(b, 0);
	fuzz_cap_put32(b, 0);
	fuzz_cap_put32(b, 262144); /* snap length: above any record */
	fuzz_cap_put32(b, dlt == DLT_RAW ? 101 : dlt == DLT_LINUX_SLL ? 113 : (uint32_t)dlt);
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
		if (!(flags & 1) && fix)
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
		b->cut[b->records] = cut;
		b->ts_ms[b->records] = ts_ms;
		b->frame_len[b->records] = (uint32_t)(hl + n);
		b->frame_at[b->records++] = b->len + 16;
		fuzz_cap_put32(b, ts_ms / 1000);
		fuzz_cap_put32(b, ts_ms % 1000 * 1000);
		fuzz_cap_put32(b, (uint32_t)(hl + n));
		fuzz_cap_put32(b, (uint32_t)(hl + n) + cut);
		fuzz_cap_put(b, hdr, hl);
		fuzz_cap_put(b, pkt, n);
		free(pkt);
	}
}

/*
 * libFuzzer's own mutator, for fuzz_records_mutate.
 */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

/*
 * Structure-aware mutation: most of the time one record's bytes are mutated by libFuzzer and
 * its length field rewritten, or a record is repeated (a request and its duplicate, a probe
 * and its answer), so mutations keep a capture's framing and reach the decoders.
 */
static inline size_t fuzz_records_mutate(uint8_t *data, size_t size, size_t max_size,
					 unsigned int seed)
{
	size_t off[64], nrec = 0;

	if (size < 1 + REC_HDR || seed % 5 == 0)
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
	/* libFuzzer's mutator needs room for a byte: with none it wrote one past the input
	 * (an empty record in a full input; fuzz_decode and fuzz_conform's first campaign). */
	if (cap == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	uint8_t *tmp = malloc(cap + 1);
	if (!tmp)
		return size;
	memcpy(tmp, data + r + REC_HDR, n);
	size_t m = LLVMFuzzerMutate(tmp, n, cap);
	if (m > cap)
		m = cap;
	if (seed % 3 == 0)
		data[r] = (uint8_t)(data[r] ^ (1u << (seed / 7 % 8)));
	memmove(data + r + REC_HDR + m, data + r + REC_HDR + n, tail);
	memcpy(data + r + REC_HDR, tmp, m);
	rtr_put16(data + r + 2, (uint16_t)m);
	free(tmp);
	return size - n + m;
}

#endif
