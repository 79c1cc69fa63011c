// SPDX-License-Identifier: BSD-2-Clause
/*
 * bad-client.c: reverse traceroute "clients" for rtr-conform's own tests.
 *
 *   bad-client TARGET           breaks the protocol on purpose: no presence check, sequence 0,
 *                               one identifier for every TTL sent without waiting, a different
 *                               flow per TTL, exit 0 whatever comes back.
 *   bad-client --other TARGET   a second legal client shaped unlike rtr-client where the draft
 *                               leaves room: sequence 0, one identifier reused once answered,
 *                               TCP probes to port 443, a kernel echo told by its length
 *                               (RSP-8), its own output format. Exit 0 after a trace, also one
 *                               ended by an error state; 3 when no server answers.
 *   bad-client --sloppy TARGET  --other, but shows a hop for every Echo Reply code 1 (any
 *                               identifier, source or checksum, state 7 too) and, at an error
 *                               state, prints a Python-style traceback and exits 1.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "ip.h"
#include "request.h"
#include "response.h"
#include "rtr_wire.h"

static socklen_t sockaddr_of(const struct rtr_addr *a, int fam, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (fam == 4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, rtr_addr_v4(a), 4);
		return sizeof(*s4);
	}
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	s6->sin6_family = AF_INET6;
	memcpy(&s6->sin6_addr, a->b, 16);
	return sizeof(*s6);
}

/* This host's source address towards dst (a connected UDP socket sends nothing). */
static int local_addr(const struct rtr_addr *dst, int fam, struct rtr_addr *out)
{
	struct sockaddr_storage ss;
	socklen_t sl = sockaddr_of(dst, fam, &ss);
	((struct sockaddr_in *)&ss)->sin_port = htons(9);
	int u = socket(fam == 4 ? AF_INET : AF_INET6, SOCK_DGRAM, 0);
	if (u < 0 || connect(u, (struct sockaddr *)&ss, sl) < 0 ||
	    getsockname(u, (struct sockaddr *)&ss, &sl) < 0) {
		if (u >= 0)
			close(u);
		return -1;
	}
	close(u);
	char t[INET6_ADDRSTRLEN];
	if (fam == 4)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, t, sizeof(t));
	else
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, t, sizeof(t));
	return rtr_addr_parse(out, t) == fam ? 0 : -1;
}

/*
 * Waits up to ms for a response to ident from dst that decodes (checksum, state) and fills
 * rsp and *len; 0 on a response, -1 on timeout. Anything else is ignored.
 */
static bool sloppy;

static int await(int fd, int fam, const struct rtr_addr *dst, const struct rtr_addr *self,
		 uint16_t ident, int ms, struct rtr_response *rsp, size_t *len)
{
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		int left = ms - (int)((t.tv_sec - t0.tv_sec) * 1000 +
				      (t.tv_nsec - t0.tv_nsec) / 1000000);
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			return -1;
		uint8_t buf[2048];
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		if (n <= 0)
			continue;
		const uint8_t *icmp = buf;
		size_t l4 = (size_t)n;
		struct rtr_ip ip;
		struct rtr_l3 l3 = {.family = (uint8_t)fam, .dst = *self};
		if (fam == 4) { /* IPv4 raw sockets deliver the IP header too */
			int h = rtr_ip_decode(&ip, buf, (size_t)n, 0);
			if (h < 0)
				continue;
			icmp = buf + h;
			l4 = rtr_ip_l4_len(&ip, (size_t)n);
			l3.src = ip.src;
		} else {
			char t6[INET6_ADDRSTRLEN];
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&from)->sin6_addr, t6,
				  sizeof(t6));
			rtr_addr_parse(&l3.src, t6);
		}
		if (sloppy && l4 >= RTR_RSP_OK_LEN && icmp[1] == RTR_CODE_RTR &&
		    icmp[0] == (fam == 4 ? 0 : 129)) {
			/* No identifier, source, checksum or state check: what must not be done. */
			memset(rsp, 0, sizeof(*rsp));
			rsp->state = icmp[RTR_RSP_OFF_STATE] == 7 ? 0 : icmp[RTR_RSP_OFF_STATE];
			memcpy(rsp->hop.b, icmp + RTR_RSP_OFF_HOP, 16);
			*len = l4;
			return 0;
		}
		if (!rtr_addr_eq(&l3.src, dst) || l4 < 8 ||
		    (uint16_t)(icmp[4] << 8 | icmp[5]) != ident)
			continue;
		if (rtr_response_decode(rsp, &l3, icmp, l4) < 0) {
			/* A kernel echo of a TTL-0 request: state 0 without hop (RSP-8). */
			if (l4 >= RTR_RSP_ERR_LEN && l4 < RTR_RSP_OK_LEN &&
			    icmp[1] == RTR_CODE_RTR && icmp[0] == (fam == 4 ? 0 : 129) &&
			    icmp[RTR_RSP_OFF_STATE] == 0) {
				rsp->state = 0;
				*len = l4;
				return 0;
			}
			continue;
		}
		*len = l4;
		return 0;
	}
}

static int other_client(int fd, int fam, const struct rtr_addr *dst, struct sockaddr_storage *ss,
			socklen_t sl)
{
	struct rtr_addr self;
	if (local_addr(dst, fam, &self) < 0) {
		fprintf(stderr, "bad-client: no route to the target\n");
		return 1;
	}
	const uint16_t ident = 0x5151; /* reused once answered: legal, not rtr's choice */
	for (int ttl = 0; ttl <= 6; ttl++) {
		struct rtr_request rq = {
			.ident = ident, .seq = 0, .ttl = (uint8_t)ttl, .proto = 6, .flow = 443};
		struct rtr_l3 l3 = {.family = (uint8_t)fam, .src = self, .dst = *dst};
		uint8_t icmp[64];
		int n = rtr_request_encode(icmp, sizeof(icmp), &l3, &rq);
		if (n < 0 || sendto(fd, icmp, (size_t)n, 0, (struct sockaddr *)ss, sl) != n) {
			perror("bad-client: sendto");
			return 1;
		}
		struct rtr_response rsp;
		size_t len = 0;
		/* --sloppy shows every reply that comes within 200 ms of a request. */
		while (sloppy && ttl > 0 &&
		       await(fd, fam, dst, &self, ident, 200, &rsp, &len) == 0) {
			char h[RTR_ADDR_STRLEN];
			if (rsp.state != 0) {
				printf("Traceback (most recent call last):\n  File \"client.py\", "
				       "line "
				       "42, in <module>\nValueError: state %u\n",
				       rsp.state);
				return 1;
			}
			printf("ttl=%d hop=%s\n", ttl, rtr_addr_format(&rsp.hop, h, sizeof(h)));
		}
		if (sloppy && ttl > 0)
			continue;
		if (await(fd, fam, dst, &self, ident, 1000, &rsp, &len) < 0) {
			if (ttl == 0) {
				printf("no answer from %s\n", "the target");
				return 3;
			}
			printf("ttl=%d *\n", ttl);
			continue;
		}
		char hop[RTR_ADDR_STRLEN];
		if (ttl == 0) {
			if (rsp.state == 0 && len < RTR_RSP_OK_LEN) {
				printf("the target's kernel echoed: no reverse traceroute "
				       "server\n");
				return 3;
			}
			continue;
		}
		if (rsp.state != 0) {
			printf("ttl=%d refused, state=%u value=%u\n", ttl, rsp.state, rsp.value);
			return 0;
		}
		printf("ttl=%d hop=%s\n", ttl, rtr_addr_format(&rsp.hop, hop, sizeof(hop)));
		if (rtr_addr_eq(&rsp.hop, &self))
			return 0;
	}
	return 0;
}

int main(int argc, char **argv)
{
	sloppy = argc == 3 && !strcmp(argv[1], "--sloppy");
	bool other = sloppy || (argc == 3 && !strcmp(argv[1], "--other"));
	struct rtr_addr dst;
	int fam = argc == 2 || other ? rtr_addr_parse(&dst, argv[argc - 1]) : -1;
	if (fam != 4 && fam != 6) {
		fprintf(stderr,
			"usage: bad-client [--other|--sloppy] TARGET (an IPv4 or IPv6 address)\n");
		return 2;
	}
	/* Raw ICMP sockets: the kernel writes the IP header (and the ICMPv6 checksum). */
	int fd = socket(fam == 4 ? AF_INET : AF_INET6, SOCK_RAW,
			fam == 4 ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	if (fd < 0) {
		perror("bad-client: socket");
		return 1;
	}
	struct sockaddr_storage ss;
	socklen_t sl = sockaddr_of(&dst, fam, &ss);
	if (other)
		return other_client(fd, fam, &dst, &ss, sl);
	for (uint8_t ttl = 1; ttl <= 6; ttl++) {
		struct rtr_request rq = {.ident = 0x4242,
					 .seq = 0,
					 .ttl = ttl,
					 .proto = 17,
					 .flow = (uint16_t)(33433 + ttl)};
		struct rtr_l3 l3 = {.family = (uint8_t)fam, .dst = dst};
		uint8_t icmp[64];
		int n = rtr_request_encode(icmp, sizeof(icmp), &l3, &rq);
		if (n < 0 || sendto(fd, icmp, (size_t)n, 0, (struct sockaddr *)&ss, sl) != n) {
			perror("bad-client: sendto");
			return 1;
		}
	}
	/* All six were sent at once, so they share the identifier while pending. */
	struct timespec ts = {0, 300000000};
	nanosleep(&ts, NULL);
	close(fd);
	return 0;
}
