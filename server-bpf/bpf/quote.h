// SPDX-License-Identifier: GPL-2.0-only
/* bpf/quote.h: answer quoting: the probe an ICMP error quotes, as far as it shows it. */
#ifndef RTR_BPF_QUOTE_H
#define RTR_BPF_QUOTE_H

/*
 * Included once, by rtr.bpf.c, after its configuration and maps.
 * parse_quote stays a global (__noinline) function, verified once.
 */

/* The probe an answer shows, as far as it shows it. */
struct seen {
	struct rtr_sess_key key;
	__u8 server[16]; /* the probe's source */
	__u16 flow;
	__u16 ip_id;
	__u32 l4;
	__u32 tag;
	__u8 has_ipid;
	__u8 has_tag;
	__u8 has_flow;
	__u8 len_extra;
	__u8 has_len;
	__u8 is_synack;
	__u32 ack; /* SYN-ACK: the RST's sequence number */
};

/*
 * Parses the probe quoted by an ICMP error at byte offset q, as
 * rtr_probe_decode(RTR_IP_QUOTED) does; 0 when it is one of our probes and
 * shows enough identity to be matched.
 */
__noinline int parse_quote(struct __sk_buff *skb, const struct pkt *k, __u32 q, struct seen *sn)
{
	if (!k || !sn)
		return -1;
	void *data = pkt_data(skb);
	void *end = pkt_end(skb);
	__u32 avail, hl, qtot, l4avail;
	__u8 *ip, *l4;

	if (q > 128 || k->l4len < 8)
		return -1;
	vbound(q, 0xff);
	avail = k->l4len - 8;
	ip = data + q;
	if ((void *)(ip + RTR_IPV6_HDR_LEN) > end && (void *)(ip + RTR_IPV4_HDR_MIN) > end)
		return -1;
	if (k->family == 4) {
		if ((void *)(ip + RTR_IPV4_HDR_MIN) > end || avail < RTR_IPV4_HDR_MIN ||
		    ip[RTR_IP4_OFF_VER_IHL] >> 4 != 4)
			return -1;
		hl = (ip[RTR_IP4_OFF_VER_IHL] & 0xf) * 4;
		qtot = rd16(ip + RTR_IP4_OFF_TOTLEN);
		if (hl < RTR_IPV4_HDR_MIN || avail < hl || qtot < hl ||
		    (rd16(ip + RTR_IP4_OFF_FRAG) & RTR_IP4_MF_OFFSET))
			return -1;
		sn->key.proto = ip[RTR_IP4_OFF_PROTO];
		if (sn->key.proto != RTR_IPPROTO_UDP && sn->key.proto != RTR_IPPROTO_TCP &&
		    sn->key.proto != RTR_IPPROTO_ICMP)
			return -1;
		sn->ip_id = rd16(ip + RTR_IP4_OFF_ID);
		sn->has_ipid = 1;
		__builtin_memset(sn->server, 0, 10);
		sn->server[10] = sn->server[11] = 0xff;
		__builtin_memcpy(sn->server + RTR_MAPPED_V4_OFF, ip + RTR_IP4_OFF_SRC, 4);
		__builtin_memset(sn->key.client, 0, 10);
		sn->key.client[10] = sn->key.client[11] = 0xff;
		__builtin_memcpy(sn->key.client + RTR_MAPPED_V4_OFF, ip + RTR_IP4_OFF_DST, 4);
	} else {
		if ((void *)(ip + RTR_IPV6_HDR_LEN) > end || avail < RTR_IPV6_HDR_LEN ||
		    ip[RTR_IP6_OFF_VER] >> 4 != 6)
			return -1;
		hl = RTR_IPV6_HDR_LEN;
		qtot = RTR_IPV6_HDR_LEN + rd16(ip + RTR_IP6_OFF_PLEN);
		if (qtot > 0xffff)
			return -1;
		sn->key.proto = ip[RTR_IP6_OFF_NEXT];
		if (sn->key.proto != RTR_IPPROTO_UDP && sn->key.proto != RTR_IPPROTO_TCP &&
		    sn->key.proto != RTR_IPPROTO_ICMPV6)
			return -1; /* also a Fragment header: never one of our probes */
		__builtin_memcpy(sn->server, ip + RTR_IP6_OFF_SRC, 16);
		__builtin_memcpy(sn->key.client, ip + RTR_IP6_OFF_DST, 16);
	}
	l4avail = (avail < qtot ? avail : qtot) - hl;
	if (l4avail < RTR_QUOTE_L4_MIN)
		return -1; /* RTR_E_QUOTE_SHORT */
	vbound(hl, 0x3f);
	l4 = ip + hl;
	if ((void *)(l4 + RTR_QUOTE_L4_MIN) > end)
		return -1;
	sn->key.family = k->family;
	if (sn->key.proto == RTR_IPPROTO_UDP) {
		__u32 ulen = rd16(l4 + RTR_UDP_OFF_LEN);

		if (rd16(l4 + RTR_UDP_OFF_SPORT) != RTR_PROBE_SPORT ||
		    ulen < RTR_UDP_HDR_LEN + RTR_PROBE_PAYLOAD_LEN ||
		    ulen - RTR_UDP_HDR_LEN - RTR_PROBE_PAYLOAD_LEN > (k->family == 4 ? 1u : 0u))
			return -1;
		sn->flow = rd16(l4 + RTR_UDP_OFF_DPORT);
		sn->has_flow = 1;
		sn->l4 = rd16(l4 + RTR_UDP_OFF_CSUM);
		if (k->family == 4) {
			sn->len_extra = ulen - RTR_UDP_HDR_LEN - RTR_PROBE_PAYLOAD_LEN;
			sn->has_len = 1;
		}
		if (l4avail >= RTR_UDP_HDR_LEN + RTR_PROBE_TAG_OFF + 4) {
			__u8 *t = l4 + RTR_UDP_HDR_LEN + RTR_PROBE_TAG_OFF;

			if ((void *)(t + 4) > end)
				return -1;
			sn->tag = rd32(t);
			sn->has_tag = 1;
		}
		if (k->family == 4)
			sn->key.id = (__u32)sn->ip_id << 16 | sn->l4;
		else if (sn->has_tag)
			sn->key.id = sn->tag;
		else
			return -1; /* IPv6 UDP needs the tag (RTR_E_QUOTE_SHORT) */
		return 0;
	}
	if (sn->key.proto == RTR_IPPROTO_TCP) {
		if (rd16(l4 + RTR_TCP_OFF_SPORT) != RTR_PROBE_SPORT)
			return -1;
		/* The flags lie beyond a minimal quote: checked when present. */
		if (l4avail > RTR_TCP_OFF_FLAGS) {
			if ((void *)(l4 + RTR_TCP_FLAGS_END) > end)
				return -1;
			if ((l4[RTR_TCP_OFF_FLAGS] & (RTR_TCP_SYN | RTR_TCP_ACK | RTR_TCP_RST |
						      RTR_TCP_FIN)) != RTR_TCP_SYN)
				return -1;
		}
		sn->flow = rd16(l4 + RTR_TCP_OFF_DPORT);
		sn->has_flow = 1;
		sn->l4 = rd32(l4 + RTR_TCP_OFF_SEQ);
		sn->key.id = sn->l4;
		return 0;
	}
	if (l4[RTR_ICMP_OFF_TYPE] !=
		    (k->family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST) ||
	    l4[RTR_ICMP_OFF_CODE])
		return -1;
	sn->flow = rd16(l4 + RTR_ICMP_OFF_CSUM);
	sn->has_flow = 1;
	sn->l4 = rd32(l4 + RTR_ICMP_OFF_ID);
	sn->key.id = sn->l4;
	return 0;
}

#endif
