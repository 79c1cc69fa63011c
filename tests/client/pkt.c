// SPDX-License-Identifier: BSD-2-Clause
/* pkt.c: builders of answers and responses for scripted engine tests (proto encoders + checksums).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "checksum.h"
#include "cursor.h"
#include "icmperr.h"
#include "ip.h"
#include "pkt.h"
#include "request.h"
#include "rtr_wire.h"

static size_t wrap_ip(uint8_t *out, size_t cap, const struct rtr_addr *src,
		      const struct rtr_addr *dst, uint8_t proto, const uint8_t *l4, size_t l4_len,
		      uint8_t ttl)
{
	struct rtr_ip ip = {.family = (uint8_t)rtr_addr_family(src),
			    .ttl = ttl,
			    .proto = proto,
			    .id = 0x4242,
			    .src = *src,
			    .dst = *dst};
	int hl = rtr_ip_encode(out, cap, &ip, l4_len);
	assert_true(hl > 0);
	assert_true((size_t)hl + l4_len <= cap);
	memcpy(out + hl, l4, l4_len);
	return (size_t)hl + l4_len;
}

static void decode_ip(struct rtr_ip *ip, const uint8_t *pkt, size_t len)
{
	assert_true(rtr_ip_decode(ip, pkt, len, 0) > 0);
}

/* Fills the ICMP/ICMPv6 checksum of an ICMP message sent from src to dst. */
static void icmp_csum(uint8_t *icmp, size_t len, const struct rtr_addr *src,
		      const struct rtr_addr *dst)
{
	rtr_put16(icmp + 2, 0);
	uint32_t sum = 0;
	if (rtr_addr_family(src) == 6)
		sum = rtr_csum_pseudo(6, src, dst, RTR_IPPROTO_ICMPV6, (uint32_t)len);
	rtr_put16(icmp + 2, rtr_csum_fold(rtr_csum_add(sum, icmp, len)));
}

size_t pkt_icmp_error(uint8_t *out, size_t cap, const struct rtr_addr *from, uint8_t type,
		      uint8_t code, const uint8_t *probe, size_t probe_len, size_t quote_len)
{
	struct rtr_ip ip;
	decode_ip(&ip, probe, probe_len);
	struct rtr_icmp_error e = {.type = type, .code = code};
	e.ip.family = ip.family;
	e.ip.ttl = 60;
	e.ip.id = 0x4242;
	e.ip.src = *from;
	e.ip.dst = ip.src;
	int n = rtr_icmp_error_encode(out, cap, &e, probe,
				      quote_len < probe_len ? quote_len : probe_len);
	assert_true(n > 0);
	return (size_t)n;
}

size_t pkt_echo_reply(uint8_t *out, size_t cap, const uint8_t *probe, size_t probe_len)
{
	struct rtr_ip ip;
	decode_ip(&ip, probe, probe_len);
	uint8_t icmp[600];
	size_t len = probe_len - ip.hdr_len;
	assert_true(len <= sizeof(icmp));
	memcpy(icmp, probe + ip.hdr_len, len);
	icmp[0] = ip.family == 4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY;
	icmp_csum(icmp, len, &ip.dst, &ip.src);
	return wrap_ip(out, cap, &ip.dst, &ip.src, ip.proto, icmp, len, 61);
}

size_t pkt_tcp_answer(uint8_t *out, size_t cap, const uint8_t *probe, size_t probe_len,
		      uint8_t flags)
{
	struct rtr_ip ip;
	decode_ip(&ip, probe, probe_len);
	const uint8_t *syn = probe + ip.hdr_len;
	uint8_t tcp[20] = {0};
	rtr_put16(tcp, rtr_get16(syn + 2)); /* source port: the probe's destination port */
	rtr_put16(tcp + 2, rtr_get16(syn)); /* to port 1021 */
	rtr_put32(tcp + 4, (flags & RTR_TCP_SYN) ? 0x11223344u : 0);
	rtr_put32(tcp + 8, rtr_get32(syn + 4) + 1); /* acknowledges the SYN */
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	rtr_put16(tcp + 14, (flags & RTR_TCP_SYN) ? 65000 : 0);
	uint32_t sum = rtr_csum_pseudo(ip.family, &ip.dst, &ip.src, RTR_IPPROTO_TCP, sizeof(tcp));
	rtr_put16(tcp + 16, rtr_csum_fold(rtr_csum_add(sum, tcp, sizeof(tcp))));
	return wrap_ip(out, cap, &ip.dst, &ip.src, RTR_IPPROTO_TCP, tcp, sizeof(tcp), 62);
}

size_t pkt_response(uint8_t *out, size_t cap, const uint8_t *request, size_t request_len,
		    const struct rtr_response *rsp)
{
	struct rtr_ip ip;
	decode_ip(&ip, request, request_len);
	struct rtr_l3 l3 = {.family = ip.family, .src = ip.dst, .dst = ip.src};
	uint8_t icmp[64];
	int n = rtr_response_encode(icmp, sizeof(icmp), &l3, rsp);
	assert_true(n > 0);
	return wrap_ip(out, cap, &ip.dst, &ip.src, ip.proto, icmp, (size_t)n, RTR_RSP_TTL);
}

size_t pkt_kernel_echo(uint8_t *out, size_t cap, const uint8_t *request, size_t request_len)
{
	struct rtr_ip ip;
	decode_ip(&ip, request, request_len);
	uint8_t icmp[600];
	size_t len = request_len - ip.hdr_len;
	assert_true(len <= sizeof(icmp));
	memcpy(icmp, request + ip.hdr_len, len);
	icmp[0] = ip.family == 4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY;
	icmp_csum(icmp, len, &ip.dst, &ip.src);
	return wrap_ip(out, cap, &ip.dst, &ip.src, ip.proto, icmp, len, 64);
}
