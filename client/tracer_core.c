// SPDX-License-Identifier: BSD-2-Clause
/* tracer_core.c: what both engines do the same way: configuration checks, claims of answers,
 * expiry, the CLI-14 pacing a claim adjusts, and the reverse presence check. */
#include <string.h>

#include "err.h"
#include "request.h"
#include "rtr_wire.h"
#include "tracer_core.h"

const char *rtr_stop_name(int stop)
{
	switch (stop) {
	case RTR_STOP_NONE:
		return "running";
	case RTR_STOP_COMPLETED:
		return "completed";
	case RTR_STOP_GAP_LIMIT:
		return "gap-limit";
	case RTR_STOP_MAX_TTL:
		return "max-ttl";
	case RTR_STOP_UNREACHABLE:
		return "unreachable";
	case RTR_STOP_NO_SERVER:
		return "no-server";
	case RTR_STOP_REFUSED:
		return "refused";
	case RTR_STOP_INTERRUPTED:
		return "interrupted";
	case RTR_STOP_BUDGET:
		return "budget";
	case RTR_STOP_TIME_LIMIT:
		return "time-limit";
	}
	return "unknown";
}

static bool proto_ok(int family, uint8_t proto)
{
	if (proto == RTR_IPPROTO_UDP || proto == RTR_IPPROTO_TCP)
		return true;
	return (family == 4 && proto == RTR_IPPROTO_ICMP) ||
	       (family == 6 && proto == RTR_IPPROTO_ICMPV6);
}

int rtr_core_init(struct rtr_tracer *t, const struct rtr_engine_cfg *cfg)
{
	if (cfg->family != 4 && cfg->family != 6)
		return RTR_E_INVAL;
	if (cfg->direction != RTR_FORWARD && cfg->direction != RTR_REVERSE)
		return RTR_E_INVAL;
	if (!proto_ok(cfg->family, cfg->proto))
		return RTR_E_PROTO;
	if (rtr_addr_family(&cfg->src) != cfg->family || rtr_addr_family(&cfg->dst) != cfg->family)
		return RTR_E_INVAL;
	if (cfg->first_ttl < 1 || cfg->max_ttl < cfg->first_ttl)
		return RTR_E_INVAL;
	if (cfg->probes < 1 || cfg->probes > RTR_ENG_MAX_PROBES)
		return RTR_E_INVAL;
	if (cfg->parallel < 1 || cfg->wait_ns == 0 || !cfg->random)
		return RTR_E_INVAL;

	memset(t, 0, sizeof(*t));
	t->cfg = *cfg;
	t->window = cfg->parallel;
	/* A forward trace needs no server; a reverse one first proves there is one. */
	t->present = cfg->direction == RTR_FORWARD;
	return RTR_OK;
}

uint16_t rtr_core_flow(const struct rtr_tracer *t)
{
	return rtr_request_probe_flow(t->cfg.proto, t->cfg.flow);
}

/* Backoff before send k + 1 of a request: half a wait, doubled for every further send. */
static uint64_t backoff(const struct rtr_tracer *t, const struct rtr_eng_probe *p)
{
	unsigned shift = p->tries > 1 ? p->tries - 1u : 0u;
	return (t->cfg.wait_ns / 2) << (shift < 8 ? shift : 8);
}

bool rtr_core_timed_out(struct rtr_tracer *t, struct rtr_eng_probe *p, uint64_t now)
{
	t->inflight--;
	if (t->may_retry && t->may_retry(t, p)) {
		p->status = RTR_PS_RETRY;
		p->retry_ns = now + backoff(t, p);
	} else {
		p->status = RTR_PS_TIMEOUT;
	}
	return true;
}

/*
 * A request that was sent again has been answered: the server dropped the earlier send (CLI-14).
 * Halve the number in flight and pace sends at half the rate the server has answered so far (at
 * least twice the previous pace), at most once per wait so one burst of losses is one cut.
 */
static void server_drops(struct rtr_tracer *t, uint64_t now)
{
	t->limited = true;
	if (t->last_cut_ns && rtr_core_since(now, t->last_cut_ns) < t->cfg.wait_ns)
		return;
	t->last_cut_ns = now;
	t->window = t->window > 1 ? t->window / 2 : 1;
	t->window_acks = 0;
	uint64_t pace = 2 * rtr_core_since(now, t->first_req_ns) /
			(t->stats.matched ? t->stats.matched : 1);
	if (pace < 2 * t->pace_ns)
		pace = 2 * t->pace_ns;
	t->pace_ns = pace < t->cfg.wait_ns ? pace : t->cfg.wait_ns;
}

/* Every answer from a limiting server opens up again: one more in flight per window of answers,
 * and a pace 1/16 faster. */
static void server_answers(struct rtr_tracer *t)
{
	if (!t->limited)
		return;
	t->pace_ns -= t->pace_ns / 16;
	if (++t->window_acks >= t->window) {
		t->window_acks = 0;
		if (t->window < t->cfg.parallel)
			t->window++;
	}
}

bool rtr_core_claim(struct rtr_tracer *t, struct rtr_eng_probe *p, uint64_t now)
{
	/* An answer arriving at the deadline is late even if poll has not run yet. */
	rtr_core_expire(t, p, now);
	/* Once the trace has ended, its result is fixed: answers to abandoned requests are late. */
	if (t->closed && p->status != RTR_PS_ANSWERED) {
		t->stats.late++;
		return false;
	}
	switch (p->status) {
	case RTR_PS_SENT:
		p->status = RTR_PS_ANSWERED;
		p->rtt_ns = rtr_core_since(now, p->sent_ns);
		t->inflight--;
		t->stats.matched++;
		if (p->tries > 1) {
			t->stats.recovered++;
			server_drops(t, now);
		} else if (p->ttl) {
			server_answers(t);
		}
		return true;
	case RTR_PS_RETRY:
		/* The earlier send was answered after all, only slowly: no new send needed. */
		p->status = RTR_PS_ANSWERED;
		p->rtt_ns = 0;
		t->stats.matched++;
		return true;
	case RTR_PS_ANSWERED:
		p->duplicates++;
		t->stats.duplicates++;
		return false;
	default:
		t->stats.late++;
		return false;
	}
}

int rtr_core_build(struct rtr_tracer *t, struct rtr_eng_probe *p, struct rtr_eng_tx *tx)
{
	memset(tx, 0, sizeof(*tx));
	int rc = t->cfg.direction == RTR_FORWARD ? rtr_core_fwd_build(t, p, tx)
						 : rtr_core_rev_build(t, p, tx);
	if (rc < 0)
		return rc;
	tx->len = (size_t)rc;
	tx->family = t->cfg.family;
	tx->dst = t->cfg.dst;
	tx->ttl = p->ttl;
	return 0;
}

void rtr_core_sent(struct rtr_tracer *t, struct rtr_eng_probe *p, uint64_t now)
{
	p->status = RTR_PS_SENT;
	p->sent_ns = now;
	t->inflight++;
	t->sent_any = true;
	t->last_send_ns = now;
	t->stats.sent++;
}

void rtr_core_close(struct rtr_tracer *t, int reason, unsigned ttl)
{
	t->stop = reason;
	t->last_ttl = (uint8_t)ttl;
	t->closed = true;
	/* What is still in flight will never count (item 8 of issue 13: not "unanswered"). */
	t->stats.abandoned = t->inflight;
}

void rtr_core_presence_expire(struct rtr_tracer *t, uint64_t now)
{
	for (unsigned i = 0; i < t->presence_sent; i++)
		rtr_core_expire(t, &t->presence[i], now);
}

uint64_t rtr_core_presence_deadline(const struct rtr_tracer *t, uint64_t wake)
{
	for (unsigned i = 0; i < t->presence_sent; i++)
		if (t->presence[i].status == RTR_PS_SENT &&
		    t->presence[i].sent_ns + t->cfg.wait_ns < wake)
			wake = t->presence[i].sent_ns + t->cfg.wait_ns;
	return wake;
}

/* Has the presence check decided against the server? The stop reason, or RTR_STOP_NONE. */
static int presence_verdict(const struct rtr_tracer *t)
{
	if (t->kernel_echo)
		return RTR_STOP_NO_SERVER;
	for (unsigned i = 0; i < t->presence_sent; i++)
		if (t->presence[i].status == RTR_PS_ANSWERED &&
		    t->presence[i].verdict == RTR_HOP_UNREACH)
			return RTR_STOP_UNREACHABLE;
	if (t->presence_sent < t->cfg.probes)
		return RTR_STOP_NONE;
	for (unsigned i = 0; i < t->presence_sent; i++)
		if (t->presence[i].status == RTR_PS_SENT)
			return RTR_STOP_NONE;
	return RTR_STOP_NO_SERVER;
}

int rtr_core_presence_poll(struct rtr_tracer *t, uint64_t now, struct rtr_eng_tx *tx,
			   uint64_t *wake_ns)
{
	rtr_core_presence_expire(t, now);
	int why = t->stop == RTR_STOP_NONE ? presence_verdict(t) : RTR_STOP_NONE;
	if (why != RTR_STOP_NONE)
		rtr_core_close(t, why, 0);
	if (t->stop != RTR_STOP_NONE)
		return RTR_ENG_DONE;
	uint64_t wake = UINT64_MAX;
	/* One presence request at a time: the first answer decides. */
	bool waiting = t->presence_sent && t->presence[t->presence_sent - 1].status == RTR_PS_SENT;
	if (!waiting && t->presence_sent < t->cfg.probes) {
		uint64_t slot = rtr_core_slot(t, now, t->cfg.interval_ns);
		if (now >= slot) {
			struct rtr_eng_probe *p = &t->presence[t->presence_sent];
			p->ttl = 0;
			p->flow = rtr_core_flow(t);
			if (rtr_core_build(t, p, tx) < 0) {
				/* Cannot happen with a checked cfg; never loop on it. */
				rtr_core_close(t, RTR_STOP_INTERRUPTED, 0);
				return RTR_ENG_DONE;
			}
			rtr_core_sent(t, p, now);
			t->presence_sent++;
			return RTR_ENG_SEND;
		}
		wake = slot;
	}
	*wake_ns = rtr_core_presence_deadline(t, wake);
	return RTR_ENG_WAIT;
}
