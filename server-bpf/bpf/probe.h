// SPDX-License-Identifier: GPL-2.0-only
/* bpf/probe.h: probe identities (SipHash of a per-CPU counter) and the probe builder. */
#ifndef RTR_BPF_PROBE_H
#define RTR_BPF_PROBE_H

/*
 * Included once, by rtr.bpf.c, after its configuration and maps: uses the
 * id_ctr map and the cfg_id_key* secret. write_probe stays a global
 * (__noinline) function, verified once against its argument types.
 */

/* 64 unpredictable bits: SipHash-2-4, under the secret key, of this CPU's next counter value. */
static __always_inline __u64 id_bits(void)
{
	__u32 zero = 0;
	__u64 *c = bpf_map_lookup_elem(&id_ctr, &zero);

	if (!c) /* never: the array has its one entry on every CPU */
		return (__u64)bpf_get_prandom_u32() << 32 | bpf_get_prandom_u32();
	return rtr_siphash_u64(cfg_id_key0, cfg_id_key1, (*c)++);
}

/* Identity of a new probe from fresh unpredictable bits; also its session key id. */
static __always_inline void new_identity(struct rtr_sess *v, struct rtr_sess_key *key)
{
	__u64 r = id_bits();
	__u32 r1 = (__u32)r, r2 = (__u32)(r >> 32);

	v->ip_id = key->family == 4 ? (__u16)r2 : 0;
	v->len_extra = 0;
	v->tag = 0;
	v->l4 = r1;
	if (key->proto == RTR_IPPROTO_UDP) {
		/* The UDP checksum field must be a valid non-zero value: 1..0xFFFE. */
		v->l4 = r1 % 0xfffe + 1;
		v->tag = (__u32)id_bits();
		if (key->family == 4) {
			v->len_extra = (r2 >> 16) & 1;
			key->id = (__u32)v->ip_id << 16 | v->l4;
		} else {
			key->id = v->tag;
		}
	} else {
		key->id = v->l4;
	}
}

/* One step of xorshift64* (payload bytes: varied, not secret). */
static __always_inline __u64 xorshift64s(__u64 *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545F4914F6CDD1Dull;
}

/*
 * Writes the probe for session v into the packet (IP header from scratch,
 * random payload) and returns its L3 length, or 0 when resizing failed.
 */
__noinline __u32 write_probe(struct __sk_buff *skb, const struct rtr_sess_key *key,
			     const struct rtr_sess *v)
{
	if (!key || !v)
		return 0;
	int family = key->family;
	__u32 iphl = family == 4 ? RTR_IPV4_HDR_MIN : RTR_IPV6_HDR_LEN, l4len, ps;
	__u8 *ip, *l4;
	void *end;
	__u64 s;

	if (key->proto == RTR_IPPROTO_TCP)
		l4len = RTR_TCP_PROBE_HDR_LEN;
	else if (key->proto == RTR_IPPROTO_UDP)
		l4len = RTR_UDP_HDR_LEN + RTR_PROBE_PAYLOAD_LEN + v->len_extra;
	else
		l4len = RTR_ICMP_HDR_LEN + RTR_PROBE_PAYLOAD_LEN;
	ip = resize(skb, iphl + l4len);
	if (!ip)
		return 0;
	end = pkt_end(skb);
	/* write_ip writes up to 40 bytes: every probe is longer than that. */
	if ((void *)(ip + RTR_IPV6_HDR_LEN) > end)
		return 0;
	ps = write_ip(ip, family, v->server, key->client, key->proto, v->ttl, v->ip_id, l4len);
	l4 = ip + iphl;
	barrier_var(l4);
	if ((void *)(l4 + RTR_TCP_PROBE_HDR_LEN) > end)
		return 0;
	if (key->proto == RTR_IPPROTO_TCP) {
		__u16 mss = family == 4 ? RTR_TCP_MSS_V4 : RTR_TCP_MSS_V6;

		wr16(l4 + RTR_TCP_OFF_SPORT, RTR_PROBE_SPORT);
		wr16(l4 + RTR_TCP_OFF_DPORT, v->flow);
		wr32(l4 + RTR_TCP_OFF_SEQ, v->l4);
		wr32(l4 + RTR_TCP_OFF_ACK, 0);
		wr16(l4 + RTR_TCP_OFF_DOFF, (RTR_TCP_PROBE_HDR_LEN / 4) << 12 | RTR_TCP_SYN);
		wr16(l4 + RTR_TCP_OFF_WINDOW, RTR_TCP_PROBE_WINDOW);
		wr16(l4 + RTR_TCP_OFF_URG, 0);
		wr16(l4 + RTR_TCP_OFF_OPTS, RTR_TCP_OPT_MSS_WORD);
		wr16(l4 + RTR_TCP_OFF_OPTS + 2, mss);
		s = ps + RTR_PROBE_SPORT + v->flow + (v->l4 >> 16) + (v->l4 & 0xffff) +
		    ((RTR_TCP_PROBE_HDR_LEN / 4) << 12 | RTR_TCP_SYN) + RTR_TCP_PROBE_WINDOW +
		    RTR_TCP_OPT_MSS_WORD + mss;
		wr16(l4 + RTR_TCP_OFF_CSUM, (__u16)~fold16(s));
		return iphl + l4len;
	}

	/* UDP and ICMP: 32 (+1) payload bytes, compensation word first. */
	__u8 *pl = l4 + RTR_ICMP_HDR_LEN; /* = RTR_UDP_HDR_LEN */
	__u32 want, have;
	__u64 t;

	if ((void *)(pl + RTR_PROBE_PAYLOAD_LEN) > end)
		return 0;
	/*
	 * Payload randomisation (Paris traceroute) needs varied bytes, not
	 * secret ones: xorshift64* fills the 32 bytes with four 8-byte stores,
	 * seeded from the identity's kernel random bits (mixed), which saves two
	 * helper calls per probe; the identity is on the wire anyway, so nothing
	 * is revealed. The compensation word and the tag are written over it.
	 */
	__u64 x = rtr_hash_fin(((__u64)v->l4 << 32 | (v->tag ^ (__u32)v->ip_id << 16)) *
			       0x9e3779b97f4a7c15ull) |
		  1;
	*(__u64 *)pl = xorshift64s(&x);
	*(__u64 *)(pl + 8) = xorshift64s(&x);
	*(__u64 *)(pl + 16) = xorshift64s(&x);
	*(__u64 *)(pl + 24) = xorshift64s(&x);
	wr16(pl + RTR_PROBE_COMP_OFF, 0);
	if (key->proto == RTR_IPPROTO_UDP) {
		wr16(l4 + RTR_UDP_OFF_SPORT, RTR_PROBE_SPORT);
		wr16(l4 + RTR_UDP_OFF_DPORT, v->flow);
		wr16(l4 + RTR_UDP_OFF_LEN, l4len);
		wr32(pl + RTR_PROBE_TAG_OFF, v->tag);
		s = ps + RTR_PROBE_SPORT + v->flow + l4len;
		want = v->l4 & 0xffff;
	} else {
		l4[RTR_ICMP_OFF_TYPE] =
			family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST;
		l4[RTR_ICMP_OFF_CODE] = 0;
		wr32(l4 + RTR_ICMP_OFF_ID, v->l4);
		s = (__u32)l4[RTR_ICMP_OFF_TYPE] << 8;
		if (family == 6)
			s += ps;
		s += (v->l4 >> 16) + (v->l4 & 0xffff);
		want = v->flow;
	}
	/* The payload as native 32-bit halves; byte order commutes with the sum (RFC 1071). */
	t = 0;
	for (int n = 0; n < RTR_PROBE_PAYLOAD_LEN; n += 8) {
		__u64 w = *(const __u64 *)(pl + n);

		t += (w & 0xffffffffull) + (w >> 32);
	}
	s += __builtin_bswap16(fold16(t));
	if (key->proto == RTR_IPPROTO_UDP && v->len_extra) {
		__u8 *wp = pl + RTR_PROBE_PAYLOAD_LEN;

		if ((void *)(wp + 1) > end)
			return 0;
		wp[0] = (__u8)(x >> 56);
		s += (__u32)wp[0] << 8;
	}
	/* Compensation so the checksum field equals `want` (rtr_csum_compensate). */
	have = (__u16)~fold16(s);
	wr16(pl + RTR_PROBE_COMP_OFF, fold16((__u64)have + (__u16)~want));
	wr16(l4 + (key->proto == RTR_IPPROTO_UDP ? RTR_UDP_OFF_CSUM : RTR_ICMP_OFF_CSUM), want);
	return iphl + l4len;
}

#endif
