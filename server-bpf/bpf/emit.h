// SPDX-License-Identifier: GPL-2.0-only
/* bpf/emit.h: building packets in place: resize, write an IP header, send with the route found. */
#ifndef RTR_BPF_EMIT_H
#define RTR_BPF_EMIT_H

/*
 * Included once, by rtr.bpf.c, after its configuration and maps.
 */

/* Writes the Ethernet header and sends the packet out; returns the tc verdict. */
static __always_inline int transmit(struct __sk_buff *skb, const struct route *r, int family)
{
	void *data = pkt_data(skb);
	void *end = pkt_end(skb);
	__u8 *eth = data;

	if ((void *)(eth + ETH_HLEN) > end)
		return drop(RTR_C_DROP_INTERNAL);
	if (r->neigh)
		return bpf_redirect_neigh(r->ifindex, NULL, 0, 0);
	__builtin_memcpy(eth + RTR_ETH_OFF_DST, r->dmac, 6);
	__builtin_memcpy(eth + RTR_ETH_OFF_SRC, r->smac, 6);
	return bpf_redirect(r->ifindex, 0);
}

/* Resizes the packet to l3len bytes after Ethernet; returns the L3 pointer or NULL. */
static __always_inline __u8 *resize(struct __sk_buff *skb, __u32 l3len)
{
	__u32 cur = ctx_u32(skb, len), want = ETH_HLEN + l3len;

	/*
	 * Growing takes headroom after the MAC header (no reallocation when the
	 * skb has the usual NET_SKB_PAD), shrinking trims the tail; every byte
	 * after the Ethernet header is rewritten afterwards either way.
	 */
	if (want > cur) {
		if (bpf_skb_adjust_room(skb, (__s32)(want - cur), BPF_ADJ_ROOM_MAC, 0))
			return NULL;
	} else if (want < cur && bpf_skb_change_tail(skb, want, 0)) {
		return NULL;
	}
	if (pull(skb, ETH_HLEN + l3len))
		return NULL;
	return (__u8 *)pkt_data(skb) + ETH_HLEN;
}

/*
 * Writes an IP header (no options, TOS 0) at ip and returns the sum of the
 * pseudo-header for the L4 checksum. IPv4 responses and probes set DF.
 */
static __always_inline __u32 write_ip(__u8 *ip, int family, const __u8 *src, const __u8 *dst,
				      __u8 proto, __u8 ttl, __u16 id, __u32 l4len)
{
	__u32 ps = sum_addr(src, family) + sum_addr(dst, family);

	if (family == 4) {
		__u32 s;

		wr16(ip + RTR_IP4_OFF_VER_IHL, RTR_IP4_VER_IHL_MIN << 8);
		wr16(ip + RTR_IP4_OFF_TOTLEN, RTR_IPV4_HDR_MIN + l4len);
		wr16(ip + RTR_IP4_OFF_ID, id);
		wr16(ip + RTR_IP4_OFF_FRAG, RTR_IP4_DF);
		ip[RTR_IP4_OFF_TTL] = ttl;
		ip[RTR_IP4_OFF_PROTO] = proto;
		__builtin_memcpy(ip + RTR_IP4_OFF_SRC, src + RTR_MAPPED_V4_OFF, 4);
		__builtin_memcpy(ip + RTR_IP4_OFF_DST, dst + RTR_MAPPED_V4_OFF, 4);
		s = (RTR_IP4_VER_IHL_MIN << 8) + RTR_IPV4_HDR_MIN + l4len + id + RTR_IP4_DF +
		    ((__u32)ttl << 8 | proto) + ps;
		wr16(ip + RTR_IP4_OFF_CSUM, (__u16)~fold16(s));
		return ps + proto + l4len;
	}
	wr32(ip + RTR_IP6_OFF_VER, 0x60000000u | RTR_PROBE_IP_TOS << 20 | RTR_PROBE_FLOWLABEL);
	wr16(ip + RTR_IP6_OFF_PLEN, l4len);
	ip[RTR_IP6_OFF_NEXT] = proto;
	ip[RTR_IP6_OFF_HLIM] = ttl;
	__builtin_memcpy(ip + RTR_IP6_OFF_SRC, src, 16);
	__builtin_memcpy(ip + RTR_IP6_OFF_DST, dst, 16);
	return ps + l4len + proto;
}

#endif
