// SPDX-License-Identifier: BSD-2-Clause
/* net.c: raw sockets and the poll loop that feeds every packet to the engines, with pcap recording.
 */
#include <errno.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "checksum.h"
#include "dynlib.h"
#include "engine.h"
#include "ip.h"
#include "net.h"
#include "rtr_wire.h"

uint64_t rtr_net_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void rtr_net_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	uint8_t *b = buf;
	while (len) {
		ssize_t r = getrandom(b, len, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* getrandom cannot fail on a running Linux after boot; never use weak
			 * bytes. */
			perror("rtr-client: getrandom");
			_exit(1);
		}
		b += r;
		len -= (size_t)r;
	}
}

static void to_sockaddr(const struct rtr_addr *a, int family, struct sockaddr_storage *ss,
			socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (family == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, rtr_addr_v4(a), 4);
		*len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, a->b, 16);
		*len = sizeof(*sin6);
	}
}

static int raw_socket(int family, int proto, const char *iface, char *err, size_t errlen)
{
	int fd = socket(family == 4 ? AF_INET : AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
			proto);
	if (fd < 0) {
		if (errno == EPERM || errno == EACCES)
			snprintf(err, errlen,
				 "raw sockets need root or CAP_NET_RAW: run as root, or "
				 "'setcap cap_net_raw+ep rtr-client'");
		else
			snprintf(err, errlen, "cannot open a raw socket: %s", strerror(errno));
		return -1;
	}
	if (iface &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, iface, (socklen_t)strlen(iface) + 1) < 0) {
		snprintf(err, errlen, "cannot bind to interface %s: %s", iface, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * TCP answers (RST, SYN-ACK) come through a packet socket, not a raw TCP socket: a TCP segment
 * built by a local stack and sent over veth (containers, labs) keeps a partial checksum
 * (CHECKSUM_PARTIAL) that only the packet socket's PACKET_AUXDATA reveals (CLI-21). A classic
 * BPF filter lets only TCP to our probes' source port through, and outgoing copies are ignored.
 */
static int tcp_packet_socket(int family, const char *iface, char *err, size_t errlen)
{
	/* IPv4: TCP, not a later fragment, destination port RTR_PROBE_SPORT. */
	struct sock_filter v4[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RTR_IPPROTO_TCP, 0, 6),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 4, 0),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RTR_PROBE_SPORT, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0x40000),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	/* IPv6: TCP right after the fixed header (answers carry no extension headers). */
	struct sock_filter v6[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 6),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RTR_IPPROTO_TCP, 0, 3),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, RTR_IPV6_HDR_LEN + 2),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RTR_PROBE_SPORT, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0x40000),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {.len = family == 4 ? sizeof(v4) / sizeof(v4[0])
						     : sizeof(v6) / sizeof(v6[0]),
				  .filter = family == 4 ? v4 : v6};
	uint16_t eth = htons(family == 4 ? ETH_P_IP : ETH_P_IPV6);
	/* No traffic is queued before the filter is on: protocol 0 until bind. */
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open a packet socket: %s", strerror(errno));
		return -1;
	}
	int on = 1;
	struct sockaddr_ll ll = {.sll_family = AF_PACKET, .sll_protocol = eth};
	if (iface && !(ll.sll_ifindex = (int)if_nametoindex(iface))) {
		snprintf(err, errlen, "cannot bind to interface %s: %s", iface, strerror(errno));
		close(fd);
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on, sizeof(on)) < 0 ||
	    bind(fd, (struct sockaddr *)&ll, sizeof(ll)) < 0) {
		snprintf(err, errlen, "cannot set up the packet socket: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * A TCP segment whose checksum the kernel marks not ready (PACKET_AUXDATA) holds only the
 * pseudo-header sum: complete it, as the sending NIC would have, so the decoder's checksum check
 * (and the pcap) see the segment as it is meant to be.
 */
static void complete_tcp_checksum(uint8_t *pkt, size_t len)
{
	struct rtr_ip ip;
	int hl = rtr_ip_decode(&ip, pkt, len, 0);
	if (hl < 0 || ip.proto != RTR_IPPROTO_TCP)
		return;
	size_t l4 = rtr_ip_l4_len(&ip, len);
	if (l4 < 20)
		return;
	uint8_t *tcp = pkt + hl;
	tcp[16] = tcp[17] = 0;
	uint32_t sum = rtr_csum_pseudo(ip.family, &ip.src, &ip.dst, RTR_IPPROTO_TCP, (uint32_t)l4);
	uint16_t c = rtr_csum_fold(rtr_csum_add(sum, tcp, l4));
	tcp[16] = (uint8_t)(c >> 8);
	tcp[17] = (uint8_t)c;
}

/* Kernel receive timestamps on every receiving socket: RTTs without our scheduling delay. */
static int rx_timestamps(int fd, char *err, size_t errlen)
{
	int on = 1;
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) < 0) {
		snprintf(err, errlen, "cannot enable receive timestamps: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int v6_rx_options(int fd, char *err, size_t errlen)
{
	int on = 1;
	/* Raw IPv6 sockets hand over no IP header: ask for what rebuilds it. */
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on)) < 0) {
		snprintf(err, errlen, "cannot set IPv6 receive options: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int rtr_net_open(struct rtr_net *n, int family, const char *iface, bool tcp_answers,
		 const char *pcap_path, char *err, size_t errlen)
{
	memset(n, 0, sizeof(*n));
	n->family = family;
	n->tx_fd = n->icmp_fd = n->tcp_fd = -1;
	n->tx_fd = raw_socket(family, IPPROTO_RAW, iface, err, errlen);
	if (n->tx_fd < 0)
		goto fail;
	n->icmp_fd =
		raw_socket(family, family == 4 ? IPPROTO_ICMP : IPPROTO_ICMPV6, iface, err, errlen);
	if (n->icmp_fd < 0)
		goto fail;
	/*
	 * Only when TCP answers can come: closing a packet socket waits for an RCU grace period
	 * (packet_release calls synchronize_net), 10-20 ms that doubled a UDP trace's wall time.
	 */
	if (tcp_answers) {
		n->tcp_fd = tcp_packet_socket(family, iface, err, errlen);
		if (n->tcp_fd < 0 || rx_timestamps(n->tcp_fd, err, errlen))
			goto fail;
	}
	if (rx_timestamps(n->icmp_fd, err, errlen))
		goto fail;
	if (family == 6) {
		if (v6_rx_options(n->icmp_fd, err, errlen))
			goto fail;
		struct icmp6_filter f;
		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
		if (setsockopt(n->icmp_fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f)) < 0) {
			snprintf(err, errlen, "cannot set the ICMPv6 filter: %s", strerror(errno));
			goto fail;
		}
	}
	if (pcap_path) {
		const struct rtr_pcap_api *pc = rtr_pcap_api(err, errlen);
		if (!pc)
			goto fail;
		pcap_t *p = pc->open_dead(DLT_RAW, 65535);
		if (!p) {
			snprintf(err, errlen, "cannot start a pcap recording");
			goto fail;
		}
		pcap_dumper_t *d = pc->dump_open(p, pcap_path);
		if (!d) {
			snprintf(err, errlen, "cannot write --pcap %s: %s", pcap_path,
				 pc->geterr(p));
			pc->close(p);
			goto fail;
		}
		n->pcap = p;
		n->dump = d;
	}
	return 0;
fail:
	rtr_net_close(n);
	return -1;
}

int rtr_net_source(int family, const char *iface, const struct rtr_addr *dst, struct rtr_addr *src,
		   char *err, size_t errlen)
{
	/* A connected UDP socket makes the kernel pick the route and source; nothing is sent. */
	int fd = socket(family == 4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open a socket: %s", strerror(errno));
		return -1;
	}
	if (iface &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, iface, (socklen_t)strlen(iface) + 1) < 0) {
		snprintf(err, errlen, "cannot bind to interface %s: %s", iface, strerror(errno));
		close(fd);
		return -1;
	}
	struct sockaddr_storage ss;
	socklen_t len;
	to_sockaddr(dst, family, &ss, &len);
	((struct sockaddr_in *)&ss)->sin_port = htons(RTR_DEFAULT_UDP_DPORT);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
		snprintf(err, errlen, "no route to the target: %s", strerror(errno));
		close(fd);
		return -1;
	}
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		snprintf(err, errlen, "cannot learn the source address: %s", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (family == 4)
		rtr_addr_from_v4(src, (const uint8_t *)&((struct sockaddr_in *)&ss)->sin_addr);
	else
		rtr_addr_from_v6(src, (const uint8_t *)&((struct sockaddr_in6 *)&ss)->sin6_addr);
	return 0;
}

int rtr_net_drop_privileges(char *err, size_t errlen)
{
	/* No libcap for three calls: capset with empty sets drops them all. */
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	memset(data, 0, sizeof(data));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(SYS_capset, &hdr, data) < 0) {
		snprintf(err, errlen, "cannot drop privileges: %s", strerror(errno));
		return -1;
	}
	return 0;
}

bool rtr_net_source_is_local(int family, const struct rtr_addr *src)
{
	int fd = socket(family == 4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	struct sockaddr_storage ss;
	socklen_t len;
	to_sockaddr(src, family, &ss, &len);
	/* bind() refuses an address that is not configured here (EADDRNOTAVAIL). */
	bool ok = bind(fd, (struct sockaddr *)&ss, len) == 0;
	close(fd);
	return ok;
}

static void record(struct rtr_net *n, const uint8_t *pkt, size_t len)
{
	if (!n->dump)
		return;
	struct pcap_pkthdr h;
	gettimeofday(&h.ts, NULL);
	h.caplen = h.len = (bpf_u_int32)len;
	rtr_pcap_api(NULL, 0)->dump(n->dump, &h, pkt);
	n->recorded++;
}

static int send_tx(struct rtr_net *n, const struct rtr_eng_tx *tx, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	to_sockaddr(&tx->dst, n->family, &ss, &len);
	record(n, tx->pkt, tx->len);
	for (;;) {
		ssize_t r = sendto(n->tx_fd, tx->pkt, tx->len, 0, (struct sockaddr *)&ss, len);
		if (r == (ssize_t)tx->len)
			return 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
			/* A full queue drains quickly; wait for it rather than drop a probe. */
			struct pollfd p = {.fd = n->tx_fd, .events = POLLOUT};
			poll(&p, 1, 100);
			continue;
		}
		snprintf(err, errlen, "cannot send: %s", r < 0 ? strerror(errno) : "short write");
		return -1;
	}
}

/*
 * The kernel's receive timestamp of a message (CLOCK_REALTIME) on our
 * monotonic scale, so RTTs do not include the time the packet waited for us.
 * Without one (or if the clocks disagree) it is the time of reading.
 */
static uint64_t arrival(struct msghdr *m)
{
	uint64_t mono = rtr_net_now();
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS)
			continue;
		struct timespec ts, real;
		memcpy(&ts, CMSG_DATA(c), sizeof(ts));
		clock_gettime(CLOCK_REALTIME, &real);
		int64_t age = ((int64_t)real.tv_sec - ts.tv_sec) * 1000000000ll +
			      (real.tv_nsec - ts.tv_nsec);
		if (age >= 0 && (uint64_t)age < mono)
			return mono - (uint64_t)age;
	}
	return mono;
}

/*
 * Reads one packet from a raw socket into buf as a whole IP packet, and its
 * arrival time. IPv4 raw sockets deliver the header; for IPv6 it is rebuilt
 * from the ancillary data (source, destination, hop limit), so pcap and the
 * engine see a full packet. Returns the length, 0 for nothing more, -2 for a
 * packet to skip, -1 on error.
 */
static ssize_t read_packet(struct rtr_net *n, int fd, int proto, uint8_t *buf, size_t cap,
			   uint64_t *when)
{
	/* TCP comes from the packet socket: whole IP packets, both families. */
	bool whole = proto == IPPROTO_TCP;
	size_t off = n->family == 4 || whole ? 0 : RTR_IPV6_HDR_LEN;
	union {
		struct sockaddr_in6 in6;
		struct sockaddr_ll ll;
	} name;
	struct sockaddr_in6 from;
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int)) +
			  CMSG_SPACE(sizeof(struct timespec)) +
			  CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	struct iovec iov = {.iov_base = buf + off, .iov_len = cap - off};
	struct msghdr m = {.msg_name = &name,
			   .msg_namelen = sizeof(name),
			   .msg_iov = &iov,
			   .msg_iovlen = 1,
			   .msg_control = ctl.b,
			   .msg_controllen = sizeof(ctl.b)};
	ssize_t r = recvmsg(fd, &m, 0);
	if (r < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
	memcpy(&from, &name.in6, sizeof(from));
	*when = arrival(&m);
	if (whole) {
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
			struct tpacket_auxdata aux;
			if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
				continue;
			memcpy(&aux, CMSG_DATA(c), sizeof(aux));
			if (aux.tp_status & TP_STATUS_CSUMNOTREADY)
				complete_tcp_checksum(buf, (size_t)r);
		}
		return r;
	}
	if (n->family == 4)
		return r;
	struct rtr_ip ip = {.family = 6, .proto = (uint8_t)proto, .ttl = 0};
	rtr_addr_from_v6(&ip.src, (const uint8_t *)&from.sin6_addr);
	bool have_dst = false;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			rtr_addr_from_v6(&ip.dst, (const uint8_t *)&pi.ipi6_addr);
			have_dst = true;
		} else if (c->cmsg_type == IPV6_HOPLIMIT) {
			int hl;
			memcpy(&hl, CMSG_DATA(c), sizeof(hl));
			ip.ttl = (uint8_t)hl;
		}
	}
	if (!have_dst)
		return -2; /* not usable: skip */
	if (rtr_ip_encode(buf, RTR_IPV6_HDR_LEN, &ip, (size_t)r) != RTR_IPV6_HDR_LEN)
		return -2;
	return RTR_IPV6_HDR_LEN + r;
}

/* Reads everything pending on fd and feeds it to every engine. */
static int drain(struct rtr_net *n, int fd, int proto, struct rtr_tracer **engines, int count,
		 char *err, size_t errlen)
{
	uint8_t buf[65536 + RTR_IPV6_HDR_LEN];
	if (fd < 0) /* a socket not opened (no TCP answers expected) */
		return 0;
	/* Bounded so a flood cannot pin us here, large enough for any burst of answers. */
	for (int i = 0; i < 65536; i++) {
		uint64_t now;
		ssize_t r = read_packet(n, fd, proto, buf, sizeof(buf), &now);
		if (r == 0)
			return 0;
		if (r == -2)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "cannot receive: %s", strerror(errno));
			return -1;
		}
		/* Everything received is recorded, forged and foreign packets included. */
		record(n, buf, (size_t)r);
		for (int e = 0; e < count; e++)
			rtr_tracer_receive(engines[e], now, buf, (size_t)r);
	}
	return 0;
}

/* One status line, redrawn in place at most every 100 ms; erased when the run ends. */
static void show_progress(struct rtr_net *n, struct rtr_tracer **engines, int count, bool end)
{
	uint64_t now = rtr_net_now();
	if (!n->progress || (!end && now - n->progress_ns < 100000000ull))
		return;
	n->progress_ns = now;
	if (end) {
		fputs("\r\033[K", stderr);
		return;
	}
	fputs("\r", stderr);
	for (int e = 0; e < count; e++) {
		const struct rtr_tracer *g = engines[e];
		/* Singlepath climbs TTL by TTL; multipath probes many at once: its first TTL. */
		const struct rtr_engine *sp = rtr_engine_of(g);
		unsigned ttl = sp ? sp->next_ttl : g->cfg.first_ttl;
		fprintf(stderr, "%s%s: TTL %u, %u sent, %u answered", e ? "; " : "",
			g->cfg.direction == RTR_FORWARD ? "forward" : "reverse",
			ttl > g->cfg.max_ttl ? g->cfg.max_ttl : ttl, g->stats.sent,
			g->stats.matched);
	}
	fputs("\033[K", stderr);
}

int rtr_net_run(struct rtr_net *n, struct rtr_tracer **engines, int count,
		volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	int icmp = n->family == 4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	for (;;) {
		if (*stop)
			for (int e = 0; e < count; e++)
				rtr_tracer_interrupt(engines[e]);
		/*
		 * Read everything that has arrived before the engines look at the
		 * clock: on a loaded machine we may run late, and an answer that came
		 * in time must never be declared timed out for our delay.
		 */
		if (drain(n, n->icmp_fd, icmp, engines, count, err, errlen) ||
		    drain(n, n->tcp_fd, IPPROTO_TCP, engines, count, err, errlen))
			return -1;
		uint64_t now = rtr_net_now();
		uint64_t wake = UINT64_MAX;
		bool running = false;
		for (int e = 0; e < count; e++) {
			struct rtr_eng_tx tx;
			uint64_t w;
			int a;
			while ((a = rtr_tracer_poll(engines[e], now, &tx, &w)) == RTR_ENG_SEND) {
				if (send_tx(n, &tx, err, errlen))
					return -1;
				now = rtr_net_now();
			}
			if (a == RTR_ENG_WAIT) {
				running = true;
				if (w < wake)
					wake = w;
			}
		}
		if (!running) {
			show_progress(n, engines, count, true);
			return 0;
		}
		if (n->on_round && n->on_round(n->round_ctx, false)) {
			/* Erase the progress line first, so printed hops never mix with it. */
			if (n->progress)
				fputs("\r\033[K", stderr);
			n->on_round(n->round_ctx, true);
		}
		show_progress(n, engines, count, false);
		/* Before waiting: a client killed now leaves a capture that reads to here. */
		if (n->dump)
			rtr_pcap_api(NULL, 0)->dump_flush(n->dump);
		now = rtr_net_now();
		/* Wake at least every 200 ms so an interrupt is never missed for long. */
		uint64_t ms = wake > now ? (wake - now + 999999) / 1000000 : 0;
		if (ms > 200)
			ms = 200;
		struct pollfd p[2] = {{.fd = n->icmp_fd, .events = POLLIN},
				      {.fd = n->tcp_fd, .events = POLLIN}};
		int r = poll(p, 2, (int)ms);
		if (r < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return -1;
		}
		/* Whatever woke us is read at the top of the loop. */
	}
}

int rtr_net_receive(struct rtr_net *n, struct rtr_tracer **engines, int count, char *err,
		    size_t errlen)
{
	int icmp = n->family == 4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	if (drain(n, n->icmp_fd, icmp, engines, count, err, errlen) ||
	    drain(n, n->tcp_fd, IPPROTO_TCP, engines, count, err, errlen))
		return -1;
	return 0;
}

int rtr_net_send(struct rtr_net *n, const struct rtr_eng_tx *tx, char *err, size_t errlen)
{
	return send_tx(n, tx, err, errlen);
}

void rtr_net_flush(struct rtr_net *n)
{
	if (n->dump)
		rtr_pcap_api(NULL, 0)->dump_flush(n->dump);
}

void rtr_net_fds(const struct rtr_net *n, int fds[2])
{
	fds[0] = n->icmp_fd;
	fds[1] = n->tcp_fd;
}

void rtr_net_close(struct rtr_net *n)
{
	if (n->tx_fd >= 0)
		close(n->tx_fd);
	if (n->icmp_fd >= 0)
		close(n->icmp_fd);
	if (n->tcp_fd >= 0)
		close(n->tcp_fd);
	n->tx_fd = n->icmp_fd = n->tcp_fd = -1;
	/* Both exist only when the library was loaded. */
	if (n->dump) {
		rtr_pcap_api(NULL, 0)->dump_close(n->dump);
		n->dump = NULL;
	}
	if (n->pcap) {
		rtr_pcap_api(NULL, 0)->close(n->pcap);
		n->pcap = NULL;
	}
}
