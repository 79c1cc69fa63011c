/* SPDX-License-Identifier: BSD-2-Clause */
/* nlops.h: the few rtnetlink operations a lab needs, through libnl-route-3. */
#ifndef RTR_LAB_NLOPS_H
#define RTR_LAB_NLOPS_H

#include "topo.h"

struct nl_sock;

struct nlops_nh {
	const struct topo_prefix *gw;
	int ifindex;
	int weight; /* 1..256 */
};

/* All functions return 0 (or a positive value where said) or a negative libnl error code;
 * nlops_strerror() turns it into text. */

/** nlops_open() - a route socket bound to the caller's current network namespace. */
struct nl_sock *nlops_open(void);
void nlops_close(struct nl_sock *sk);
const char *nlops_strerror(int err);

/** nlops_veth() - veth pair: @name in the socket's namespace, @peer in namespace @peer_ns_fd. */
int nlops_veth(struct nl_sock *sk, const char *name, const char *peer, int peer_ns_fd);

/** nlops_ifindex() - the index of interface @name. Return: index > 0 or error. */
int nlops_ifindex(struct nl_sock *sk, const char *name);

/** nlops_up() - set IFF_UP on interface @name. */
int nlops_up(struct nl_sock *sk, const char *name);

/** nlops_addr() - add @a (with its prefix length) to @ifindex; IPv6 without DAD. */
int nlops_addr(struct nl_sock *sk, int ifindex, const struct topo_prefix *a);

/** nlops_route() - static route to @dst over @n next hops (multipath when n > 1). */
int nlops_route(struct nl_sock *sk, const struct topo_prefix *dst, const struct nlops_nh *nh,
		int n);

#endif
