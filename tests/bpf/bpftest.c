// SPDX-License-Identifier: BSD-2-Clause
/* bpftest.c: helpers for the server's BPF_PROG_TEST_RUN tests: frames, runs, probes, answers. */
#include "bpftest.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "answer.h"
#include "checksum.h"
#include "csumfix.h"
#include "cursor.h"
#include "err.h"
#include "icmperr.h"
#include "ip.h"
#include "response.h"
#include "rtr.skel.h"
#include "rtr_wire.h"

const uint8_t bt_server_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
const uint8_t bt_peer_mac[6] = {0x02, 0, 0, 0, 0, 0x02};

void bt_cfg(struct srv_cfg *cfg)
{
	srv_cfg_defaults(cfg);
	cfg->max_sessions = 200000;
	cfg->src_rate = 0;
	cfg->global_rate = 0;
	cfg->src_sessions = 200000;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

int bt_setup(struct bt_env *e, const struct srv_cfg *cfg)
{
	char err[1024];

	memset(e, 0, sizeof(*e));
	libbpf_set_print(libbpf_quiet);
	e->ifindex = (int)if_nametoindex(BT_IFNAME);
	if (!e->ifindex) {
		fprintf(stderr, "bt_setup: no interface %s (run inside 40-bpf.sh's namespace)\n",
			BT_IFNAME);
		return -1;
	}
	if (srv_load(&e->srv, cfg, err, sizeof(err))) {
		fprintf(stderr, "bt_setup: %s\n", err);
		return -1;
	}
	if (srv_local_open(&e->local, bpf_map__fd(e->srv.skel->maps.local_addrs), err,
			   sizeof(err))) {
		fprintf(stderr, "bt_setup: %s\n", err);
		srv_close(&e->srv);
		return -1;
	}
	rtr_addr_parse(&e->server4, "198.51.100.1");
	rtr_addr_parse(&e->client4, "203.0.113.7");
	rtr_addr_parse(&e->client4b, "203.0.113.8");
	rtr_addr_parse(&e->router4, "198.51.100.254");
	rtr_addr_parse(&e->server6, "2001:db8:1::1");
	rtr_addr_parse(&e->client6, "2001:db8:2::7");
	rtr_addr_parse(&e->client6b, "2001:db8:3::8");
	rtr_addr_parse(&e->router6, "2001:db8:1::fe");
	return 0;
}

int bt_setup_default(struct bt_env *e)
{
	struct srv_cfg cfg;

	bt_cfg(&cfg);
	return bt_setup(e, &cfg);
}

void bt_teardown(struct bt_env *e)
{
	srv_local_close(&e->local);
	srv_close(&e->srv);
}

int bt_run(struct bt_env *e, int prog_fd, const uint8_t *l3, size_t l3len, struct bt_result *r)
{
	return bt_run_mac(e, prog_fd, bt_server_mac, l3, l3len, r);
}

int bt_run_mac(struct bt_env *e, int prog_fd, const uint8_t dmac[6], const uint8_t *l3,
	       size_t l3len, struct bt_result *r)
{
	uint8_t in[BT_MAX];
	struct __sk_buff ctx = {.ifindex = (__u32)e->ifindex};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in, .data_out = r->frame,
		    .data_size_out = sizeof(r->frame), .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		    .repeat = 1);
	int rc;

	if (l3len + 14 > sizeof(in))
		return -1;
	memset(in, 0, 12);
	memcpy(in, dmac, 6);
	in[12] = (l3[0] >> 4) == 6 ? 0x86 : 0x08;
	in[13] = (l3[0] >> 4) == 6 ? 0xdd : 0x00;
	memcpy(in + 14, l3, l3len);
	opts.data_size_in = (__u32)(l3len + 14);
	rc = bpf_prog_test_run_opts(prog_fd, &opts);
	if (rc)
		return rc;
	r->retval = opts.retval;
	r->len = opts.data_size_out;
	r->l3 = r->frame + 14;
	r->l3len = r->len >= 14 ? r->len - 14 : 0;
	return 0;
}

bool bt_unchanged(const struct bt_result *r, const uint8_t *l3, size_t l3len)
{
	return r->retval == BT_PASS && r->l3len == l3len && !memcmp(r->l3, l3, l3len);
}

size_t bt_ip(uint8_t *out, int family, const struct rtr_addr *src, const struct rtr_addr *dst,
	     uint8_t proto, uint8_t ttl, uint16_t id, const uint8_t *l4, size_t l4len)
{
	struct rtr_ip ip = {
		.family = (uint8_t)family,
		.ttl = ttl,
		.proto = proto,
		.id = id,
		.df = true,
		.src = *src,
		.dst = *dst,
	};
	int hl = rtr_ip_encode(out, BT_MAX, &ip, l4len);

	if (hl < 0)
		return 0;
	memcpy(out + hl, l4, l4len);
	return (size_t)hl + l4len;
}

void bt_unknown_object(struct rtr_request *rq, uint8_t cls, uint8_t ctype)
{
	rq->has_unknown = true;
	rq->unknown_class = cls;
	rq->unknown_ctype = ctype;
	/* (5, 0) and (6, 0) are the target and padding objects, not unknown ones. */
	if ((cls == RTR_EXT_CLASS_TARGET || cls == RTR_EXT_CLASS_PADDING) && ctype == 0)
		rq->unknown_ctype = 1;
}

size_t bt_request(uint8_t *out, int family, const struct rtr_addr *client,
		  const struct rtr_addr *server, const struct rtr_request *rq)
{
	struct rtr_l3 l3 = {.family = (uint8_t)family, .src = *client, .dst = *server};
	uint8_t icmp[BT_MAX];
	int n = rtr_request_encode(icmp, sizeof(icmp), &l3, rq);

	if (n < 0)
		return 0;
	return bt_ip(out, family, client, server,
		     family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6, 64, 0x1111, icmp,
		     (size_t)n);
}

const char *bt_check_probe(const struct bt_result *r, int family, const struct rtr_addr *client,
			   const struct rtr_addr *server, uint8_t proto, uint16_t flow, uint8_t ttl,
			   struct bt_probe *bp)
{
	struct rtr_probe_seen s;
	uint8_t again[256];
	const uint8_t *random;
	size_t hl = family == 4 ? 20 : 40, rlen;
	int n;

	if (r->retval != BT_TC_ACT_REDIRECT)
		return "verdict is not TC_ACT_REDIRECT";
	if (memcmp(r->frame, bt_peer_mac, 6) || memcmp(r->frame + 6, bt_server_mac, 6))
		return "Ethernet addresses are not the FIB's";
	if (r->frame[12] != (family == 4 ? 0x08 : 0x86))
		return "ethertype";
	if (rtr_probe_decode(&s, r->l3, r->l3len, 0) != RTR_OK)
		return "output does not decode as a probe";
	if (s.family != family || s.proto != proto || s.ttl != ttl || s.flow != flow)
		return "family, protocol, TTL or flow";
	if (!rtr_addr_eq(&s.src, server) || !rtr_addr_eq(&s.dst, client))
		return "probe addresses";
	memset(bp, 0, sizeof(*bp));
	bp->p.family = (uint8_t)family;
	bp->p.proto = proto;
	bp->p.src = *server;
	bp->p.dst = *client;
	bp->p.ttl = ttl;
	bp->p.flow = flow;
	bp->p.id = s.id;
	/* Random bytes follow the compensation word (and the UDP tag). */
	random = r->l3 + hl + 8 + (proto == RTR_IPPROTO_UDP ? 6 : 2);
	rlen = rtr_probe_random_len(&bp->p);
	if (hl + 8 + (proto == RTR_IPPROTO_UDP ? 6 : 2) + rlen > r->l3len &&
	    proto != RTR_IPPROTO_TCP)
		return "probe too short for its payload";
	n = rtr_probe_encode(again, sizeof(again), &bp->p, rlen ? random : NULL);
	if (n < 0)
		return "identity does not re-encode";
	if ((size_t)n != r->l3len || memcmp(again, r->l3, (size_t)n))
		return "probe bytes differ from rtr_probe_encode with the same identity";
	if (!rtr_csum_ok(0, r->l3, hl) && family == 4)
		return "IPv4 header checksum";
	if (proto != RTR_IPPROTO_ICMP &&
	    !rtr_csum_ok(rtr_csum_pseudo(family, server, client, proto, (uint32_t)(r->l3len - hl)),
			 r->l3 + hl, r->l3len - hl))
		return "L4 checksum";
	if (proto == RTR_IPPROTO_ICMP && !rtr_csum_ok(0, r->l3 + hl, r->l3len - hl))
		return "ICMP checksum";
	memcpy(bp->pkt, r->l3, r->l3len);
	bp->len = r->l3len;
	return NULL;
}

const char *bt_check_response(const struct bt_result *r, int family, const struct rtr_addr *client,
			      const struct rtr_addr *server, struct rtr_response *rsp,
			      uint64_t max_rtt_ns)
{
	struct rtr_l3 l3 = {.family = (uint8_t)family, .src = *server, .dst = *client};
	uint8_t icmp[64], want[128];
	size_t hl = family == 4 ? 20 : 40;
	size_t n;
	int k;

	if (r->retval != BT_TC_ACT_REDIRECT)
		return "verdict is not TC_ACT_REDIRECT";
	if (memcmp(r->frame, bt_peer_mac, 6) || memcmp(r->frame + 6, bt_server_mac, 6))
		return "Ethernet addresses are not the FIB's";
	if (rsp->state == RTR_STATE_OK) {
		if (r->l3len < hl + RTR_RSP_OK_LEN)
			return "success response too short";
		rsp->rtt_ns = rtr_get32(r->l3 + hl + RTR_RSP_OFF_TIMESPAN);
		if (rsp->rtt_ns >= max_rtt_ns)
			return "RTT out of range";
	}
	k = rtr_response_encode(icmp, sizeof(icmp), &l3, rsp);
	if (k < 0)
		return "rtr_response_encode";
	n = bt_ip(want, family, server, client, family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6,
		  RTR_RSP_TTL, 0, icmp, (size_t)k);
	if (r->l3len != n)
		return "response length";
	if (memcmp(r->l3, want, n))
		return "response bytes";
	return NULL;
}

size_t bt_icmp_error(uint8_t *out, const struct bt_probe *bp, const struct rtr_addr *from,
		     uint8_t type, uint8_t code, size_t quote_len, size_t opts)
{
	int family = bp->p.family;
	uint8_t quote[sizeof(bp->pkt)];

	if (bp->len > sizeof(quote))
		return 0; /* not a probe this helper can quote: refused, never overflowed */
	if (quote_len > bp->len)
		quote_len = bp->len;
	memcpy(quote, bp->pkt, bp->len);
	/* The router saw the probe with TTL 1. */
	if (family == 4) {
		quote[8] = 1;
		rtr_put16(quote + 10, 0);
		rtr_put16(quote + 10, rtr_csum(quote, 20));
	} else {
		quote[7] = 1;
	}
	struct rtr_icmp_error e = {.type = type, .code = code};
	e.ip.family = (uint8_t)family;
	e.ip.ttl = 63;
	e.ip.df = true;
	e.ip.id = family == 4 ? 0x2222 : 0;
	e.ip.src = *from;
	e.ip.dst = bp->p.src;
	int r = rtr_icmp_error_encode(out, BT_MAX, &e, quote, quote_len);
	if (r < 0)
		return 0;
	size_t n = (size_t)r;
	if (family == 4 && opts) {
		/* Insert NOP options, fix IHL and length, and re-sign the header. */
		memmove(out + 20 + opts, out + 20, n - 20);
		memset(out + 20, 1, opts);
		out[0] = (uint8_t)(0x40 | (20 + opts) / 4);
		rtr_put16(out + 2, (uint16_t)(n + opts));
		n += opts;
		if (rtr_csum_fix_l4(out, n) < 0)
			return 0;
	}
	return n;
}

size_t bt_echo_reply(uint8_t *out, const struct bt_probe *bp)
{
	int family = bp->p.family;
	size_t hl = family == 4 ? 20 : 40, l4len = bp->len - hl;
	uint8_t icmp[256];

	memcpy(icmp, bp->pkt + hl, l4len);
	icmp[0] = family == 4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY;
	rtr_put16(icmp + 2, 0);
	if (family == 4)
		rtr_put16(icmp + 2, rtr_csum(icmp, l4len));
	else
		rtr_put16(icmp + 2, rtr_csum_fold(rtr_csum_add(
					    rtr_csum_pseudo(6, &bp->p.dst, &bp->p.src,
							    RTR_IPPROTO_ICMPV6, (uint32_t)l4len),
					    icmp, l4len)));
	return bt_ip(out, family, &bp->p.dst, &bp->p.src,
		     family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6, 64, 0x3333, icmp, l4len);
}

size_t bt_tcp_answer(uint8_t *out, const struct bt_probe *bp, uint8_t flags, uint32_t seq)
{
	uint8_t tcp[20] = {0};

	rtr_put16(tcp, bp->p.flow);
	rtr_put16(tcp + 2, RTR_PROBE_SPORT);
	rtr_put32(tcp + 4, seq);
	rtr_put32(tcp + 8, bp->p.id.l4 + 1);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	rtr_put16(tcp + 14, 65535);
	rtr_put16(tcp + 16,
		  rtr_csum_fold(rtr_csum_add(rtr_csum_pseudo(bp->p.family, &bp->p.dst, &bp->p.src,
							     RTR_IPPROTO_TCP, 20),
					     tcp, 20)));
	return bt_ip(out, bp->p.family, &bp->p.dst, &bp->p.src, RTR_IPPROTO_TCP, 64, 0x4444, tcp,
		     20);
}

uint64_t bt_counter(struct bt_env *e, int idx)
{
	struct rtr_counters c;

	if (srv_read_counters(&e->srv, &c) || idx < 0 || idx >= RTR_C_MAX)
		return UINT64_MAX;
	return c.c[idx];
}

int bt_capture_open(void)
{
	struct sockaddr_ll sll = {0};
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, htons(ETH_P_ALL));

	if (fd < 0)
		return -1;
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex(BT_PEERNAME);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		close(fd);
		return -1;
	}
	return fd;
}

size_t bt_capture_next(int fd, uint8_t *buf, size_t cap)
{
	for (;;) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, cap, 0, (struct sockaddr *)&from, &fl);

		if (n <= 0)
			return 0;
		/* Only what arrives on the peer (sent by rtrt0), IP only. */
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (from.sll_protocol == htons(ETH_P_IP) || from.sll_protocol == htons(ETH_P_IPV6))
			return (size_t)n;
	}
}
