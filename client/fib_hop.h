/* SPDX-License-Identifier: BSD-2-Clause */
/* fib_hop.h: how many nexthops this host's own route to a target has (the forward first hop). */
#ifndef RTR_CLIENT_FIB_HOP_H
#define RTR_CLIENT_FIB_HOP_H

#include <stddef.h>

#include "addr.h"

/*
 * Asks the kernel (rtnetlink RTM_GETROUTE with RTM_F_FIB_MATCH) for the route
 * it would use towards dst, optionally leaving through iface and from src, and
 * returns its nexthop count: 1 for a single gateway or an on-link route, N for
 * an ECMP route of N nexthops. Returns 0 when the answer says nothing about
 * nexthops (no route, a local or blackhole route, a nexthop object the library
 * does not expand), and -1 with one line in err when the kernel could not be
 * asked at all. The multipath engine probes the first hop once when this is 1.
 */
int rtr_fib_nexthops(int family, const struct rtr_addr *dst, const struct rtr_addr *src,
		     const char *iface, char *err, size_t errlen);

#endif
