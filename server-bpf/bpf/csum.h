// SPDX-License-Identifier: GPL-2.0-only
/* bpf/csum.h: one's complement sums: folding, pseudo-header addresses, packet bytes. */
#ifndef RTR_BPF_CSUM_H
#define RTR_BPF_CSUM_H

/*
 * Included once, by rtr.bpf.c, after its configuration and maps.
 * sum_pkt stays a global (__noinline) function, verified once against its
 * argument types rather than once per caller path. A global function cannot take
 * a packet pointer: it takes the skb and re-derives data and data_end, and its
 * loops are bounded by constants and its offsets by masks (vbound).
 */

static __always_inline __u16 fold16(__u64 s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)s;
}

/* Sum of the 16-bit words of an address as it goes into a pseudo-header. */
static __always_inline __u32 sum_addr(const __u8 *a, int family)
{
	__u32 s = 0;

	__u32 w;

	if (family == 4) {
		w = rd32(a + RTR_MAPPED_V4_OFF);
		return (w >> 16) + (w & 0xffff);
	}
	for (int i = 0; i < 16; i += 4) {
		w = rd32(a + i);
		s += (w >> 16) + (w & 0xffff);
	}
	return s;
}

/*
 * One's complement sum of len packet bytes starting at off (an odd last byte
 * padded with zero), as 16-bit big-endian words. Returns -1 when the bytes are
 * not in the linear area. Open-coded, 8 bytes per step, because a helper call
 * (bpf_csum_diff) costs about as much as summing a whole answer here: the
 * 8-byte loads are added as native 32-bit halves, and since byte order
 * commutes with the one's complement sum (RFC 1071) the folded native sum is
 * byte-swapped back once.
 */
__noinline __s64 sum_pkt(struct __sk_buff *skb, __u32 off, __u32 len, __u32 max)
{
	void *data = pkt_data(skb);
	void *end = pkt_end(skb);
	__u64 s = 0, t = 0;
	__u32 i = 0;
	__u8 *p;

	if (off > 200 || len > max || len > ANS_MAX_LEN)
		return -1;
	/* Masks give the verifier bounds a comparison on a copy would not. */
	vbound(off, 0xff);
	vbound(len, 0x7ff);
	data += off;
	for (int n = 0; n < ANS_MAX_LEN / 8; n++) {
		__u64 w;

		if (i + 8 > len)
			break;
		vbound(i, 0x7ff);
		p = data + i;
		barrier_var(p);
		if ((void *)(p + 8) > end)
			return -1;
		w = *(const __u64 *)p;
		t += (w & 0xffffffffull) + (w >> 32);
		i += 8;
	}
	s = __builtin_bswap16(fold16(t));
	for (int n = 0; n < 3; n++) {
		if (i + 2 > len)
			break;
		vbound(i, 0x7ff);
		p = data + i;
		barrier_var(p);
		if ((void *)(p + 2) > end)
			return -1;
		s += rd16(p);
		i += 2;
	}
	if (i < len) {
		vbound(i, 0x7ff);
		p = data + i;
		barrier_var(p);
		if ((void *)(p + 1) > end)
			return -1;
		s += (__u32)p[0] << 8;
	}
	return (__s64)s;
}

#endif
