// SPDX-License-Identifier: BSD-2-Clause
/* engine_script.c: turns fuzz_engine's script into configurations and answer packets; its mutator.
 */
#include <string.h>

#include "cursor.h"
#include "engine_script.h"
#include "fuzz.h"
#include "ip.h"
#include "response.h"
#include "rtr_wire.h"

#define MS 1000000ull

enum {
	FE_T_ERROR,
	FE_T_UNREACH,
	FE_T_ECHO,
	FE_T_TCP,
	FE_T_PORT,
	FE_T_OTHER,
	FE_T_LATE,
	FE_T_QUOTE
};
enum { FE_R_OK, FE_R_STATE, FE_R_ECHO, FE_R_TTL, FE_R_HOME, FE_R_ELSEWHERE, FE_R_SEQ, FE_R_QUOTE };

bool fe_parse_cfg(struct fe_cfg *c, const uint8_t *h, size_t size)
{
	static const uint8_t protos[4] = {RTR_IPPROTO_UDP, RTR_IPPROTO_TCP, 0, RTR_IPPROTO_UDP};
	if (size < FE_HDR_LEN)
		return false;
	memset(c, 0, sizeof(*c));
	c->family = h[0] & 1 ? 6 : 4;
	c->reverse = h[0] & 2;
	c->multipath = h[0] & 4;
	unsigned pi = (h[0] >> 3) & 3;
	c->proto = protos[pi];
	if (pi == 2)
		c->proto = c->family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	c->flow = pi == 3 ? (uint16_t)(1000 + h[7] * 7) : 0;
	c->nexthops = h[0] >> 5;
	c->probes = (uint8_t)(1 + h[1] % 3);
	c->first_ttl = (uint8_t)(1 + (h[1] >> 2) % 4);
	c->max_ttl = (uint8_t)(c->first_ttl + h[2] % 16);
	c->gap_limit = (uint8_t)((h[2] >> 4) % 5);
	c->parallel = (uint16_t)(1 + h[3] % 32);
	c->interval_ns = (uint64_t)(h[3] >> 5) * 2 * MS;
	c->wait_ns = (20 + (uint64_t)h[4]) * MS;
	/* At most 257: the MDA planner's cost grows with probes x flows, and under the
	 * fuzzer's instrumentation 741 probes took 2 s of CPU for one input. */
	c->max_probes = 1 + 4u * (h[5] < 64 ? h[5] : 64);
	c->time_limit_ns = h[6] * c->wait_ns / 2;
	c->seed = (uint64_t)h[7] << 32 | h[0];
	return true;
}

void fe_addrs(const struct fe_cfg *c, struct rtr_addr *src, struct rtr_addr *dst)
{
	rtr_addr_parse(src, c->family == 4 ? "198.51.100.1" : "2001:db8::1");
	rtr_addr_parse(dst, c->family == 4 ? "203.0.113.9" : "2001:db8:ff::9");
}

void fe_engine_cfg(const struct fe_cfg *c, struct rtr_engine_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->direction = c->reverse ? RTR_REVERSE : RTR_FORWARD;
	cfg->family = (uint8_t)c->family;
	cfg->proto = c->proto;
	cfg->flow = c->flow;
	fe_addrs(c, &cfg->src, &cfg->dst);
	cfg->first_ttl = c->first_ttl;
	cfg->max_ttl = c->max_ttl;
	cfg->probes = c->probes;
	cfg->gap_limit = c->gap_limit;
	cfg->parallel = c->parallel;
	cfg->wait_ns = c->wait_ns;
	cfg->interval_ns = c->interval_ns;
}

const char *fe_proto_name(const struct fe_cfg *c)
{
	return c->proto == RTR_IPPROTO_UDP ? "udp" : c->proto == RTR_IPPROTO_TCP ? "tcp" : "icmp";
}

uint64_t fe_delay(const struct fe_cfg *c, const uint8_t *x)
{
	return x[0] * c->wait_ns / 64;
}

bool fe_is_interrupt(const uint8_t *x)
{
	return (x[1] & 15) == 15 && x[4] == 0xFF;
}

bool fe_is_twice(const uint8_t *x)
{
	return x[1] & 0x40;
}

/* Router k (1..7) of the scripted path; bit 3 of sel: one that answers no probe of ours. */
static void router(const struct fe_cfg *c, uint8_t sel, struct rtr_addr *a)
{
	uint8_t b[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x99};
	unsigned k = (sel & 7) + (sel & 8 ? 100 : 0);
	if (c->family == 4) {
		uint8_t v4[4] = {100, 64, 0, (uint8_t)k};
		rtr_addr_from_v4(a, v4);
		return;
	}
	b[15] = (uint8_t)k;
	rtr_addr_from_v6(a, b);
}

/* An IP packet from src to dst around l4 (checksums of L4 filled by fuzz_fix_packet later). */
static size_t wrap(const struct fe_cfg *c, uint8_t *out, size_t cap, const struct rtr_addr *src,
		   const struct rtr_addr *dst, uint8_t proto, const uint8_t *l4, size_t l4_len,
		   uint8_t ttl)
{
	struct rtr_ip ip = {.family = (uint8_t)c->family,
			    .ttl = ttl,
			    .proto = proto,
			    .id = 0x5151,
			    .src = *src,
			    .dst = *dst};
	int hl = rtr_ip_encode(out, cap, &ip, l4_len);
	if (hl < 0 || (size_t)hl + l4_len > cap)
		return 0;
	memcpy(out + hl, l4, l4_len);
	size_t len = (size_t)hl + l4_len;
	fuzz_fix_packet(out, len);
	return len;
}

static uint8_t icmp_proto(const struct fe_cfg *c)
{
	return c->family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
}

/* ICMP error of type/code from `from` quoting the probe: whole, 28 bytes, or some L4 bytes. */
static size_t icmp_error(const struct fe_cfg *c, const uint8_t *x, const struct rtr_eng_tx *p,
			 const struct rtr_addr *from, uint8_t type, uint8_t code, uint8_t *out,
			 size_t cap)
{
	uint8_t icmp[8 + RTR_ENG_PKT_MAX] = {type, code};
	size_t hl = c->family == 4 ? 20 : 40, q = p->len;
	switch (x[7] & 3) {
	case 1:
		q = hl + 8;
		break;
	case 2:
		q = hl + x[7] / 4 % 40;
		break;
	}
	if (q > p->len)
		q = p->len;
	memcpy(icmp + 8, p->pkt, q);
	struct rtr_addr us, far;
	fe_addrs(c, &us, &far);
	return wrap(c, out, cap, from, &us, icmp_proto(c), icmp, 8 + q, (uint8_t)(40 + x[4] % 64));
}

static size_t forward(const struct fe_cfg *c, const uint8_t *x, const struct rtr_eng_tx *p,
		      uint8_t *out, size_t cap)
{
	struct rtr_addr from, us, target;
	fe_addrs(c, &us, &target);
	bool v4 = c->family == 4;
	if ((x[3] & 15) == 0)
		from = target;
	else
		router(c, x[3], &from);
	size_t hl = v4 ? 20 : 40;
	switch (x[1] & 7) {
	case FE_T_ERROR:
	case FE_T_LATE:
		return icmp_error(c, x, p, &from,
				  v4 ? RTR_ICMP4_TIME_EXCEEDED : RTR_ICMP6_TIME_EXCEEDED, x[4] & 1,
				  out, cap);
	case FE_T_UNREACH:
		return icmp_error(c, x, p, &from,
				  v4 ? RTR_ICMP4_DEST_UNREACH : RTR_ICMP6_DEST_UNREACH,
				  (uint8_t)(x[4] % 16), out, cap);
	case FE_T_PORT:
		return icmp_error(c, x, p, &target,
				  v4 ? RTR_ICMP4_DEST_UNREACH : RTR_ICMP6_DEST_UNREACH, v4 ? 3 : 4,
				  out, cap);
	case FE_T_OTHER:
		/* Any other ICMP type quoting the probe (parameter problem, redirect, ...). */
		return icmp_error(c, x, p, &from, x[4], x[7], out, cap);
	case FE_T_ECHO: {
		/* The target's Echo Reply: the probe's ICMP part sent back. */
		uint8_t l4[RTR_ENG_PKT_MAX];
		size_t n = p->len > hl ? p->len - hl : 0;
		memcpy(l4, p->pkt + hl, n);
		if (n)
			l4[0] = v4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY;
		return wrap(c, out, cap, &from, &us, icmp_proto(c), l4, n, 61);
	}
	case FE_T_TCP: {
		uint8_t tcp[20] = {0};
		if (p->len >= hl + 8) {
			const uint8_t *syn = p->pkt + hl;
			rtr_put16(tcp, rtr_get16(syn + 2));
			rtr_put16(tcp + 2, rtr_get16(syn));
			rtr_put32(tcp + 8, rtr_get32(syn + 4) + 1);
		}
		static const uint8_t flags[4] = {RTR_TCP_RST | RTR_TCP_ACK,
						 RTR_TCP_SYN | RTR_TCP_ACK, RTR_TCP_RST, 0};
		tcp[12] = 5 << 4;
		tcp[13] = x[4] & 0xC0 ? x[4] & 0x3F : flags[x[4] & 3];
		return wrap(c, out, cap, &from, &us, RTR_IPPROTO_TCP, tcp, sizeof(tcp), 62);
	}
	default: /* FE_T_QUOTE: Time Exceeded quoting the probe, from the target itself */
		return icmp_error(c, x, p, &target,
				  v4 ? RTR_ICMP4_TIME_EXCEEDED : RTR_ICMP6_TIME_EXCEEDED, 0, out,
				  cap);
	}
}

static size_t reverse(const struct fe_cfg *c, const uint8_t *x, const struct rtr_eng_tx *p,
		      uint8_t *out, size_t cap)
{
	struct rtr_addr us, server, hop;
	fe_addrs(c, &us, &server);
	size_t hl = c->family == 4 ? 20 : 40;
	if (p->len < hl + RTR_REQ_LEN)
		return 0;
	const uint8_t *rq = p->pkt + hl;
	if ((x[3] & 15) == 0)
		hop = us;
	else
		router(c, x[3], &hop);
	struct rtr_response rsp = {.ident = rtr_get16(rq + RTR_REQ_OFF_IDENT),
				   .hop = hop,
				   .rtt_ns = (uint64_t)x[4] * 100000,
				   .rtt_unknown = x[7] & 1};
	struct rtr_addr from = server;
	switch (x[1] & 7) {
	case FE_R_OK:
		break;
	case FE_R_STATE:
		rsp.state = (uint8_t)(x[4] % 6);
		rsp.value = x[7];
		break;
	case FE_R_TTL:
		rsp.state = RTR_STATE_TTL;
		break;
	case FE_R_HOME:
		rsp.hop = us;
		break;
	case FE_R_ELSEWHERE:
		from = hop; /* a response from someone else than the server */
		break;
	case FE_R_SEQ:
		rsp.seq = rtr_get16(rq + RTR_REQ_OFF_SEQ);
		break;
	case FE_R_ECHO: {
		/* The server host's kernel echoing our request (type Echo Reply, code 1 kept). */
		uint8_t l4[RTR_ENG_PKT_MAX];
		size_t n = p->len - hl;
		memcpy(l4, rq, n);
		l4[0] = c->family == 4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY;
		return wrap(c, out, cap, &server, &us, icmp_proto(c), l4, n, 64);
	}
	default: /* FE_R_QUOTE: a router's Time Exceeded quoting the request */
		return icmp_error(c, x, p, &hop,
				  c->family == 4 ? RTR_ICMP4_TIME_EXCEEDED
						 : RTR_ICMP6_TIME_EXCEEDED,
				  0, out, cap);
	}
	struct rtr_l3 l3 = {.family = (uint8_t)c->family, .src = from, .dst = us};
	uint8_t icmp[64];
	int n = rtr_response_encode(icmp, sizeof(icmp), &l3, &rsp);
	if (n < 0)
		return 0;
	return wrap(c, out, cap, &from, &us, icmp_proto(c), icmp, (size_t)n, RTR_RSP_TTL);
}

size_t fe_build(const struct fe_cfg *c, const uint8_t *x, const struct rtr_eng_tx *tx, unsigned ntx,
		uint8_t *out, size_t cap)
{
	const struct rtr_eng_tx *p = &tx[ntx - 1 - x[2] % ntx];
	size_t len = c->reverse ? reverse(c, x, p, out, cap) : forward(c, x, p, out, cap);
	if (!len)
		return 0;
	if (x[1] & 0x10)
		out[x[5] % len] ^= x[6] ? x[6] : 0x80;
	if (x[1] & 0x80)
		len = x[5] % (len + 1);
	if (x[1] & 0x20)
		fuzz_fix_packet(out, len);
	return len;
}

unsigned fe_send_bound(const struct fe_cfg *c)
{
	unsigned presence = c->reverse ? RTR_ENG_MAX_PROBES : 0;
	if (c->multipath)
		return c->max_probes + presence;
	return (unsigned)(c->max_ttl - c->first_ttl + 1) * c->probes + presence;
}

unsigned fe_poll_bound(const struct fe_cfg *c, unsigned sent, unsigned fed)
{
	(void)c;
	/* Each poll sends, or waits for a send slot, an expiry or a packet; plus the last. */
	return 4 * (sent + fed) + 64;
}

uint64_t fe_time_bound(const struct fe_cfg *c)
{
	/* Every probe is final wait after it left; sends are at least interval apart. */
	uint64_t t = (uint64_t)(fe_send_bound(c) + 1) * (c->wait_ns + c->interval_ns);
	if (c->multipath && c->time_limit_ns && c->time_limit_ns < t)
		t = c->time_limit_ns;
	return t;
}

/* The mutator's own generator (libFuzzer hands it a seed per call). */
static uint32_t next_rand(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max);

size_t fe_mutate(uint8_t *data, size_t size, size_t max, unsigned seed)
{
	uint32_t s = seed;
	if (max < FE_HDR_LEN + FE_REC_LEN)
		return LLVMFuzzerMutate(data, size, max);
	if (size < FE_HDR_LEN) {
		for (size_t i = 0; i < FE_HDR_LEN + FE_REC_LEN; i++)
			data[i] = (uint8_t)next_rand(&s);
		return FE_HDR_LEN + FE_REC_LEN;
	}
	size_t nrec = (size - FE_HDR_LEN) / FE_REC_LEN;
	size_t room = (max - FE_HDR_LEN) / FE_REC_LEN;
	uint8_t *rec = data + FE_HDR_LEN;
	size = FE_HDR_LEN + nrec * FE_REC_LEN;
	switch (next_rand(&s) % 8) {
	case 0: /* a header field */
		data[next_rand(&s) % FE_HDR_LEN] = (uint8_t)next_rand(&s);
		return size;
	case 1: /* a new record somewhere */
		if (nrec < room) {
			size_t at = next_rand(&s) % (nrec + 1);
			memmove(rec + (at + 1) * FE_REC_LEN, rec + at * FE_REC_LEN,
				(nrec - at) * FE_REC_LEN);
			for (size_t i = 0; i < FE_REC_LEN; i++)
				rec[at * FE_REC_LEN + i] = (uint8_t)next_rand(&s);
			/* Mostly clean answers: mutation flags off half of the time. */
			if (next_rand(&s) & 1)
				rec[at * FE_REC_LEN + 1] &= 0x0F;
			return size + FE_REC_LEN;
		}
		break;
	case 2: /* drop a record */
		if (nrec > 0) {
			size_t at = next_rand(&s) % nrec;
			memmove(rec + at * FE_REC_LEN, rec + (at + 1) * FE_REC_LEN,
				(nrec - at - 1) * FE_REC_LEN);
			return size - FE_REC_LEN;
		}
		break;
	case 3: /* repeat a record for another sent packet */
		if (nrec > 0 && nrec < room) {
			size_t from = next_rand(&s) % nrec;
			memcpy(rec + nrec * FE_REC_LEN, rec + from * FE_REC_LEN, FE_REC_LEN);
			rec[nrec * FE_REC_LEN + 2] = (uint8_t)next_rand(&s);
			return size + FE_REC_LEN;
		}
		break;
	case 4: /* one field of one record */
	case 5:
		if (nrec > 0) {
			size_t at = next_rand(&s) % nrec;
			rec[at * FE_REC_LEN + next_rand(&s) % FE_REC_LEN] = (uint8_t)next_rand(&s);
			return size;
		}
		break;
	}
	/* Otherwise libFuzzer's own byte-level mutations over the whole script. */
	return LLVMFuzzerMutate(data, size, max);
}
