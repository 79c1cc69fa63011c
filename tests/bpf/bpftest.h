/* SPDX-License-Identifier: BSD-2-Clause */
/* bpftest.h: helpers for the server's BPF_PROG_TEST_RUN tests: frames, runs, probes, answers. */
#ifndef RTR_BPFTEST_H
#define RTR_BPFTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "local.h"
#include "probe.h"
#include "request.h"
#include "response.h"
#include "srv.h"

/* The program passes what is not ours on with TC_ACT_UNSPEC (-1), read back as a u32. */
#define BT_PASS 0xFFFFFFFFu
#define BT_TC_ACT_SHOT 2
#define BT_TC_ACT_REDIRECT 7
#define BT_MAX 2048

/*
 * The namespace tests/suites/40-bpf.sh builds: interface rtrt0 (MAC
 * 02:00:00:00:00:01) with the server addresses; clients and routers are
 * reachable through the permanent neighbour 02:00:00:00:00:02.
 */
#define BT_IFNAME "rtrt0"
#define BT_PEERNAME "rtrt1"
extern const uint8_t bt_server_mac[6];
extern const uint8_t bt_peer_mac[6];

struct bt_env {
	struct srv srv;
	struct srv_local local; /* the namespace's addresses in the program's map */
	int ifindex;
	struct rtr_addr server4, client4, router4, client4b;
	struct rtr_addr server6, client6, router6, client6b;
};

/* A default test configuration: no rate limits, many sessions, 5 s timeout. */
void bt_cfg(struct srv_cfg *cfg);

/* Loads the program with cfg; returns 0 or -1 (with a message on stderr). */
int bt_setup(struct bt_env *e, const struct srv_cfg *cfg);
void bt_teardown(struct bt_env *e);

/* bt_setup with bt_cfg's configuration. */
int bt_setup_default(struct bt_env *e);

/*
 * One packet through the program: l3 is wrapped in Ethernet to rtrt0's MAC
 * (the test run derives skb->pkt_type from the ctx interface's address).
 */
struct bt_result {
	uint32_t retval;
	uint8_t frame[BT_MAX]; /* what the program left, Ethernet included */
	size_t len;
	const uint8_t *l3; /* frame + 14 */
	size_t l3len;
};

int bt_run(struct bt_env *e, int prog_fd, const uint8_t *l3, size_t l3len, struct bt_result *r);

/* bt_run with the frame's destination MAC dmac (the test run derives skb->pkt_type from it). */
int bt_run_mac(struct bt_env *e, int prog_fd, const uint8_t dmac[6], const uint8_t *l3,
	       size_t l3len, struct bt_result *r);

/* True when the result is exactly the input frame (BT_PASS, unchanged). */
bool bt_unchanged(const struct bt_result *r, const uint8_t *l3, size_t l3len);

/* Builds an IP packet around l4 bytes. tos/ttl/id as given, DF set. Returns its length. */
size_t bt_ip(uint8_t *out, int family, const struct rtr_addr *src, const struct rtr_addr *dst,
	     uint8_t proto, uint8_t ttl, uint16_t id, const uint8_t *l4, size_t l4len);

/* Gives rq an unknown extension object (cls, ctype), never the target or padding object. */
void bt_unknown_object(struct rtr_request *rq, uint8_t cls, uint8_t ctype);

/* A whole request packet from client to server. Returns its length. */
size_t bt_request(uint8_t *out, int family, const struct rtr_addr *client,
		  const struct rtr_addr *server, const struct rtr_request *rq);

/* A probe the program sent: its parameters and its bytes. */
struct bt_probe {
	struct rtr_probe p;
	uint8_t pkt[256];
	size_t len;
};

/*
 * Checks a probe frame against the request that caused it: routed to the
 * peer MAC, decodes as a probe, checksums verify (UDP/ICMP checksum equal to
 * the identity / flow), and identity plus random bytes re-encode to the very
 * same bytes through rtr_probe_encode. Fills *bp. Returns NULL or a label of
 * what was wrong.
 */
const char *bt_check_probe(const struct bt_result *r, int family, const struct rtr_addr *client,
			   const struct rtr_addr *server, uint8_t proto, uint16_t flow, uint8_t ttl,
			   struct bt_probe *bp);

/*
 * Checks a response frame byte for byte: Ethernet to the peer, IP header from
 * server to client (TTL 64, ID 0, DF), and the ICMP bytes of rsp. For state 0
 * the measured RTT is taken from the frame and must be below max_rtt_ns.
 * Returns NULL or a label.
 */
const char *bt_check_response(const struct bt_result *r, int family, const struct rtr_addr *client,
			      const struct rtr_addr *server, struct rtr_response *rsp,
			      uint64_t max_rtt_ns);

/*
 * An ICMP error of type/code from `from` to the probe's source quoting the
 * first quote_len bytes of the probe (TTL 1, as the router saw it). For IPv4
 * opts adds that many bytes of IP options (NOPs) to the outer header.
 * Returns its length, or 0 when bp->len exceeds its 256-byte buffer.
 */
size_t bt_icmp_error(uint8_t *out, const struct bt_probe *bp, const struct rtr_addr *from,
		     uint8_t type, uint8_t code, size_t quote_len, size_t opts);

/* Direct answers from the probe's destination: Echo Reply, TCP with flags. */
size_t bt_echo_reply(uint8_t *out, const struct bt_probe *bp);
size_t bt_tcp_answer(uint8_t *out, const struct bt_probe *bp, uint8_t flags, uint32_t seq);

/*
 * Packet socket on the peer interface (rtrt1): sees what the program sent out
 * of rtrt0 (redirects and clones). bt_capture_next returns the next IPv4/IPv6
 * packet's length (IP bytes into buf) or 0 when none is queued.
 */
int bt_capture_open(void);
size_t bt_capture_next(int fd, uint8_t *buf, size_t cap);

/* Sum of a counter over CPUs. */
uint64_t bt_counter(struct bt_env *e, int idx);

#endif
