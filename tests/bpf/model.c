// SPDX-License-Identifier: BSD-2-Clause
/* model.c: what the server must do with a packet, decided with proto/ alone (differential and
 * vector tests). */
#include "model.h"

#include <string.h>

#include "answer.h"
#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "ip.h"
#include "request.h"
#include "response.h"
#include "rtr_wire.h"

/*
 * The model follows docs/PROTOCOL.md and rtr-server(8), not the program: it
 * reads packets with proto/ only and adds the server's documented limits
 * (1024-byte requests, 16 extension objects, no route back -> drop).
 */

const char *const kind_name[] = {"pass", "drop", "probe", "error response", "success response"};

static bool is_group(const struct rtr_addr *a, int family)
{
	return family == 4 ? rtr_addr_v4(a)[0] >= 224 : a->b[0] == 0xff;
}

bool model_routable(const struct rtr_addr *a, int family)
{
	static const uint8_t net6[] = {0x20, 0x01, 0x0d, 0xb8};
	struct rtr_addr self;

	if (family == 4) {
		const uint8_t *v = rtr_addr_v4(a);

		if (v[0] == 203 && v[1] == 0 && v[2] == 113)
			return true;
		return v[0] == 198 && v[1] == 51 && v[2] == 100 && v[3] != 1;
	}
	rtr_addr_parse(&self, "2001:db8:1::1");
	return !memcmp(a->b, net6, 4) && !rtr_addr_eq(a, &self);
}

bool model_local(const struct rtr_addr *a)
{
	static const char *const own[] = {"198.51.100.1", "2001:db8:1::1", "100.64.7.1",
					  "203.0.113.20", "2001:db8:5::20"};
	struct rtr_addr o;

	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		rtr_addr_parse(&o, own[i]);
		if (rtr_addr_eq(a, &o))
			return true;
	}
	return false;
}

static bool pending_has(const struct model *m, const struct rtr_addr *client, uint16_t ident)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->s[i].live && m->s[i].ident == ident &&
		    rtr_addr_eq(&m->s[i].sent.dst, client))
			return true;
	return false;
}

/* Counts extension objects the way the server walks them; -1 when the walk fails. */
static int ext_objects(const uint8_t *icmp, size_t len)
{
	size_t off = RTR_REQ_OFF_EXT + RTR_EXT_HDR_LEN;
	int n = 0;

	while (off < len) {
		size_t olen;

		if (off + 4 > len)
			return -1;
		olen = rtr_get16(icmp + off);
		if (icmp[off + 2] == RTR_EXT_CLASS_TARGET && icmp[off + 3] == 0)
			olen = RTR_EXT_TARGET_LEN_RFC;
		if (olen < 4)
			return -1;
		off += olen;
		n++;
	}
	return n;
}

static enum kind model_request(const struct model *m, const struct rtr_ip *ip, const uint8_t *pkt,
			       size_t len, size_t hl, size_t l4len, uint8_t *state)
{
	struct rtr_l3 l3 = {.family = ip->family, .src = ip->src, .dst = ip->dst};
	struct rtr_request rq;
	uint16_t value;
	int err, st;

	if (ip->fragment)
		return K_DROP;
	if (l4len < RTR_REQ_LEN || hl + RTR_REQ_LEN > len)
		return K_DROP;
	if (l4len > 1024 || is_group(&ip->dst, ip->family) || is_group(&ip->src, ip->family))
		return K_DROP;
	err = rtr_request_decode(&rq, &l3, pkt + hl, l4len);
	if (err < 0)
		return K_DROP; /* checksum, extension structure */
	if (rq.has_ext && ext_objects(pkt + hl, l4len) > 16)
		return K_DROP;
	st = rtr_request_state(&rq, ip->family, NULL, &value);
	if (!model_routable(&ip->src, ip->family))
		return K_DROP; /* no route back */
	if (st) {
		*state = (uint8_t)st;
		return K_ERR;
	}
	return pending_has(m, &ip->src, rq.ident) ? K_DROP : K_PROBE;
}

static enum kind model_answer(struct model *m, const uint8_t *pkt, size_t len, size_t l4len,
			      uint64_t now_ns, size_t *which)
{
	struct rtr_answer a;
	int err = rtr_answer_decode(&a, pkt, len);

	if (l4len > 1280)
		return K_PASS;
	if (err == RTR_E_CHECKSUM &&
	    (pkt[0] >> 4 == 4 ? pkt[9] == RTR_IPPROTO_TCP : pkt[6] == RTR_IPPROTO_TCP)) {
		/* The server also takes a TCP answer whose field is the bare pseudo-header sum. */
		struct rtr_ip ip;
		int hl = rtr_ip_decode(&ip, pkt, len, 0);
		uint8_t copy[BT_MAX];
		uint32_t ps;

		if (hl > 0 && l4len >= 20) {
			ps = rtr_csum_pseudo(ip.family, &ip.src, &ip.dst, RTR_IPPROTO_TCP,
					     (uint32_t)l4len);
			uint16_t bare = (uint16_t)~rtr_csum_fold(ps);

			if (rtr_get16(pkt + hl + 16) == bare) {
				memcpy(copy, pkt, len);
				rtr_put16(copy + hl + 16, 0);
				rtr_put16(copy + hl + 16,
					  rtr_csum_fold(rtr_csum_add(ps, copy + hl, l4len)));
				err = rtr_answer_decode(&a, copy, len);
			}
		}
	}
	if (err != RTR_OK)
		return K_PASS;
	for (size_t i = 0; i < m->n; i++) {
		if (!m->s[i].live || rtr_answer_match(&a, &m->s[i].sent) != RTR_OK)
			continue;
		if (now_ns - m->s[i].t_ns >= m->timeout_ns) {
			m->s[i].live = false; /* expired: ended without a response */
			return K_PASS;
		}
		*which = i;
		return K_OK;
	}
	return K_PASS;
}

/*
 * Whether Linux takes IPv4 options o[0..n) on input (SRV-12): each option
 * within IHL, record route and timestamp once each with a pointer that
 * leaves room for its entry, router alert of length 4 or more, never a
 * source route or CIPSO; bytes after End are not read.
 */
static bool v4_options_taken(const uint8_t *o, size_t n)
{
	int rr = 0, ts = 0;

	for (size_t i = 0; i < n && o[i] != 0; i += o[i] == 1 ? 1 : o[i + 1]) {
		const uint8_t *p = o + i;
		size_t room = n - i;

		if (p[0] == 1)
			continue;
		if (room < 2 || p[1] < 2 || p[1] > room)
			return false;
		if (p[0] == 131 || p[0] == 137 || p[0] == 134)
			return false;
		if (p[0] == 148 && p[1] < 4)
			return false;
		if (p[0] == 7 &&
		    (rr++ || p[1] < 3 || p[2] < 4 || (p[2] <= p[1] && p[2] + 3 > p[1])))
			return false;
		if (p[0] == 68) {
			unsigned entry;

			if (ts++ || p[1] < 4 || p[2] < 5)
				return false;
			entry = (p[3] & 0xf) == 1 || (p[3] & 0xf) == 3 ? 8 : 4;
			if (p[2] <= p[1] ? p[2] + entry - 1 > p[1] : p[3] >> 4 == 15)
				return false;
		}
	}
	return true;
}

/*
 * An IPv6 packet whose next header is Hop-by-Hop, Routing or Destination
 * Options (SRV-13): a request found behind up to 4 of them (and a Fragment
 * header) whose destination is ours is dropped; everything else passes,
 * including a Routing header with segments left and headers that leave the
 * first 200 bytes.
 */
static enum kind model_v6_ext(const uint8_t *pkt, size_t len)
{
	size_t off = 40, l4len = rtr_get16(pkt + 4);
	uint8_t nh = pkt[6];
	struct rtr_addr dst;

	for (int i = 0; i < 4 && (nh == 0 || nh == 43 || nh == 60); i++) {
		size_t hl;

		if (off > 160 - 14 || off + 8 > len)
			return K_PASS;
		hl = ((size_t)pkt[off + 1] + 1) * 8;
		if (hl > l4len || (nh == 43 && pkt[off + 3]))
			return K_PASS;
		nh = pkt[off];
		off += hl;
		l4len -= hl;
	}
	if (nh == 44) {
		if (off > 200 - 14 || off + 8 > len || l4len < 8)
			return K_PASS;
		if (rtr_get16(pkt + off + 2) & 0xfff8)
			return K_PASS; /* a later fragment */
		nh = pkt[off];
		off += 8;
	}
	if (nh != RTR_IPPROTO_ICMPV6 || off > 200 - 14 || off + 4 > len)
		return K_PASS;
	if (pkt[off] != RTR_ICMP6_ECHO_REQUEST || pkt[off + 1] != RTR_CODE_RTR)
		return K_PASS;
	memcpy(dst.b, pkt + 24, 16);
	return model_local(&dst) ? K_DROP : K_PASS;
}

enum kind model_decide(struct model *m, const uint8_t *pkt, size_t len, uint64_t now_ns,
		       uint8_t *state, size_t *which)
{
	struct rtr_ip ip;
	int hl = rtr_ip_decode(&ip, pkt, len, 0);
	size_t l4len;
	const uint8_t *l4;

	if (hl < 0)
		return K_PASS; /* the kernel drops it, or it is not IP */
	if (ip.family == 4 && hl > 20 && !v4_options_taken(pkt + 20, (size_t)hl - 20))
		return K_PASS; /* the kernel drops it */
	if (ip.family == 6 && (pkt[6] == 0 || pkt[6] == 43 || pkt[6] == 60))
		return model_v6_ext(pkt, len);
	if (ip.proto != RTR_IPPROTO_TCP &&
	    ip.proto != (ip.family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6))
		return K_PASS;
	if (ip.family == 4 && (rtr_get16(pkt + 6) & 0x1fff))
		return K_PASS; /* a later fragment shows no L4 header */
	if (ip.family == 6 && ip.fragment && (rtr_get16(pkt + 42) & 0xfff8))
		return K_PASS;
	l4len = rtr_ip_l4_len(&ip, len);
	l4 = pkt + hl;
	if ((size_t)hl + 4 > len)
		return K_PASS;
	if (ip.proto == RTR_IPPROTO_TCP) {
		if ((size_t)hl + 14 > len || rtr_get16(l4 + 2) != RTR_PROBE_SPORT)
			return K_PASS;
		if (!(l4[13] & RTR_TCP_ACK) || !(l4[13] & (RTR_TCP_RST | RTR_TCP_SYN)))
			return K_PASS;
		return model_answer(m, pkt, len, l4len, now_ns, which);
	}
	if (l4[0] == (ip.family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST) &&
	    l4[1] == RTR_CODE_RTR) {
		if (!model_local(&ip.dst))
			return K_PASS; /* transit, or not unicast: the kernel's (SRV-11) */
		return model_request(m, &ip, pkt, len, (size_t)hl, l4len, state);
	}
	if ((l4[0] == (ip.family == 4 ? RTR_ICMP4_TIME_EXCEEDED : RTR_ICMP6_TIME_EXCEEDED) &&
	     l4[1] == 0) ||
	    l4[0] == (ip.family == 4 ? RTR_ICMP4_DEST_UNREACH : RTR_ICMP6_DEST_UNREACH) ||
	    (l4[0] == (ip.family == 4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY) && l4[1] == 0))
		return model_answer(m, pkt, len, l4len, now_ns, which);
	return K_PASS;
}

enum kind model_observed(const struct bt_result *r, const uint8_t *in, size_t len, uint8_t *state,
			 struct rtr_probe_seen *probe)
{
	struct rtr_ip ip;
	struct rtr_response rsp;
	int hl;

	if (r->retval == BT_TC_ACT_OK)
		return bt_unchanged(r, in, len) ? K_PASS : (enum kind) - 1;
	if (r->retval == BT_TC_ACT_SHOT)
		return K_DROP;
	if (r->retval != BT_TC_ACT_REDIRECT)
		return (enum kind) - 1;
	if (rtr_probe_decode(probe, r->l3, r->l3len, 0) == RTR_OK)
		return K_PROBE;
	hl = rtr_ip_decode(&ip, r->l3, r->l3len, 0);
	if (hl < 0)
		return (enum kind) - 1;
	struct rtr_l3 l3 = {.family = ip.family, .src = ip.src, .dst = ip.dst};
	if (rtr_response_decode(&rsp, &l3, r->l3 + hl, rtr_ip_l4_len(&ip, r->l3len)) < 0)
		return (enum kind) - 1;
	*state = rsp.state;
	return rsp.state ? K_ERR : K_OK;
}

long model_add(struct model *m, const struct rtr_probe_seen *seen, const uint8_t *pkt, size_t len,
	       uint16_t ident, uint64_t t_ns)
{
	size_t slot = m->n;

	if (slot == MODEL_MAX_SESS) {
		/* Compact ended sessions. */
		size_t w = 0;

		for (size_t i = 0; i < m->n; i++)
			if (m->s[i].live)
				m->s[w++] = m->s[i];
		for (size_t i = w; i < m->n; i++)
			m->s[i].live = false;
		m->n = w;
		slot = w;
		if (slot == MODEL_MAX_SESS)
			return -1;
	}
	m->n++;
	memset(&m->s[slot], 0, sizeof(m->s[slot]));
	m->s[slot].live = true;
	m->s[slot].ident = ident;
	m->s[slot].t_ns = t_ns;
	m->s[slot].sent = (struct rtr_probe){.family = seen->family,
					     .proto = seen->proto,
					     .src = seen->src,
					     .dst = seen->dst,
					     .ttl = seen->ttl,
					     .flow = seen->flow,
					     .id = seen->id};
	if (len > sizeof(m->s[slot].pkt))
		len = sizeof(m->s[slot].pkt);
	memcpy(m->s[slot].pkt, pkt, len);
	m->s[slot].len = len;
	return (long)slot;
}
