// SPDX-License-Identifier: BSD-2-Clause
/* nlops.c: links, addresses and routes over rtnetlink with libnl-route-3. */
#include "nlops.h"

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <sys/socket.h>

struct nl_sock *nlops_open(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (!sk)
		return NULL;
	if (nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

void nlops_close(struct nl_sock *sk)
{
	if (sk)
		nl_socket_free(sk);
}

const char *nlops_strerror(int err)
{
	return nl_geterror(err);
}

int nlops_veth(struct nl_sock *sk, const char *name, const char *peer_name, int peer_ns_fd)
{
	struct rtnl_link *link = rtnl_link_veth_alloc();
	int rc;

	if (!link)
		return -NLE_NOMEM;
	rtnl_link_set_name(link, name);
	struct rtnl_link *peer = rtnl_link_veth_get_peer(link);
	rtnl_link_set_name(peer, peer_name);
	rtnl_link_set_ns_fd(peer, peer_ns_fd);
	rtnl_link_put(peer);
	rc = rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_veth_release(link);
	return rc;
}

int nlops_ifindex(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link = NULL;
	int rc = rtnl_link_get_kernel(sk, 0, name, &link);

	if (rc < 0)
		return rc;
	rc = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return rc;
}

int nlops_up(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *link = NULL, *chg;
	int rc = rtnl_link_get_kernel(sk, 0, name, &link);

	if (rc < 0)
		return rc;
	chg = rtnl_link_alloc();
	if (!chg) {
		rtnl_link_put(link);
		return -NLE_NOMEM;
	}
	rtnl_link_set_flags(chg, IFF_UP);
	rc = rtnl_link_change(sk, link, chg, 0);
	rtnl_link_put(chg);
	rtnl_link_put(link);
	return rc;
}

static struct nl_addr *to_nl(const struct topo_prefix *p)
{
	struct nl_addr *a = nl_addr_build(p->family, p->addr, p->family == AF_INET ? 4 : 16);

	if (a)
		nl_addr_set_prefixlen(a, p->plen);
	return a;
}

int nlops_addr(struct nl_sock *sk, int ifindex, const struct topo_prefix *p)
{
	struct rtnl_addr *ad = rtnl_addr_alloc();
	struct nl_addr *local = to_nl(p);
	int rc = -NLE_NOMEM;

	if (!ad || !local)
		goto out;
	rtnl_addr_set_ifindex(ad, ifindex);
	rtnl_addr_set_family(ad, p->family);
	rtnl_addr_set_local(ad, local);
	rtnl_addr_set_prefixlen(ad, p->plen);
	if (p->family == AF_INET6)
		rtnl_addr_set_flags(ad, IFA_F_NODAD); /* usable at once: no DAD timing in tests */
	rc = rtnl_addr_add(sk, ad, NLM_F_CREATE | NLM_F_EXCL);
out:
	if (local)
		nl_addr_put(local);
	if (ad)
		rtnl_addr_put(ad);
	return rc;
}

int nlops_route(struct nl_sock *sk, const struct topo_prefix *dst, const struct nlops_nh *nh, int n)
{
	struct rtnl_route *r = rtnl_route_alloc();
	struct nl_addr *d = to_nl(dst);
	int rc = -NLE_NOMEM;

	if (!r || !d)
		goto out;
	rtnl_route_set_family(r, dst->family);
	rtnl_route_set_dst(r, d);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_protocol(r, RTPROT_STATIC);
	rtnl_route_set_scope(r, RT_SCOPE_UNIVERSE);
	rtnl_route_set_type(r, RTN_UNICAST);
	for (int i = 0; i < n; i++) {
		struct rtnl_nexthop *h = rtnl_route_nh_alloc();
		struct nl_addr *gw = to_nl(nh[i].gw);
		if (!h || !gw) {
			if (h)
				rtnl_route_nh_free(h);
			if (gw)
				nl_addr_put(gw);
			goto out;
		}
		nl_addr_set_prefixlen(gw, dst->family == AF_INET ? 32 : 128);
		rtnl_route_nh_set_ifindex(h, nh[i].ifindex);
		rtnl_route_nh_set_gateway(h, gw);
		/* The kernel's hops field is weight - 1 and libnl passes it through unchanged. */
		rtnl_route_nh_set_weight(h, (uint8_t)(nh[i].weight - 1));
		nl_addr_put(gw);
		rtnl_route_add_nexthop(r, h); /* the route owns h now */
	}
	rc = rtnl_route_add(sk, r, NLM_F_CREATE | NLM_F_EXCL);
out:
	if (d)
		nl_addr_put(d);
	if (r)
		rtnl_route_put(r);
	return rc;
}
