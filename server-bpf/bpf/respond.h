// SPDX-License-Identifier: GPL-2.0-only
/* bpf/respond.h: the responder: a response to the client, and the RST that follows a SYN-ACK. */
#ifndef RTR_BPF_RESPOND_H
#define RTR_BPF_RESPOND_H

/*
 * Included once, by rtr.bpf.c, after its configuration and maps, after emit.h.
 * respond and send_rst stay global (__noinline) functions, verified once against
 * their argument types (hence the NULL checks at their top): both handlers call respond.
 */

/* Response fields (docs/PROTOCOL.md 3). */
struct rsp {
	__u8 state;
	__u16 ident;
	__u16 value;
	__u8 hop[16];
	__u32 rtt;
};

/*
 * Rewrites the packet into a response from `server` to `client` and sends it
 * along the route r. Returns the tc verdict.
 */
__noinline int respond(struct __sk_buff *skb, const struct flow_out *fo, const struct rsp *rs,
		       const struct route *r)
{
	if (!fo || !rs || !r)
		return drop(RTR_C_DROP_INTERNAL);
	int family = fo->family;
	__u32 icmplen = rs->state == RTR_STATE_OK ? RTR_RSP_OK_LEN : RTR_RSP_ERR_LEN;
	__u32 iphl = family == 4 ? RTR_IPV4_HDR_MIN : RTR_IPV6_HDR_LEN;
	__u8 type = family == 4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY;
	__u8 proto = family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	__u8 *ip, *ic;
	void *end;
	__u64 s;

	ip = resize(skb, iphl + icmplen);
	if (!ip)
		return drop(RTR_C_DROP_INTERNAL);
	end = pkt_end(skb);
	/*
	 * The first test is for the verifier (whose view of iphl + icmplen is a
	 * range), the per-family ones for the header and the error fields.
	 */
	if ((void *)(ip + RTR_IPV6_HDR_LEN + RTR_RSP_OK_LEN) > end &&
	    (void *)(ip + iphl + icmplen) > end)
		return drop(RTR_C_DROP_INTERNAL);
	if (family == 4) {
		if ((void *)(ip + RTR_IPV4_HDR_MIN + RTR_RSP_ERR_LEN) > end)
			return drop(RTR_C_DROP_INTERNAL);
	} else if ((void *)(ip + RTR_IPV6_HDR_LEN + RTR_RSP_ERR_LEN) > end) {
		return drop(RTR_C_DROP_INTERNAL);
	}
	s = write_ip(ip, family, fo->src, fo->dst, proto, RTR_RSP_TTL, 0, icmplen);
	if (family == 4)
		s = 0; /* ICMPv4 has no pseudo-header */
	ic = ip + iphl;
	ic[RTR_ICMP_OFF_TYPE] = type;
	ic[RTR_ICMP_OFF_CODE] = RTR_CODE_RTR;
	wr16(ic + RTR_ICMP_OFF_ID, rs->ident);
	wr16(ic + RTR_ICMP_OFF_SEQ, 0);
	ic[RTR_RSP_OFF_STATE] = rs->state;
	ic[RTR_RSP_OFF_ERRLEN] = 0;
	wr16(ic + RTR_RSP_OFF_VALUE, rs->value);
	s += ((__u32)type << 8 | RTR_CODE_RTR) + rs->ident + ((__u32)rs->state << 8) + rs->value;
	if (rs->state == RTR_STATE_OK) {
		if ((void *)(ic + RTR_RSP_OK_LEN) > end)
			return drop(RTR_C_DROP_INTERNAL);
		__builtin_memcpy(ic + RTR_RSP_OFF_HOP, rs->hop, 16);
		s += sum_addr(rs->hop, 6);
		wr32(ic + RTR_RSP_OFF_TIMESPAN, rs->rtt);
		wr32(ic + RTR_RSP_OFF_TIMESPAN + 4, 0);
		s += (rs->rtt >> 16) + (rs->rtt & 0xffff);
	}
	wr16(ic + RTR_ICMP_OFF_CSUM, (__u16)~fold16(s));
	count(RTR_C_RSP_OK + rs->state, 1);
	count(RTR_C_BYTES_OUT, iphl + icmplen);
	return transmit(skb, r, family);
}

/*
 * Rewrites a SYN-ACK into the RST its sender must get (seq = its ack number,
 * no ACK flag) and sends a clone of it; the packet stays ours to rewrite into
 * the response. Returns -1 only when the packet was left unusable.
 */
__noinline int send_rst(struct __sk_buff *skb, const struct flow_out *fo, __u32 ack,
			const struct route *rr)
{
	if (!fo || !rr)
		return -1;
	int family = fo->family;
	__u32 iphl = family == 4 ? RTR_IPV4_HDR_MIN : RTR_IPV6_HDR_LEN, ps;
	__u16 flow = fo->dport;
	__u8 *ip, *t;
	void *data, *end;
	__u64 ts;

	ip = resize(skb, iphl + RTR_TCP_HDR_MIN);
	if (!ip)
		return -1;
	end = pkt_end(skb);
	if ((void *)(ip + RTR_IPV6_HDR_LEN) > end)
		return -1;
	ps = write_ip(ip, family, fo->src, fo->dst, RTR_IPPROTO_TCP, RTR_RST_TTL, 0,
		      RTR_TCP_HDR_MIN);
	t = ip + iphl;
	barrier_var(t);
	if ((void *)(t + RTR_TCP_HDR_MIN) > end)
		return -1;
	wr16(t + RTR_TCP_OFF_SPORT, RTR_PROBE_SPORT);
	wr16(t + RTR_TCP_OFF_DPORT, flow);
	wr32(t + RTR_TCP_OFF_SEQ, ack);
	wr32(t + RTR_TCP_OFF_ACK, 0);
	wr16(t + RTR_TCP_OFF_DOFF, (RTR_TCP_HDR_MIN / 4) << 12 | RTR_TCP_RST);
	wr16(t + RTR_TCP_OFF_WINDOW, 0);
	wr16(t + RTR_TCP_OFF_URG, 0);
	ts = ps + RTR_PROBE_SPORT + flow + (ack >> 16) + (ack & 0xffff) +
	     ((RTR_TCP_HDR_MIN / 4) << 12 | RTR_TCP_RST);
	wr16(t + RTR_TCP_OFF_CSUM, (__u16)~fold16(ts));
	data = pkt_data(skb);
	end = pkt_end(skb);
	if (data + ETH_HLEN > end)
		return -1;
	if (!rr->neigh) {
		__builtin_memcpy(data + RTR_ETH_OFF_DST, rr->dmac, 6);
		__builtin_memcpy(data + RTR_ETH_OFF_SRC, rr->smac, 6);
	}
	if (!bpf_clone_redirect(skb, rr->ifindex, 0)) {
		count(RTR_C_RST_SENT, 1);
		count(RTR_C_BYTES_OUT, iphl + RTR_TCP_HDR_MIN);
	}
	return 0;
}

#endif
