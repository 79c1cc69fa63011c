// SPDX-License-Identifier: GPL-2.0-only
/* bpf/parse.h: the IP header after Ethernet: length, checksum, IPv4 options, IPv6 extensions. */
#ifndef RTR_BPF_PARSE_H
#define RTR_BPF_PARSE_H

/*
 * Included once, by rtr.bpf.c, after its configuration and maps.
 * v4_opts_ok stays a global (__noinline) function: its option walk (at most 40
 * steps, a constant bound) is verified once, not on every path through parse_ip.
 */

/* Makes the first `need` bytes linear; returns 0 when they are readable. */
static __always_inline int pull(struct __sk_buff *skb, __u32 need)
{
	if (pkt_data(skb) + need <= pkt_end(skb))
		return 0;
	if (need > skb->len)
		return -1;
	if (bpf_skb_pull_data(skb, need))
		return -1;
	return pkt_data(skb) + need <= pkt_end(skb) ? 0 : -1;
}

/*
 * Whether Linux takes the IPv4 options of a packet for this host (what
 * ip_options_compile and ip_rcv_options accept, measured on kernel 6.18;
 * docs/PROTOCOL.md SRV-12): every option fits (type, length >= 2, within
 * IHL), record route and timestamp at most once each with a valid pointer
 * (and room for the entry it points at), router alert of length >= 4. Source
 * routes (refused unless accept_source_route) and CIPSO (refused without a
 * configured DOI) never are. Bytes after an End option do not count.
 * Returns 1 when the kernel would take them.
 */
__noinline int v4_opts_ok(struct __sk_buff *skb, __u32 ihl)
{
	void *data = pkt_data(skb);
	void *end = pkt_end(skb);
	__u32 n = ihl - RTR_IPV4_HDR_MIN, i = 0, len, ptr, fl;
	int rr = 0, ts = 0;
	__u8 *p;

	if (ihl > RTR_IP4_HDR_MAX || ihl < RTR_IPV4_HDR_MIN)
		return 0;
	for (int step = 0; step < 40; step++) {
		if (i >= n)
			break;
		vbound(i, 0x3f);
		p = data + ETH_HLEN + RTR_IPV4_HDR_MIN + i;
		barrier_var(p);
		if ((void *)(p + 1) > end)
			return 0;
		if (p[0] == RTR_IPOPT_END)
			break;
		if (p[0] == RTR_IPOPT_NOOP) {
			i++;
			continue;
		}
		if (i + RTR_IPOPT_OFF_PTR > n || (void *)(p + RTR_IPOPT_OFF_PTR) > end)
			return 0;
		len = p[RTR_IPOPT_OFF_LEN];
		if (len < 2 || i + len > n)
			return 0;
		switch (p[0]) {
		case RTR_IPOPT_LSRR:
		case RTR_IPOPT_SSRR:
		case RTR_IPOPT_CIPSO:
			return 0;
		case RTR_IPOPT_RR:
			if (rr++ || len < 3 || (void *)(p + 3) > end)
				return 0;
			ptr = p[RTR_IPOPT_OFF_PTR];
			if (ptr < 4 || (ptr <= len && ptr + 3 > len))
				return 0;
			break;
		case RTR_IPOPT_TS:
			if (ts++ || len < 4 || (void *)(p + 4) > end)
				return 0;
			ptr = p[RTR_IPOPT_OFF_PTR];
			fl = p[RTR_IPOPT_OFF_TS_FLAGS];
			if (ptr < 5)
				return 0;
			if (ptr <= len) {
				if (ptr + 3 > len)
					return 0;
				/* With addresses, or prespecified: 8 bytes per entry. */
				if (((fl & 0xf) == 1 || (fl & 0xf) == 3) && ptr + 7 > len)
					return 0;
			} else if (fl >> 4 == 15) {
				return 0; /* full, and its overflow counter too */
			}
			break;
		case RTR_IPOPT_RA:
			if (len < 4)
				return 0;
			break;
		default:
			break;
		}
		i += len;
	}
	return 1;
}

/*
 * Parses the IP header after Ethernet. Returns 1 for a header we may act on,
 * 0 for anything to pass untouched (also headers the kernel would reject:
 * bad version, length, IPv4 header checksum or options).
 */
static __always_inline int parse_ip(struct __sk_buff *skb, void *data, void *end, struct pkt *k)
{
	__u16 eth_proto = *(__u16 *)(data + RTR_ETH_OFF_TYPE);
	__u8 *ip = data + ETH_HLEN;

	if (eth_proto == bpf_htons(ETH_P_IP)) {
		__u32 ihl, tot, frag;
		__u64 s = 0;

		if ((void *)(ip + RTR_IPV4_HDR_MIN) > end)
			return 0;
		if (ip[RTR_IP4_OFF_VER_IHL] >> 4 != 4)
			return 0;
		k->proto = ip[RTR_IP4_OFF_PROTO];
		if (k->proto != RTR_IPPROTO_ICMP && k->proto != RTR_IPPROTO_TCP)
			return 0;
		ihl = (ip[RTR_IP4_OFF_VER_IHL] & 0xf) * 4;
		tot = rd16(ip + RTR_IP4_OFF_TOTLEN);
		if (ihl < RTR_IPV4_HDR_MIN || tot < ihl || tot > skb->len - ETH_HLEN)
			return 0;
		if ((void *)(ip + ihl) > end)
			return 0;
		for (__u32 i = 0; i < RTR_IPV4_HDR_MIN; i += 2)
			s += rd16(ip + i);
		for (__u32 i = RTR_IPV4_HDR_MIN; i < RTR_IP4_HDR_MAX; i += 4) {
			__u8 *o;

			barrier_var(i);
			if (i >= ihl)
				break;
			o = ip + i;
			if ((void *)(o + 4) > end)
				return 0;
			s += rd16(o) + rd16(o + 2);
		}
		if (fold16(s) != 0xffff)
			return 0;
		if (ihl > RTR_IPV4_HDR_MIN && !v4_opts_ok(skb, ihl))
			return 0;
		frag = rd16(ip + RTR_IP4_OFF_FRAG);
		k->fragment = (frag & RTR_IP4_MF_OFFSET) != 0;
		k->first_fragment = (frag & RTR_IP4_OFFSET_MASK) == 0;
		k->exthdr = 0;
		k->family = 4;
		k->l4off = ETH_HLEN + ihl;
		k->l4len = tot - ihl;
		__builtin_memset(k->src, 0, 10);
		k->src[10] = k->src[11] = 0xff;
		__builtin_memcpy(k->src + RTR_MAPPED_V4_OFF, ip + RTR_IP4_OFF_SRC, 4);
		__builtin_memset(k->dst, 0, 10);
		k->dst[10] = k->dst[11] = 0xff;
		__builtin_memcpy(k->dst + RTR_MAPPED_V4_OFF, ip + RTR_IP4_OFF_DST, 4);
		return 1;
	}
	if (eth_proto == bpf_htons(ETH_P_IPV6)) {
		__u32 plen;

		if ((void *)(ip + RTR_IPV6_HDR_LEN) > end)
			return 0;
		if (ip[RTR_IP6_OFF_VER] >> 4 != 6)
			return 0;
		k->proto = ip[RTR_IP6_OFF_NEXT];
		plen = rd16(ip + RTR_IP6_OFF_PLEN);
		if (plen > skb->len - ETH_HLEN - RTR_IPV6_HDR_LEN)
			return 0;
		k->fragment = 0;
		k->first_fragment = 1;
		k->exthdr = 0;
		k->l4off = ETH_HLEN + RTR_IPV6_HDR_LEN;
		k->l4len = plen;
		/*
		 * Up to 4 Hop-by-Hop, Routing or Destination options headers are
		 * skipped so that a request behind them is recognised (and dropped,
		 * SRV-13); a Routing header with segments left is not for us yet.
		 */
		for (int i = 0; i < 4; i++) {
			__u32 off = k->l4off, hl;
			__u8 *eh;

			if (k->proto != RTR_IP6_NH_HOPOPTS && k->proto != RTR_IP6_NH_ROUTING &&
			    k->proto != RTR_IP6_NH_DSTOPTS)
				break;
			if (off > 160)
				return 0;
			vbound(off, 0xff);
			eh = data + off;
			if ((void *)(eh + RTR_IP6_EXT_MIN_LEN) > end)
				return 0;
			hl = ((__u32)eh[RTR_IP6_EXT_OFF_LEN] + 1) * 8;
			if (hl > k->l4len ||
			    (k->proto == RTR_IP6_NH_ROUTING && eh[RTR_IP6_RH_OFF_SEGLEFT]))
				return 0;
			k->exthdr = 1;
			k->proto = eh[RTR_IP6_EXT_OFF_NEXT];
			k->l4off += hl;
			k->l4len -= hl;
		}
		if (k->proto == RTR_IP6_NH_FRAGMENT) {
			/* RFC 8200 4.5: the L4 header follows when the offset is 0. */
			__u32 off = k->l4off;
			__u8 *fh;

			if (off > 200)
				return 0;
			vbound(off, 0xff);
			fh = data + off;
			if ((void *)(fh + RTR_IP6_FRAG_HDR_LEN) > end ||
			    k->l4len < RTR_IP6_FRAG_HDR_LEN)
				return 0;
			k->fragment = 1;
			k->first_fragment =
				(rd16(fh + RTR_IP6_FRAG_OFF_OFFSET) & RTR_IP6_OFFSET_MASK) == 0;
			k->proto = fh[RTR_IP6_EXT_OFF_NEXT];
			k->l4off += RTR_IP6_FRAG_HDR_LEN;
			k->l4len -= RTR_IP6_FRAG_HDR_LEN;
		}
		if (k->proto != RTR_IPPROTO_ICMPV6 && k->proto != RTR_IPPROTO_TCP)
			return 0;
		k->family = 6;
		__builtin_memcpy(k->src, ip + RTR_IP6_OFF_SRC, 16);
		__builtin_memcpy(k->dst, ip + RTR_IP6_OFF_DST, 16);
		return 1;
	}
	return 0;
}

#endif
