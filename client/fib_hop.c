// SPDX-License-Identifier: BSD-2-Clause
/* fib_hop.c: the forward first hop read from this host's FIB (one netlink route query), so the
 * multipath engine need not probe it six times to learn there is only one. */
#include <errno.h>
#include <stdbool.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>

#include "fib_hop.h"

struct answer {
	int nexthops;
	bool seen;
};

static int on_route(struct nl_msg *msg, void *arg)
{
	struct answer *a = arg;
	struct rtnl_route *route = NULL;
	/* libnl parses RTA_MULTIPATH into nexthops, and RTA_OIF/RTA_GATEWAY into one. */
	if (rtnl_route_parse(nlmsg_hdr(msg), &route) < 0)
		return NL_SKIP;
	a->seen = true;
	/* Local, broadcast, blackhole or unreachable routes have no first hop to count. */
	a->nexthops =
		rtnl_route_get_type(route) == RTN_UNICAST ? rtnl_route_get_nnexthops(route) : 0;
	rtnl_route_put(route);
	return NL_STOP;
}

int rtr_fib_nexthops(int family, const struct rtr_addr *dst, const struct rtr_addr *src,
		     const char *iface, char *err, size_t errlen)
{
	const uint8_t *d = family == 4 ? dst->b + 12 : dst->b;
	const uint8_t *s = src ? (family == 4 ? src->b + 12 : src->b) : NULL;
	size_t alen = family == 4 ? 4 : 16;
	unsigned oif = 0;
	if (iface && !(oif = if_nametoindex(iface))) {
		snprintf(err, errlen, "no interface %s: %s", iface, strerror(errno));
		return -1;
	}
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_msg *msg = NULL;
	int rc = -1;
	struct answer a = {0};
	if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0) {
		snprintf(err, errlen, "cannot open a routing netlink socket");
		goto out;
	}
	/* The kernel answers a lookup with one message; an ack would only be a second read. */
	nl_socket_disable_auto_ack(sk);
	/* RTM_F_FIB_MATCH: the route as configured (all its nexthops), not the one picked. */
	struct rtmsg rtm = {.rtm_family = family == 4 ? AF_INET : AF_INET6,
			    .rtm_dst_len = (unsigned char)(alen * 8),
			    .rtm_flags = RTM_F_FIB_MATCH};
	msg = nlmsg_alloc_simple(RTM_GETROUTE, NLM_F_REQUEST);
	if (!msg || nlmsg_append(msg, &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0 ||
	    nla_put(msg, RTA_DST, (int)alen, d) < 0 ||
	    (s && nla_put(msg, RTA_SRC, (int)alen, s) < 0) ||
	    (oif && nla_put_u32(msg, RTA_OIF, oif) < 0)) {
		snprintf(err, errlen, "cannot build a route query");
		goto out;
	}
	if (nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_route, &a) < 0 ||
	    nl_send_auto(sk, msg) < 0) {
		snprintf(err, errlen, "cannot send a route query");
		goto out;
	}
	/* No route (an error answer) is no knowledge, not a failure: the trace will say more. */
	if (nl_recvmsgs_default(sk) < 0 && !a.seen)
		a.nexthops = 0;
	rc = a.nexthops > 0 ? a.nexthops : 0;
out:
	nlmsg_free(msg);
	nl_socket_free(sk);
	return rc;
}
