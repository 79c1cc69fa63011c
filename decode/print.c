// SPDX-License-Identifier: BSD-2-Clause
/* print.c: classifies one IP packet with the proto/ decoders and describes it in one line. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "ip.h"
#include "wire_names.h"
#include "print.h"
#include "response.h"
#include "rtr_wire.h"

#define TCP_HDR_MIN 20

/* A bounded line builder: output past the end is dropped, never written out of bounds. */
struct line {
	char *buf;
	size_t cap, len;
};

__attribute__((format(printf, 2, 3))) static void put(struct line *l, const char *fmt, ...)
{
	if (l->len + 1 >= l->cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(l->buf + l->len, l->cap - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < l->cap - l->len ? (size_t)n : l->cap - l->len - 1;
}

static const char *addr_str(const struct rtr_addr *a, char *buf)
{
	return rtr_addr_format(a, buf, RTR_ADDR_STRLEN);
}

static const char *proto_name(unsigned proto)
{
	switch (proto) {
	case RTR_PROTO_DEFAULT:
		return "default";
	case RTR_IPPROTO_ICMP:
		return "icmp";
	case RTR_IPPROTO_TCP:
		return "tcp";
	case RTR_IPPROTO_UDP:
		return "udp";
	case RTR_IPPROTO_ICMPV6:
		return "icmp6";
	}
	return "unknown";
}

static const char *icmp_name(int family, unsigned type)
{
	if (family == 4) {
		switch (type) {
		case RTR_ICMP4_ECHO_REPLY:
			return "echo reply";
		case RTR_ICMP4_DEST_UNREACH:
			return "destination unreachable";
		case RTR_ICMP4_ECHO_REQUEST:
			return "echo request";
		case RTR_ICMP4_TIME_EXCEEDED:
			return "time exceeded";
		}
	} else {
		switch (type) {
		case RTR_ICMP6_DEST_UNREACH:
			return "destination unreachable";
		case RTR_ICMP6_TIME_EXCEEDED:
			return "time exceeded";
		case RTR_ICMP6_ECHO_REQUEST:
			return "echo request";
		case RTR_ICMP6_ECHO_REPLY:
			return "echo reply";
		}
	}
	return "other";
}

static void put_ip(struct line *l, const struct rtr_ip *ip)
{
	char s[RTR_ADDR_STRLEN], d[RTR_ADDR_STRLEN];
	if (ip->family == 4) {
		put(l, "IPv4 %s > %s ttl %u id 0x%04x", addr_str(&ip->src, s),
		    addr_str(&ip->dst, d), ip->ttl, ip->id);
		if (ip->df)
			put(l, " DF");
	} else {
		put(l, "IPv6 %s > %s hlim %u", addr_str(&ip->src, s), addr_str(&ip->dst, d),
		    ip->ttl);
		if (ip->flowlabel)
			put(l, " flowlabel 0x%05x", ip->flowlabel);
	}
	if (ip->tos)
		put(l, " tos 0x%02x", ip->tos);
	if (ip->options_len)
		put(l, " options %u bytes", ip->options_len);
	if (ip->fragment)
		put(l, " fragment");
	put(l, " len %u", ip->total_len);
}

/* The identity fields an observation of a probe carries (probe.h). */
static void put_identity(struct line *l, const struct rtr_probe_seen *s)
{
	put(l, " identity");
	if (s->present & RTR_ID_IPID)
		put(l, " ip-id 0x%04x", s->id.ip_id);
	if (s->present & RTR_ID_L4) {
		if (s->proto == RTR_IPPROTO_UDP)
			put(l, " udp-csum 0x%04x", s->id.l4 & 0xffff);
		else if (s->proto == RTR_IPPROTO_TCP)
			put(l, " tcp-seq 0x%08x", s->id.l4);
		else
			put(l, " icmp-id 0x%04x icmp-seq 0x%04x", s->id.l4 >> 16,
			    s->id.l4 & 0xffff);
	}
	if (s->present & RTR_ID_TAG)
		put(l, " tag 0x%08x", s->id.tag);
	if (s->present & RTR_ID_LEN)
		put(l, " len-extra %u", s->id.len_extra);
	if (!(s->present & (RTR_ID_IPID | RTR_ID_L4 | RTR_ID_TAG | RTR_ID_LEN)))
		put(l, " none");
}

static void put_probe_fields(struct line *l, const struct rtr_probe_seen *s)
{
	if (s->proto == RTR_IPPROTO_UDP)
		put(l, "udp sport %u flow %u", s->sport, s->flow);
	else if (s->proto == RTR_IPPROTO_TCP)
		put(l, "tcp syn sport %u flow %u", s->sport, s->flow);
	else
		put(l, "%s echo flow 0x%04x", proto_name(s->proto), s->flow);
	put_identity(l, s);
}

static uint32_t l4_pseudo(const struct rtr_ip *ip, size_t l4_len)
{
	if (ip->family == 4 && ip->proto == RTR_IPPROTO_ICMP)
		return 0;
	return rtr_csum_pseudo(ip->family, &ip->src, &ip->dst, ip->proto, (uint32_t)l4_len);
}

static void remember_probe(struct rtr_dec_ctx *c, unsigned pkt, uint64_t ts_us,
			   const struct rtr_probe_seen *s)
{
	unsigned i = c->nprobes++ % RTR_DEC_REMEMBER;
	c->probes[i].answered_by = 0;
	c->probes[i].ts_us = ts_us;
	struct rtr_probe *p = &c->probes[i].p;
	memset(p, 0, sizeof(*p));
	p->family = s->family;
	p->proto = s->proto;
	p->src = s->src;
	p->dst = s->dst;
	p->ttl = s->ttl;
	p->flow = s->flow;
	p->id = s->id;
	c->probes[i].pkt = pkt;
}

static void print_probe(struct rtr_dec_ctx *c, struct line *l, unsigned pkt, uint64_t ts_us,
			const struct rtr_ip *ip, const uint8_t *l4, size_t l4_len,
			const struct rtr_probe_seen *s)
{
	put(l, "probe ");
	put_probe_fields(l, s);
	put(l, ", %u L4 bytes, %s cksum %s", s->l4_len, proto_name(ip->proto),
	    rtr_csum_ok(l4_pseudo(ip, l4_len), l4, l4_len) ? "ok" : "BAD");
	remember_probe(c, pkt, ts_us, s);
}

/* What a server does with a matching answer: respond once, in time (SES-3, SES-5). */
static void put_session(struct rtr_dec_ctx *c, struct line *l, unsigned i, unsigned pkt,
			uint64_t ts_us)
{
	uint64_t age = ts_us >= c->probes[i].ts_us ? ts_us - c->probes[i].ts_us : 0;
	if (c->probes[i].answered_by) {
		put(l, "; probe #%u was answered by #%u already: no second response",
		    c->probes[i].pkt, c->probes[i].answered_by);
		return;
	}
	c->probes[i].answered_by = pkt;
	if (age > RTR_DEC_TIMEOUT_US)
		put(l,
		    "; %llu.%06llu s after the probe, past the default session timeout: no "
		    "response",
		    (unsigned long long)(age / 1000000), (unsigned long long)(age % 1000000));
}

/* Which remembered probe, if any, an answer matches strictly (rtr_answer_match). */
static void put_match(struct rtr_dec_ctx *c, struct line *l, const struct rtr_answer *a,
		      unsigned pkt, uint64_t ts_us)
{
	unsigned n = c->nprobes < RTR_DEC_REMEMBER ? c->nprobes : RTR_DEC_REMEMBER;
	unsigned short_pkt = 0;
	if (!n) {
		put(l, "; no probe in this capture to match");
		return;
	}
	for (unsigned k = 0; k < n; k++) {
		/* Newest first: a retransmitted flow matches its latest probe. */
		unsigned i = (c->nprobes - 1 - k) % RTR_DEC_REMEMBER;
		int err = rtr_answer_match(a, &c->probes[i].p);
		if (err == RTR_OK) {
			put(l, "; matches probe #%u", c->probes[i].pkt);
			put_session(c, l, i, pkt, ts_us);
			return;
		}
		if (err == RTR_E_QUOTE_SHORT && !short_pkt)
			short_pkt = c->probes[i].pkt;
	}
	if (short_pkt)
		put(l, "; quote too short to verify probe #%u: no match", short_pkt);
	else if (a->kind == RTR_ANS_TIME_EXCEEDED && a->icmp_code != RTR_CODE_TTL_EXCEEDED)
		put(l, "; code %u never matches", a->icmp_code);
	else
		put(l, "; matches no probe in this capture");
}

static void print_answer(struct rtr_dec_ctx *c, struct line *l, unsigned pkt, uint64_t ts_us,
			 const struct rtr_answer *a)
{
	char buf[RTR_ADDR_STRLEN], buf2[RTR_ADDR_STRLEN];
	const struct rtr_probe_seen *s = &a->probe;
	put(l, "answer %s", rtr_answer_kind_name(a->kind));
	if (a->kind <= RTR_ANS_ECHO_REPLY)
		put(l, " code %u", a->icmp_code);
	put(l, " from %s", addr_str(&a->from, buf));
	switch (a->kind) {
	case RTR_ANS_TIME_EXCEEDED:
	case RTR_ANS_DEST_UNREACH:
		put(l, " quoting probe %s > %s ttl %u ", addr_str(&s->src, buf),
		    addr_str(&s->dst, buf2), s->ttl);
		put_probe_fields(l, s);
		put(l, ", %u L4 bytes quoted%s", s->l4_len, s->truncated ? " (cut short)" : "");
		break;
	case RTR_ANS_ECHO_REPLY:
		put(l, " to %s", proto_name(s->proto));
		put_identity(l, s);
		break;
	default:
		put(l, " port %u ack 0x%08x", s->flow, a->tcp_ack);
		put_identity(l, s);
		break;
	}
	put_match(c, l, a, pkt, ts_us);
	if (a->kind == RTR_ANS_TCP_SYNACK) {
		put(l, "; the server resets it with seq 0x%08x", a->tcp_ack);
		unsigned i = c->nsynacks++ % RTR_DEC_REMEMBER;
		c->synacks[i].a = *a;
		c->synacks[i].pkt = pkt;
	}
}

static void print_request(struct rtr_dec_ctx *c, struct line *l, unsigned pkt,
			  const struct rtr_ip *ip, const uint8_t *icmp, size_t len)
{
	struct rtr_l3 l3 = {.family = ip->family, .src = ip->src, .dst = ip->dst};
	struct rtr_request rq;
	int err = rtr_request_decode(&rq, &l3, icmp, len);
	if (err < 0) {
		put(l, "rtr request malformed (%s), %zu ICMP bytes: dropped silently",
		    rtr_strerror(err), len);
		return;
	}
	put(l, "rtr request ident 0x%04x seq %u ttl %u proto %u (%s) flow %u", rq.ident, rq.seq,
	    rq.ttl, rq.proto, proto_name(rq.proto), rq.flow);
	/* An ICMP flow is a checksum value: hex is how it is written everywhere else. */
	if (rq.flow && (rq.proto == RTR_PROTO_DEFAULT || rq.proto == RTR_IPPROTO_ICMP ||
			rq.proto == RTR_IPPROTO_ICMPV6))
		put(l, " (0x%04x)", rq.flow);
	if (rq.has_ext) {
		char buf[RTR_ADDR_STRLEN];
		put(l, " ext %u bytes:", rq.ext_len);
		if (rq.has_target)
			put(l, " target %s (length %u)", addr_str(&rq.target, buf),
			    rq.target_obj_len);
		if (rq.has_padding)
			put(l, " padding %u", rq.padding_len);
		if (rq.has_unknown)
			put(l, " unknown class %u c-type %u", rq.unknown_class, rq.unknown_ctype);
		if (!rq.has_target && !rq.has_padding && !rq.has_unknown)
			put(l, " no objects");
	} else if (len > RTR_REQ_LEN) {
		put(l, " (%zu trailing bytes ignored)", len - RTR_REQ_LEN);
	}
	uint16_t value = 0;
	int st = rtr_request_state(&rq, ip->family, &c->policy, &value);
	put(l, "; server answers state %d (%s)", st, st >= 0 ? rtr_state_name(st) : "?");
	if (value)
		put(l, " value 0x%04x", value);
	if (st == RTR_STATE_OK) {
		int pp = rtr_request_probe_proto(rq.proto, ip->family);
		uint16_t flow = rtr_request_probe_flow((uint8_t)pp, rq.flow);
		if (pp == RTR_IPPROTO_UDP || pp == RTR_IPPROTO_TCP)
			put(l, " and probes %s flow %u", proto_name((unsigned)pp), flow);
		else
			put(l, " and probes %s flow 0x%04x", proto_name((unsigned)pp), flow);
	}
	/* SES-2: one pending session per (client address, identifier). */
	unsigned n = c->nrequests < RTR_DEC_REMEMBER ? c->nrequests : RTR_DEC_REMEMBER;
	for (unsigned k = 0; st == RTR_STATE_OK && k < n; k++) {
		unsigned j = (c->nrequests - 1 - k) % RTR_DEC_REMEMBER;
		if (c->requests[j].ident == rq.ident &&
		    rtr_addr_eq(&c->requests[j].client, &ip->src)) {
			put(l,
			    "; same client and identifier as request #%u: dropped while that one "
			    "is pending",
			    c->requests[j].pkt);
			break;
		}
	}
	unsigned i = c->nrequests++ % RTR_DEC_REMEMBER;
	c->requests[i].ident = rq.ident;
	c->requests[i].seq = rq.seq;
	c->requests[i].client = ip->src;
	c->requests[i].server = ip->dst;
	c->requests[i].pkt = pkt;
}

/* The request (same ident, addresses swapped) a kernel may have echoed, or 0. */
static unsigned echoed_request(const struct rtr_dec_ctx *c, const struct rtr_ip *ip,
			       const struct rtr_response *rsp, size_t len)
{
	unsigned n = c->nrequests < RTR_DEC_REMEMBER ? c->nrequests : RTR_DEC_REMEMBER;
	for (unsigned k = 0; k < n; k++) {
		unsigned i = (c->nrequests - 1 - k) % RTR_DEC_REMEMBER;
		if (c->requests[i].ident == rsp->ident &&
		    rtr_addr_eq(&c->requests[i].client, &ip->dst) &&
		    rtr_addr_eq(&c->requests[i].server, &ip->src) &&
		    rtr_response_is_kernel_echo(rsp, len, c->requests[i].seq))
			return c->requests[i].pkt;
	}
	return 0;
}

static void print_response(struct rtr_dec_ctx *c, struct line *l, const struct rtr_ip *ip,
			   const uint8_t *icmp, size_t len)
{
	struct rtr_l3 l3 = {.family = ip->family, .src = ip->src, .dst = ip->dst};
	struct rtr_response rsp;
	int err = rtr_response_decode(&rsp, &l3, icmp, len);
	/* A 12-byte echo of a TTL-0 request reads as a truncated state 0; decode fills the header.
	 */
	bool header = err >= 0 || (err == RTR_E_TRUNCATED && len >= RTR_RSP_ERR_LEN) ||
		      err == RTR_E_STATE;
	if (!header) {
		put(l, "rtr response malformed (%s), %zu ICMP bytes", rtr_strerror(err), len);
		return;
	}
	unsigned req = echoed_request(c, ip, &rsp, len);
	if (req) {
		/* Bytes 8-11 are the request's TTL/protocol/flow, not a state: do not print one. */
		put(l,
		    "rtr response ident 0x%04x seq %u, %zu ICMP bytes: kernel echo of request #%u, "
		    "no reverse traceroute server there",
		    rsp.ident, rsp.seq, len, req);
		return;
	}
	put(l, "rtr response ident 0x%04x seq %u state %u (%s) errlen %u value 0x%04x", rsp.ident,
	    rsp.seq, rsp.state, rtr_state_name(rsp.state), rsp.errlen, rsp.value);
	if (err < 0) {
		put(l, ": malformed (%s), %zu ICMP bytes", rtr_strerror(err), len);
		return;
	}
	if (rsp.state == RTR_STATE_OK) {
		char buf[RTR_ADDR_STRLEN];
		put(l, " hop %s", addr_str(&rsp.hop, buf));
		if (rsp.rtt_unknown)
			put(l, " rtt unknown (0xffffffff)");
		else
			put(l, " rtt %llu ns (%s layout)", (unsigned long long)rsp.rtt_ns,
			    rsp.rtt_layout == RTR_RTT_64 ? "64-bit" : "32-bit");
	}
	if (rsp.seq != 0)
		put(l, "; non-zero seq: not from a server");
}

static void print_icmp(struct rtr_dec_ctx *c, struct line *l, unsigned pkt, const struct rtr_ip *ip,
		       const uint8_t *pkt_bytes, size_t pkt_len, const uint8_t *icmp, size_t len)
{
	bool v4 = ip->family == 4;
	if (len < 2) {
		/* Not even a type and code: only a request-to-be can be this short on purpose. */
		if (len == 0)
			put(l, "icmp, 0 bytes: truncated; not a reverse traceroute message");
		else
			put(l, "icmp type %u, 1 byte: truncated; not a reverse traceroute message",
			    icmp[0]);
		return;
	}
	unsigned type = icmp[0], code = icmp[1];
	if (type == (v4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST) && code != 0) {
		print_request(c, l, pkt, ip, icmp, len);
		return;
	}
	if (type == (v4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY) && code == RTR_CODE_RTR) {
		print_response(c, l, ip, icmp, len);
		return;
	}
	if (type == (v4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST)) {
		struct rtr_probe_seen s;
		int err = rtr_probe_decode(&s, pkt_bytes, pkt_len, 0);
		if (err == RTR_OK)
			print_probe(c, l, pkt, c->now_us, ip, icmp, len, &s);
		else
			put(l, "icmp echo request code 0 (%s): not a reverse traceroute message",
			    rtr_strerror(err));
		return;
	}
	struct rtr_answer a;
	int err = rtr_answer_decode(&a, pkt_bytes, pkt_len);
	if (err == RTR_OK) {
		print_answer(c, l, pkt, c->now_us, &a);
		return;
	}
	put(l, "icmp %s (type %u) code %u, %zu bytes", icmp_name(ip->family, type), type, code,
	    len);
	if (err == RTR_E_NOT_OURS)
		put(l, ": not a reverse traceroute message");
	else
		put(l, ": %s; not an answer", rtr_strerror(err));
}

static void put_tcp_flags(struct line *l, uint8_t fl)
{
	put(l, " [%s%s%s%s]", fl & RTR_TCP_SYN ? "S" : "", fl & RTR_TCP_FIN ? "F" : "",
	    fl & RTR_TCP_RST ? "R" : "", fl & RTR_TCP_ACK ? "." : "");
}

/* The RST rtr-server sends after a SYN-ACK (ANS-2): from 1021, RST only, seq = that ack. */
static unsigned reset_synack(const struct rtr_dec_ctx *c, const struct rtr_ip *ip,
			     const uint8_t *tcp)
{
	unsigned n = c->nsynacks < RTR_DEC_REMEMBER ? c->nsynacks : RTR_DEC_REMEMBER;
	if (rtr_get16(tcp) != RTR_PROBE_SPORT ||
	    (tcp[13] & (RTR_TCP_SYN | RTR_TCP_ACK | RTR_TCP_RST | RTR_TCP_FIN)) != RTR_TCP_RST)
		return 0;
	for (unsigned k = 0; k < n; k++) {
		unsigned i = (c->nsynacks - 1 - k) % RTR_DEC_REMEMBER;
		const struct rtr_answer *a = &c->synacks[i].a;
		if (rtr_addr_eq(&a->from, &ip->dst) && rtr_addr_eq(&a->to, &ip->src) &&
		    rtr_get16(tcp + 2) == a->probe.flow && rtr_get32(tcp + 4) == a->tcp_ack)
			return c->synacks[i].pkt;
	}
	return 0;
}

static void print_tcp(struct rtr_dec_ctx *c, struct line *l, unsigned pkt, const struct rtr_ip *ip,
		      const uint8_t *pkt_bytes, size_t pkt_len, const uint8_t *tcp, size_t len)
{
	if (len < TCP_HDR_MIN) {
		put(l, "tcp, %zu bytes: truncated; not a reverse traceroute message", len);
		return;
	}
	struct rtr_answer a;
	int err = rtr_answer_decode(&a, pkt_bytes, pkt_len);
	if (err == RTR_OK) {
		print_answer(c, l, pkt, c->now_us, &a);
		return;
	}
	struct rtr_probe_seen s;
	if (err == RTR_E_NOT_OURS && rtr_probe_decode(&s, pkt_bytes, pkt_len, 0) == RTR_OK) {
		print_probe(c, l, pkt, c->now_us, ip, tcp, len, &s);
		return;
	}
	bool csum_ok = rtr_csum_ok(l4_pseudo(ip, len), tcp, len);
	put(l, "tcp %u > %u", rtr_get16(tcp), rtr_get16(tcp + 2));
	put_tcp_flags(l, tcp[13]);
	put(l, " seq 0x%08x ack 0x%08x, tcp cksum %s", rtr_get32(tcp + 4), rtr_get32(tcp + 8),
	    csum_ok ? "ok" : "BAD");
	unsigned synack = err == RTR_E_NOT_OURS ? reset_synack(c, ip, tcp) : 0;
	if (synack)
		put(l, ": server reset of syn-ack #%u", synack);
	else if (err == RTR_E_NOT_OURS)
		put(l, ": not a reverse traceroute message");
	else
		put(l, ": %s; not an answer", rtr_strerror(err));
}

static void print_udp(struct rtr_dec_ctx *c, struct line *l, unsigned pkt, const struct rtr_ip *ip,
		      const uint8_t *pkt_bytes, size_t pkt_len, const uint8_t *udp, size_t len)
{
	if (len < RTR_UDP_HDR_LEN) {
		put(l, "udp, %zu bytes: truncated; not a reverse traceroute message", len);
		return;
	}
	struct rtr_probe_seen s;
	int err = rtr_probe_decode(&s, pkt_bytes, pkt_len, 0);
	if (err == RTR_OK) {
		print_probe(c, l, pkt, c->now_us, ip, udp, len, &s);
		return;
	}
	put(l, "udp %u > %u length %u, udp cksum %s", rtr_get16(udp), rtr_get16(udp + 2),
	    rtr_get16(udp + 4), rtr_csum_ok(l4_pseudo(ip, len), udp, len) ? "ok" : "BAD");
	if (err == RTR_E_NOT_OURS)
		put(l, ": not a reverse traceroute message");
	else
		put(l, ": %s", rtr_strerror(err));
}

void rtr_dec_init(struct rtr_dec_ctx *c, const struct rtr_request_policy *policy)
{
	memset(c, 0, sizeof(*c));
	if (policy)
		c->policy = *policy;
}

void rtr_dec_packet(struct rtr_dec_ctx *c, unsigned pkt, uint64_t ts_us, const uint8_t *bytes,
		    size_t len, char *out, size_t cap)
{
	c->now_us = ts_us;
	struct line l = {.buf = out, .cap = cap, .len = 0};
	struct rtr_ip ip;
	if (cap)
		out[0] = 0;
	put(&l, "#%u ", pkt);
	int hl = rtr_ip_decode(&ip, bytes, len, 0);
	if (hl < 0) {
		/* Show what the header says when it can be read at all, then why it is refused. */
		struct rtr_ip q;
		if (rtr_ip_decode(&q, bytes, len, RTR_IP_QUOTED) >= 0) {
			put_ip(&l, &q);
			if (hl == RTR_E_TRUNCATED)
				put(&l, ": truncated (%zu of %u bytes captured)", len, q.total_len);
			else if (hl == RTR_E_CHECKSUM)
				put(&l, ": bad IPv4 header checksum");
			else
				put(&l, ": %s", rtr_strerror(hl));
		} else if (hl == RTR_E_VERSION) {
			put(&l, "not IP (version %u)", len ? bytes[0] >> 4 : 0);
		} else {
			put(&l, "IP %s (%zu bytes)", rtr_strerror(hl), len);
		}
		return;
	}
	put_ip(&l, &ip);
	put(&l, ": ");
	if (ip.fragment) {
		put(&l,
		    "fragment of protocol %u: not decoded (fragments are never requests, probes "
		    "or answers)",
		    ip.proto);
		return;
	}
	const uint8_t *l4 = bytes + hl;
	size_t l4_len = rtr_ip_l4_len(&ip, len);
	if (ip.proto == (ip.family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6))
		print_icmp(c, &l, pkt, &ip, bytes, len, l4, l4_len);
	else if (ip.proto == RTR_IPPROTO_TCP)
		print_tcp(c, &l, pkt, &ip, bytes, len, l4, l4_len);
	else if (ip.proto == RTR_IPPROTO_UDP)
		print_udp(c, &l, pkt, &ip, bytes, len, l4, l4_len);
	else
		put(&l, "protocol %u: not a reverse traceroute message", ip.proto);
}
