// SPDX-License-Identifier: BSD-2-Clause
/* wire.c: namespace switching, AF_PACKET senders and libpcap captures for rtr-conform. */
#include "wire.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int home_ns = -1;

int wire_enter(const char *ns)
{
	char path[256];
	if (home_ns < 0) {
		home_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (home_ns < 0)
			return -1;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = setns(fd, CLONE_NEWNET);
	close(fd);
	return rc;
}

int wire_leave(void)
{
	if (home_ns < 0)
		return 0;
	return setns(home_ns, CLONE_NEWNET);
}

int wire_mac(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	int rc = ioctl(fd, SIOCGIFHWADDR, &ifr);
	close(fd);
	if (rc < 0)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

int wire_tx_open(struct wire_tx *tx, const char *ifname, const uint8_t to[6])
{
	/* Protocol 0: the socket only sends, it never receives a copy of the traffic. */
	tx->fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (tx->fd < 0)
		return -1;
	tx->ifindex = (int)if_nametoindex(ifname);
	if (tx->ifindex == 0) {
		close(tx->fd);
		return -1;
	}
	memcpy(tx->mac, to, 6);
	return 0;
}

int wire_tx_send(const struct wire_tx *tx, const uint8_t *pkt, size_t len)
{
	struct sockaddr_ll sll;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(len > 0 && (pkt[0] >> 4) == 6 ? ETH_P_IPV6 : ETH_P_IP);
	sll.sll_ifindex = tx->ifindex;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, tx->mac, 6);
	ssize_t n = sendto(tx->fd, pkt, len, 0, (struct sockaddr *)&sll, sizeof(sll));
	return n == (ssize_t)len ? 0 : -1;
}

int wire_cap_open(struct wire_cap *c, const char *ifname, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	c->p = pcap_create(ifname, ebuf);
	if (!c->p) {
		snprintf(err, errlen, "pcap_create %s: %s", ifname, ebuf);
		return -1;
	}
	pcap_set_snaplen(c->p, 2048);
	pcap_set_immediate_mode(c->p, 1);
	pcap_set_buffer_size(c->p, 4 << 20);
	if (pcap_activate(c->p) < 0 || pcap_setdirection(c->p, PCAP_D_IN) < 0 ||
	    pcap_setnonblock(c->p, 1, ebuf) < 0 || pcap_datalink(c->p) != DLT_EN10MB) {
		snprintf(err, errlen, "pcap on %s: %s", ifname, pcap_geterr(c->p));
		pcap_close(c->p);
		c->p = NULL;
		return -1;
	}
	c->fd = pcap_get_selectable_fd(c->p);
	return 0;
}

/* Copies one Ethernet frame's IP packet to out; 0 when it carries no IP. */
static int take(const struct pcap_pkthdr *h, const uint8_t *frame, struct wire_pkt *out)
{
	if (h->caplen < 14)
		return 0;
	uint16_t et = (uint16_t)(frame[12] << 8 | frame[13]);
	if (et != ETH_P_IP && et != ETH_P_IPV6)
		return 0;
	size_t n = h->caplen - 14;
	if (n > sizeof(out->data))
		n = sizeof(out->data);
	memcpy(out->data, frame + 14, n);
	out->len = n;
	out->ts_ns = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec * 1000ull;
	return 1;
}

int wire_cap_next(struct wire_cap *c, struct wire_pkt *out, int timeout_ms)
{
	uint64_t end = wire_now_ns() + (uint64_t)timeout_ms * 1000000ull;
	for (;;) {
		struct pcap_pkthdr *h;
		const u_char *frame;
		int rc = pcap_next_ex(c->p, &h, &frame);
		if (rc < 0)
			return -1;
		if (rc == 1) {
			if (take(h, frame, out))
				return 1;
			continue;
		}
		uint64_t now = wire_now_ns();
		if (now >= end)
			return 0;
		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
		int left = (int)((end - now + 999999) / 1000000);
		if (poll(&pfd, 1, left) < 0 && errno != EINTR)
			return -1;
	}
}

int wire_cap_read(struct wire_cap *c, struct wire_pkt *out)
{
	for (;;) {
		struct pcap_pkthdr *h;
		const u_char *frame;
		int rc = pcap_next_ex(c->p, &h, &frame);
		if (rc <= 0)
			return rc < 0 ? -1 : 0;
		if (take(h, frame, out))
			return 1;
	}
}

void wire_cap_close(struct wire_cap *c)
{
	if (c->p)
		pcap_close(c->p);
	c->p = NULL;
}

uint64_t wire_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
