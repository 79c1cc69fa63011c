// SPDX-License-Identifier: BSD-2-Clause
/* fuzz_probe.c: libFuzzer harness for rtr_probe_decode (whole packets and RTR_IP_QUOTED quotes). */
#include "fuzz.h"
#include "ip.h"
#include "probe.h"
#include "rtr_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every identity field the decoder reports is the one at its documented place (probe.h). */
static void check_seen(const struct rtr_probe_seen *s, const uint8_t *p, size_t len, unsigned flags)
{
	struct rtr_ip ip;
	int h = rtr_ip_decode(&ip, p, len, flags);

	FUZZ_CHECK(h > 0); /* a probe is first of all a valid IP packet */
	FUZZ_CHECK(!ip.fragment);
	FUZZ_CHECK(s->family == ip.family);
	FUZZ_CHECK(s->proto == ip.proto);
	FUZZ_CHECK(rtr_addr_eq(&s->src, &ip.src));
	FUZZ_CHECK(rtr_addr_eq(&s->dst, &ip.dst));
	FUZZ_CHECK(s->ttl == ip.ttl);
	FUZZ_CHECK(s->l4_len == rtr_ip_l4_len(&ip, len));
	FUZZ_CHECK(s->l4_len >= RTR_QUOTE_L4_MIN);
	FUZZ_CHECK(s->truncated == (ip.total_len > len));
	if (!(flags & RTR_IP_QUOTED))
		FUZZ_CHECK(!s->truncated);

	const uint8_t *l4 = p + h;
	FUZZ_CHECK(s->present & RTR_ID_L4);
	if (s->family == 4) {
		FUZZ_CHECK(s->present & RTR_ID_IPID);
		FUZZ_CHECK(s->id.ip_id == ip.id);
	} else {
		FUZZ_CHECK(!(s->present & RTR_ID_IPID));
		FUZZ_CHECK(!(s->present & RTR_ID_LEN));
		FUZZ_CHECK(s->id.ip_id == 0);
	}
	switch (s->proto) {
	case RTR_IPPROTO_UDP:
		FUZZ_CHECK(s->sport == RTR_PROBE_SPORT && rtr_get16(l4) == RTR_PROBE_SPORT);
		FUZZ_CHECK(s->flow == rtr_get16(l4 + 2));
		FUZZ_CHECK(s->id.l4 == rtr_get16(l4 + 6));
		if (s->l4_len >= RTR_UDP_HDR_LEN + RTR_PROBE_TAG_OFF + 4) {
			FUZZ_CHECK(s->present & RTR_ID_TAG);
			FUZZ_CHECK(s->id.tag ==
				   rtr_get32(l4 + RTR_UDP_HDR_LEN + RTR_PROBE_TAG_OFF));
		} else {
			FUZZ_CHECK(!(s->present & RTR_ID_TAG));
		}
		/* Our UDP length is 40, or 41 on IPv4; a whole packet agrees with its IP length. */
		FUZZ_CHECK(rtr_get16(l4 + 4) == RTR_UDP_HDR_LEN + RTR_PROBE_PAYLOAD_LEN ||
			   (s->family == 4 &&
			    rtr_get16(l4 + 4) == RTR_UDP_HDR_LEN + RTR_PROBE_PAYLOAD_LEN + 1));
		if (!(flags & RTR_IP_QUOTED))
			FUZZ_CHECK(rtr_get16(l4 + 4) == s->l4_len);
		if (s->family == 4)
			FUZZ_CHECK(s->present & RTR_ID_LEN);
		if (s->present & RTR_ID_LEN) {
			FUZZ_CHECK(s->family == 4);
			FUZZ_CHECK(s->id.len_extra <= 1);
			FUZZ_CHECK(rtr_get16(l4 + 4) ==
				   RTR_UDP_HDR_LEN + RTR_PROBE_PAYLOAD_LEN + s->id.len_extra);
		}
		break;
	case RTR_IPPROTO_TCP:
		FUZZ_CHECK(s->sport == RTR_PROBE_SPORT && rtr_get16(l4) == RTR_PROBE_SPORT);
		FUZZ_CHECK(s->flow == rtr_get16(l4 + 2));
		FUZZ_CHECK(s->id.l4 == rtr_get32(l4 + 4));
		FUZZ_CHECK(!(s->present & (RTR_ID_TAG | RTR_ID_LEN)));
		/* Flags lie beyond the 8 quoted bytes; when present they say SYN. */
		if (s->l4_len >= 14)
			FUZZ_CHECK((l4[13] & (RTR_TCP_SYN | RTR_TCP_ACK | RTR_TCP_RST |
					      RTR_TCP_FIN)) == RTR_TCP_SYN);
		if (!(flags & RTR_IP_QUOTED))
			FUZZ_CHECK(s->l4_len >= 20); /* a whole probe has a whole TCP header */
		break;
	case RTR_IPPROTO_ICMP:
	case RTR_IPPROTO_ICMPV6:
		FUZZ_CHECK(s->proto == (s->family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6));
		FUZZ_CHECK(l4[0] ==
			   (s->family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST));
		FUZZ_CHECK(l4[1] == 0);
		FUZZ_CHECK(s->sport == 0);
		FUZZ_CHECK(s->flow == rtr_get16(l4 + 2));
		FUZZ_CHECK(s->id.l4 == rtr_get32(l4 + 4));
		FUZZ_CHECK(!(s->present & (RTR_ID_TAG | RTR_ID_LEN)));
		break;
	default:
		FUZZ_CHECK(!"a probe of another protocol");
	}
}

/*
 * Independent reading of "one of our probes" (probe.h, PRB-6/7): UDP from
 * port 1021 with the UDP length of our payload (40, or 41 on IPv4; a whole
 * packet's must equal its L4 length), a TCP segment from port 1021 whose flags,
 * when present, are SYN alone, or an Echo Request code 0. Needs 8 L4 bytes, and
 * a whole TCP header unless quoted. The decoder must accept exactly these.
 */
static bool is_probe(const uint8_t *p, size_t len, unsigned flags)
{
	bool quoted = flags & RTR_IP_QUOTED;
	struct rtr_ip ip;
	int h = rtr_ip_decode(&ip, p, len, flags);

	if (h < 0 || ip.fragment)
		return false;
	size_t avail = rtr_ip_l4_len(&ip, len);
	const uint8_t *l4 = p + h;
	bool v4 = ip.family == 4;
	if (avail < RTR_QUOTE_L4_MIN)
		return false;
	switch (ip.proto) {
	case RTR_IPPROTO_UDP: {
		size_t ulen = rtr_get16(l4 + 4);
		size_t want = RTR_UDP_HDR_LEN + RTR_PROBE_PAYLOAD_LEN;
		return rtr_get16(l4) == RTR_PROBE_SPORT &&
		       (ulen == want || (v4 && ulen == want + 1)) && (quoted || ulen == avail);
	}
	case RTR_IPPROTO_TCP:
		if (!quoted && avail < 20)
			return false;
		return rtr_get16(l4) == RTR_PROBE_SPORT &&
		       (avail < 14 || (l4[13] & (RTR_TCP_SYN | RTR_TCP_ACK | RTR_TCP_RST |
						 RTR_TCP_FIN)) == RTR_TCP_SYN);
	case RTR_IPPROTO_ICMP:
		return v4 && l4[0] == RTR_ICMP4_ECHO_REQUEST && l4[1] == 0;
	case RTR_IPPROTO_ICMPV6:
		return !v4 && l4[0] == RTR_ICMP6_ECHO_REQUEST && l4[1] == 0;
	default:
		return false;
	}
}

static bool same_id(const struct rtr_probe_seen *a, const struct rtr_probe_seen *b, uint8_t bits)
{
	return (!(bits & RTR_ID_IPID) || a->id.ip_id == b->id.ip_id) &&
	       (!(bits & RTR_ID_L4) || a->id.l4 == b->id.l4) &&
	       (!(bits & RTR_ID_TAG) || a->id.tag == b->id.tag) &&
	       (!(bits & RTR_ID_LEN) || a->id.len_extra == b->id.len_extra);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtr_probe_seen s, q;
	uint8_t sel;
	size_t len;
	uint8_t *p = fuzz_take(data, size, &sel, &len);

	if (!p)
		return 0;
	if (sel & FUZZ_SEL_FIX)
		fuzz_fix_packet(p, len);
	unsigned flags = sel & FUZZ_SEL_QUOTED ? RTR_IP_QUOTED : 0;

	memset(&s, 0xA5, sizeof(s));
	int ret = rtr_probe_decode(&s, p, len, flags);
	FUZZ_CHECK((ret == RTR_OK) == is_probe(p, len, flags));
	if (ret == RTR_OK) {
		check_seen(&s, p, len, flags);
		/* A router's quote of this probe (same bytes, quoted) is the same probe. */
		if (!flags) {
			FUZZ_CHECK(rtr_probe_decode(&q, p, len, RTR_IP_QUOTED) == RTR_OK);
			FUZZ_CHECK(q.proto == s.proto && q.flow == s.flow);
			FUZZ_CHECK(q.present == s.present && same_id(&q, &s, s.present));
		}
		/* ANS-4: a quote cut after 8 L4 bytes still shows the probe and its L4 identity. */
		struct rtr_ip ip;
		size_t cut = (size_t)rtr_ip_decode(&ip, p, len, flags) + RTR_QUOTE_L4_MIN;
		if (s.l4_len > RTR_QUOTE_L4_MIN) {
			uint8_t *c = malloc(cut);
			FUZZ_CHECK(c);
			memcpy(c, p, cut);
			memset(&q, 0x5A, sizeof(q));
			FUZZ_CHECK(rtr_probe_decode(&q, c, cut, RTR_IP_QUOTED) == RTR_OK);
			check_seen(&q, c, cut, RTR_IP_QUOTED);
			FUZZ_CHECK(q.l4_len == RTR_QUOTE_L4_MIN && q.truncated);
			FUZZ_CHECK(q.proto == s.proto && q.flow == s.flow);
			FUZZ_CHECK(same_id(&q, &s, RTR_ID_IPID | RTR_ID_L4));
			free(c);
		}
	} else {
		FUZZ_CHECK(ret == RTR_E_NOT_OURS || ret == RTR_E_TRUNCATED ||
			   ret == RTR_E_VERSION || ret == RTR_E_IPHDR || ret == RTR_E_CHECKSUM ||
			   ret == RTR_E_FRAGMENT || ret == RTR_E_PROTO);
	}
	free(p);
	return 0;
}
