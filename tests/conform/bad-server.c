// SPDX-License-Identifier: BSD-2-Clause
/*
 * bad-server.c: a small user-space reverse traceroute server (AF_PACKET in, raw IP out, proto/)
 * that can be told to break the protocol, so tests prove rtr-conform reports the exact cases.
 *
 *   bad-server [--swap-states] [--never-answer] [--echo-seq] [--other] [-t NS] IFNAME
 *
 * --other makes it a second legal implementation shaped unlike rtr wherever the draft leaves room
 * (docs/CONFORMANCE.md): other probe lengths, payloads and TCP options, a 16-bit identity, no DF,
 * a per-flow IPv6 flow label, no RST after a SYN-ACK, and its own answer matcher (the quoted IP
 * ID and first 8 L4 bytes, or the direct answer's fields) instead of proto/'s.
 *
 * The host kernel must not echo requests itself: an nft rule of the (lab) namespace drops
 * Echo Requests with code 1 on input; AF_PACKET still sees them first.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "answer.h"
#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "ip.h"
#include "probe.h"
#include "request.h"
#include "response.h"
#include "rtr_wire.h"

#define MAX_SESS 256

struct sess {
	bool used;
	struct rtr_probe probe;
	uint16_t ident;
	uint16_t seq; /* the request's, for --echo-seq */
	uint64_t sent_ns;
	uint8_t sent[64]; /* --other: the probe's IP header and first 8 L4 bytes, as sent */
	size_t hlen;	  /* --other: its IP header length */
};

static struct sess sess[MAX_SESS];
static bool swap_states, never_answer, echo_seq, other;
static uint64_t timeout_ns = 5000000000ull;
static int raw4 = -1, raw6 = -1;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Sends a whole IP packet through the routing table (header included). */
static void send_ip(const uint8_t *pkt, size_t len, const struct rtr_addr *dst)
{
	if (rtr_addr_is_v4mapped(dst)) {
		struct sockaddr_in sin = {.sin_family = AF_INET};
		memcpy(&sin.sin_addr, rtr_addr_v4(dst), 4);
		sendto(raw4, pkt, len, 0, (struct sockaddr *)&sin, sizeof(sin));
	} else {
		struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6};
		memcpy(&sin6.sin6_addr, dst->b, 16);
		sendto(raw6, pkt, len, 0, (struct sockaddr *)&sin6, sizeof(sin6));
	}
}

static void send_response(int family, const struct rtr_addr *src, const struct rtr_addr *dst,
			  const struct rtr_response *rsp)
{
	struct rtr_l3 l3 = {.family = (uint8_t)family, .src = *src, .dst = *dst};
	uint8_t icmp[64], pkt[128];
	int n = rtr_response_encode(icmp, sizeof(icmp), &l3, rsp);
	if (n < 0)
		return;
	struct rtr_ip ip = {.family = (uint8_t)family,
			    .ttl = RTR_RSP_TTL,
			    .df = true,
			    .src = *src,
			    .dst = *dst};
	ip.proto = family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	int h = rtr_ip_encode(pkt, sizeof(pkt), &ip, (size_t)n);
	if (h < 0)
		return;
	memcpy(pkt + h, icmp, (size_t)n);
	send_ip(pkt, (size_t)h + (size_t)n, dst);
}

/* Checksum field of an L4 message with its pseudo-header (none for ICMPv4), field zeroed. */
static uint16_t l4_csum(const struct rtr_probe *p, const uint8_t *l4, size_t len)
{
	uint32_t ps = p->proto == RTR_IPPROTO_ICMP ? 0
						   : rtr_csum_pseudo(p->family, &p->src, &p->dst,
								     p->proto, (uint32_t)len);
	return rtr_csum_fold(rtr_csum_add(ps, l4, len));
}

/*
 * --other: a probe as another team might build it. Identity: 16 random bits only (IPv4 UDP:
 * the IP ID over a constant payload, a fixed ID otherwise; IPv6 UDP: two payload bytes moving the
 * checksum; TCP: the low half of the sequence number; ICMP: the identifier, sequence 0). UDP
 * carries 8 (IPv4) or 12 (IPv6) payload bytes, TCP a 28-byte SYN with window 29200, MSS 1400 and
 * SACK-permitted, ICMP 16 payload bytes whose last two reach the flow checksum. IPv4 without DF;
 * IPv6 flow label = the flow (constant per flow, as the Paris rule asks).
 */
static int other_probe(uint8_t *out, size_t cap, const struct rtr_probe *p, uint16_t r)
{
	static const uint8_t text[] = "other-rtr-probe!";
	uint8_t l4[64];
	size_t len;
	memset(l4, 0, sizeof(l4));
	if (p->proto == RTR_IPPROTO_UDP) {
		len = 8 + (p->family == 4 ? 8 : 12);
		memcpy(l4 + 8, text, len - 8);
		if (p->family == 6) {
			l4[8] = (uint8_t)(r >> 8);
			l4[9] = (uint8_t)r;
		}
		rtr_put16(l4, RTR_PROBE_SPORT);
		rtr_put16(l4 + 2, p->flow);
		rtr_put16(l4 + 4, (uint16_t)len);
		uint16_t ck = l4_csum(p, l4, len);
		rtr_put16(l4 + 6, ck ? ck : 0xFFFF);
	} else if (p->proto == RTR_IPPROTO_TCP) {
		len = 28;
		rtr_put16(l4, RTR_PROBE_SPORT);
		rtr_put16(l4 + 2, p->flow);
		rtr_put32(l4 + 4, r);
		l4[12] = 7 << 4;
		l4[13] = RTR_TCP_SYN;
		rtr_put16(l4 + 14, 29200);
		static const uint8_t opts[8] = {2, 4, 0x05, 0x78, 4, 2, 1, 1};
		memcpy(l4 + 20, opts, sizeof(opts));
		rtr_put16(l4 + 16, l4_csum(p, l4, len));
	} else {
		len = 8 + 16;
		l4[0] = p->family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST;
		rtr_put16(l4 + 4, r);
		memcpy(l4 + 8, text, 14);
		uint16_t have = l4_csum(p, l4, len);
		rtr_put16(l4 + 22, rtr_csum_compensate(have, p->flow));
		rtr_put16(l4 + 2, p->flow);
	}
	struct rtr_ip ip = {.family = p->family,
			    .ttl = p->ttl,
			    .proto = p->proto,
			    /* Not 0 on TCP and ICMP: Linux rewrites a zero ID of a raw packet. */
			    .id = p->proto == RTR_IPPROTO_UDP ? r : 0x2a2a,
			    .flowlabel = p->family == 6 ? p->flow : 0,
			    .src = p->src,
			    .dst = p->dst};
	int h = rtr_ip_encode(out, cap, &ip, len);
	if (h < 0 || (size_t)h + len > cap)
		return -1;
	memcpy(out + h, l4, len);
	return h + (int)len;
}

/*
 * --other: its own matcher. A Time Exceeded code 0 or a Destination Unreachable must quote the
 * probe's addresses, protocol, IPv4 ID and first 8 L4 bytes as sent; a direct answer must come
 * from the probe's destination: an Echo Reply code 0 with its identifier and sequence, or a TCP
 * RST or SYN-ACK with ACK, from the flow port to 1021, acking the sequence. Outer checksums must
 * verify. Fills *hop and returns true on a match.
 */
static bool other_match(const struct sess *s, const struct rtr_ip *ip, const uint8_t *l4,
			size_t len, struct rtr_addr *hop)
{
	const struct rtr_probe *p = &s->probe;
	uint8_t icmp_proto = ip->family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	if (ip->family != p->family || !rtr_addr_eq(&ip->dst, &p->src) || len < 8)
		return false;
	uint32_t ps =
		ip->proto == RTR_IPPROTO_ICMP
			? 0
			: rtr_csum_pseudo(ip->family, &ip->src, &ip->dst, ip->proto, (uint32_t)len);
	if ((ip->proto != icmp_proto && ip->proto != RTR_IPPROTO_TCP) || !rtr_csum_ok(ps, l4, len))
		return false;
	*hop = ip->src;
	const uint8_t *sent_l4 = s->sent + s->hlen;
	if (ip->proto == RTR_IPPROTO_TCP)
		return p->proto == RTR_IPPROTO_TCP && len >= 20 && rtr_addr_eq(&ip->src, &p->dst) &&
		       rtr_get16(l4) == p->flow && rtr_get16(l4 + 2) == RTR_PROBE_SPORT &&
		       (l4[13] & RTR_TCP_ACK) && (l4[13] & (RTR_TCP_RST | RTR_TCP_SYN)) &&
		       rtr_get32(l4 + 8) == rtr_get32(sent_l4 + 4) + 1;
	bool te = l4[0] == (ip->family == 4 ? RTR_ICMP4_TIME_EXCEEDED : RTR_ICMP6_TIME_EXCEEDED);
	bool du = l4[0] == (ip->family == 4 ? RTR_ICMP4_DEST_UNREACH : RTR_ICMP6_DEST_UNREACH);
	if (l4[0] == (ip->family == 4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY))
		return p->proto == icmp_proto && l4[1] == 0 && rtr_addr_eq(&ip->src, &p->dst) &&
		       !memcmp(l4 + 4, sent_l4 + 4, 4);
	if (!(te && l4[1] == 0) && !du)
		return false;
	struct rtr_ip q;
	int qh = rtr_ip_decode(&q, l4 + 8, len - 8, RTR_IP_QUOTED);
	if (qh < 0 || q.fragment || (size_t)qh + 8 > len - 8 || q.proto != p->proto ||
	    !rtr_addr_eq(&q.src, &p->src) || !rtr_addr_eq(&q.dst, &p->dst) ||
	    (ip->family == 4 && q.id != rtr_get16(s->sent + 4)))
		return false;
	return !memcmp(l4 + 8 + qh, sent_l4, 8);
}

static void on_request(const struct rtr_ip *ip, const uint8_t *icmp, size_t len)
{
	struct rtr_l3 l3 = {.family = ip->family, .src = ip->src, .dst = ip->dst};
	struct rtr_request rq;
	if (ip->fragment || rtr_request_decode(&rq, &l3, icmp, len) < 0 || never_answer)
		return;
	uint16_t value = 0;
	int state = rtr_request_state(&rq, ip->family, NULL, &value);
	if (state != RTR_STATE_OK) {
		if (swap_states && (state == RTR_STATE_TTL || state == RTR_STATE_PROTOCOL))
			state = state == RTR_STATE_TTL ? RTR_STATE_PROTOCOL : RTR_STATE_TTL;
		struct rtr_response rsp = {
			.ident = rq.ident, .state = (uint8_t)state, .value = value};
		if (echo_seq)
			rsp.seq = rq.seq; /* RSP-2 broken: a server response carries sequence 0 */
		send_response(ip->family, &ip->dst, &ip->src, &rsp);
		return;
	}
	int free_slot = -1;
	for (int i = 0; i < MAX_SESS; i++) {
		if (sess[i].used && sess[i].ident == rq.ident &&
		    rtr_addr_eq(&sess[i].probe.dst, &ip->src))
			return; /* duplicate pending key */
		if (!sess[i].used && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0)
		return;
	struct sess *s = &sess[free_slot];
	memset(s, 0, sizeof(*s));
	s->probe.family = ip->family;
	s->probe.proto = (uint8_t)rtr_request_probe_proto(rq.proto, ip->family);
	s->probe.src = ip->dst;
	s->probe.dst = ip->src;
	s->probe.ttl = rq.ttl;
	s->probe.flow = rtr_request_probe_flow(s->probe.proto, rq.flow);
	uint8_t rnd[8], payload[64], pkt[256];
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd) ||
	    getrandom(payload, sizeof(payload), 0) != sizeof(payload))
		return;
	int n;
	if (other) {
		n = other_probe(pkt, sizeof(pkt), &s->probe, (uint16_t)(rnd[0] << 8 | rnd[1]));
		if (n < 0)
			return;
		s->hlen = ip->family == 4 ? 20 : 40;
		memcpy(s->sent, pkt, s->hlen + 8);
	} else {
		if (rtr_probe_id_from_random(&s->probe.id, ip->family, s->probe.proto, rnd) < 0)
			return;
		n = rtr_probe_encode(pkt, sizeof(pkt), &s->probe, payload);
		if (n < 0)
			return;
	}
	s->used = true;
	s->ident = rq.ident;
	s->seq = rq.seq;
	s->sent_ns = now_ns();
	send_ip(pkt, (size_t)n, &s->probe.dst);
}

static void on_answer(const uint8_t *pkt, size_t len)
{
	struct rtr_answer a;
	struct rtr_ip ip;
	int h = rtr_ip_decode(&ip, pkt, len, 0);
	if (h < 0 || (!other && rtr_answer_decode(&a, pkt, len) != RTR_OK))
		return;
	uint64_t now = now_ns();
	for (int i = 0; i < MAX_SESS; i++) {
		struct sess *s = &sess[i];
		struct rtr_addr hop;
		if (!s->used)
			continue;
		if (other ? !other_match(s, &ip, pkt + h, rtr_ip_l4_len(&ip, len), &hop)
			  : rtr_answer_match(&a, &s->probe) != RTR_OK)
			continue;
		if (!other)
			hop = a.from;
		s->used = false;
		if (now - s->sent_ns > timeout_ns)
			return;
		struct rtr_response rsp = {.ident = s->ident,
					   .state = RTR_STATE_OK,
					   .hop = hop,
					   .rtt_ns = now - s->sent_ns};
		if (echo_seq)
			rsp.seq = s->seq;
		send_response(s->probe.family, &s->probe.src, &s->probe.dst, &rsp);
		return;
	}
}

static void on_packet(const uint8_t *pkt, size_t len)
{
	struct rtr_ip ip;
	int h = rtr_ip_decode(&ip, pkt, len, 0);
	if (h < 0)
		return;
	size_t l4 = rtr_ip_l4_len(&ip, len);
	const uint8_t *icmp = pkt + h;
	uint8_t echo = ip.family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST;
	uint8_t icmp_proto = ip.family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	if (ip.proto == icmp_proto && l4 >= 2 && icmp[0] == echo && icmp[1] == RTR_CODE_RTR)
		on_request(&ip, icmp, l4);
	else if (ip.proto == icmp_proto && l4 < 2 && !ip.fragment)
		return;
	else if (!ip.fragment)
		on_answer(pkt, len);
}

static void sweep(void)
{
	uint64_t now = now_ns();
	for (int i = 0; i < MAX_SESS; i++)
		if (sess[i].used && now - sess[i].sent_ns > timeout_ns)
			sess[i].used = false;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"swap-states", no_argument, NULL, 's'},
		{"never-answer", no_argument, NULL, 'n'},
		{"echo-seq", no_argument, NULL, 'e'},
		{"timeout", required_argument, NULL, 't'},
		{"other", no_argument, NULL, 'O'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int o;
	while ((o = getopt_long(argc, argv, "t:h", opts, NULL)) != -1) {
		char *end;
		switch (o) {
		case 's':
			swap_states = true;
			break;
		case 'n':
			never_answer = true;
			break;
		case 'e':
			echo_seq = true;
			break;
		case 'O':
			other = true;
			break;
		case 't':
			errno = 0;
			timeout_ns = strtoull(optarg, &end, 10);
			if (errno || *end || !timeout_ns) {
				fprintf(stderr, "bad-server: -t takes a timeout in ns\n");
				return 2;
			}
			break;
		case 'h':
			printf("usage: bad-server [--swap-states] [--never-answer] [--echo-seq] "
			       "[--other] [-t NS] IFNAME\n");
			return 0;
		default:
			fprintf(stderr, "bad-server: unknown option (see --help)\n");
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "bad-server: give one interface name (see --help)\n");
		return 2;
	}
	/* The host stack must not echo requests (REQ-4): drop them on input, after AF_PACKET. */
	if (system("nft -f - <<'EOF'\n"
		   "table inet badsrv {\n"
		   " chain in { type filter hook input priority 0;\n"
		   "  icmp type echo-request icmp code 1 drop\n"
		   "  icmpv6 type echo-request icmpv6 code 1 drop\n"
		   " }\n"
		   "}\n"
		   "EOF") != 0 ||
	    /* --other sends no RST after a SYN-ACK: the host kernel's own RST must not leave. */
	    (other &&
	     system("nft 'add chain inet badsrv out { type filter hook output priority 0; }'"
		    " && nft 'add rule inet badsrv out tcp sport 1021 tcp flags rst drop'") != 0)) {
		fprintf(stderr, "bad-server: nft failed\n");
		return 1;
	}
	int ifindex = (int)if_nametoindex(argv[optind]);
	int rx = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
	raw4 = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	raw6 = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = ifindex};
	if (!ifindex || rx < 0 || raw4 < 0 || raw6 < 0 ||
	    bind(rx, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "bad-server: sockets on %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "bad-server: on %s%s%s\n", argv[optind], swap_states ? " swap-states" : "",
		never_answer ? " never-answer" : "");
	while (!stop) {
		struct pollfd pfd = {.fd = rx, .events = POLLIN};
		if (poll(&pfd, 1, 50) > 0) {
			uint8_t buf[2048];
			struct sockaddr_ll from;
			socklen_t fl = sizeof(from);
			ssize_t n =
				recvfrom(rx, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
			if (n > 0 && from.sll_pkttype != PACKET_OUTGOING)
				on_packet(buf, (size_t)n);
		}
		sweep();
	}
	return 0;
}
