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

#include "campaign.h"
#include "cli.h"
#include "diag.h"
#include "endpoints.h"
#include "tracer.h"
#include "net.h"
#include "output.h"
#include "rtr_wire.h"
#include "trace.h"
#include "transmit.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Writes the result to f (stdout or the -o file, which it closes). */
static int render(const struct rtr_opts *o, const struct rtr_run *run, FILE *f,
		  struct rtr_text_stream *stream)
{
	int rc = stream			      ? rtr_out_text_finish(stream)
		 : o->format == RTR_FMT_JSON  ? rtr_out_json(f, run)
		 : o->format == RTR_FMT_JSONL ? rtr_out_jsonl(f, run)
		 : o->format == RTR_FMT_DOT   ? rtr_out_dot(f, run)
		 : o->format == RTR_FMT_SVG   ? rtr_out_graphviz(f, run, "svg")
		 : o->format == RTR_FMT_PNG   ? rtr_out_graphviz(f, run, "png")
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
		char path[4096];
		struct rtr_endpoints *list =
			rtr_trace_endpoints(&o, true, path, sizeof(path), &code, err, sizeof(err));
		if (!list)
			return rtr_err(code, "%s", err);
		rtr_endpoints_print(stdout, list, path);
		free(list);
		return 0;
	}
	if (rtr_cli_is_campaign(&o)) {
		struct sigaction sa = {.sa_handler = on_signal};
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		return rtr_campaign_main(&o, &interrupted);
	}
	int code;
	struct rtr_endpoints *list =
		rtr_trace_endpoints(&o, false, NULL, 0, &code, err, sizeof(err));
	if (code)
		return rtr_err(code, "%s", err);
	int rc = rtr_trace_resolve(list, o.target, o.family, &dst, err, sizeof(err));
	free(list);
	if (rc)
		return rtr_err(rc, "%s", err);
	int family = rtr_addr_family(&dst);
	rc = rtr_trace_source(&o, family, o.target, &dst, &src, err, sizeof(err));
	if (rc)
		return rtr_err(rc, "%s", err);

	struct rtr_net net;
	/* Every file is opened before privileges go: an unwritable -o fails before the trace. */
	FILE *out = stdout;
	if (o.output && !(out = fopen(o.output, "w")))
		return rtr_err(RTR_EXIT_ERROR, "cannot write -o %s: %s", o.output, strerror(errno));
	if (rtr_net_open(&net, family, o.iface, rtr_cli_tcp_answers(&o), o.pcap, err,
			 sizeof(err)) ||
	    rtr_net_drop_privileges(err, sizeof(err))) {
		rtr_net_close(&net);
		if (out != stdout)
			fclose(out);
		return rtr_err(RTR_EXIT_ERROR, "%s", err);
	}

	struct rtr_tracer *eng[2] = {NULL, NULL};
	struct rtr_run run = {
		.opts = &o, .family = family, .target = o.target, .src = src, .dst = dst};
	int count = rtr_trace_engines(&run, eng, o.rate_pps, rtr_trace_first_hop(&run));
	if (count < 0) {
		rtr_net_close(&net);
		return rtr_err(RTR_EXIT_ERROR, "cannot start the trace");
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
		rtr_trace_free(eng, count);
		return rtr_err(RTR_EXIT_ERROR, "%s", err);
	}
	if (run.fwd)
		run.duration_ns[0] = run.fwd->end_ns - run.fwd->start_ns;
	if (run.rev)
		run.duration_ns[1] = run.rev->end_ns - run.rev->start_ns;

	rc = render(&o, &run, out, streaming);
	if (!rc && o.transmit)
		rc = transmit(&o, &run);
	code = rc ? rc : RTR_EXIT_OK;
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
	rtr_trace_free(eng, count);
	return code;
}
