/* SPDX-License-Identifier: BSD-2-Clause */
/* topo.h: the lab topology model and its parser (a pure text-to-struct step, no I/O besides
 * reading). */
#ifndef RTR_LAB_TOPO_H
#define RTR_LAB_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOPO_NAME_MAX 16 /* node, interface and topology names, with the NUL */
#define TOPO_MAX_NODES 48
#define TOPO_MAX_IFS 12	 /* interfaces per node, lo included */
#define TOPO_MAX_ADDRS 4 /* addresses per interface */
#define TOPO_MAX_LINKS 96
#define TOPO_MAX_ROUTES 192
#define TOPO_MAX_DSTS 8 /* destinations per route line */
#define TOPO_MAX_NH 16
#define TOPO_MAX_TRUTH 16
#define TOPO_MAX_PATHS 64 /* expanded paths per truth line */
#define TOPO_MAX_HOPS 24  /* nodes per path, both ends included */
#define TOPO_ERR_MAX 256

enum topo_kind { TOPO_HOST, TOPO_ROUTER };

/* An address or prefix; family is AF_INET or AF_INET6, addr in network byte order. */
struct topo_prefix {
	int family;
	uint8_t addr[16];
	int plen;
};

struct topo_if {
	char name[TOPO_NAME_MAX];
	int peer_node; /* -1 for lo */
	int peer_if;
	struct topo_prefix addrs[TOPO_MAX_ADDRS];
	int n_addrs;
	int line;
};

struct topo_node {
	char name[TOPO_NAME_MAX];
	enum topo_kind kind;
	int line;
	struct topo_if ifs[TOPO_MAX_IFS]; /* ifs[0] is always lo */
	int n_ifs;
	/* Per-node settings ("set" lines). */
	bool icmp_ratelimit; /* true: keep the kernel's ICMP rate limits */
	bool silent;	     /* sends no ICMP errors */
	bool filter_rtr;     /* drops forwarded ICMP echo with code 1 */
	int nat_if;	     /* masquerade out of this interface; -1 none */
	int nat_line;
	bool l4hash; /* tc program hashes the first 4 L4 bytes; policy 1 uses that hash */
	int ecmp_policy;
	unsigned ecmp_fields;
	uint32_t ecmp_seed;
};

struct topo_link {
	int a_node, a_if, b_node, b_if;
	int line;
};

struct topo_nh {
	int node; /* the neighbour the packet goes to */
	int weight;
};

struct topo_route {
	int node;
	struct topo_prefix dst[TOPO_MAX_DSTS];
	int n_dst;
	struct topo_nh nh[TOPO_MAX_NH];
	int n_nh;
	int line;
};

struct topo_path {
	int hop[TOPO_MAX_HOPS];
	int n_hops;
};

struct topo_truth {
	int from, to;
	struct topo_path paths[TOPO_MAX_PATHS];
	int n_paths;
	int line;
};

struct topo {
	char name[TOPO_NAME_MAX];
	struct topo_node nodes[TOPO_MAX_NODES];
	int n_nodes;
	struct topo_link links[TOPO_MAX_LINKS];
	int n_links;
	struct topo_route routes[TOPO_MAX_ROUTES];
	int n_routes;
	struct topo_truth truth[TOPO_MAX_TRUTH];
	int n_truth;
};

/**
 * topo_parse() - parse and check a topology held in memory.
 * @t:     filled on success (and partly on failure).
 * @file:  the file name used in error messages and as the default topology name.
 * @text:  the file's contents, NUL-terminated.
 * @err:   on failure receives "file:line: what is wrong".
 *
 * Everything the lab would refuse at build time is refused here: unknown nodes, duplicate
 * addresses, overlapping link prefixes, routes through nodes that are not neighbours.
 * Return: 0, or -1 with @err set.
 */
int topo_parse(struct topo *t, const char *file, const char *text, char err[TOPO_ERR_MAX]);

/** topo_parse_file() - read @path and topo_parse() it; I/O errors are reported in @err too. */
int topo_parse_file(struct topo *t, const char *path, char err[TOPO_ERR_MAX]);

/** topo_find_node() - index of the node called @name, or -1. */
int topo_find_node(const struct topo *t, const char *name);

/**
 * topo_primary() - the address the node is known by in @family: the first one declared.
 * Return: pointer into @t, or NULL if the node has no address of that family.
 */
const struct topo_prefix *topo_primary(const struct topo *t, int node, int family);

/**
 * topo_nh_addr() - the neighbour's address that a route from @node through @via uses.
 * Return: pointer into @t, or NULL if the two share no link with an address of @family.
 * @ifidx receives @node's interface towards @via.
 */
const struct topo_prefix *topo_nh_addr(const struct topo *t, int node, int via, int family,
				       int *ifidx);

/** topo_fmt_addr() - "10.201.1.1" / "fd00:201:1::1" into @buf (INET6_ADDRSTRLEN bytes). */
const char *topo_fmt_addr(const struct topo_prefix *p, char *buf, size_t len);

#endif
