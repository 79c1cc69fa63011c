// SPDX-License-Identifier: BSD-2-Clause
/* fuzz_answer.c: libFuzzer harness for rtr_answer_decode, _match and _encode_rst. */
#include "answer.h"
#include "fuzz.h"
#include "ip.h"
#include "probe.h"
#include "rtr_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool is_icmp_kind(uint8_t kind)
{
	return kind == RTR_ANS_TIME_EXCEEDED || kind == RTR_ANS_DEST_UNREACH ||
	       kind == RTR_ANS_ECHO_REPLY;
}

/* The answer's fields are the outer packet's, and a quoted probe is what the quote shows. */
static void check_decoded(const struct rtr_answer *a, const uint8_t *p, size_t len)
{
	struct rtr_ip ip;
	int h = rtr_ip_decode(&ip, p, len, 0);

	FUZZ_CHECK(h > 0);
	FUZZ_CHECK(!ip.fragment);
	FUZZ_CHECK(a->family == ip.family);
	FUZZ_CHECK(rtr_addr_eq(&a->from, &ip.src));
	FUZZ_CHECK(rtr_addr_eq(&a->to, &ip.dst));
	FUZZ_CHECK(a->reply_ttl == ip.ttl);
	FUZZ_CHECK(a->probe.family == a->family);

	const uint8_t *l4 = p + h;
	size_t l4_len = rtr_ip_l4_len(&ip, len);
	bool v4 = a->family == 4;
	uint32_t pseudo = fuzz_pseudo(a->family, ip.src.b, ip.dst.b, ip.proto, (uint32_t)l4_len);

	if (is_icmp_kind(a->kind)) {
		FUZZ_CHECK(ip.proto == (v4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6));
		FUZZ_CHECK(l4_len >= RTR_ICMP_HDR_LEN);
		FUZZ_CHECK(a->icmp_type == l4[0] && a->icmp_code == l4[1]);
		/* ANS-5: the outer ICMP checksum was verified. */
		FUZZ_CHECK(fuzz_csum_ok(v4 ? 0 : pseudo, l4, l4_len));
	}
	switch (a->kind) {
	case RTR_ANS_TIME_EXCEEDED:
	case RTR_ANS_DEST_UNREACH: {
		uint8_t te = v4 ? RTR_ICMP4_TIME_EXCEEDED : RTR_ICMP6_TIME_EXCEEDED;
		uint8_t du = v4 ? RTR_ICMP4_DEST_UNREACH : RTR_ICMP6_DEST_UNREACH;
		FUZZ_CHECK(a->icmp_type == (a->kind == RTR_ANS_TIME_EXCEEDED ? te : du));
		/* The quote after the 8-byte ICMP header decodes as the same probe. */
		struct rtr_probe_seen q;
		FUZZ_CHECK(rtr_probe_decode(&q, l4 + RTR_ICMP_HDR_LEN, l4_len - RTR_ICMP_HDR_LEN,
					    RTR_IP_QUOTED) == RTR_OK);
		FUZZ_CHECK(q.family == a->probe.family && q.proto == a->probe.proto);
		FUZZ_CHECK(rtr_addr_eq(&q.src, &a->probe.src) &&
			   rtr_addr_eq(&q.dst, &a->probe.dst));
		FUZZ_CHECK(q.flow == a->probe.flow && q.present == a->probe.present);
		FUZZ_CHECK(q.id.l4 == a->probe.id.l4);
		break;
	}
	case RTR_ANS_ECHO_REPLY:
		FUZZ_CHECK(a->icmp_type == (v4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY));
		FUZZ_CHECK(a->icmp_code == 0);
		FUZZ_CHECK(a->probe.proto == ip.proto);
		FUZZ_CHECK(rtr_addr_eq(&a->probe.src, &a->to) &&
			   rtr_addr_eq(&a->probe.dst, &a->from));
		FUZZ_CHECK(a->probe.id.l4 == rtr_get32(l4 + 4));
		FUZZ_CHECK(!(a->probe.present & RTR_ID_IPID));
		break;
	case RTR_ANS_TCP_RST:
	case RTR_ANS_TCP_SYNACK:
		FUZZ_CHECK(ip.proto == RTR_IPPROTO_TCP && l4_len >= 20);
		FUZZ_CHECK(fuzz_csum_ok(pseudo, l4, l4_len));
		FUZZ_CHECK(rtr_get16(l4 + 2) == RTR_PROBE_SPORT);
		FUZZ_CHECK(a->probe.proto == RTR_IPPROTO_TCP);
		FUZZ_CHECK(a->probe.sport == RTR_PROBE_SPORT);
		FUZZ_CHECK(a->probe.flow == rtr_get16(l4));
		FUZZ_CHECK(rtr_addr_eq(&a->probe.src, &a->to) &&
			   rtr_addr_eq(&a->probe.dst, &a->from));
		FUZZ_CHECK(a->tcp_ack == rtr_get32(l4 + 8));
		FUZZ_CHECK(a->probe.id.l4 == a->tcp_ack - 1);
		FUZZ_CHECK(!(a->probe.present & RTR_ID_IPID));
		if (a->kind == RTR_ANS_TCP_RST)
			FUZZ_CHECK(l4[13] & RTR_TCP_RST);
		else
			FUZZ_CHECK((l4[13] & (RTR_TCP_SYN | RTR_TCP_ACK)) ==
				   (RTR_TCP_SYN | RTR_TCP_ACK));
		break;
	default:
		FUZZ_CHECK(!"an answer of unknown kind");
	}
}

/*
 * Independent reading of "an answer to some probe" (answer.h, ANS-5): a whole,
 * unfragmented IP packet carrying an ICMP Time Exceeded or Destination
 * Unreachable that quotes a probe of the same family, an Echo Reply code 0,
 * or a TCP segment to port 1021 with ACK and SYN or RST; the outer ICMP/TCP
 * checksum verifies. The decoder must accept every such packet.
 */
static bool is_answer(const uint8_t *p, size_t len)
{
	struct rtr_ip ip;
	int h = rtr_ip_decode(&ip, p, len, 0);

	if (h < 0 || ip.fragment)
		return false;
	const uint8_t *l4 = p + h;
	size_t n = rtr_ip_l4_len(&ip, len);
	bool v4 = ip.family == 4;
	uint32_t pseudo = fuzz_pseudo(ip.family, ip.src.b, ip.dst.b, ip.proto, (uint32_t)n);

	if (ip.proto == (v4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6)) {
		if (n < RTR_ICMP_HDR_LEN || !fuzz_csum_ok(v4 ? 0 : pseudo, l4, n))
			return false;
		if (l4[0] == (v4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY))
			return l4[1] == 0;
		if (l4[0] != (v4 ? RTR_ICMP4_TIME_EXCEEDED : RTR_ICMP6_TIME_EXCEEDED) &&
		    l4[0] != (v4 ? RTR_ICMP4_DEST_UNREACH : RTR_ICMP6_DEST_UNREACH))
			return false;
		struct rtr_probe_seen q;
		return rtr_probe_decode(&q, l4 + RTR_ICMP_HDR_LEN, n - RTR_ICMP_HDR_LEN,
					RTR_IP_QUOTED) == RTR_OK &&
		       q.family == ip.family;
	}
	if (ip.proto != RTR_IPPROTO_TCP || n < 20 || !fuzz_csum_ok(pseudo, l4, n))
		return false;
	return rtr_get16(l4 + 2) == RTR_PROBE_SPORT && (l4[13] & RTR_TCP_ACK) &&
	       (l4[13] & (RTR_TCP_SYN | RTR_TCP_RST));
}

/* ANS-1, ANS-3: a match means every field the answer shows equals the sent probe's. */
static void check_match(const struct rtr_answer *a)
{
	uint8_t icmp = a->family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	uint8_t proto = a->probe.proto;
	struct rtr_probe sent, other;

	if (proto != RTR_IPPROTO_UDP && proto != RTR_IPPROTO_TCP && proto != icmp)
		proto = RTR_IPPROTO_UDP; /* still a question with a definite answer: no match */
	fuzz_probe_fixed(&sent, a->family, proto);
	int r = rtr_answer_match(a, &sent);
	FUZZ_CHECK(r == RTR_OK || r == RTR_E_MISMATCH || r == RTR_E_QUOTE_SHORT);
	if (r != RTR_OK)
		return;
	const struct rtr_probe_seen *s = &a->probe;
	bool quote = a->kind == RTR_ANS_TIME_EXCEEDED || a->kind == RTR_ANS_DEST_UNREACH;
	FUZZ_CHECK(s->proto == sent.proto);
	FUZZ_CHECK(rtr_addr_eq(&s->src, &sent.src) && rtr_addr_eq(&s->dst, &sent.dst));
	if (a->kind != RTR_ANS_ECHO_REPLY)
		FUZZ_CHECK(s->flow == sent.flow);
	if (a->kind == RTR_ANS_TIME_EXCEEDED)
		FUZZ_CHECK(a->icmp_code == RTR_CODE_TTL_EXCEEDED);
	FUZZ_CHECK(s->present & RTR_ID_L4);
	FUZZ_CHECK(s->id.l4 == sent.id.l4);
	if (quote && a->family == 4)
		FUZZ_CHECK(s->present & RTR_ID_IPID);
	if (s->present & RTR_ID_IPID)
		FUZZ_CHECK(s->id.ip_id == sent.id.ip_id);
	if (sent.proto == RTR_IPPROTO_UDP && a->family == 6)
		FUZZ_CHECK(s->present & RTR_ID_TAG);
	if (s->present & RTR_ID_TAG)
		FUZZ_CHECK(s->id.tag == sent.id.tag);
	if (s->present & RTR_ID_LEN)
		FUZZ_CHECK(s->id.len_extra == sent.id.len_extra);

	/* Never a probe of the other family. */
	fuzz_probe_fixed(&other, a->family == 4 ? 6 : 4,
			 sent.proto == icmp
				 ? (a->family == 4 ? RTR_IPPROTO_ICMPV6 : RTR_IPPROTO_ICMP)
				 : sent.proto);
	FUZZ_CHECK(rtr_answer_match(a, &other) == RTR_E_MISMATCH);

	/* PRB-5: one bit of identity or address off, and it is no longer ours. */
	other = sent;
	other.id.l4 ^= 1;
	FUZZ_CHECK(rtr_answer_match(a, &other) != RTR_OK);
	other = sent;
	other.src.b[15] ^= 1;
	FUZZ_CHECK(rtr_answer_match(a, &other) != RTR_OK);
	other = sent;
	other.dst.b[15] ^= 1;
	FUZZ_CHECK(rtr_answer_match(a, &other) != RTR_OK);
	if (s->present & RTR_ID_IPID) {
		other = sent;
		other.id.ip_id ^= 0x100;
		FUZZ_CHECK(rtr_answer_match(a, &other) != RTR_OK);
	}
	if (s->present & RTR_ID_TAG) {
		other = sent;
		other.id.tag ^= 0x10000;
		FUZZ_CHECK(rtr_answer_match(a, &other) != RTR_OK);
	}
}

/* ANS-2: the RST after a SYN-ACK goes back to the destination with seq = the SYN-ACK's ack. */
static void check_rst(const struct rtr_answer *a)
{
	uint8_t out[128];
	struct rtr_ip ip;

	int n = rtr_answer_encode_rst(out, sizeof(out), a);
	FUZZ_CHECK(n > 0 && (size_t)n <= sizeof(out));
	FUZZ_CHECK(rtr_answer_encode_rst(out, (size_t)n - 1, a) == RTR_E_NOSPACE);
	n = rtr_answer_encode_rst(out, sizeof(out), a);
	int h = rtr_ip_decode(&ip, out, (size_t)n, 0);
	FUZZ_CHECK(h > 0 && ip.total_len == n);
	FUZZ_CHECK(ip.family == a->family && ip.proto == RTR_IPPROTO_TCP && !ip.fragment);
	FUZZ_CHECK(rtr_addr_eq(&ip.src, &a->to) && rtr_addr_eq(&ip.dst, &a->from));
	const uint8_t *t = out + h;
	size_t tl = (size_t)n - (size_t)h;
	FUZZ_CHECK(tl >= 20);
	FUZZ_CHECK(rtr_get16(t) == RTR_PROBE_SPORT);
	FUZZ_CHECK(rtr_get16(t + 2) == a->probe.flow);
	FUZZ_CHECK(rtr_get32(t + 4) == a->tcp_ack);
	/* ANS-2 decisions: TTL 64, window 0, ack 0, RST alone; ID 0 with DF, TOS and flow label 0.
	 */
	FUZZ_CHECK(t[13] == RTR_TCP_RST);
	FUZZ_CHECK(rtr_get32(t + 8) == 0 && rtr_get16(t + 14) == 0);
	FUZZ_CHECK(t[12] >> 4 >= 5 && (size_t)(t[12] >> 4) * 4 <= tl);
	FUZZ_CHECK(ip.ttl == 64 && ip.tos == 0);
	if (ip.family == 4)
		FUZZ_CHECK(ip.id == 0 && ip.df);
	else
		FUZZ_CHECK(ip.flowlabel == 0);
	FUZZ_CHECK(fuzz_csum_ok(
		fuzz_pseudo(ip.family, ip.src.b, ip.dst.b, RTR_IPPROTO_TCP, (uint32_t)tl), t, tl));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtr_answer a;
	uint8_t sel;
	size_t len;
	uint8_t *p = fuzz_take(data, size, &sel, &len);

	if (!p)
		return 0;
	if (sel & FUZZ_SEL_FIX)
		fuzz_fix_packet(p, len);

	memset(&a, 0xA5, sizeof(a));
	int ret = rtr_answer_decode(&a, p, len);
	FUZZ_CHECK((ret == RTR_OK) == is_answer(p, len));
	if (ret == RTR_OK) {
		check_decoded(&a, p, len);
		check_match(&a);
		if (a.kind == RTR_ANS_TCP_SYNACK) {
			check_rst(&a);
		} else {
			uint8_t out[128];
			FUZZ_CHECK(rtr_answer_encode_rst(out, sizeof(out), &a) == RTR_E_INVAL);
		}
	} else {
		FUZZ_CHECK(ret == RTR_E_NOT_OURS || ret == RTR_E_TRUNCATED ||
			   ret == RTR_E_VERSION || ret == RTR_E_IPHDR || ret == RTR_E_CHECKSUM ||
			   ret == RTR_E_FRAGMENT || ret == RTR_E_QUOTE_SHORT);
	}
	free(p);
	return 0;
}
