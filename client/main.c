// SPDX-License-Identifier: BSD-2-Clause
/* main.c: rtr-client: parse the command line, resolve, run the engines over raw sockets, print. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "endpoints.h"
#include "engine.h"
#include "fib_hop.h"
#include "mda.h"
#include "net.h"
#include "output.h"
#include "rtr_wire.h"
#include "transmit.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

#ifndef RTR_ENDPOINTS_PATH
#define RTR_ENDPOINTS_PATH "/usr/local/share/rtr/ENDPOINTS"
#endif

/*
 * Loads --endpoints FILE, or the shipped list when it exists. Returns the list
 * (NULL when there is none) or sets *code on an error.
 */
static struct rtr_endpoints *endpoints(const struct rtr_opts *o, int *code)
{
	const char *path = o->endpoints ? o->endpoints : RTR_ENDPOINTS_PATH;
	*code = 0;
	if (!o->endpoints && !o->list_endpoints && access(path, R_OK))
		return NULL;
	struct rtr_endpoints *list = malloc(sizeof(*list));
	char err[512];
	if (!list) {
		*code = rtr_err(RTR_EXIT_ERROR, "out of memory");
		return NULL;
	}
	if (rtr_endpoints_load(list, path, err, sizeof(err))) {
		free(list);
		*code = rtr_err(RTR_EXIT_ERROR, "%s", err);
		return NULL;
	}
	return list;
}

/* TARGET as a literal address, an endpoint NAME, or through the resolver (first answer). */
static int resolve(const struct rtr_opts *o, const char *target, int want, struct rtr_addr *out)
{
	int code;
	struct rtr_endpoints *list = endpoints(o, &code);
	if (code)
		return code;
	const struct rtr_endpoint *ep = list ? rtr_endpoints_find(list, target) : NULL;
	char host[sizeof(ep->host)];
	if (ep) {
		snprintf(host, sizeof(host), "%s", ep->host);
		target = host;
	}
	free(list);
	int fam = rtr_addr_parse(out, target);
	if (fam == 4 || fam == 6) {
		if (want && want != fam)
			return rtr_err(RTR_EXIT_USAGE,
				       "TARGET %s is not an IPv%s address: drop -4/-6", target,
				       want == 4 ? "4" : "6");
		return 0;
	}
	struct addrinfo hints = {.ai_family = want == 4	  ? AF_INET
					      : want == 6 ? AF_INET6
							  : AF_UNSPEC,
				 .ai_socktype = SOCK_DGRAM};
	struct addrinfo *res = NULL;
	int rc = getaddrinfo(target, NULL, &hints, &res);
	if (rc || !res)
		return rtr_err(RTR_EXIT_ERROR, "cannot resolve TARGET %s: %s", target,
			       rc ? gai_strerror(rc) : "no address");
	if (res->ai_family == AF_INET)
		rtr_addr_from_v4(out,
				 (const uint8_t *)&((struct sockaddr_in *)res->ai_addr)->sin_addr);
	else
		rtr_addr_from_v6(
			out, (const uint8_t *)&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr);
	freeaddrinfo(res);
	return 0;
}

static void fill_cfg(struct rtr_engine_cfg *c, const struct rtr_opts *o, int direction, int family,
		     const struct rtr_addr *src, const struct rtr_addr *dst, int engines)
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
	/* --rate is for the whole run: two engines share it. */
	c->interval_ns = o->rate_pps > 0 ? (uint64_t)(1e9 * engines / o->rate_pps) : 0;
	c->random = rtr_net_random;
}

/* Writes the result to f (stdout or the -o file, which it closes). */
static int render(const struct rtr_opts *o, const struct rtr_run *run, FILE *f,
		  struct rtr_text_stream *stream)
{
	int rc = stream			     ? rtr_out_text_finish(stream)
		 : o->format == RTR_FMT_JSON ? rtr_out_json(f, run)
		 : o->format == RTR_FMT_DOT  ? rtr_out_dot(f, run)
		 : o->format == RTR_FMT_SVG  ? rtr_out_graphviz(f, run, "svg")
		 : o->format == RTR_FMT_PNG  ? rtr_out_graphviz(f, run, "png")
					     : rtr_out_text(f, run);
	if (fflush(f) || rc)
		rc = -1;
	if (f != stdout && fclose(f))
		rc = -1;
	if (rc)
		return rtr_err(RTR_EXIT_ERROR, "cannot write the result");
	return 0;
}

/* --transmit: the JSON document, whatever --format was, after the user agreed. */
static int transmit(const struct rtr_opts *o, const struct rtr_run *run)
{
	if (!o->yes && !rtr_transmit_confirm(stdin, stderr, o->transmit)) {
		rtr_warn("result not transmitted");
		return 0;
	}
	char *body = rtr_json_string(run);
	if (!body)
		return rtr_err(RTR_EXIT_ERROR, "out of memory");
	char err[512];
	int rc = rtr_transmit(o->transmit, o->cacert, body, err, sizeof(err));
	free(body);
	if (rc)
		return rtr_err(RTR_EXIT_ERROR, "%s", err);
	return 0;
}

int main(int argc, char **argv)
{
	struct rtr_opts o;
	char err[256];
	rtr_diag_prog("rtr-client");
	if (rtr_cli_parse(&o, argc, argv, err, sizeof(err)))
		return rtr_err(RTR_EXIT_USAGE, "%s", err);
	if (o.help) {
		fputs(rtr_cli_usage(), stdout);
		return 0;
	}
	if (o.version) {
		puts("rtr-client " RTR_CLIENT_VERSION);
		return 0;
	}

	/* --transmit asks on the terminal: without one, and without -y, nobody can answer. */
	if (o.transmit && !o.yes && !isatty(STDIN_FILENO))
		return rtr_err(RTR_EXIT_USAGE, "--transmit asks before sending, but stdin is not a "
					       "terminal: add -y to send without asking");
	/* Said now, not after a trace whose result could then not be sent. */
	if (o.cacert && access(o.cacert, R_OK))
		return rtr_err(RTR_EXIT_ERROR, "cannot read --cacert %s: %s", o.cacert,
			       strerror(errno));

	struct rtr_addr dst, src;
	if (o.list_endpoints) {
		int code;
		struct rtr_endpoints *list = endpoints(&o, &code);
		if (code)
			return code;
		rtr_endpoints_print(stdout, list, o.endpoints ? o.endpoints : RTR_ENDPOINTS_PATH);
		free(list);
		return 0;
	}
	int rc = resolve(&o, o.target, o.family, &dst);
	if (rc)
		return rc;
	int family = rtr_addr_family(&dst);
	if (o.src) {
		int sf = rtr_addr_parse(&src, o.src);
		if (sf != 4 && sf != 6)
			return rtr_err(RTR_EXIT_USAGE, "-s %s is not an IP address: give one",
				       o.src);
		if (sf != family)
			return rtr_err(RTR_EXIT_USAGE,
				       "-s %s and TARGET %s are of different address families",
				       o.src, o.target);
		if (!rtr_net_source_is_local(family, &src))
			return rtr_err(RTR_EXIT_USAGE,
				       "-s %s is not an address of this host: give one of its own",
				       o.src);
	} else if (rtr_net_source(family, o.iface, &dst, &src, err, sizeof(err))) {
		return rtr_err(RTR_EXIT_ERROR, "%s", err);
	}

	/* Multipath forward from TTL 1: our own route says how many first hops there are. A failed
	 * query only means the first hop is probed as any other. */
	unsigned first_hop = 0;
	if (o.multipath && o.mode != RTR_MODE_REVERSE && o.first_ttl == 1) {
		int n = rtr_fib_nexthops(family, &dst, &src, o.iface, err, sizeof(err));
		first_hop = n > 0 ? (unsigned)n : 0;
		/* Linux routes header-included raw packets without their ports: every flow takes
		 * the same one of our own nexthops, so the others cannot be traced from here. */
		if (first_hop >= 2)
			rtr_warn("note: this host's route to %s has %u nexthops; the kernel sends "
				 "every probe by one of them, so the others are not traced",
				 o.target, first_hop);
	}

	struct rtr_net net;
	/* Every file is opened before privileges go: an unwritable -o fails before the trace. */
	FILE *out = stdout;
	if (o.output && !(out = fopen(o.output, "w")))
		return rtr_err(RTR_EXIT_ERROR, "cannot write -o %s: %s", o.output, strerror(errno));
	if (rtr_net_open(&net, family, o.iface, o.pcap, err, sizeof(err)) ||
	    rtr_net_drop_privileges(err, sizeof(err))) {
		rtr_net_close(&net);
		if (out != stdout)
			fclose(out);
		return rtr_err(RTR_EXIT_ERROR, "%s", err);
	}

	int count = 0;
	struct rtr_engine *eng[2] = {NULL, NULL};
	struct rtr_run run = {
		.opts = &o, .family = family, .target = o.target, .src = src, .dst = dst};
	int nengines = o.mode == RTR_MODE_TWO_WAY ? 2 : 1;
	for (int d = 0; d < 2; d++) {
		bool want =
			d == RTR_FORWARD ? o.mode != RTR_MODE_REVERSE : o.mode != RTR_MODE_FORWARD;
		if (!want)
			continue;
		struct rtr_engine *e = calloc(1, sizeof(*e));
		struct rtr_engine_cfg cfg;
		fill_cfg(&cfg, &o, d, family, &src, &dst, nengines);
		struct rtr_mda *m = NULL;
		if (e && o.multipath) {
			/* The engine is a shell that hands everything to the MDA engine. */
			struct rtr_mda_cfg mc = {.base = cfg,
						 .alpha = o.alpha,
						 .max_probes = o.max_probes,
						 .time_limit_ns = (uint64_t)(o.time_limit_s * 1e9),
						 .first_hop_nexthops =
							 d == RTR_FORWARD ? first_hop : 0};
			m = calloc(1, sizeof(*m));
			if (m && rtr_mda_init(m, &mc)) {
				free(m);
				m = NULL;
			}
		}
		if (!e || rtr_engine_init(e, &cfg) || (o.multipath && !m)) {
			rtr_net_close(&net);
			return rtr_err(RTR_EXIT_ERROR, "cannot start the %s trace",
				       d == RTR_FORWARD ? "forward" : "reverse");
		}
		e->mda = m;
		eng[count++] = e;
		if (d == RTR_FORWARD)
			run.fwd = e;
		else
			run.rev = e;
	}

	net.progress = isatty(STDERR_FILENO);
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	gettimeofday(&run.start, NULL);
	/* One singlepath direction as text: each hop printed once settled, as traceroute does. */
	struct rtr_text_stream stream = {.f = out, .run = &run}, *streaming = NULL;
	if (o.format == RTR_FMT_TEXT && !o.multipath && count == 1) {
		streaming = &stream;
		net.on_round = rtr_out_text_round;
		net.round_ctx = streaming;
	}
	rc = rtr_net_run(&net, eng, count, &interrupted, err, sizeof(err));
	rtr_net_close(&net);
	if (rc) {
		free(eng[0]);
		free(eng[1]);
		return rtr_err(RTR_EXIT_ERROR, "%s", err);
	}
	if (run.fwd)
		run.duration_ns[0] = run.fwd->end_ns - run.fwd->start_ns;
	if (run.rev)
		run.duration_ns[1] = run.rev->end_ns - run.rev->start_ns;

	rc = render(&o, &run, out, streaming);
	if (!rc && o.transmit)
		rc = transmit(&o, &run);
	int code = rc ? rc : RTR_EXIT_OK;
	for (int i = 0; i < count; i++) {
		char msg[256];
		const char *m = rtr_stop_message(&run, eng[i], msg, sizeof(msg));
		/* The text table on stdout already ends with it: say it once. */
		if (m && (o.format != RTR_FMT_TEXT || o.output))
			rtr_warn("%s", m);
		/* No server answered: none there, or unreachable (CLI-15). */
		bool unreachable = eng[i]->stop == RTR_STOP_UNREACHABLE &&
				   eng[i]->cfg.direction == RTR_REVERSE && !eng[i]->last_ttl;
		if (!rc && (eng[i]->stop == RTR_STOP_NO_SERVER || unreachable))
			code = RTR_EXIT_NO_SERVER;
		if (!rc && eng[i]->stop == RTR_STOP_INTERRUPTED)
			code = RTR_EXIT_INTERRUPTED;
	}
	for (int i = 0; i < count; i++)
		if (eng[i]->mda) {
			rtr_mda_free(eng[i]->mda);
			free(eng[i]->mda);
		}
	free(eng[0]);
	free(eng[1]);
	return code;
}
