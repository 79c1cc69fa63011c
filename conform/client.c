// SPDX-License-Identifier: BSD-2-Clause
/* client.c: rtr-conform client mode: a scripted responder on the target node and wire checks. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "checksum.h"
#include "conform.h"
#include "craft.h"
#include "diag.h"
#include "err.h"
#include "ip.h"
#include "lab.h"
#include "report.h"
#include "request.h"
#include "response.h"
#include "rtr_wire.h"

int client_mode(struct conform *c, struct lab *lab, const char *cmd, struct report *rep);

#define RUN_MS 30000 /* bound on one client run */
#define MAX_REQ 512
#define DEST_TTL 6 /* the trace scenario's hop at this TTL is the client itself */
#define RATE_PPS 4 /* given as {rate}: slow enough that a trace needs more than a second */
/*
 * The responder answers HOLD_MS after a request arrives, together with whatever else arrived
 * meanwhile: requests sent before an answer can have arrived are then provably pending at
 * once (client-identifiers), however fast the machine.
 */
#define HOLD_MS 20

enum scenario {
	SC_TRACE, /* presence state 1; TTL 1-5 transit hops; TTL DEST_TTL the client itself */
	SC_ECHO,  /* every request comes back as the target kernel would echo it */
	SC_STATE, /* presence state 1; every other request refused with state 4 */
};

struct seen_req {
	uint64_t ts_ns;
	uint64_t answered_ns; /* when the responder answered it (0: never) */
	uint8_t raw[1024];    /* its ICMP bytes (cut to fit), for the kernel-echo scenario */
	size_t rawlen;
	int err; /* rtr_request_decode */
	struct rtr_request rq;
};

struct cl_run {
	struct conform *c;
	const struct fam_addrs *a;
	int fam;
	int sc;
	struct seen_req req[MAX_REQ];
	int nreq;
	int status;	 /* wait status of the client */
	char out[16384]; /* what the client printed (stdout and stderr), cut to fit */
	bool finished;
};

enum mangle { M_NONE, M_CHECKSUM, M_STATE7, M_OTHER_IDENT, M_OTHER_SRC };

/* The noise sent before every genuine response of the trace scenario, and its hop addresses. */
#define NOISE 4
static const struct {
	int mangle;
	const char *what;
	const char *hop[2];
} noise[NOISE] = {
	{M_OTHER_IDENT, "a response to another identifier", {"203.0.113.99", "2001:db8::99"}},
	{M_CHECKSUM, "a response with a corrupt checksum", {"203.0.113.98", "2001:db8::98"}},
	{M_STATE7, "a malformed response (state 7)", {"203.0.113.97", "2001:db8::97"}},
	{M_OTHER_SRC,
	 "a response from an address that is not the server",
	 {"203.0.113.96", "2001:db8::96"}},
};

static void reply(struct cl_run *x, const struct rtr_response *rsp, int mangle)
{
	/*
	 * From another address of the server's link (r1 drops its own addresses as martians):
	 * not an answer of this server.
	 */
	struct rtr_addr other;
	rtr_addr_parse(&other, x->fam == 4 ? "10.201.2.3" : "fd00:201:2::3");
	const struct rtr_addr *src = mangle == M_OTHER_SRC ? &other : &x->a->server;
	struct rtr_l3 l3 = {.family = (uint8_t)x->fam, .src = *src, .dst = x->a->client};
	uint8_t icmp[64], pkt[128];
	int n = rtr_response_encode(icmp, sizeof(icmp), &l3, rsp);
	if (n < 0)
		return;
	if (mangle == M_CHECKSUM) {
		icmp[3] ^= 0x01;
	} else if (mangle == M_STATE7) {
		/* State 7 does not exist (RTR_E_STATE): a malformed response, checksum valid. */
		icmp[RTR_RSP_OFF_STATE] = 7;
		icmp[2] = icmp[3] = 0;
		uint32_t ps = x->fam == 6 ? rtr_csum_pseudo(6, &x->a->server, &x->a->client,
							    RTR_IPPROTO_ICMPV6, (uint32_t)n)
					  : 0;
		uint16_t ck = rtr_csum_fold(rtr_csum_add(ps, icmp, (size_t)n));
		icmp[2] = (uint8_t)(ck >> 8);
		icmp[3] = (uint8_t)ck;
	}
	int len =
		craft_ip(pkt, sizeof(pkt), x->fam, src, &x->a->client,
			 x->fam == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6, 64, icmp, (size_t)n);
	if (len > 0)
		wire_tx_send(&x->c->tx_server, pkt, (size_t)len);
}

/* The kernel echo: type 0/129 code 1, the request's own bytes (so its sequence). */
static void echo_back(struct cl_run *x, const uint8_t *icmp, size_t len)
{
	uint8_t e[1500], pkt[1600];
	if (len > sizeof(e))
		return;
	memcpy(e, icmp, len);
	e[0] = x->fam == 4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY;
	e[2] = e[3] = 0;
	uint32_t ps = x->fam == 6 ? rtr_csum_pseudo(6, &x->a->server, &x->a->client,
						    RTR_IPPROTO_ICMPV6, (uint32_t)len)
				  : 0;
	uint16_t ck = rtr_csum_fold(rtr_csum_add(ps, e, len));
	e[2] = (uint8_t)(ck >> 8);
	e[3] = (uint8_t)ck;
	int n = craft_ip(pkt, sizeof(pkt), x->fam, &x->a->server, &x->a->client,
			 x->fam == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6, 64, e, len);
	if (n > 0)
		wire_tx_send(&x->c->tx_server, pkt, (size_t)n);
}

static void hop_addr(struct cl_run *x, int ttl, struct rtr_addr *hop)
{
	if (ttl >= DEST_TTL) {
		*hop = x->a->client;
		return;
	}
	/* Documentation addresses: only bytes inside responses, never sent to. */
	char t[48];
	snprintf(t, sizeof(t), x->fam == 4 ? "198.51.100.%d" : "2001:db8::%d", ttl);
	rtr_addr_parse(hop, t);
}

/* Records a captured request; returns its index, or -1 when the packet is no request. */
static int on_request(struct cl_run *x, const struct wire_pkt *p)
{
	struct rtr_ip ip;
	int h = rtr_ip_decode(&ip, p->data, p->len, 0);
	uint8_t icmp_proto = x->fam == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	uint8_t echo = x->fam == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST;
	if (h < 0 || ip.family != x->fam || ip.proto != icmp_proto ||
	    !rtr_addr_eq(&ip.dst, &x->a->server))
		return -1;
	size_t l4 = rtr_ip_l4_len(&ip, p->len);
	const uint8_t *icmp = p->data + h;
	if (l4 < 2 || icmp[0] != echo || icmp[1] != RTR_CODE_RTR || x->nreq == MAX_REQ)
		return -1;
	struct seen_req *s = &x->req[x->nreq];
	struct rtr_l3 l3 = {.family = ip.family, .src = ip.src, .dst = ip.dst};
	s->ts_ns = p->ts_ns;
	s->err = rtr_request_decode(&s->rq, &l3, icmp, l4);
	s->rawlen = l4 < sizeof(s->raw) ? l4 : sizeof(s->raw);
	memcpy(s->raw, icmp, s->rawlen);
	return x->nreq++;
}

/* Answers request i as the scenario says (malformed requests get nothing). */
static void answer(struct cl_run *x, int i)
{
	struct seen_req *s = &x->req[i];
	if (s->err < 0)
		return;
	const struct rtr_request *rq = &s->rq;
	s->answered_ns = wire_now_ns();
	if (x->sc == SC_ECHO) {
		echo_back(x, s->raw, s->rawlen);
		return;
	}
	struct rtr_response rsp = {.ident = rq->ident};
	if (rq->ttl == 0) {
		rsp.state = RTR_STATE_TTL;
		reply(x, &rsp, M_NONE);
		return;
	}
	if (x->sc == SC_STATE) {
		rsp.state = RTR_STATE_EXTENSION;
		rsp.value = 0x0500;
		reply(x, &rsp, M_NONE);
		return;
	}
	/*
	 * Noise first, each with a hop address of its own so a verdict names the one a client
	 * took: a response to another identifier, one with a bad checksum, one with state 7
	 * (malformed), and one from an address that is not the server.
	 */
	for (int n = 0; n < NOISE; n++) {
		struct rtr_response bad = {.ident = rq->ident, .rtt_ns = 1000};
		rtr_addr_parse(&bad.hop, noise[n].hop[x->fam == 4 ? 0 : 1]);
		if (noise[n].mangle == M_OTHER_IDENT)
			bad.ident = (uint16_t)(rq->ident ^ 0x8001);
		reply(x, &bad, noise[n].mangle);
	}
	rsp.state = RTR_STATE_OK;
	hop_addr(x, rq->ttl, &rsp.hop);
	rsp.rtt_ns = 1000000u * rq->ttl;
	reply(x, &rsp, M_NONE);
}

static void run_client(struct cl_run *x, struct lab *lab, const char *cmd)
{
	char target[RTR_ADDR_STRLEN], full[4096], logp[] = "/tmp/rtr-conform-cli.XXXXXX";
	rtr_addr_format(&x->a->server, target, sizeof(target));
	char rate[16];
	snprintf(rate, sizeof(rate), "%d", RATE_PPS);
	const char *kv[] = {"target", target, "rate", rate, NULL};
	if (lab_subst(full, sizeof(full), cmd, kv) < 0)
		return;
	int fd = mkstemp(logp);
	if (fd >= 0)
		close(fd);
	struct wire_pkt p;
	while (wire_cap_read(&x->c->cap_server, &p) == 1)
		;
	pid_t pid = lab_spawn(lab, "client", full, logp);
	uint64_t end = wire_now_ns() + (uint64_t)RUN_MS * 1000000ull;
	int first = -1; /* the oldest request not answered yet */
	uint64_t due = 0;
	while (pid > 0 && wire_now_ns() < end && !conform_stop) {
		uint64_t now = wire_now_ns();
		int wait = first < 0 ? 50 : due > now ? (int)((due - now) / 1000000) + 1 : 0;
		int rc = wire_cap_next(&x->c->cap_server, &p, wait);
		int i = rc == 1 ? on_request(x, &p) : -1;
		if (i >= 0 && first < 0) {
			first = i;
			due = wire_now_ns() + HOLD_MS * 1000000ull;
		}
		if (first >= 0 && wire_now_ns() >= due) {
			for (int j = first; j < x->nreq; j++)
				answer(x, j);
			first = -1;
		}
		if (waitpid(pid, &x->status, WNOHANG) == pid) {
			x->finished = true;
			break;
		}
	}
	if (!x->finished)
		lab_stop(pid);
	FILE *lf = fopen(logp, "r");
	if (lf) {
		size_t n = fread(x->out, 1, sizeof(x->out) - 1, lf);
		x->out[n] = 0;
		fclose(lf);
	}
	if (x->c->verbose) {
		char *save = NULL;
		char copy[sizeof(x->out)];
		memcpy(copy, x->out, sizeof(copy));
		for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			fprintf(stderr, "client: %s\n", l);
	}
	unlink(logp);
}

/* Where `want` appears in text as a whole address ("2001:db8::1" is no match in "...::19"). */
static const char *find_addr(const char *text, const char *want)
{
	size_t l = strlen(want);
	const char *p = text;
	while ((p = strstr(p, want))) {
		bool left = p == text ||
			    !(isxdigit((unsigned char)p[-1]) || p[-1] == ':' || p[-1] == '.');
		char n = p[l];
		if (left && !(isxdigit((unsigned char)n) || n == ':' ||
			      (n == '.' && isdigit((unsigned char)p[l + 1]))))
			return p;
		p += l;
	}
	return NULL;
}

/* Number of the genuine hops 1-5 the client's output names in order. */
static int hops_in_order(const struct cl_run *x)
{
	const char *at = x->out;
	for (int ttl = 1; ttl < DEST_TTL; ttl++) {
		struct rtr_addr hop;
		char want[RTR_ADDR_STRLEN];
		hop_addr((struct cl_run *)x, ttl, &hop);
		rtr_addr_format(&hop, want, sizeof(want));
		const char *p = find_addr(at, want);
		if (!p)
			return ttl - 1;
		at = p + strlen(want);
	}
	return DEST_TTL - 1;
}

/* The hops a text report should show in order (SHOULD: output formats differ). */
static void check_output(const struct cl_run *x, struct result *r)
{
	int n = hops_in_order(x);
	if (n < DEST_TTL - 1) {
		struct rtr_addr hop;
		char want[RTR_ADDR_STRLEN];
		hop_addr((struct cl_run *)x, n + 1, &hop);
		rtr_addr_format(&hop, want, sizeof(want));
		result_fail(r,
			    "expected hop %d (%s) in the client's output after hop %d, not found",
			    n + 1, want, n);
	}
}

/* A corrupt or foreign response must never become a hop (MUST), judged on the output. */
static void check_noise(const struct cl_run *x, struct result *r)
{
	for (int n = 0; n < NOISE; n++) {
		const char *hop = noise[n].hop[x->fam == 4 ? 0 : 1];
		if (find_addr(x->out, hop))
			result_fail(r, "the client showed %s, the hop of %s", hop, noise[n].what);
	}
	if (r->verdict != V_FAIL && hops_in_order(x) == 0)
		result_inconclusive(r, "the client's output names no hop at all, genuine or not");
}

static int exit_code(const struct cl_run *x)
{
	return x->finished && WIFEXITED(x->status) ? WEXITSTATUS(x->status) : -1;
}

/* Counts requests that decode; fewer than `need` makes r INCONCLUSIVE. True when enough. */
static bool enough(const struct cl_run *x, struct result *r, int need, bool beyond_ttl0)
{
	int n = 0;
	for (int i = 0; i < x->nreq; i++)
		if (x->req[i].err >= 0 && (!beyond_ttl0 || x->req[i].rq.ttl != 0))
			n++;
	if (n >= need)
		return true;
	result_inconclusive(r, "%d well-formed requests%s seen, %d needed to judge", n,
			    beyond_ttl0 ? " with TTL > 0" : "", need);
	return false;
}

/*
 * Finds the first two well-formed requests *i < *j with one identifier; with pending_only, only
 * when j was sent before i was answered. True when found.
 */
static bool shared_ident(const struct cl_run *x, bool pending_only, int *i, int *j)
{
	for (*i = 0; *i < x->nreq; (*i)++)
		for (*j = *i + 1; *j < x->nreq; (*j)++) {
			const struct seen_req *a = &x->req[*i], *b = &x->req[*j];
			if (a->err >= 0 && b->err >= 0 && a->rq.ident == b->rq.ident &&
			    (!pending_only || !a->answered_ns || b->ts_ns < a->answered_ns))
				return true;
		}
	return false;
}

static void check_wire(struct cl_run *x, struct report *rep, const char *sfx)
{
	char name[64];
	snprintf(name, sizeof(name), "client-request-format-%s", sfx);
	struct result *r = report_add(rep, name, "REQ-1 REQ-2", true, L_DRAFT);
	int bad = 0;
	for (int i = 0; i < x->nreq; i++)
		if (x->req[i].err < 0 && bad++ == 0)
			result_fail(r,
				    "request %d does not decode: %s (expected type %d code 1, a "
				    "valid checksum, >= 12 bytes)",
				    i + 1, rtr_strerror(x->req[i].err), x->fam == 4 ? 8 : 128);
	if (x->nreq == 0)
		result_fail(r, "expected requests at the target, seen none");

	snprintf(name, sizeof(name), "client-presence-check-%s", sfx);
	r = report_add(rep, name, "RSP-6 CLI-1", false, L_DRAFT);
	if (enough(x, r, 1, false) && (x->req[0].err < 0 || x->req[0].rq.ttl != 0))
		result_fail(r, "expected the first request to have TTL 0, seen TTL %d",
			    x->req[0].err < 0 ? -1 : x->req[0].rq.ttl);

	snprintf(name, sizeof(name), "client-nonzero-sequence-%s", sfx);
	r = report_add(rep, name, "RSP-7 CLI-1", false, L_PROFILE);
	for (int i = 0; enough(x, r, 1, false) && i < x->nreq; i++)
		if (x->req[i].err >= 0 && x->req[i].rq.seq == 0) {
			result_fail(r,
				    "request %d has sequence 0: a kernel echo cannot be told "
				    "from a server",
				    i + 1);
			break;
		}

	/* The rest needs a trace: a client rightly stops after a kernel echo or an error. */
	if (x->sc != SC_TRACE)
		return;
	snprintf(name, sizeof(name), "client-flow-constant-%s", sfx);
	r = report_add(rep, name, "PRB-1 section-2", true, L_DRAFT);
	const struct rtr_request *first = NULL;
	for (int i = 0; enough(x, r, 2, true) && i < x->nreq; i++) {
		const struct rtr_request *q = &x->req[i].rq;
		if (x->req[i].err < 0 || q->ttl == 0)
			continue;
		if (!first)
			first = q;
		else if (q->proto != first->proto || q->flow != first->flow) {
			result_fail(r,
				    "one singlepath trace: expected protocol %u flow %u in every "
				    "request, request %d has %u/%u",
				    first->proto, first->flow, i + 1, q->proto, q->flow);
			break;
		}
	}

	/* Draft: no identifier is shared by two requests pending at once. */
	int i, j;
	snprintf(name, sizeof(name), "client-identifiers-%s", sfx);
	r = report_add(rep, name, "section-2 RSP-2", true, L_DRAFT);
	if (enough(x, r, 2, false) && shared_ident(x, true, &i, &j))
		result_fail(r,
			    "requests %d and %d (TTL %u and %u) share identifier 0x%04x while the "
			    "first is still unanswered: their responses cannot be told apart",
			    i + 1, j + 1, x->req[i].rq.ttl, x->req[j].rq.ttl, x->req[i].rq.ident);
	/* Profile: every request of a run has an identifier of its own (CLI-2). */
	snprintf(name, sizeof(name), "client-identifiers-unique-%s", sfx);
	r = report_add(rep, name, "CLI-2", true, L_PROFILE);
	if (enough(x, r, 2, false) && shared_ident(x, false, &i, &j))
		result_fail(
			r,
			"requests %d and %d (TTL %u and %u) reuse identifier 0x%04x; rtr-client "
			"draws a new one per request",
			i + 1, j + 1, x->req[i].rq.ttl, x->req[j].rq.ttl, x->req[i].rq.ident);
}

/* At most RATE_PPS + 1 requests in any one-second window (one request of burst). */
static void check_rate(const struct cl_run *x, struct result *r, bool asked)
{
	if (!asked) {
		result_na(r, "the client command has no {rate} placeholder");
		return;
	}
	int worst = 0;
	for (int i = 0; i < x->nreq; i++) {
		int n = 0;
		for (int j = i; j < x->nreq && x->req[j].ts_ns < x->req[i].ts_ns + 1000000000ull;
		     j++)
			n++;
		if (n > worst)
			worst = n;
	}
	if (worst > RATE_PPS + 1)
		result_fail(r,
			    "{rate} was %d/s: expected at most %d requests in any second, seen %d",
			    RATE_PPS, RATE_PPS + 1, worst);
	else if (x->nreq <= RATE_PPS + 1)
		result_inconclusive(r,
				    "{rate} was %d/s: only %d requests seen, too few to judge the "
				    "rate",
				    RATE_PPS, x->nreq);
}

/* A crash, a sanitizer report or an interpreter's traceback in what the client printed. */
static const char *crash_text(const struct cl_run *x)
{
	static const char *const marks[] = {"Traceback (most recent call last)",
					    "AddressSanitizer",
					    "runtime error:",
					    "Segmentation fault",
					    "core dumped",
					    "panicked at"};
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (strstr(x->out, marks[i]))
			return marks[i];
	return NULL;
}

/* The cases judged on one client run of scenario sc. */
static void judge_run(struct cl_run *x, struct report *rep, const char *cmd, const char *sfx)
{
	char name[64];
	int ex = exit_code(x);
	check_wire(x, rep, sfx);
	if (x->sc == SC_TRACE) {
		snprintf(name, sizeof(name), "client-ttl-sequence-%s", sfx);
		struct result *r = report_add(rep, name, "section-1", true, L_DRAFT);
		bool have[DEST_TTL + 1] = {false};
		for (int i = 0; i < x->nreq; i++)
			if (x->req[i].err >= 0 && x->req[i].rq.ttl <= DEST_TTL)
				have[x->req[i].rq.ttl] = true;
		for (int t = 1; t <= DEST_TTL; t++)
			if (!have[t])
				result_fail(r, "expected a request with TTL %d, seen none", t);
		snprintf(name, sizeof(name), "client-noise-rejected-%s", sfx);
		r = report_add(rep, name, "RSP-1 section-3 CLI-2", true, L_DRAFT);
		if (enough(x, r, 1, true))
			check_noise(x, r);
		snprintf(name, sizeof(name), "client-hops-shown-%s", sfx);
		r = report_add(rep, name, "section-3", false, L_DRAFT);
		if (enough(x, r, 1, true))
			check_output(x, r);
		snprintf(name, sizeof(name), "client-rate-%s", sfx);
		r = report_add(rep, name, "section-7", false, L_PROFILE);
		check_rate(x, r, strstr(cmd, "{rate}") != NULL);
		snprintf(name, sizeof(name), "client-exit-%s", sfx);
		r = report_add(rep, name, "RSP-5 RSP-6", true, L_DRAFT);
		if (enough(x, r, 1, true) && ex != 0)
			result_fail(r,
				    "a complete trace (hops 1-5, then the client itself; noise "
				    "ignored): expected exit 0, seen %d",
				    ex);
	} else if (x->sc == SC_ECHO) {
		snprintf(name, sizeof(name), "client-exit-%s", sfx);
		struct result *r = report_add(rep, name, "RSP-7 CLI-1", false, L_PROFILE);
		if (enough(x, r, 1, false) && ex <= 0)
			result_fail(
				r,
				"only kernel echoes, no server: expected a non-zero exit, seen %d",
				ex);
	} else {
		snprintf(name, sizeof(name), "client-terminates-%s", sfx);
		struct result *r = report_add(rep, name, "section-3.1", true, L_DRAFT);
		const char *crash = crash_text(x);
		if (crash)
			result_fail(r, "the client printed \"%s\": it crashed", crash);
		else if (ex < 0 && x->finished)
			result_fail(r, "the client was killed by signal %d",
				    WIFSIGNALED(x->status) ? WTERMSIG(x->status) : -1);
		else if (ex < 0)
			result_fail(r,
				    "every hop refused with state 4: expected the client to end "
				    "within %d s, it did not",
				    RUN_MS / 1000);
		else if (ex > 125)
			result_fail(r, "the client crashed or was not found (exit %d)", ex);
		else if (enough(x, r, 1, false) && ex != 0)
			result_fail(r,
				    "every hop refused with state 4 is an answer, not an error: "
				    "expected exit 0, seen %d",
				    ex);
	}
}

int client_mode(struct conform *c, struct lab *lab, const char *cmd, struct report *rep)
{
	/* The target's kernel must not echo requests: only the scripted responder answers. */
	char log[] = "/tmp/rtr-conform-nft.XXXXXX";
	int fd = c->listing ? -1 : mkstemp(log);
	if (fd >= 0)
		close(fd);
	pid_t nft = c->listing ? 0
			       : lab_spawn(lab, "server",
					   "nft 'add table inet rtrconform' && nft 'add chain inet "
					   "rtrconform in { type filter hook input priority 0; }' "
					   "&& nft 'add rule inet rtrconform in icmp type "
					   "echo-request icmp code 1 drop' && nft 'add rule inet "
					   "rtrconform in icmpv6 type echo-request icmpv6 code 1 "
					   "drop'",
					   log);
	int st = 0;
	if (!c->listing &&
	    (nft < 0 || waitpid(nft, &st, 0) != nft || !WIFEXITED(st) || WEXITSTATUS(st) != 0)) {
		rtr_warn("nft on the target node failed");
		unlink(log);
		return -1;
	}
	if (!c->listing)
		unlink(log);
	struct cl_run *x = malloc(sizeof(*x));
	if (!x)
		return -1;
	static const char *const scn[] = {"trace", "kernel-echo", "error-state"};
	for (int fi = 0; fi < 2 && !conform_stop; fi++) {
		if (!(c->families & (1 << fi)))
			continue;
		int fam = fi == 0 ? 4 : 6;
		for (int sc = SC_TRACE; sc <= SC_STATE && !conform_stop; sc++) {
			memset(x, 0, sizeof(*x));
			x->c = c;
			x->a = &c->a[fi];
			x->fam = fam;
			x->sc = sc;
			char sfx[32], pat[40];
			snprintf(sfx, sizeof(sfx), "%s-v%d", scn[sc], fam);
			snprintf(pat, sizeof(pat), "*-%s", sfx);
			/* A run whose cases are all left out by --only/--skip is not played. */
			struct report probe = {.mode = "client"};
			judge_run(x, &probe, cmd, sfx);
			bool any = false;
			for (int i = 0; i < probe.n && !any; i++)
				any = case_selected(&c->filter, probe.r[i].name, probe.r[i].reqs);
			report_free(&probe);
			if (!any)
				continue;
			if (!c->listing)
				run_client(x, lab, cmd);
			judge_run(x, rep, cmd, sfx);
			if (c->verbose && !c->listing)
				fprintf(stderr, "client run %s: %d requests, exit %d\n", sfx,
					x->nreq, exit_code(x));
		}
	}
	free(x);
	return 0;
}
