// SPDX-License-Identifier: BSD-2-Clause
/* rtr_trace.c: minimal reverse traceroute test client (raw sockets + proto/) for the live lab. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "err.h"
#include "ip.h"
#include "request.h"
#include "response.h"
#include "rtr_wire.h"

/*
 * trace: one request per TTL, waits for its response, prints
 *   "TTL <n> STATE <s> HOP <addr>" or "TTL <n> NONE".
 * flood: sends -n requests (32 per system call, paced to -r PPS), counts
 *   responses until -w ms pass without one, prints "SENT <n> ANSWERED <m> NS
 *   <first request to last response>".
 */

struct client {
	int fd;
	int family;
	struct rtr_l3 l3; /* src = us, dst = server */
	uint16_t seq;
	bool echoes; /* -k: count the kernel's echoes of our requests instead of responses */
};

static void usage(FILE *f)
{
	fprintf(f, "usage: rtr_trace listen PORT SECONDS\n"
		   "       rtr_trace trace|flood -s SERVER [-p PROTO] [-f FLOW] [-t TTL] "
		   "[-T LAST_TTL] [-n COUNT] [-i FIRST_IDENT] [-w WAIT_MS] [-r PPS] [-k]\n"
		   "       -k: count the kernel's echoes of the requests (a host without a "
		   "server) instead of responses\n");
}

static int open_client(struct client *c, const char *server)
{
	struct sockaddr_storage ss = {0};
	socklen_t sl;

	c->family = rtr_addr_parse(&c->l3.dst, server);
	if (c->family != 4 && c->family != 6)
		return -1;
	c->l3.family = (uint8_t)c->family;
	c->fd = socket(c->family == 4 ? AF_INET : AF_INET6, SOCK_RAW,
		       c->family == 4 ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	if (c->fd < 0)
		return -1;
	if (c->family == 4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, rtr_addr_v4(&c->l3.dst), 4);
		sl = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, c->l3.dst.b, 16);
		sl = sizeof(*s6);
	}
	if (connect(c->fd, (struct sockaddr *)&ss, sl))
		return -1;
	/* Only Echo Replies: the server's probes to us would fill the queue too. */
	if (c->family == 4) {
		struct icmp_filter flt = {.data = ~(1u << RTR_ICMP4_ECHO_REPLY)};

		setsockopt(c->fd, SOL_RAW, ICMP_FILTER, &flt, sizeof(flt));
	} else {
		struct icmp6_filter flt;

		ICMP6_FILTER_SETBLOCKALL(&flt);
		ICMP6_FILTER_SETPASS(RTR_ICMP6_ECHO_REPLY, &flt);
		setsockopt(c->fd, IPPROTO_ICMPV6, ICMP6_FILTER, &flt, sizeof(flt));
	}
	sl = sizeof(ss);
	if (getsockname(c->fd, (struct sockaddr *)&ss, &sl))
		return -1;
	if (c->family == 4)
		rtr_addr_from_v4(&c->l3.src,
				 (const uint8_t *)&((struct sockaddr_in *)&ss)->sin_addr);
	else
		rtr_addr_from_v6(&c->l3.src, ((struct sockaddr_in6 *)&ss)->sin6_addr.s6_addr);
	c->seq = (uint16_t)(getpid() | 1);
	return 0;
}

/* Encodes request ident into buf (at least 64 bytes); its length or -1. */
static int encode_request(const struct client *c, uint8_t *buf, size_t cap, uint16_t ident,
			  uint8_t ttl, uint8_t proto, uint16_t flow)
{
	struct rtr_request rq = {
		.ident = ident, .seq = c->seq, .ttl = ttl, .proto = proto, .flow = flow};
	int n = rtr_request_encode(buf, cap, &c->l3, &rq);

	return n < 0 ? -1 : n;
}

static int send_request(struct client *c, uint16_t ident, uint8_t ttl, uint8_t proto, uint16_t flow)
{
	uint8_t buf[64];
	int n = encode_request(c, buf, sizeof(buf), ident, ttl, proto, flow);

	return n >= 0 && send(c->fd, buf, (size_t)n, 0) == n ? 0 : -1;
}

/* Decodes one received datagram as a response; 1 when it is one (not a kernel echo). */
static int parse_response(struct client *c, uint8_t *buf, ssize_t n, struct rtr_response *rsp)
{
	struct rtr_l3 l3 = {.family = c->l3.family, .src = c->l3.dst, .dst = c->l3.src};
	const uint8_t *icmp = buf;

	if (c->family == 4) {
		struct rtr_ip ip;
		int hl = rtr_ip_decode(&ip, buf, (size_t)n, 0);

		if (hl < 0 || ip.proto != RTR_IPPROTO_ICMP)
			return 0;
		icmp = buf + hl;
		n = (ssize_t)rtr_ip_l4_len(&ip, (size_t)n);
	}
	if (rtr_response_decode(rsp, &l3, icmp, (size_t)n) < 0)
		return 0;
	/* A kernel echo of our request repeats our sequence number. */
	return rtr_response_is_kernel_echo(rsp, (size_t)n, c->seq) == c->echoes;
}

/* Counts the responses already queued, without waiting: up to 64 per system call. */
static long drain(struct client *c)
{
	enum { BATCH = 64 };
	static uint8_t bufs[BATCH][256];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	struct rtr_response rsp;
	long got = 0;
	int n;

	for (;;) {
		for (int i = 0; i < BATCH; i++) {
			iov[i] = (struct iovec){.iov_base = bufs[i], .iov_len = sizeof(bufs[i])};
			mm[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov[i], .msg_iovlen = 1}};
		}
		n = recvmmsg(c->fd, mm, BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return got;
		for (int i = 0; i < n; i++)
			got += parse_response(c, bufs[i], (ssize_t)mm[i].msg_len, &rsp);
		if (n < BATCH)
			return got;
	}
}

/*
 * Sends requests first .. first + n - 1 (identifiers ident + i) with one
 * system call per 32; 0 or -1.
 */
static int send_batch(struct client *c, long ident, long first, int n, uint8_t ttl, uint8_t proto,
		      uint16_t flow)
{
	enum { BATCH = 32 };
	static uint8_t bufs[BATCH][64];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];

	for (int done = 0; done < n;) {
		int k = n - done < BATCH ? n - done : BATCH, sent;

		for (int i = 0; i < k; i++) {
			int len = encode_request(c, bufs[i], sizeof(bufs[i]),
						 (uint16_t)(ident + first + done + i), ttl, proto,
						 flow);

			if (len < 0)
				return -1;
			iov[i] = (struct iovec){.iov_base = bufs[i], .iov_len = (size_t)len};
			mm[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov[i], .msg_iovlen = 1}};
		}
		sent = sendmmsg(c->fd, mm, (unsigned)k, 0);
		if (sent <= 0)
			return -1;
		done += sent;
	}
	return 0;
}

/* Waits up to ms for one response; returns 1 with *rsp filled, 0 on timeout, -1 on error. */
static int recv_response(struct client *c, struct rtr_response *rsp, int ms)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = {.fd = c->fd, .events = POLLIN};
		uint8_t buf[2048];
		ssize_t n;
		long left;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		left = ms - ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			return 0;
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		n = recv(c->fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -1;
		if (parse_response(c, buf, n, rsp))
			return 1;
	}
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {{"help", no_argument, NULL, 'h'}, {0}};
	const char *server = NULL;
	long proto = 0, flow = 0, ttl = 1, last = -1, count = 1, ident = 1000, wait_ms = 1000;
	long rate = 0;
	bool echoes = false;
	struct client c;
	int opt;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "listen") && argc == 4) {
		/* listen PORT SECONDS: a TCP listener, so a SYN probe gets a SYN-ACK. */
		int l4 = socket(AF_INET, SOCK_STREAM, 0), l6 = socket(AF_INET6, SOCK_STREAM, 0),
		    one = 1;
		struct sockaddr_in a4 = {.sin_family = AF_INET,
					 .sin_port = htons((uint16_t)atoi(argv[2]))};
		struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = a4.sin_port};

		setsockopt(l6, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		if (l4 < 0 || l6 < 0 || bind(l4, (struct sockaddr *)&a4, sizeof(a4)) ||
		    bind(l6, (struct sockaddr *)&a6, sizeof(a6)) || listen(l4, 16) ||
		    listen(l6, 16)) {
			perror("rtr_trace: listen");
			return 1;
		}
		printf("LISTENING\n");
		fflush(stdout);
		sleep((unsigned)atoi(argv[3]));
		return 0;
	}
	optind = 2;
	while ((opt = getopt_long(argc, argv, "s:p:f:t:T:n:i:w:r:kh", lopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			server = optarg;
			break;
		case 'p':
			proto = strtol(optarg, NULL, 0);
			break;
		case 'f':
			flow = strtol(optarg, NULL, 0);
			break;
		case 't':
			ttl = strtol(optarg, NULL, 0);
			break;
		case 'T':
			last = strtol(optarg, NULL, 0);
			break;
		case 'n':
			count = strtol(optarg, NULL, 0);
			break;
		case 'i':
			ident = strtol(optarg, NULL, 0);
			break;
		case 'w':
			wait_ms = strtol(optarg, NULL, 0);
			break;
		case 'r':
			rate = strtol(optarg, NULL, 0);
			break;
		case 'k':
			echoes = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!server || open_client(&c, server)) {
		fprintf(stderr, "rtr_trace: cannot open a raw socket to %s: %s\n",
			server ? server : "(no -s)", strerror(errno));
		return 1;
	}
	c.echoes = echoes;
	if (!strcmp(argv[1], "trace")) {
		if (last < 0)
			last = ttl;
		for (long t = ttl; t <= last; t++) {
			struct rtr_response rsp;
			uint16_t id = (uint16_t)(ident + t);
			char a[RTR_ADDR_STRLEN];
			int got = 0;

			if (send_request(&c, id, (uint8_t)t, (uint8_t)proto, (uint16_t)flow))
				return 1;
			while ((got = recv_response(&c, &rsp, (int)wait_ms)) == 1 &&
			       rsp.ident != id)
				;
			if (got == 1)
				printf("TTL %ld STATE %u HOP %s\n", t, rsp.state,
				       rsp.state ? "-" : rtr_addr_format(&rsp.hop, a, sizeof(a)));
			else
				printf("TTL %ld NONE\n", t);
			fflush(stdout);
		}
		return 0;
	}
	if (!strcmp(argv[1], "flood")) {
		struct rtr_response rsp;
		long answered = 0, sent = 0;
		struct timespec t0, now, tl;
		int big = 64 << 20;

		/* Responses arrive while we send: room for all of them. */
		setsockopt(c.fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));

		clock_gettime(CLOCK_MONOTONIC, &t0);
		tl = t0;
		while (sent < count) {
			/* -r paces the flood so routers' backlogs do not drop it on the way. */
			long due = count;
			int k;

			if (rate > 0) {
				clock_gettime(CLOCK_MONOTONIC, &now);
				due = ((now.tv_sec - t0.tv_sec) * 1000000000L + now.tv_nsec -
				       t0.tv_nsec) /
					      (1000000000L / rate) +
				      1;
				if (due > count)
					due = count;
			}
			k = due - sent > 16 ? 16 : (int)(due - sent);
			if (k > 0) {
				if (send_batch(&c, ident, sent, k, (uint8_t)ttl, (uint8_t)proto,
					       (uint16_t)flow))
					return 1;
				sent += k;
			}
			long got = drain(&c);

			if (got) {
				answered += got;
				clock_gettime(CLOCK_MONOTONIC, &tl);
			}
		}
		for (;;) {
			long got = drain(&c);

			if (got) {
				answered += got;
				clock_gettime(CLOCK_MONOTONIC, &tl);
				continue;
			}
			if (answered >= count || recv_response(&c, &rsp, (int)wait_ms) != 1)
				break;
			answered++;
			clock_gettime(CLOCK_MONOTONIC, &tl);
		}
		/* From the first request sent to the last response received. */
		printf("SENT %ld ANSWERED %ld NS %ld\n", count, answered,
		       (tl.tv_sec - t0.tv_sec) * 1000000000L + tl.tv_nsec - t0.tv_nsec);
		return 0;
	}
	usage(stderr);
	return 2;
}
