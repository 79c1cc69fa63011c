// SPDX-License-Identifier: BSD-2-Clause
/* observe.c: gathers packets from both captures and classifies them with proto/'s decoders. */
#include "observe.h"

#include <poll.h>
#include <string.h>

#include "err.h"
#include "rtr_wire.h"

void obs_flush(struct conform *c)
{
	struct wire_pkt p;
	while (wire_cap_read(&c->cap_client, &p) == 1)
		;
	while (wire_cap_read(&c->cap_r1, &p) == 1)
		;
}

void obs_gather(struct conform *c, struct obs *o, int ms, bool (*until)(const struct obs *, void *),
		void *arg)
{
	uint64_t end = wire_now_ns() + (uint64_t)ms * 1000000ull;
	for (;;) {
		bool got = false;
		int n;
		while (o->ncl < OBS_MAX &&
		       (n = wire_cap_read(&c->cap_client, &o->cl[o->ncl])) == 1) {
			o->ncl++;
			got = true;
		}
		while (o->nr1 < OBS_MAX && (n = wire_cap_read(&c->cap_r1, &o->r1[o->nr1])) == 1) {
			o->nr1++;
			got = true;
		}
		if (got && until && until(o, arg))
			return;
		uint64_t now = wire_now_ns();
		if (now >= end)
			return;
		struct pollfd pfd[2] = {{.fd = c->cap_client.fd, .events = POLLIN},
					{.fd = c->cap_r1.fd, .events = POLLIN}};
		poll(pfd, 2, (int)((end - now + 999999) / 1000000));
	}
}

bool obs_is_response(const struct wire_pkt *p, int family, uint16_t ident, struct seen_rsp *s)
{
	memset(s, 0, sizeof(*s));
	int h = rtr_ip_decode(&s->ip, p->data, p->len, 0);
	if (h < 0 || s->ip.family != family || s->ip.fragment)
		return false;
	uint8_t want = family == 4 ? RTR_IPPROTO_ICMP : RTR_IPPROTO_ICMPV6;
	uint8_t type = family == 4 ? RTR_ICMP4_ECHO_REPLY : RTR_ICMP6_ECHO_REPLY;
	size_t l4 = rtr_ip_l4_len(&s->ip, p->len);
	const uint8_t *icmp = p->data + h;
	if (s->ip.proto != want || l4 < 8 || icmp[0] != type || icmp[1] != RTR_CODE_RTR)
		return false;
	if ((uint16_t)(icmp[4] << 8 | icmp[5]) != ident)
		return false;
	struct rtr_l3 l3 = {.family = (uint8_t)family, .src = s->ip.src, .dst = s->ip.dst};
	s->err = rtr_response_decode(&s->rsp, &l3, icmp, l4);
	s->icmp_len = l4;
	s->ts_ns = p->ts_ns;
	return true;
}

bool obs_is_probe(const struct wire_pkt *p, const struct rtr_addr *src, struct rtr_probe_seen *s)
{
	memset(s, 0, sizeof(*s));
	if (rtr_probe_decode(s, p->data, p->len, 0) != RTR_OK)
		return false;
	return rtr_addr_eq(&s->src, src);
}

int obs_responses(const struct obs *o, int family, uint16_t ident, struct seen_rsp *first)
{
	int n = 0;
	struct seen_rsp s;
	for (int i = 0; i < o->ncl; i++)
		if (obs_is_response(&o->cl[i], family, ident, &s)) {
			if (n++ == 0 && first)
				*first = s;
		}
	return n;
}

int obs_probes(const struct obs *o, const struct rtr_addr *src, int *first)
{
	int n = 0;
	struct rtr_probe_seen s;
	if (first)
		*first = -1;
	for (int i = 0; i < o->nr1; i++)
		if (obs_is_probe(&o->r1[i], src, &s)) {
			if (n++ == 0 && first)
				*first = i;
		}
	return n;
}
