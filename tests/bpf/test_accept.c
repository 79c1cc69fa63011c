// SPDX-License-Identifier: BSD-2-Clause
/* test_accept.c: BPF_PROG_TEST_RUN tests of which requests the server takes as its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpftest.h"
#include "checksum.h"
#include "csumfix.h"
#include "cursor.h"
#include "err.h"
#include "rtr.skel.h"
#include "rtr_wire.h"
#include "stats.h"

/*
 * docs/PROTOCOL.md SRV-11 .. SRV-13: a request is the server's only when its
 * frame is for this host (PACKET_HOST) and its destination is one of this
 * host's unicast addresses; IPv4 headers the kernel would refuse are not
 * answered; IPv6 requests behind extension headers are dropped. Everything
 * that is not ours passes untouched, with no counter, session or probe.
 * Runs in the namespace of tests/bpf/testns.sh, whose 100.64.7.1/24 gives a
 * subnet broadcast address.
 */

static struct bt_env env;
static uint16_t next_ident = 0x3000;

/* The namespace's client and server address of family f. */
#define CLIENT(f) ((f) == 4 ? &env.client4 : &env.client6)
#define SERVER(f) ((f) == 4 ? &env.server4 : &env.server6)

/* A valid request of TTL ttl from the client to dst. */
static size_t request_to(uint8_t *pkt, int f, const struct rtr_addr *dst, uint8_t ttl)
{
	struct rtr_request rq = {.ident = next_ident++, .seq = 9, .ttl = ttl, .proto = 17};
	size_t n = bt_request(pkt, f, CLIENT(f), dst, &rq);

	assert_true(n > 0);
	return n;
}

/* The packet passes untouched and leaves no trace: no counter moved, no session. */
static void expect_not_ours(const uint8_t dmac[6], const uint8_t *pkt, size_t n, const char *what)
{
	uint64_t before[RTR_C_MAX];
	long sessions = srv_count_sessions(&env.srv);
	struct bt_result r;

	for (int i = 0; i < RTR_C_MAX; i++)
		before[i] = bt_counter(&env, i);
	assert_int_equal(bt_run_mac(&env, srv_prog_fd(&env.srv), dmac, pkt, n, &r), 0);
	if (!bt_unchanged(&r, pkt, n))
		fail_msg("%s: verdict %u, not passed untouched", what, r.retval);
	for (int i = 0; i < RTR_C_MAX; i++)
		if (bt_counter(&env, i) != before[i])
			fail_msg("%s: counter %s moved", what, stats_name(i));
	assert_int_equal(srv_count_sessions(&env.srv), sessions);
}

/* A request answered with a probe (the control case of each test). */
static void expect_probe(const uint8_t *pkt, size_t n, const char *what)
{
	struct bt_result r;

	assert_int_equal(bt_run(&env, srv_prog_fd(&env.srv), pkt, n, &r), 0);
	if (r.retval != BT_TC_ACT_REDIRECT)
		fail_msg("%s: verdict %u, no probe", what, r.retval);
}

/* Requests to addresses that are not this host's own unicast addresses. */
static void test_destinations_not_local(void **state)
{
	static const char *const dst[] = {
		"127.0.0.1",			   /* loopback: host scope */
		"0.0.0.0",			   /* this network */
		"100.64.7.255",			   /* the broadcast of our 100.64.7.1/24 */
		"255.255.255.255", "203.0.113.50", /* another host, routed through the peer */
		"224.0.0.1",	   "::",	   "::1", "2001:db8:2::50", "ff02::1",
	};
	uint8_t pkt[BT_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(dst) / sizeof(dst[0]); i++) {
		struct rtr_addr a;
		int f = rtr_addr_parse(&a, dst[i]);
		char what[96];
		size_t n;

		assert_true(f == 4 || f == 6);
		for (int ttl = 0; ttl < 2; ttl++) {
			n = request_to(pkt, f, &a, (uint8_t)(ttl ? 3 : 0));
			snprintf(what, sizeof(what), "request to %s, TTL %d", dst[i], ttl ? 3 : 0);
			expect_not_ours(bt_server_mac, pkt, n, what);
		}
		/* A malformed request in transit is forwarded too, not dropped. */
		n = request_to(pkt, f, &a, 3);
		pkt[(f == 4 ? 20 : 40) + 2] ^= 1;
		snprintf(what, sizeof(what), "bad checksum to %s", dst[i]);
		expect_not_ours(bt_server_mac, pkt, n, what);
	}
	for (int f = 4; f <= 6; f += 2)
		expect_probe(pkt, request_to(pkt, f, SERVER(f), 3), "request to the server");
}

/* Frames that are not for this host: another unicast MAC, broadcast, multicast. */
static void test_frames_for_others(void **state)
{
	static const uint8_t macs[][6] = {
		{0x02, 0, 0, 0, 0, 0x99},
		{0, 0, 0, 0, 0, 0},
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01},
		{0x33, 0x33, 0x00, 0x00, 0x00, 0x01},
	};
	uint8_t pkt[BT_MAX];

	(void)state;
	for (int f = 4; f <= 6; f += 2) {
		for (size_t m = 0; m < sizeof(macs) / sizeof(macs[0]); m++) {
			char what[64];

			snprintf(what, sizeof(what), "IPv%d frame to MAC %02x:..:%02x", f,
				 macs[m][0], macs[m][5]);
			expect_not_ours(macs[m], pkt, request_to(pkt, f, SERVER(f), 3), what);
			expect_not_ours(macs[m], pkt, request_to(pkt, f, SERVER(f), 0), what);
		}
		/* bt_run: to rtrt0's own MAC. */
		expect_probe(pkt, request_to(pkt, f, SERVER(f), 3), "frame for this host");
	}
}

static void ns_cmd(const char *cmd)
{
	if (system(cmd) != 0)
		fail_msg("'%s' failed", cmd);
}

static void poll_local(void)
{
	char err[256];

	if (srv_local_poll(&env.local, err, sizeof(err)))
		fail_msg("%s", err);
}

/*
 * Polls until the local-address map holds (or no longer holds) both
 * addresses, for at most 5 s. The kernel announces an IPv6 address from its
 * DAD work queue, also with nodad, so the event can come after `ip` returns.
 */
static void wait_local(const struct rtr_addr *a, const struct rtr_addr *b, bool present)
{
	uint8_t v;

	for (int i = 0; i < 250; i++) {
		poll_local();
		bool ha = !bpf_map_lookup_elem(env.local.map_fd, a->b, &v);
		bool hb = !bpf_map_lookup_elem(env.local.map_fd, b->b, &v);
		if (ha == present && hb == present)
			return;
		usleep(20000);
	}
	fail_msg("the local-address map did not follow within 5 s (want present=%d)", present);
}

/* The loader follows address changes: an address added is served, one removed is not. */
static void test_addresses_followed(void **state)
{
	struct rtr_addr a4, a6;
	uint8_t pkt[BT_MAX];

	(void)state;
	rtr_addr_parse(&a4, "198.51.100.77");
	rtr_addr_parse(&a6, "2001:db8:1::77");
	expect_not_ours(bt_server_mac, pkt, request_to(pkt, 4, &a4, 3),
			"before the address exists");
	ns_cmd("ip addr add 198.51.100.77/32 dev " BT_IFNAME);
	ns_cmd("ip -6 addr add 2001:db8:1::77/128 dev " BT_IFNAME " nodad");
	wait_local(&a4, &a6, true);
	expect_probe(pkt, request_to(pkt, 4, &a4, 3), "IPv4 address added");
	expect_probe(pkt, request_to(pkt, 6, &a6, 3), "IPv6 address added");
	ns_cmd("ip addr del 198.51.100.77/32 dev " BT_IFNAME);
	ns_cmd("ip -6 addr del 2001:db8:1::77/128 dev " BT_IFNAME);
	wait_local(&a4, &a6, false);
	expect_not_ours(bt_server_mac, pkt, request_to(pkt, 4, &a4, 3), "IPv4 address removed");
	expect_not_ours(bt_server_mac, pkt, request_to(pkt, 6, &a6, 3), "IPv6 address removed");
}

/* Puts olen bytes of IPv4 options into the request pkt of length *n (IHL, length, checksum). */
static void add_v4_options(uint8_t *pkt, size_t *n, const uint8_t *opt, size_t olen)
{
	memmove(pkt + 20 + olen, pkt + 20, *n - 20);
	memcpy(pkt + 20, opt, olen);
	*n += olen;
	pkt[0] = (uint8_t)(0x40 | (20 + olen) / 4);
	rtr_put16(pkt + 2, (uint16_t)*n);
	assert_int_equal(rtr_csum_fix_l4(pkt, *n), RTR_OK);
}

/*
 * IPv4 option shapes and whether Linux 6.18 takes them: each was sent as an
 * Echo Request to a namespace's kernel, which answered (1), or sent a
 * Parameter Problem or nothing (0). The program must answer a request with
 * the same options exactly when the kernel would take them (SRV-12).
 */
static const struct {
	const char *name;
	uint8_t opt[8];
	uint8_t len;
	bool ok;
} v4_shapes[] = {
	{"4 NOPs", {1, 1, 1, 1}, 4, true},
	{"END then other bytes", {0, 7, 3, 9}, 4, true},
	{"record route", {7, 7, 4, 0, 0, 0, 0, 0}, 8, true},
	{"record route full", {7, 3, 4, 0}, 4, true},
	{"record route length 2", {7, 2, 1, 1}, 4, false},
	{"record route pointer 3", {7, 7, 3, 0, 0, 0, 0, 0}, 8, false},
	{"record route pointer past room", {7, 7, 5, 0, 0, 0, 0, 0}, 8, false},
	{"record route twice", {7, 3, 4, 7, 3, 4, 0, 0}, 8, false},
	{"option length 1", {0x44, 1, 0, 0}, 4, false},
	{"option length past IHL", {7, 8, 4, 0}, 4, false},
	{"option type in the last byte", {1, 1, 1, 7}, 4, false},
	{"unknown option length 0", {0x99, 0, 0, 0}, 4, false},
	{"timestamp", {0x44, 8, 5, 0, 0, 0, 0, 0}, 8, true},
	{"timestamp full, overflow 1", {0x44, 4, 5, 0x10}, 4, true},
	{"timestamp flag 2", {0x44, 8, 5, 2, 0, 0, 0, 0}, 8, true},
	{"timestamp length 3", {0x44, 3, 5, 0}, 4, false},
	{"timestamp pointer 4", {0x44, 4, 4, 0}, 4, false},
	{"timestamp overflow 15", {0x44, 4, 5, 0xf0}, 4, false},
	{"timestamp with address, no room", {0x44, 8, 5, 1, 0, 0, 0, 0}, 8, false},
	{"timestamp prespecified, no room", {0x44, 8, 5, 3, 0, 0, 0, 0}, 8, false},
	{"timestamp twice", {0x44, 4, 5, 0x10, 0x44, 4, 5, 0x10}, 8, false},
	{"router alert", {148, 4, 0, 0}, 4, true},
	{"router alert length 2", {148, 2, 1, 1}, 4, false},
	{"loose source route", {131, 7, 4, 10, 201, 77, 2, 0}, 8, false},
	{"strict source route", {137, 7, 4, 10, 201, 77, 2, 0}, 8, false},
	{"source route at its end", {131, 7, 8, 10, 201, 77, 2, 0}, 8, false},
	{"CIPSO", {134, 8, 0, 0, 0, 1, 0, 0}, 8, false},
	{"security", {130, 4, 0, 0}, 4, true},
	{"unknown option", {0x99, 4, 0, 0}, 4, true},
};

static void test_ipv4_options(void **state)
{
	uint8_t pkt[BT_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(v4_shapes) / sizeof(v4_shapes[0]); i++) {
		for (int ttl = 0; ttl < 2; ttl++) {
			size_t n = request_to(pkt, 4, &env.server4, (uint8_t)(ttl ? 3 : 0));
			struct bt_result r;

			add_v4_options(pkt, &n, v4_shapes[i].opt, v4_shapes[i].len);
			if (!v4_shapes[i].ok) {
				expect_not_ours(bt_server_mac, pkt, n, v4_shapes[i].name);
				continue;
			}
			assert_int_equal(bt_run(&env, srv_prog_fd(&env.srv), pkt, n, &r), 0);
			if (r.retval != BT_TC_ACT_REDIRECT)
				fail_msg("%s, TTL %d: verdict %u, not answered", v4_shapes[i].name,
					 ttl ? 3 : 0, r.retval);
		}
	}
}

/* Puts an 8-byte extension header eh (its next-header byte set here) after the IPv6 header. */
static void add_v6_ext(uint8_t *pkt, size_t *n, uint8_t type, const uint8_t eh[8])
{
	memmove(pkt + 48, pkt + 40, *n - 40);
	memcpy(pkt + 40, eh, 8);
	pkt[40] = pkt[6];
	pkt[6] = type;
	*n += 8;
	rtr_put16(pkt + 4, (uint16_t)(*n - 40));
}

static void expect_dropped(const uint8_t *pkt, size_t n, int counter, const char *what)
{
	uint64_t before = bt_counter(&env, counter);
	long sessions = srv_count_sessions(&env.srv);
	struct bt_result r;

	assert_int_equal(bt_run(&env, srv_prog_fd(&env.srv), pkt, n, &r), 0);
	if (r.retval != BT_TC_ACT_SHOT || bt_counter(&env, counter) != before + 1)
		fail_msg("%s: verdict %u, %s not counted", what, r.retval, stats_name(counter));
	assert_int_equal(srv_count_sessions(&env.srv), sessions);
}

/*
 * IPv6 requests behind Hop-by-Hop, Destination Options or a finished Routing
 * header are dropped and counted (SRV-13): the kernel would echo them and the
 * client would conclude "no server". A Routing header with segments left is
 * not for us yet; a request to another host is transit: both pass untouched.
 */
static void test_ipv6_extension_headers(void **state)
{
	static const uint8_t padn[8] = {0, 0, 1, 4, 0, 0, 0, 0};
	static const uint8_t rh_done[8] = {0, 0, 4, 0, 0, 0, 0, 0};
	static const uint8_t rh_more[8] = {0, 0, 4, 1, 0, 0, 0, 0};
	static const uint8_t frag_first_more[8] = {0, 0, 0, 1, 0, 0, 0, 9};
	struct rtr_addr other;
	uint8_t pkt[BT_MAX];
	size_t n;

	(void)state;
	for (int ttl = 0; ttl < 2; ttl++) {
		n = request_to(pkt, 6, &env.server6, (uint8_t)(ttl ? 3 : 0));
		add_v6_ext(pkt, &n, 0, padn);
		expect_dropped(pkt, n, RTR_C_DROP_MALFORMED, "behind Hop-by-Hop options");
		n = request_to(pkt, 6, &env.server6, (uint8_t)(ttl ? 3 : 0));
		add_v6_ext(pkt, &n, 60, padn);
		expect_dropped(pkt, n, RTR_C_DROP_MALFORMED, "behind Destination options");
		n = request_to(pkt, 6, &env.server6, (uint8_t)(ttl ? 3 : 0));
		add_v6_ext(pkt, &n, 43, rh_done);
		expect_dropped(pkt, n, RTR_C_DROP_MALFORMED, "behind a finished Routing header");
		n = request_to(pkt, 6, &env.server6, (uint8_t)(ttl ? 3 : 0));
		add_v6_ext(pkt, &n, 60, padn);
		add_v6_ext(pkt, &n, 0, padn);
		expect_dropped(pkt, n, RTR_C_DROP_MALFORMED, "behind two extension headers");
		n = request_to(pkt, 6, &env.server6, (uint8_t)(ttl ? 3 : 0));
		add_v6_ext(pkt, &n, 44, frag_first_more);
		add_v6_ext(pkt, &n, 0, padn);
		expect_dropped(pkt, n, RTR_C_DROP_FRAGMENT, "a fragment behind Hop-by-Hop options");
		n = request_to(pkt, 6, &env.server6, (uint8_t)(ttl ? 3 : 0));
		add_v6_ext(pkt, &n, 43, rh_more);
		expect_not_ours(bt_server_mac, pkt, n, "Routing header with segments left");
	}
	rtr_addr_parse(&other, "2001:db8:2::50");
	n = request_to(pkt, 6, &other, 3);
	add_v6_ext(pkt, &n, 0, padn);
	expect_not_ours(bt_server_mac, pkt, n, "Hop-by-Hop options in transit");
}

static int setup(void **state)
{
	(void)state;
	return bt_setup_default(&env);
}

static int teardown(void **state)
{
	(void)state;
	bt_teardown(&env);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_destinations_not_local),
		cmocka_unit_test(test_frames_for_others),
		cmocka_unit_test(test_addresses_followed),
		cmocka_unit_test(test_ipv4_options),
		cmocka_unit_test(test_ipv6_extension_headers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
