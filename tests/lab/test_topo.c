// SPDX-License-Identifier: BSD-2-Clause
/* test_topo.c: cmocka tests of the topology parser: shipped files parse into the right model,
 * and every refusal names file, line and what is wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../lab/show.h"
#include "../../lab/topo.h"

static struct topo t;
static char err[TOPO_ERR_MAX];

#define HEAD "host a\nrouter r\nhost b\n"
#define LINKS                                                                        \
	HEAD "link a:eth0 r:eth0 10.201.1.0/24 fd00:201:1::/64\nlink r:eth1 b:eth0 " \
	     "10.201.2.0/24\n"

struct bad {
	const char *text;
	const char *want;
};

/* Each case: a file and the exact message; "t.topo" is the name passed to the parser. */
static const struct bad bad_cases[] = {
	{"", "t.topo:1: no nodes: declare at least one host or router"},
	{"# only\n# comments\n", "t.topo:2: no nodes: declare at least one host or router"},
	{"hosts a\n", "t.topo:1: unknown statement 'hosts' (expected topology, host, router, "
		      "link, addr, route, set or truth)"},
	{"topology\n", "t.topo:1: usage: topology NAME"},
	{"topology Big\n", "t.topo:1: bad topology name 'Big'"},
	{"host\n", "t.topo:1: usage: host NAME"},
	{"router a b\n", "t.topo:1: usage: router NAME"},
	{"host 1a\n", "t.topo:1: bad node name '1a' (a-z first, then a-z 0-9 - _, at most 15)"},
	{"host abcdefghijklmnop\n",
	 "t.topo:1: bad node name 'abcdefghijklmnop' (a-z first, then a-z 0-9 - _, at most 15)"},
	{"host a\n\nrouter a\n", "t.topo:3: node a is already declared (line 1)"},
	{HEAD "link a:eth0 r:eth0\n", "t.topo:4: usage: link NODE:IF NODE:IF PREFIX [PREFIX]"},
	{HEAD "link a:eth0 r:eth0 10.201.1.0\n",
	 "t.topo:4: '10.201.1.0' is not a prefix like 10.201.1.0/24 or fd00:201:1::/64"},
	{HEAD "link a:eth0 r:eth0 10.201.1.0/33\n",
	 "t.topo:4: '10.201.1.0/33' is not a prefix like 10.201.1.0/24 or fd00:201:1::/64"},
	{HEAD "link a:eth0 r:eth0 10.201.1.0/24 10.201.2.0/24\n",
	 "t.topo:4: two IPv4 prefixes on one link"},
	{HEAD "link a:eth0 r:eth0 10.1.1.0/24\n",
	 "t.topo:4: prefix 10.1.1.0/24 is outside the lab prefixes 10.201.0.0/16 and "
	 "fd00:201::/32"},
	{HEAD "link a:eth0 r:eth0 fd00:202::/64\n",
	 "t.topo:4: prefix fd00:202::/64 is outside the lab prefixes 10.201.0.0/16 and "
	 "fd00:201::/32"},
	{HEAD "link a:eth0 r:eth0 10.201.1.0/31\n",
	 "t.topo:4: prefix 10.201.1.0/31 is too long for two hosts"},
	{HEAD "link a:eth0 r:eth0 10.201.1.1/24\n",
	 "t.topo:4: prefix 10.201.1.1/24 has host bits set"},
	{LINKS "link a:eth1 b:eth1 10.201.1.128/25\n",
	 "t.topo:6: prefix 10.201.1.128/25 overlaps the link of line 4"},
	{HEAD "link a r:eth0 10.201.1.0/24\n", "t.topo:4: 'a' is not NODE:INTERFACE"},
	{HEAD "link x:eth0 r:eth0 10.201.1.0/24\n",
	 "t.topo:4: unknown node 'x' (declare it with host or router first)"},
	{HEAD "link a:Eth0 r:eth0 10.201.1.0/24\n",
	 "t.topo:4: bad interface name 'Eth0' (a-z first, then a-z 0-9 - _, at most 15)"},
	{LINKS "link a:eth0 b:eth1 10.201.3.0/24\n",
	 "t.topo:6: interface a:eth0 is already used (line 4)"},
	{HEAD "link a:eth0 a:eth1 10.201.1.0/24\n", "t.topo:4: link from a to itself"},
	{LINKS "addr a:eth9 10.201.9.1\n", "t.topo:6: node a has no interface eth9"},
	{LINKS "addr a:lo\n", "t.topo:6: usage: addr NODE:IF ADDRESS[/LEN]..."},
	{LINKS "addr a:lo nope\n",
	 "t.topo:6: 'nope' is not an address like 10.201.9.1 or fd00:201:9::1/64"},
	{LINKS "addr b:lo 10.201.1.1\n",
	 "t.topo:6: duplicate address 10.201.1.1 (already on a:eth0, line 4)"},
	{LINKS "addr b:lo fd00:201:1::2/128\n",
	 "t.topo:6: duplicate address fd00:201:1::2 (already on r:eth0, line 4)"},
	{LINKS "addr b:lo 192.0.2.1\n",
	 "t.topo:6: address 192.0.2.1/32 is outside the lab prefixes 10.201.0.0/16 and "
	 "fd00:201::/32"},
	{LINKS "addr b:lo 10.201.9.1 10.201.9.2 10.201.9.3 10.201.9.4 10.201.9.5\n",
	 "t.topo:6: too many addresses on b:lo (at most 4)"},
	{LINKS "route a lab\n",
	 "t.topo:6: usage: route NODE DEST... via NODE [weight W] [via NODE [weight W]]..."},
	{LINKS "route x lab via r\n",
	 "t.topo:6: unknown node 'x' (declare it with host or router first)"},
	{LINKS "route a default via r\n",
	 "t.topo:6: 'default' is not a destination prefix or 'lab'"},
	{LINKS "route a 0.0.0.0/0 via r\n",
	 "t.topo:6: destination 0.0.0.0/0 is outside the lab prefixes (a lab never gets a route "
	 "out)"},
	{LINKS "route a 10.201.9.1/24 via r\n",
	 "t.topo:6: destination 10.201.9.1/24 has host bits set"},
	{LINKS "route a via r weight 2\n", "t.topo:6: route without a destination"},
	{LINKS "route a lab 10.201.9.0/24 10.201.8.0/24\n", "t.topo:6: route without 'via NODE'"},
	{LINKS "route a lab via r r\n", "t.topo:6: expected 'via NODE' at 'r'"},
	{LINKS "route a lab via r via\n", "t.topo:6: expected 'via NODE' at 'via'"},
	{LINKS "route a lab via q\n",
	 "t.topo:6: unknown node 'q' (declare it with host or router first)"},
	{LINKS "route r lab via a via a\n", "t.topo:6: next hop a appears twice"},
	{LINKS "route a lab via r weight 0\n", "t.topo:6: weight must be 1..256"},
	{LINKS "route a lab via r weight 257\n", "t.topo:6: weight must be 1..256"},
	{LINKS "route a lab via r weight\n", "t.topo:6: weight must be 1..256"},
	{LINKS "route a lab via b\n", "t.topo:6: route to nowhere: a has no link to b"},
	{LINKS "route b lab via r\n",
	 "t.topo:6: route to nowhere: the link from b to r has no IPv6 prefix"},
	{LINKS "route b 10.201.1.0/24 via r\nroute b 10.201.1.0/24 via r\n",
	 "t.topo:7: duplicate route on b (line 6)"},
	{LINKS "route a lab 10.201.0.0/16 via r\n", "t.topo:6: destination given twice"},
	{LINKS "route a lab lab lab lab lab via r\n",
	 "t.topo:6: too many destinations (at most 8)"},
	{LINKS "set r\n", "t.topo:6: usage: set NODE SETTING [VALUE]"},
	{LINKS "set x silent\n",
	 "t.topo:6: unknown node 'x' (declare it with host or router first)"},
	{LINKS "set a silent\n", "t.topo:6: 'silent' is a router setting and a is a host"},
	{LINKS "set a filter-rtr\n", "t.topo:6: 'filter-rtr' is a router setting and a is a host"},
	{LINKS "set a l4hash\n", "t.topo:6: 'l4hash' is a router setting and a is a host"},
	{LINKS "set r l4hash 1\n",
	 "t.topo:6: unknown setting 'l4hash' with 1 value(s) (known: silent, filter-rtr, "
	 "icmp-ratelimit default|off, nat masquerade IF, l4hash, ecmp-policy N, ecmp-fields N, "
	 "ecmp-seed N)"},
	{LINKS "set r icmp-ratelimit on\n",
	 "t.topo:6: icmp-ratelimit is 'default' or 'off', not 'on'"},
	{LINKS "set r nat snat eth1\n", "t.topo:6: nat knows only 'masquerade', not 'snat'"},
	{LINKS "set r nat masquerade eth7\n",
	 "t.topo:6: node r has no interface eth7 to masquerade on"},
	{LINKS "set r nat masquerade lo\n",
	 "t.topo:6: node r has no interface lo to masquerade on"},
	{LINKS "set r ecmp-policy 4\n", "t.topo:6: ecmp-policy must be 0..3"},
	{LINKS "set r ecmp-fields 0x10000\n", "t.topo:6: ecmp-fields must be a number like 0x37"},
	{LINKS "set r ecmp-seed -1\n", "t.topo:6: ecmp-seed must be 0..4294967295"},
	{LINKS "set r ecmp-seed 4294967296\n", "t.topo:6: ecmp-seed must be 0..4294967295"},
	{LINKS "set r loud\n",
	 "t.topo:6: unknown setting 'loud' with 0 value(s) (known: silent, filter-rtr, "
	 "icmp-ratelimit default|off, nat masquerade IF, l4hash, ecmp-policy N, ecmp-fields N, "
	 "ecmp-seed N)"},
	{LINKS "set r silent yes\n",
	 "t.topo:6: unknown setting 'silent' with 1 value(s) (known: silent, filter-rtr, "
	 "icmp-ratelimit default|off, nat masquerade IF, l4hash, ecmp-policy N, ecmp-fields N, "
	 "ecmp-seed N)"},
	{LINKS "truth a b: a r b\n", "t.topo:6: usage: truth FROM -> TO: PATH"},
	{LINKS "truth a -> b\n", "t.topo:6: usage: truth FROM -> TO: PATH"},
	{LINKS "truth a -> b a r b\n", "t.topo:6: usage: truth FROM -> TO: PATH (missing ':')"},
	{LINKS "truth x -> b: a r b\n",
	 "t.topo:6: unknown node 'x' (declare it with host or router first)"},
	{LINKS "truth a -> y: a r b\n",
	 "t.topo:6: unknown node 'y' (declare it with host or router first)"},
	{LINKS "truth a -> b: a { r\n", "t.topo:6: '{' without '}'"},
	{LINKS "truth a -> b: a { } b\n", "t.topo:6: empty path or branch"},
	{LINKS "truth a -> b: a { r | } b\n", "t.topo:6: empty path or branch"},
	{LINKS "truth a -> b: a r } b\n", "t.topo:6: unexpected '}' in path"},
	{LINKS "truth a -> b : a r z b\n",
	 "t.topo:6: unknown node 'z' (declare it with host or router first)"},
	{LINKS "truth a -> b: r b\n", "t.topo:6: every path must start at a and end at b"},
	{LINKS "truth a -> b: a r\n", "t.topo:6: every path must start at a and end at b"},
	{LINKS "truth a -> b: a b\n", "t.topo:6: path step a -> b is not a link"},
	{LINKS "truth a -> b: a r { r b | b }\n", "t.topo:6: path step r -> r is not a link"},
	{LINKS "truth a -> b: a {r|r|r|r} {r|r|r|r} {r|r|r|r} {r|r|r|r} b\n",
	 "t.topo:6: too many paths (at most 64)"},
	/* Found by fuzz_topo: an escape sequence was quoted back into the message. */
	{"host a\nrouter r\033[2J\n", "t.topo:2: control character 0x1b"},
};

static void test_bad_inputs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		int rc = topo_parse(&t, "t.topo", bad_cases[i].text, err);
		if (rc != -1 || strcmp(err, bad_cases[i].want)) {
			print_error("case %zu:\n  text: %s\n  want: %s\n  got:  %s (rc %d)\n", i,
				    bad_cases[i].text, bad_cases[i].want, err, rc);
			fail();
		}
	}
}

static void test_limits(void **state)
{
	static char text[1 << 16];
	size_t o = 0;

	(void)state;
	for (int i = 0; i <= TOPO_MAX_NODES; i++)
		o += sprintf(text + o, "host n%d\n", i);
	assert_int_equal(topo_parse(&t, "t.topo", text, err), -1);
	assert_string_equal(err, "t.topo:49: too many nodes (at most 48)");

	o = (size_t)sprintf(text, "router a\n");
	for (int i = 0; i < TOPO_MAX_IFS; i++)
		o += sprintf(text + o, "host h%d\nlink a:e%d h%d:eth0 10.201.%d.0/24\n", i, i, i,
			     i);
	assert_int_equal(topo_parse(&t, "t.topo", text, err), -1);
	assert_string_equal(err, "t.topo:25: too many interfaces on a (at most 11)");

	memset(text, 'x', 1100);
	memcpy(text, "host ", 5);
	text[1100] = '\0';
	assert_int_equal(topo_parse(&t, "t.topo", text, err), -1);
	assert_string_equal(err, "t.topo:1: line longer than 1024 characters");

	/* Found by fuzz_topo: 150 one-byte tokens and a long word fill a 1024-byte line with
	 * 1175 bytes of words and their NULs; the word buffer held 1032. */
	memset(text, '{', 150);
	memset(text + 150, 'a', 874);
	text[1024] = '\0';
	assert_int_equal(topo_parse(&t, "t.topo", text, err), -1);
	assert_string_equal(err,
			    "t.topo:1: unknown statement '{' (expected topology, host, router, "
			    "link, addr, route, set or truth)");
}

static void test_file_errors(void **state)
{
	char path[] = "/tmp/test_topo.XXXXXX";
	int fd;

	(void)state;
	assert_int_equal(topo_parse_file(&t, "/nonexistent/x.topo", err), -1);
	assert_string_equal(err, "/nonexistent/x.topo: No such file or directory");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "host a\n\0host b\n", 15), 15);
	close(fd);
	assert_int_equal(topo_parse_file(&t, path, err), -1);
	char want[128];
	snprintf(want, sizeof(want), "%s: binary file (contains NUL bytes)", path);
	assert_string_equal(err, want);
	unlink(path);
}

static const char *addr_of(int node, int ifidx, int k)
{
	static char buf[INET6_ADDRSTRLEN + 8];
	char a[INET6_ADDRSTRLEN];
	const struct topo_prefix *p = &t.nodes[node].ifs[ifidx].addrs[k];

	snprintf(buf, sizeof(buf), "%s/%d", topo_fmt_addr(p, a, sizeof(a)), p->plen);
	return buf;
}

static void test_model(void **state)
{
	static const char text[] =
		"# a small diamond\n"
		"topology tiny\n"
		"host c\nrouter r1\nrouter x\nrouter y\nrouter r2\nhost s\n"
		"link c:eth0 r1:eth0 10.201.1.0/24 fd00:201:1::/64\n"
		"link r1:eth1 x:eth0 10.201.2.0/30 fd00:201:2::/126\n"
		"link r1:eth2 y:eth0 10.201.3.0/24 fd00:201:3::/64\n"
		"link x:eth1 r2:eth0 10.201.4.0/24 fd00:201:4::/64\n"
		"link y:eth1 r2:eth1 10.201.5.0/24 fd00:201:5::/64\n"
		"link r2:eth2 s:eth0 10.201.6.0/24 fd00:201:6::/64\n"
		"addr s:lo 10.201.99.1 fd00:201:99::1/128\n"
		"route r1 lab 10.201.99.1/32 via x weight 3 via y\n"
		"set r1 ecmp-seed 7\nset r1 ecmp-fields 0x13\nset r1 ecmp-policy 1\n"
		"set x silent\nset y filter-rtr\nset r2 icmp-ratelimit default\n"
		"set r2 nat masquerade eth2\n"
		"truth c -> s: c r1 {x|y} r2 s   # trailing comment\n"
		"truth s -> c : s r2{y|x}r1 c\n";

	(void)state;
	assert_int_equal(topo_parse(&t, "dir/tiny.topo", text, err), 0);
	assert_string_equal(t.name, "tiny");
	assert_int_equal(t.n_nodes, 6);
	assert_int_equal(t.n_links, 6);
	int c = topo_find_node(&t, "c"), r1 = topo_find_node(&t, "r1");
	int x = topo_find_node(&t, "x"), y = topo_find_node(&t, "y");
	int r2 = topo_find_node(&t, "r2"), s = topo_find_node(&t, "s");
	assert_int_equal(topo_find_node(&t, "nope"), -1);
	assert_int_equal(t.nodes[c].kind, TOPO_HOST);
	assert_int_equal(t.nodes[r1].kind, TOPO_ROUTER);
	/* Interfaces: lo first, then in declaration order; left end .1, right end .2. */
	assert_int_equal(t.nodes[r1].n_ifs, 4);
	assert_string_equal(t.nodes[r1].ifs[0].name, "lo");
	assert_string_equal(t.nodes[r1].ifs[2].name, "eth1");
	assert_string_equal(addr_of(r1, 0 + 1, 0), "10.201.1.2/24");
	assert_string_equal(addr_of(r1, 1, 1), "fd00:201:1::2/64");
	assert_string_equal(addr_of(r1, 2, 0), "10.201.2.1/30");
	assert_string_equal(addr_of(x, 1, 0), "10.201.2.2/30");
	assert_string_equal(addr_of(x, 1, 1), "fd00:201:2::2/126");
	assert_int_equal(t.nodes[r1].ifs[2].peer_node, x);
	assert_int_equal(t.nodes[r1].ifs[2].peer_if, 1);
	assert_int_equal(t.nodes[c].ifs[0].peer_node, -1);
	assert_string_equal(addr_of(s, 0, 0), "10.201.99.1/32");
	assert_string_equal(addr_of(s, 0, 1), "fd00:201:99::1/128");
	/* Primary: the first link address, lo's only when nothing else exists. */
	char a[64];
	assert_string_equal(topo_fmt_addr(topo_primary(&t, s, AF_INET), a, sizeof(a)),
			    "10.201.6.2");
	assert_string_equal(topo_fmt_addr(topo_primary(&t, s, AF_INET6), a, sizeof(a)),
			    "fd00:201:6::2");
	int ifi = -1;
	assert_string_equal(topo_fmt_addr(topo_nh_addr(&t, r1, y, AF_INET6, &ifi), a, sizeof(a)),
			    "fd00:201:3::2");
	assert_int_equal(ifi, 3);
	assert_null(topo_nh_addr(&t, r1, r2, AF_INET, &ifi));
	/* Route: "lab" is both supernets; next hops keep order and weights. */
	assert_int_equal(t.n_routes, 1);
	const struct topo_route *r = &t.routes[0];
	assert_int_equal(r->node, r1);
	assert_int_equal(r->n_dst, 3);
	assert_int_equal(r->dst[0].family, AF_INET);
	assert_int_equal(r->dst[0].plen, 16);
	assert_int_equal(r->dst[1].family, AF_INET6);
	assert_int_equal(r->dst[1].plen, 32);
	assert_int_equal(r->dst[2].plen, 32);
	assert_int_equal(r->n_nh, 2);
	assert_int_equal(r->nh[0].node, x);
	assert_int_equal(r->nh[0].weight, 3);
	assert_int_equal(r->nh[1].node, y);
	assert_int_equal(r->nh[1].weight, 1);
	/* Settings and their defaults. */
	assert_int_equal(t.nodes[r1].ecmp_seed, 7);
	assert_int_equal(t.nodes[r1].ecmp_fields, 0x13);
	assert_int_equal(t.nodes[r1].ecmp_policy, 1);
	assert_int_equal(t.nodes[x].ecmp_policy, 3);
	assert_int_equal(t.nodes[x].ecmp_fields, 0x37);
	assert_int_equal(t.nodes[x].ecmp_seed, 0xfd0c5087u); /* 32-bit FNV-1a of "x" */
	assert_true(t.nodes[x].ecmp_seed != t.nodes[y].ecmp_seed);
	assert_true(t.nodes[x].silent);
	assert_false(t.nodes[y].silent);
	assert_true(t.nodes[y].filter_rtr);
	assert_true(t.nodes[r2].icmp_ratelimit);
	assert_false(t.nodes[r1].icmp_ratelimit);
	assert_int_equal(t.nodes[r2].nat_if, 3);
	assert_int_equal(t.nodes[r1].nat_if, -1);
	/* Truth: the branches expand into whole paths, in order. */
	assert_int_equal(t.n_truth, 2);
	assert_int_equal(t.truth[0].from, c);
	assert_int_equal(t.truth[0].to, s);
	assert_int_equal(t.truth[0].n_paths, 2);
	int p0[] = {c, r1, x, r2, s}, p1[] = {c, r1, y, r2, s}, q0[] = {s, r2, y, r1, c};
	assert_int_equal(t.truth[0].paths[0].n_hops, 5);
	assert_memory_equal(t.truth[0].paths[0].hop, p0, sizeof(p0));
	assert_memory_equal(t.truth[0].paths[1].hop, p1, sizeof(p1));
	assert_memory_equal(t.truth[1].paths[0].hop, q0, sizeof(q0));
	assert_int_equal(t.truth[1].line, 25);
}

static void test_nested_branches(void **state)
{
	static const char text[] = "host a\nrouter b\nrouter c\nrouter d\nhost e\n"
				   "link a:e0 b:e0 10.201.1.0/24\nlink b:e1 c:e0 10.201.2.0/24\n"
				   "link c:e1 e:e0 10.201.3.0/24\nlink b:e2 d:e0 10.201.4.0/24\n"
				   "link d:e1 c:e2 10.201.5.0/24\nlink b:e3 e:e1 10.201.6.0/24\n"
				   "truth a -> e: a b { { c | d c } e | e }\n";

	(void)state;
	assert_int_equal(topo_parse(&t, "n.topo", text, err), 0);
	assert_string_equal(t.name, "n");
	assert_int_equal(t.truth[0].n_paths, 3);
	assert_int_equal(t.truth[0].paths[0].n_hops, 4);
	assert_int_equal(t.truth[0].paths[1].n_hops, 5);
	assert_int_equal(t.truth[0].paths[2].n_hops, 3);
	assert_int_equal(t.truth[0].paths[1].hop[2], topo_find_node(&t, "d"));
}

/* Every shipped topology parses, has truth both ways and routes for both families. */
static void test_shipped(void **state)
{
	static const char *const names[] = {
		"linear",     "diamond", "unequal",   "series", "meshed", "wide", "asymmetric",
		"multihomed", "silent",	 "ratelimit", "filter", "nat",	  "paris"};
	char path[128];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "lab/topologies/%s.topo", names[i]);
		if (topo_parse_file(&t, path, err) < 0) {
			print_error("%s\n", err);
			fail();
		}
		assert_string_equal(t.name, names[i]);
		assert_int_equal(t.n_truth, 2);
		for (int k = 0; k < t.n_truth; k++) {
			assert_non_null(topo_primary(&t, t.truth[k].to, AF_INET));
			assert_non_null(topo_primary(&t, t.truth[k].to, AF_INET6));
		}
	}
	assert_int_equal(topo_parse_file(&t, "lab/topologies/paris.topo", err), 0);
	assert_true(t.nodes[topo_find_node(&t, "r1")].l4hash);
	assert_true(t.nodes[topo_find_node(&t, "r3")].l4hash);
	assert_false(t.nodes[topo_find_node(&t, "r2a")].l4hash);
	assert_int_equal(topo_parse_file(&t, "lab/topologies/wide.topo", err), 0);
	assert_int_equal(t.truth[0].n_paths, 8);
	assert_int_equal(t.n_nodes, 12);
}

/* The text views are an interface other suites parse: byte-exact expectations. */
static void test_show_views(void **state)
{
	static const char text[] = "host c\nrouter r\nrouter x\nrouter y\nhost s\n"
				   "link c:eth0 r:eth0 10.201.1.0/24 fd00:201:1::/64\n"
				   "link r:eth1 x:eth0 10.201.2.0/24\n"
				   "link r:eth2 y:eth0 10.201.3.0/24\n"
				   "link x:eth1 s:eth0 10.201.4.0/24\n"
				   "link y:eth1 s:eth1 10.201.5.0/24\n"
				   "addr s:lo 10.201.9.9\n"
				   "set r silent\nset r l4hash\nset y nat masquerade eth1\n"
				   "set s icmp-ratelimit default\n"
				   "route r 10.201.9.9/32 via x weight 2 via y\n"
				   "truth c -> s: c r {x|y} s\n";
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	(void)state;
	assert_int_equal(topo_parse(&t, "v.topo", text, err), 0);
	out = open_memstream(&buf, &len);
	assert_non_null(out);
	show_truth(&t, out);
	show_nodes(&t, "lab1", out);
	show_routes(&t, out);
	show_addrs(&t, out);
	fclose(out);
	assert_string_equal(buf,
			    "c s: c r x s\n"
			    "c s: c r y s\n"
			    "c rtrlab-lab1-c host\n"
			    "r rtrlab-lab1-r router silent l4hash\n"
			    "x rtrlab-lab1-x router\n"
			    "y rtrlab-lab1-y router nat=eth1\n"
			    "s rtrlab-lab1-s host icmp-ratelimit\n"
			    "r 10.201.9.9/32 via x 10.201.2.2 weight 2 via y 10.201.3.2 weight 1\n"
			    "c primary 10.201.1.1/24\n"
			    "c primary fd00:201:1::1/64\n"
			    "c eth0 10.201.1.1/24\n"
			    "c eth0 fd00:201:1::1/64\n"
			    "r primary 10.201.1.2/24\n"
			    "r primary fd00:201:1::2/64\n"
			    "r eth0 10.201.1.2/24\n"
			    "r eth0 fd00:201:1::2/64\n"
			    "r eth1 10.201.2.1/24\n"
			    "r eth2 10.201.3.1/24\n"
			    "x primary 10.201.2.2/24\n"
			    "x eth0 10.201.2.2/24\n"
			    "x eth1 10.201.4.1/24\n"
			    "y primary 10.201.3.2/24\n"
			    "y eth0 10.201.3.2/24\n"
			    "y eth1 10.201.5.1/24\n"
			    "s primary 10.201.4.2/24\n"
			    "s lo 10.201.9.9/32\n"
			    "s eth0 10.201.4.2/24\n"
			    "s eth1 10.201.5.2/24\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_inputs),	cmocka_unit_test(test_limits),
		cmocka_unit_test(test_file_errors),	cmocka_unit_test(test_model),
		cmocka_unit_test(test_nested_branches), cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_show_views),
	};
	return cmocka_run_group_tests_name("lab topology parser", tests, NULL, NULL);
}
