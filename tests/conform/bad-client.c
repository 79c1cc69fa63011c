// SPDX-License-Identifier: BSD-2-Clause
/*
 * bad-client.c: a reverse traceroute "client" that breaks the protocol on purpose, so tests prove
 * rtr-conform's client mode reports exactly the cases: no presence check, sequence 0, one
 * identifier for every TTL, a different flow per TTL, exit 0 whatever comes back.
 *
 *   bad-client TARGET
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "request.h"

int main(int argc, char **argv)
{
	struct rtr_addr dst;
	int fam = argc == 2 ? rtr_addr_parse(&dst, argv[1]) : -1;
	if (fam != 4 && fam != 6) {
		fprintf(stderr, "usage: bad-client TARGET (an IPv4 or IPv6 address)\n");
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
	memset(&ss, 0, sizeof(ss));
	socklen_t sl;
	if (fam == 4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, rtr_addr_v4(&dst), 4);
		sl = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, dst.b, 16);
		sl = sizeof(*s6);
	}
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
		struct timespec ts = {0, 50000000};
		nanosleep(&ts, NULL);
	}
	close(fd);
	return 0;
}
