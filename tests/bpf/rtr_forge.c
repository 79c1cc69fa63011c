// SPDX-License-Identifier: BSD-2-Clause
/* rtr_forge.c: lab attacker: captures one probe on an interface and answers it with a forged Time
 * Exceeded. */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bpftest.h"
#include "err.h"
#include "probe.h"

/*
 * usage: rtr_forge IFNAME SERVER4 ROUTER4
 * Waits up to 8 s for an IPv4 probe from SERVER4 seen on IFNAME, then sends
 * SERVER4 a Time Exceeded from ROUTER4 quoting that probe with its IP ID
 * changed: the session key still matches, the identity does not. Prints
 * "FORGED <bytes>" and exits 0, or exits 1.
 */
int main(int argc, char **argv)
{
	struct rtr_addr server, router;
	struct sockaddr_ll sll = {0};
	struct sockaddr_in to = {0};
	int ps, rs, one = 1;

	if (argc != 4 || rtr_addr_parse(&server, argv[2]) != 4 ||
	    rtr_addr_parse(&router, argv[3]) != 4) {
		fprintf(stderr, "usage: rtr_forge IFNAME SERVER4 ROUTER4\n");
		return 2;
	}
	ps = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	rs = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (ps < 0 || rs < 0) {
		perror("rtr_forge: socket");
		return 1;
	}
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = (int)if_nametoindex(argv[1]);
	if (!sll.sll_ifindex || bind(ps, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("rtr_forge: bind");
		return 1;
	}
	setsockopt(rs, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one));
	/* The caller waits for this line before it sends the probe to be forged. */
	printf("CAPTURING\n");
	fflush(stdout);
	for (;;) {
		struct pollfd p = {.fd = ps, .events = POLLIN};
		struct rtr_probe_seen s;
		struct bt_probe bp = {0};
		uint8_t buf[2048], out[BT_MAX];
		ssize_t n;
		size_t m;

		if (poll(&p, 1, 8000) <= 0)
			return 1;
		n = recv(ps, buf, sizeof(buf), 0);
		if (n <= 0 || rtr_probe_decode(&s, buf, (size_t)n, 0) != RTR_OK ||
		    !rtr_addr_eq(&s.src, &server))
			continue;
		bp.p.family = 4;
		bp.p.src = server;
		bp.p.dst = s.dst;
		memcpy(bp.pkt, buf, (size_t)n < sizeof(bp.pkt) ? (size_t)n : sizeof(bp.pkt));
		bp.len = (size_t)n < sizeof(bp.pkt) ? (size_t)n : sizeof(bp.pkt);
		bp.pkt[5] ^= 0x5a; /* IP ID: part of the identity, not of the key */
		m = bt_icmp_error(out, &bp, &router, 11, 0, bp.len, 0);
		to.sin_family = AF_INET;
		memcpy(&to.sin_addr, rtr_addr_v4(&server), 4);
		if (sendto(rs, out, m, 0, (struct sockaddr *)&to, sizeof(to)) != (ssize_t)m) {
			perror("rtr_forge: sendto");
			return 1;
		}
		printf("FORGED %zu\n", m);
		return 0;
	}
}
