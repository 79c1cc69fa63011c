// SPDX-License-Identifier: BSD-2-Clause
/* trace.c: the servers list, target resolution and engine setup of one trace (single run or
 * campaign). */
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "datadir.h"
#include "diag.h"
#include "fib_hop.h"
#include "engine.h"
#include "mda.h"
#include "net.h"
#include "rtr_wire.h"
#include "trace.h"

struct rtr_endpoints *rtr_trace_endpoints(const struct rtr_opts *o, bool need, char *path,
					  size_t pathcap, int *code, char *err, size_t errlen)
{
	char found[4096];
	*code = 0;
	if (o->endpoints) {
		snprintf(found, sizeof(found), "%s", o->endpoints);
	} else if (rtr_datadir_find("ENDPOINTS", found, sizeof(found))) {
		if (!need)
			return NULL;
		snprintf(err, errlen,
			 "no servers list: %s is not readable (give --endpoints FILE, or set "
			 "RTR_DATADIR to the directory holding ENDPOINTS)",
			 found[0] ? found : "ENDPOINTS");
		*code = RTR_EXIT_ERROR;
		return NULL;
	}
	if (path)
		snprintf(path, pathcap, "%s", found);
	struct rtr_endpoints *list = malloc(sizeof(*list));
	if (!list) {
		snprintf(err, errlen, "out of memory");
		*code = RTR_EXIT_ERROR;
		return NULL;
	}
	if (rtr_endpoints_load(list, found, err, errlen)) {
		free(list);
		*code = RTR_EXIT_ERROR;
		return NULL;
	}
	return list;
}

int rtr_trace_resolve(const struct rtr_endpoints *list, const char *target, int want,
		      struct rtr_addr *out, char *err, size_t errlen)
{
	const struct rtr_endpoint *ep = list ? rtr_endpoints_find(list, target) : NULL;
	if (ep)
		target = ep->host;
	int fam = rtr_addr_parse(out, target);
	if (fam == 4 || fam == 6) {
		if (want && want != fam) {
			snprintf(err, errlen, "TARGET %s is not an IPv%s address: drop -4/-6",
				 target, want == 4 ? "4" : "6");
			return RTR_EXIT_USAGE;
		}
		return 0;
	}
	struct addrinfo hints = {.ai_family = want == 4	  ? AF_INET
					      : want == 6 ? AF_INET6
							  : AF_UNSPEC,
				 .ai_socktype = SOCK_DGRAM};
	struct addrinfo *res = NULL;
	int rc = getaddrinfo(target, NULL, &hints, &res);
	if (rc || !res) {
		snprintf(err, errlen, "cannot resolve TARGET %s: %s", target,
			 rc ? gai_strerror(rc) : "no address");
		return RTR_EXIT_ERROR;
	}
	if (res->ai_family == AF_INET)
		rtr_addr_from_v4(out,
				 (const uint8_t *)&((struct sockaddr_in *)res->ai_addr)->sin_addr);
	else
		rtr_addr_from_v6(
			out, (const uint8_t *)&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr);
	freeaddrinfo(res);
	return 0;
}

int rtr_trace_source(const struct rtr_opts *o, int family, const char *target,
		     const struct rtr_addr *dst, struct rtr_addr *src, char *err, size_t errlen)
{
	if (!o->src)
		return rtr_net_source(family, o->iface, dst, src, err, errlen) ? RTR_EXIT_ERROR : 0;
	int sf = rtr_addr_parse(src, o->src);
	if (sf != 4 && sf != 6) {
		snprintf(err, errlen, "-s %s is not an IP address: give one", o->src);
		return RTR_EXIT_USAGE;
	}
	if (sf != family) {
		snprintf(err, errlen, "-s %s and TARGET %s are of different address families",
			 o->src, target);
		return RTR_EXIT_USAGE;
	}
	if (!rtr_net_source_is_local(family, src)) {
		snprintf(err, errlen, "-s %s is not an address of this host: give one of its own",
			 o->src);
		return RTR_EXIT_USAGE;
	}
	return 0;
}

static void fill_cfg(struct rtr_engine_cfg *c, const struct rtr_opts *o, int direction, int family,
		     const struct rtr_addr *src, const struct rtr_addr *dst, int engines,
		     double rate_pps)
{
	memset(c, 0, sizeof(*c));
	c->direction = (uint8_t)direction;
	c->family = (uint8_t)family;
	if (!strcmp(o->proto_name, "udp"))
		c->proto = RTR_IPPROTO_UDP;
	else if (!strcmp(o->proto_name, "tcp"))
		c->proto = RTR_IPPROTO_TCP;
	else
		c->proto = family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	/* Singlepath UDP: traceroute's port, so the probe is not read as a broken DNS query
	 * (CLI-22); multipath keeps the flows its lab truth was checked with. */
	c->flow = o->flow || c->proto != RTR_IPPROTO_UDP || o->multipath ? o->flow
									 : RTR_CLIENT_UDP_FLOW;
	c->src = *src;
	c->dst = *dst;
	c->first_ttl = (uint8_t)o->first_ttl;
	c->max_ttl = (uint8_t)o->max_ttl;
	c->probes = (uint8_t)o->probes;
	c->gap_limit = (uint8_t)o->gap_limit;
	c->parallel = (uint16_t)o->parallel;
	c->retries = (uint8_t)o->retries;
	c->wait_ns = (uint64_t)(o->wait_s * 1e9);
	/* The rate is for the whole run: two engines share it. */
	c->interval_ns = rate_pps > 0 ? (uint64_t)(1e9 * engines / rate_pps) : 0;
	c->random = rtr_net_random;
}

void rtr_trace_free(struct rtr_tracer **eng, int count)
{
	for (int i = 0; i < count; i++) {
		if (eng[i])
			rtr_tracer_release(eng[i]);
		free(eng[i]);
		eng[i] = NULL;
	}
}

/* A singlepath or multipath trace for cfg, as o asks; NULL when out of memory or refused. */
static struct rtr_tracer *new_tracer(const struct rtr_opts *o, const struct rtr_engine_cfg *cfg,
				     unsigned first_hop)
{
	if (!o->multipath) {
		struct rtr_engine *e = calloc(1, sizeof(*e));
		if (e && rtr_engine_init(e, cfg)) {
			free(e);
			return NULL;
		}
		return e ? &e->t : NULL;
	}
	struct rtr_mda_cfg mc = {.base = *cfg,
				 .alpha = o->alpha,
				 .max_probes = o->max_probes,
				 .time_limit_ns = (uint64_t)(o->time_limit_s * 1e9),
				 .first_hop_nexthops =
					 cfg->direction == RTR_FORWARD ? first_hop : 0};
	struct rtr_mda *m = calloc(1, sizeof(*m));
	if (m && rtr_mda_init(m, &mc)) {
		free(m);
		return NULL;
	}
	return m ? &m->t : NULL;
}

int rtr_trace_engines(struct rtr_run *run, struct rtr_tracer **eng, double rate_pps,
		      unsigned first_hop)
{
	const struct rtr_opts *o = run->opts;
	int count = 0;
	int nengines = o->mode == RTR_MODE_TWO_WAY ? 2 : 1;
	run->fwd = run->rev = NULL;
	for (int d = 0; d < 2; d++) {
		bool want = d == RTR_FORWARD ? o->mode != RTR_MODE_REVERSE
					     : o->mode != RTR_MODE_FORWARD;
		if (!want)
			continue;
		struct rtr_engine_cfg cfg;
		fill_cfg(&cfg, o, d, run->family, &run->src, &run->dst, nengines, rate_pps);
		struct rtr_tracer *t = new_tracer(o, &cfg, first_hop);
		if (!t) {
			rtr_trace_free(eng, count);
			run->fwd = run->rev = NULL;
			return -1;
		}
		eng[count++] = t;
		if (d == RTR_FORWARD)
			run->fwd = t;
		else
			run->rev = t;
	}
	return count;
}

unsigned rtr_trace_first_hop(const struct rtr_run *run)
{
	const struct rtr_opts *o = run->opts;
	if (!o->multipath || o->mode == RTR_MODE_REVERSE || o->first_ttl != 1)
		return 0;
	char err[256];
	/* A failed query only means the first hop is probed as any other. */
	int n = rtr_fib_nexthops(run->family, &run->dst, &run->src, o->iface, err, sizeof(err));
	unsigned first_hop = n > 0 ? (unsigned)n : 0;
	/* Linux routes header-included raw packets without their ports: every flow takes
	 * the same one of our own nexthops, so the others cannot be traced from here. */
	if (first_hop >= 2)
		rtr_warn("note: this host's route to %s has %u nexthops; the kernel sends "
			 "every probe by one of them, so the others are not traced",
			 run->target, first_hop);
	return first_hop;
}
