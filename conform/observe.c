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
	s->raw_seq = (uint16_t)(icmp[6] << 8 | icmp[7]);
	s->raw_state = l4 > RTR_RSP_OFF_STATE ? icmp[RTR_RSP_OFF_STATE] : -1;
	s->icmp_len = l4;
	s->ts_ns = p->ts_ns;
	return true;
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

bool obs_is_probe_for(const struct wire_pkt *p, const struct fam_addrs *a, uint8_t proto, int flow)
{
	struct rtr_ip ip;
	int h = rtr_ip_decode(&ip, p->data, p->len, 0);
	if (h < 0 || ip.fragment || ip.proto != proto || !rtr_addr_eq(&ip.src, &a->server) ||
	    !rtr_addr_eq(&ip.dst, &a->client))
		return false;
	size_t l4 = rtr_ip_l4_len(&ip, p->len);
	const uint8_t *t = p->data + h;
	if (proto == RTR_IPPROTO_UDP)
		return l4 >= 8 && (flow < 0 || (t[2] << 8 | t[3]) == flow);
	if (proto == RTR_IPPROTO_TCP)
		return l4 >= 20 && (flow < 0 || (t[2] << 8 | t[3]) == flow) &&
		       (t[13] & RTR_TCP_SYN) && !(t[13] & (RTR_TCP_ACK | RTR_TCP_RST));
	uint8_t echo = ip.family == 4 ? RTR_ICMP4_ECHO_REQUEST : RTR_ICMP6_ECHO_REQUEST;
	return l4 >= 8 && t[0] == echo && (flow < 0 || (t[2] << 8 | t[3]) == flow);
}

int obs_probes_for(const struct obs *o, const struct fam_addrs *a, uint8_t proto, int flow,
		   int *first)
{
	int n = 0;
	if (first)
		*first = -1;
	for (int i = 0; i < o->nr1; i++)
		if (obs_is_probe_for(&o->r1[i], a, proto, flow) && n++ == 0 && first)
			*first = i;
	return n;
}

int obs_any_probe(const struct obs *o, const struct fam_addrs *a)
{
	static const uint8_t protos[] = {RTR_IPPROTO_UDP, RTR_IPPROTO_TCP, RTR_IPPROTO_ICMP,
					 RTR_IPPROTO_ICMPV6};
	int n = 0;
	for (size_t i = 0; i < sizeof(protos); i++)
		n += obs_probes_for(o, a, protos[i], -1, NULL);
	return n;
}

bool obs_is_echo(const struct seen_rsp *s, uint16_t req_seq)
{
	return req_seq != 0 && s->raw_seq == req_seq;
}
