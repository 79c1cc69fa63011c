// SPDX-License-Identifier: BSD-2-Clause
/* icmp_echo.c: test helper: send one ICMP/ICMPv6 echo request with a chosen code (ping cannot
 * set it; the operator filter keys on it), and optionally a TTL and identifier (one ICMP flow
 * per identifier, for the l4hash checks), then report the echo reply or Time Exceeded.
 *
 * usage: icmp_echo ADDRESS CODE [TIMEOUT_MS [TTL ID]]
 * prints "reply from A", "time-exceeded from A" or "no reply"; exit 0 answer, 1 none, 2 error. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint16_t csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)(p[len - 1] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss = {0};
	socklen_t sl;
	int fam, fd;

	if (argc != 3 && argc != 4 && argc != 6) {
		fprintf(stderr, "usage: icmp_echo ADDRESS CODE [TIMEOUT_MS [TTL ID]]\n");
		return 2;
	}
	int code = atoi(argv[2]);
	long timeout = argc >= 4 ? atol(argv[3]) : 1000;
	int ttl = argc == 6 ? atoi(argv[4]) : 0;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, argv[1], &s4->sin_addr) == 1) {
		fam = AF_INET;
		s4->sin_family = AF_INET;
		sl = sizeof(*s4);
	} else if (inet_pton(AF_INET6, argv[1], &s6->sin6_addr) == 1) {
		fam = AF_INET6;
		s6->sin6_family = AF_INET6;
		sl = sizeof(*s6);
	} else {
		fprintf(stderr, "icmp_echo: '%s' is not an address\n", argv[1]);
		return 2;
	}
	fd = socket(fam, SOCK_RAW, fam == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	if (fd < 0) {
		perror("icmp_echo: socket");
		return 2;
	}
	uint16_t id = argc == 6 ? (uint16_t)atoi(argv[5]) : (uint16_t)getpid();
	if (ttl > 0 && (fam == AF_INET ? setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl))
				       : setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl,
						    sizeof(ttl))) < 0) {
		perror("icmp_echo: TTL");
		return 2;
	}
	uint8_t pkt[16] = {fam == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST,
			   (uint8_t)code,
			   0,
			   0,
			   (uint8_t)(id >> 8),
			   (uint8_t)id,
			   0,
			   1,
			   'r',
			   't',
			   'r',
			   '-',
			   'l',
			   'a',
			   'b',
			   0};
	if (fam == AF_INET) { /* the kernel sums ICMPv6 itself, ICMPv4 is ours */
		uint16_t c = csum(pkt, sizeof(pkt));
		pkt[2] = (uint8_t)(c >> 8);
		pkt[3] = (uint8_t)c;
	}
	if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, sl) != (ssize_t)sizeof(pkt)) {
		perror("icmp_echo: sendto");
		return 2;
	}
	long end = now_ms() + timeout;
	for (long left; (left = end - now_ms()) > 0;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		uint8_t buf[2048];
		if (poll(&p, 1, (int)left) <= 0)
			break;
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		char fa[INET6_ADDRSTRLEN] = "?";
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		if (n < 0)
			continue;
		inet_ntop(fam,
			  fam == AF_INET ? (void *)&((struct sockaddr_in *)&from)->sin_addr
					 : (void *)&((struct sockaddr_in6 *)&from)->sin6_addr,
			  fa, sizeof(fa));
		const uint8_t *icmp = buf;
		if (fam == AF_INET) { /* raw IPv4 sockets deliver the IP header too */
			size_t hl = (size_t)(buf[0] & 0x0f) * 4;
			if ((size_t)n < hl + 8)
				continue;
			icmp = buf + hl;
			n -= (ssize_t)hl;
		}
		uint8_t reply = fam == AF_INET ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY;
		uint8_t exceeded = fam == AF_INET ? ICMP_TIME_EXCEEDED : ICMP6_TIME_EXCEEDED;
		if (n >= 8 && icmp[0] == reply && icmp[4] == pkt[4] && icmp[5] == pkt[5]) {
			printf("reply from %s to code %d\n", fa, code);
			return 0;
		}
		/* Time Exceeded quotes our packet: its IP header, then our echo header. */
		if (n < 28 || icmp[0] != exceeded)
			continue;
		size_t inner = fam == AF_INET ? 8 + (size_t)(icmp[8] & 0x0f) * 4 : 8 + 40;
		if ((size_t)n >= inner + 8 && icmp[inner + 4] == pkt[4] &&
		    icmp[inner + 5] == pkt[5]) {
			printf("time-exceeded from %s\n", fa);
			return 0;
		}
	}
	printf("no reply from %s to code %d\n", argv[1], code);
	return 1;
}
