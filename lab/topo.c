// SPDX-License-Identifier: BSD-2-Clause
/* topo.c: parses and checks a lab topology file (the format is described in docs/LAB.md). */
#include "topo.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MAX_TOKENS 160
#define LINE_MAX_LEN 1024

struct parser {
	struct topo *t;
	const char *file;
	int line;
	char *err;
	char *tok[MAX_TOKENS];
	int n_tok;
	char buf[LINE_MAX_LEN + MAX_TOKENS]; /* every byte of a line, and a NUL after each token */
};

static int fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(p->err, TOPO_ERR_MAX, "%s:%d: ", p->file, p->line);

	if (n < 0 || n >= TOPO_ERR_MAX)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, TOPO_ERR_MAX - n, fmt, ap);
	va_end(ap);
	return -1;
}

int topo_find_node(const struct topo *t, const char *name)
{
	for (int i = 0; i < t->n_nodes; i++)
		if (!strcmp(t->nodes[i].name, name))
			return i;
	return -1;
}

static int find_if(const struct topo_node *n, const char *name)
{
	for (int i = 0; i < n->n_ifs; i++)
		if (!strcmp(n->ifs[i].name, name))
			return i;
	return -1;
}

const char *topo_fmt_addr(const struct topo_prefix *p, char *buf, size_t len)
{
	if (!inet_ntop(p->family, p->addr, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

const struct topo_prefix *topo_primary(const struct topo *t, int node, int family)
{
	const struct topo_node *n = &t->nodes[node];

	/* Interfaces facing links come first, in declaration order; lo (index 0) last. */
	for (int k = 1; k <= n->n_ifs; k++) {
		const struct topo_if *f = &n->ifs[k % n->n_ifs];
		for (int a = 0; a < f->n_addrs; a++)
			if (f->addrs[a].family == family)
				return &f->addrs[a];
	}
	return NULL;
}

const struct topo_prefix *topo_nh_addr(const struct topo *t, int node, int via, int family,
				       int *ifidx)
{
	const struct topo_node *n = &t->nodes[node];

	for (int i = 1; i < n->n_ifs; i++) {
		const struct topo_if *f = &n->ifs[i];
		if (f->peer_node != via)
			continue;
		const struct topo_if *pf = &t->nodes[via].ifs[f->peer_if];
		for (int a = 0; a < pf->n_addrs; a++) {
			if (pf->addrs[a].family == family) {
				if (ifidx)
					*ifidx = i;
				return &pf->addrs[a];
			}
		}
	}
	return NULL;
}

/* Names: lower-case letters, digits, '-' and '_', starting with a letter, short enough for
 * "rtrlab-<lab>-<node>" and for interface names. */
static bool valid_name(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len >= TOPO_NAME_MAX || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

static bool in_lab(const struct topo_prefix *p)
{
	static const uint8_t v4[2] = {10, 201};
	static const uint8_t v6[4] = {0xfd, 0x00, 0x02, 0x01};

	if (p->family == AF_INET)
		return p->plen >= 16 && !memcmp(p->addr, v4, sizeof(v4));
	return p->plen >= 32 && !memcmp(p->addr, v6, sizeof(v6));
}

static int addr_bytes(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* Do the first @plen bits of a and b agree? */
static bool same_bits(const uint8_t *a, const uint8_t *b, int plen)
{
	int full = plen / 8, rest = plen % 8;

	if (memcmp(a, b, full))
		return false;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[full] & mask) == (b[full] & mask);
}

static bool host_bits_zero(const struct topo_prefix *p)
{
	struct topo_prefix net = *p;
	int nb = addr_bytes(p->family);

	for (int bit = p->plen; bit < nb * 8; bit++)
		net.addr[bit / 8] &= (uint8_t) ~(0x80 >> (bit % 8));
	return !memcmp(net.addr, p->addr, nb);
}

/* "10.201.1.0/24" (or an address without a length, then a host length, if @need_len is
 * false). Return 0 or -1. */
static int parse_prefix(const char *s, struct topo_prefix *p, bool need_len)
{
	char tmp[64];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);

	if (alen == 0 || alen >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, alen);
	tmp[alen] = '\0';
	memset(p, 0, sizeof(*p));
	p->family = strchr(tmp, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(p->family, tmp, p->addr) != 1)
		return -1;
	int max = addr_bytes(p->family) * 8;
	if (!slash) {
		if (need_len)
			return -1;
		p->plen = max;
		return 0;
	}
	char *end;
	errno = 0;
	long v = strtol(slash + 1, &end, 10);
	if (errno || end == slash + 1 || *end || v < 0 || v > max)
		return -1;
	p->plen = (int)v;
	return 0;
}

static const struct topo_prefix *find_addr(const struct topo *t, const struct topo_prefix *a,
					   int *node, int *ifidx)
{
	int nb = addr_bytes(a->family);

	for (int n = 0; n < t->n_nodes; n++)
		for (int i = 0; i < t->nodes[n].n_ifs; i++) {
			const struct topo_if *f = &t->nodes[n].ifs[i];
			for (int k = 0; k < f->n_addrs; k++)
				if (f->addrs[k].family == a->family &&
				    !memcmp(f->addrs[k].addr, a->addr, nb)) {
					*node = n;
					*ifidx = i;
					return &f->addrs[k];
				}
		}
	return NULL;
}

static int add_addr(struct parser *p, int node, int ifidx, const struct topo_prefix *a)
{
	struct topo *t = p->t;
	struct topo_if *f = &t->nodes[node].ifs[ifidx];
	char buf[INET6_ADDRSTRLEN];
	int on, oi;

	if (!in_lab(a))
		return fail(p,
			    "address %s/%d is outside the lab prefixes 10.201.0.0/16 and "
			    "fd00:201::/32",
			    topo_fmt_addr(a, buf, sizeof(buf)), a->plen);
	if (find_addr(t, a, &on, &oi))
		return fail(p, "duplicate address %s (already on %s:%s, line %d)",
			    topo_fmt_addr(a, buf, sizeof(buf)), t->nodes[on].name,
			    t->nodes[on].ifs[oi].name, t->nodes[on].ifs[oi].line);
	if (f->n_addrs == TOPO_MAX_ADDRS)
		return fail(p, "too many addresses on %s:%s (at most %d)", t->nodes[node].name,
			    f->name, TOPO_MAX_ADDRS);
	f->addrs[f->n_addrs++] = *a;
	return 0;
}

static int need_args(struct parser *p, int min, int max, const char *usage)
{
	if (p->n_tok - 1 < min || (max >= 0 && p->n_tok - 1 > max))
		return fail(p, "usage: %s", usage);
	return 0;
}

static int node_arg(struct parser *p, const char *name)
{
	int n = topo_find_node(p->t, name);

	if (n < 0)
		return fail(p, "unknown node '%s' (declare it with host or router first)", name);
	return n;
}

/* "node:if" into node and interface indices; @create adds the interface if it is new. */
static int endpoint_arg(struct parser *p, const char *s, bool create, int *node, int *ifidx)
{
	char name[64];
	const char *colon = strchr(s, ':');

	if (!colon || (size_t)(colon - s) >= sizeof(name))
		return fail(p, "'%s' is not NODE:INTERFACE", s);
	memcpy(name, s, colon - s);
	name[colon - s] = '\0';
	if ((*node = node_arg(p, name)) < 0)
		return -1;
	struct topo_node *n = &p->t->nodes[*node];
	const char *ifname = colon + 1;
	if (!valid_name(ifname))
		return fail(p, "bad interface name '%s' (a-z first, then a-z 0-9 - _, at most %d)",
			    ifname, TOPO_NAME_MAX - 1);
	*ifidx = find_if(n, ifname);
	if (!create) {
		if (*ifidx < 0)
			return fail(p, "node %s has no interface %s", n->name, ifname);
		return 0;
	}
	if (*ifidx >= 0)
		return fail(p, "interface %s:%s is already used (line %d)", n->name, ifname,
			    n->ifs[*ifidx].line);
	if (n->n_ifs == TOPO_MAX_IFS)
		return fail(p, "too many interfaces on %s (at most %d)", n->name, TOPO_MAX_IFS - 1);
	*ifidx = n->n_ifs++;
	struct topo_if *f = &n->ifs[*ifidx];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", ifname);
	f->line = p->line;
	return 0;
}

static uint32_t name_seed(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a: a fixed, documented seed per node name */

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static int do_topology(struct parser *p)
{
	if (need_args(p, 1, 1, "topology NAME") < 0)
		return -1;
	if (!valid_name(p->tok[1]))
		return fail(p, "bad topology name '%s'", p->tok[1]);
	snprintf(p->t->name, sizeof(p->t->name), "%s", p->tok[1]);
	return 0;
}

static int do_node(struct parser *p, enum topo_kind kind)
{
	struct topo *t = p->t;

	if (need_args(p, 1, 1, kind == TOPO_HOST ? "host NAME" : "router NAME") < 0)
		return -1;
	const char *name = p->tok[1];
	if (!valid_name(name))
		return fail(p, "bad node name '%s' (a-z first, then a-z 0-9 - _, at most %d)", name,
			    TOPO_NAME_MAX - 1);
	int old = topo_find_node(t, name);
	if (old >= 0)
		return fail(p, "node %s is already declared (line %d)", name, t->nodes[old].line);
	if (t->n_nodes == TOPO_MAX_NODES)
		return fail(p, "too many nodes (at most %d)", TOPO_MAX_NODES);
	struct topo_node *n = &t->nodes[t->n_nodes++];
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->kind = kind;
	n->line = p->line;
	n->n_ifs = 1;
	snprintf(n->ifs[0].name, sizeof(n->ifs[0].name), "lo");
	n->ifs[0].peer_node = -1;
	n->ifs[0].line = p->line;
	n->nat_if = -1;
	n->ecmp_policy = 3;
	n->ecmp_fields = 0x37;
	n->ecmp_seed = name_seed(name);
	return 0;
}

/* Adds @n to the network address of @pfx: host 1 and 2 of a link prefix. */
static struct topo_prefix nth_host(const struct topo_prefix *pfx, int n)
{
	struct topo_prefix a = *pfx;
	int i = addr_bytes(a.family) - 1;

	a.addr[i] = (uint8_t)(a.addr[i] + n); /* host bits are zero and plen <= 30/126 */
	return a;
}

static int do_link(struct parser *p)
{
	struct topo *t = p->t;
	int an, ai, bn, bi;
	bool seen[2] = {false, false};
	struct topo_prefix pfx[2];

	if (need_args(p, 3, 4, "link NODE:IF NODE:IF PREFIX [PREFIX]") < 0)
		return -1;
	for (int k = 3; k < p->n_tok; k++) {
		struct topo_prefix *x = &pfx[k - 3];
		if (parse_prefix(p->tok[k], x, true) < 0)
			return fail(p, "'%s' is not a prefix like 10.201.1.0/24 or fd00:201:1::/64",
				    p->tok[k]);
		int fi = x->family == AF_INET6;
		if (seen[fi])
			return fail(p, "two IPv%d prefixes on one link", fi ? 6 : 4);
		seen[fi] = true;
		if (!in_lab(x))
			return fail(p,
				    "prefix %s is outside the lab prefixes 10.201.0.0/16 and "
				    "fd00:201::/32",
				    p->tok[k]);
		if (x->plen > (fi ? 126 : 30))
			return fail(p, "prefix %s is too long for two hosts", p->tok[k]);
		if (!host_bits_zero(x))
			return fail(p, "prefix %s has host bits set", p->tok[k]);
		for (int l = 0; l < t->n_links; l++) {
			const struct topo_link *o = &t->links[l];
			const struct topo_if *of = &t->nodes[o->a_node].ifs[o->a_if];
			for (int m = 0; m < of->n_addrs; m++) {
				const struct topo_prefix *op = &of->addrs[m];
				int plen = op->plen < x->plen ? op->plen : x->plen;
				if (op->family == x->family && same_bits(op->addr, x->addr, plen))
					return fail(p, "prefix %s overlaps the link of line %d",
						    p->tok[k], o->line);
			}
		}
	}
	if (endpoint_arg(p, p->tok[1], true, &an, &ai) < 0 ||
	    endpoint_arg(p, p->tok[2], true, &bn, &bi) < 0)
		return -1;
	if (an == bn)
		return fail(p, "link from %s to itself", t->nodes[an].name);
	if (t->n_links == TOPO_MAX_LINKS)
		return fail(p, "too many links (at most %d)", TOPO_MAX_LINKS);
	t->nodes[an].ifs[ai].peer_node = bn;
	t->nodes[an].ifs[ai].peer_if = bi;
	t->nodes[bn].ifs[bi].peer_node = an;
	t->nodes[bn].ifs[bi].peer_if = ai;
	for (int k = 0; k < p->n_tok - 3; k++) {
		struct topo_prefix a = nth_host(&pfx[k], 1), b = nth_host(&pfx[k], 2);
		if (add_addr(p, an, ai, &a) < 0 || add_addr(p, bn, bi, &b) < 0)
			return -1;
	}
	struct topo_link *l = &t->links[t->n_links++];
	*l = (struct topo_link){
		.a_node = an, .a_if = ai, .b_node = bn, .b_if = bi, .line = p->line};
	return 0;
}

static int do_addr(struct parser *p)
{
	int n, i;

	if (need_args(p, 2, -1, "addr NODE:IF ADDRESS[/LEN]...") < 0)
		return -1;
	if (endpoint_arg(p, p->tok[1], false, &n, &i) < 0)
		return -1;
	for (int k = 2; k < p->n_tok; k++) {
		struct topo_prefix a;
		if (parse_prefix(p->tok[k], &a, false) < 0)
			return fail(p, "'%s' is not an address like 10.201.9.1 or fd00:201:9::1/64",
				    p->tok[k]);
		if (add_addr(p, n, i, &a) < 0)
			return -1;
	}
	return 0;
}

static int check_nh(struct parser *p, int node, int via, int family)
{
	const struct topo *t = p->t;

	for (int i = 1; i < t->nodes[node].n_ifs; i++)
		if (t->nodes[node].ifs[i].peer_node == via)
			goto linked;
	return fail(p, "route to nowhere: %s has no link to %s", t->nodes[node].name,
		    t->nodes[via].name);
linked:
	if (!topo_nh_addr(t, node, via, family, NULL))
		return fail(p, "route to nowhere: the link from %s to %s has no IPv%d prefix",
			    t->nodes[node].name, t->nodes[via].name, family == AF_INET ? 4 : 6);
	return 0;
}

static int do_route(struct parser *p)
{
	struct topo *t = p->t;
	int k = 2;

	if (need_args(p, 4, -1, "route NODE DEST... via NODE [weight W] [via NODE [weight W]]...") <
	    0)
		return -1;
	int node = node_arg(p, p->tok[1]);
	if (node < 0)
		return -1;
	if (t->n_routes == TOPO_MAX_ROUTES)
		return fail(p, "too many routes (at most %d)", TOPO_MAX_ROUTES);
	struct topo_route *r = &t->routes[t->n_routes];
	memset(r, 0, sizeof(*r));
	r->node = node;
	r->line = p->line;
	for (; k < p->n_tok && strcmp(p->tok[k], "via"); k++) {
		struct topo_prefix d[2];
		int nd = 1;
		if (!strcmp(p->tok[k], "lab")) {
			parse_prefix("10.201.0.0/16", &d[0], true);
			parse_prefix("fd00:201::/32", &d[1], true);
			nd = 2;
		} else if (parse_prefix(p->tok[k], &d[0], true) < 0) {
			return fail(p, "'%s' is not a destination prefix or 'lab'", p->tok[k]);
		} else if (!in_lab(&d[0])) {
			return fail(
				p,
				"destination %s is outside the lab prefixes (a lab never gets a "
				"route out)",
				p->tok[k]);
		} else if (!host_bits_zero(&d[0])) {
			return fail(p, "destination %s has host bits set", p->tok[k]);
		}
		for (int j = 0; j < nd; j++) {
			if (r->n_dst == TOPO_MAX_DSTS)
				return fail(p, "too many destinations (at most %d)", TOPO_MAX_DSTS);
			r->dst[r->n_dst++] = d[j];
		}
	}
	if (r->n_dst == 0)
		return fail(p, "route without a destination");
	while (k < p->n_tok) {
		if (strcmp(p->tok[k], "via") || k + 1 >= p->n_tok)
			return fail(p, "expected 'via NODE' at '%s'", p->tok[k]);
		int via = node_arg(p, p->tok[k + 1]);
		if (via < 0)
			return -1;
		if (r->n_nh == TOPO_MAX_NH)
			return fail(p, "too many next hops (at most %d)", TOPO_MAX_NH);
		for (int j = 0; j < r->n_nh; j++)
			if (r->nh[j].node == via)
				return fail(p, "next hop %s appears twice", p->tok[k + 1]);
		struct topo_nh *nh = &r->nh[r->n_nh++];
		nh->node = via;
		nh->weight = 1;
		k += 2;
		if (k < p->n_tok && !strcmp(p->tok[k], "weight")) {
			char *end;
			long w = k + 1 < p->n_tok ? strtol(p->tok[k + 1], &end, 10) : 0;
			if (k + 1 >= p->n_tok || *end || w < 1 || w > 256)
				return fail(p, "weight must be 1..256");
			nh->weight = (int)w;
			k += 2;
		}
	}
	if (r->n_nh == 0)
		return fail(p, "route without 'via NODE'");
	for (int d = 0; d < r->n_dst; d++) {
		for (int j = 0; j < r->n_nh; j++)
			if (check_nh(p, node, r->nh[j].node, r->dst[d].family) < 0)
				return -1;
		for (int e = 0; e < d; e++)
			if (r->dst[e].family == r->dst[d].family &&
			    r->dst[e].plen == r->dst[d].plen &&
			    !memcmp(r->dst[e].addr, r->dst[d].addr, 16))
				return fail(p, "destination given twice");
		for (int o = 0; o < t->n_routes; o++) {
			const struct topo_route * or = &t->routes[o];
			if (or->node != node)
				continue;
			for (int od = 0; od < or->n_dst; od++)
				if (or->dst[od].family == r->dst[d].family &&
				    or
					    ->dst[od]
					    .plen == r->dst[d]
					    .plen && !memcmp(or->dst[od].addr, r->dst[d].addr, 16))
					return fail(p, "duplicate route on %s (line %d)",
						    t->nodes[node].name, or->line);
		}
	}
	t->n_routes++;
	return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	return (errno || end == s || *end || *v > max || s[0] == '-') ? -1 : 0;
}

static int do_set(struct parser *p)
{
	unsigned long v;

	if (need_args(p, 2, 4, "set NODE SETTING [VALUE]") < 0)
		return -1;
	int ni = node_arg(p, p->tok[1]);
	if (ni < 0)
		return -1;
	struct topo_node *n = &p->t->nodes[ni];
	const char *key = p->tok[2];
	int nargs = p->n_tok - 3;
	if (!strcmp(key, "silent") && nargs == 0) {
		n->silent = true;
	} else if (!strcmp(key, "filter-rtr") && nargs == 0) {
		n->filter_rtr = true;
	} else if (!strcmp(key, "icmp-ratelimit") && nargs == 1) {
		if (!strcmp(p->tok[3], "default"))
			n->icmp_ratelimit = true;
		else if (!strcmp(p->tok[3], "off"))
			n->icmp_ratelimit = false;
		else
			return fail(p, "icmp-ratelimit is 'default' or 'off', not '%s'", p->tok[3]);
	} else if (!strcmp(key, "nat") && nargs == 2) {
		if (strcmp(p->tok[3], "masquerade"))
			return fail(p, "nat knows only 'masquerade', not '%s'", p->tok[3]);
		int i = find_if(n, p->tok[4]);
		if (i <= 0)
			return fail(p, "node %s has no interface %s to masquerade on", n->name,
				    p->tok[4]);
		n->nat_if = i;
		n->nat_line = p->line;
	} else if (!strcmp(key, "l4hash") && nargs == 0) {
		n->l4hash = true;
	} else if (!strcmp(key, "ecmp-policy") && nargs == 1) {
		if (parse_uint(p->tok[3], 3, &v) < 0)
			return fail(p, "ecmp-policy must be 0..3");
		n->ecmp_policy = (int)v;
	} else if (!strcmp(key, "ecmp-fields") && nargs == 1) {
		if (parse_uint(p->tok[3], 0xffff, &v) < 0)
			return fail(p, "ecmp-fields must be a number like 0x37");
		n->ecmp_fields = (unsigned)v;
	} else if (!strcmp(key, "ecmp-seed") && nargs == 1) {
		if (parse_uint(p->tok[3], UINT32_MAX, &v) < 0)
			return fail(p, "ecmp-seed must be 0..4294967295");
		n->ecmp_seed = (uint32_t)v;
	} else {
		return fail(p,
			    "unknown setting '%s' with %d value(s) (known: silent, filter-rtr, "
			    "icmp-ratelimit default|off, nat masquerade IF, l4hash, ecmp-policy N, "
			    "ecmp-fields N, ecmp-seed N)",
			    key, nargs);
	}
	if (n->kind != TOPO_ROUTER && strcmp(key, "icmp-ratelimit") && strncmp(key, "ecmp-", 5))
		return fail(p, "'%s' is a router setting and %s is a host", key, n->name);
	return 0;
}

/* Path expressions: a sequence of node names and { seq | seq ... } branches. */
struct pathset {
	struct topo_path p[TOPO_MAX_PATHS];
	int n;
};

static int parse_seq(struct parser *p, int *pos, struct pathset *out);

static int parse_item(struct parser *p, int *pos, struct pathset *out)
{
	const char *tk = p->tok[*pos];

	if (!strcmp(tk, "{")) {
		struct pathset *alt = malloc(sizeof(*alt));
		if (!alt)
			return fail(p, "out of memory");
		out->n = 0;
		(*pos)++;
		for (;;) {
			if (parse_seq(p, pos, alt) < 0)
				goto err;
			if (alt->n + out->n > TOPO_MAX_PATHS) {
				fail(p, "too many paths (at most %d)", TOPO_MAX_PATHS);
				goto err;
			}
			memcpy(&out->p[out->n], alt->p, alt->n * sizeof(alt->p[0]));
			out->n += alt->n;
			if (*pos >= p->n_tok) {
				fail(p, "'{' without '}'");
				goto err;
			}
			if (!strcmp(p->tok[*pos], "}"))
				break;
			(*pos)++; /* the '|' */
		}
		(*pos)++;
		free(alt);
		return 0;
	err:
		free(alt);
		return -1;
	}
	int n = node_arg(p, tk);
	if (n < 0)
		return -1;
	out->n = 1;
	out->p[0].n_hops = 1;
	out->p[0].hop[0] = n;
	(*pos)++;
	return 0;
}

/* Reads items until '|', '}' or the end; the result is their cartesian product. */
static int parse_seq(struct parser *p, int *pos, struct pathset *out)
{
	struct pathset *item = malloc(sizeof(*item)), *acc = malloc(sizeof(*acc));
	int rc = -1;

	if (!item || !acc) {
		fail(p, "out of memory");
		goto out;
	}
	out->n = 1;
	out->p[0].n_hops = 0;
	if (*pos >= p->n_tok || !strcmp(p->tok[*pos], "|") || !strcmp(p->tok[*pos], "}")) {
		fail(p, "empty path or branch");
		goto out;
	}
	while (*pos < p->n_tok && strcmp(p->tok[*pos], "|") && strcmp(p->tok[*pos], "}")) {
		if (parse_item(p, pos, item) < 0)
			goto out;
		if (out->n * item->n > TOPO_MAX_PATHS) {
			fail(p, "too many paths (at most %d)", TOPO_MAX_PATHS);
			goto out;
		}
		acc->n = 0;
		for (int a = 0; a < out->n; a++)
			for (int b = 0; b < item->n; b++) {
				struct topo_path *d = &acc->p[acc->n++];
				if (out->p[a].n_hops + item->p[b].n_hops > TOPO_MAX_HOPS) {
					fail(p, "path longer than %d nodes", TOPO_MAX_HOPS);
					goto out;
				}
				*d = out->p[a];
				memcpy(&d->hop[d->n_hops], item->p[b].hop,
				       item->p[b].n_hops * sizeof(int));
				d->n_hops += item->p[b].n_hops;
			}
		memcpy(out, acc, sizeof(*acc));
	}
	rc = 0;
out:
	free(item);
	free(acc);
	return rc;
}

static bool linked(const struct topo *t, int a, int b)
{
	for (int i = 1; i < t->nodes[a].n_ifs; i++)
		if (t->nodes[a].ifs[i].peer_node == b)
			return true;
	return false;
}

static int do_truth(struct parser *p)
{
	struct topo *t = p->t;
	char to[64];

	/* truth FROM -> TO: PATH  (the colon may stand alone or end TO) */
	if (p->n_tok < 5 || strcmp(p->tok[2], "->"))
		return fail(p, "usage: truth FROM -> TO: PATH");
	int pos = 4;
	snprintf(to, sizeof(to), "%s", p->tok[3]);
	size_t len = strlen(to);
	if (len && to[len - 1] == ':') {
		to[len - 1] = '\0';
	} else if (!strcmp(p->tok[4], ":")) {
		pos = 5;
	} else {
		return fail(p, "usage: truth FROM -> TO: PATH (missing ':')");
	}
	int from = node_arg(p, p->tok[1]);
	if (from < 0)
		return -1;
	int ton = node_arg(p, to);
	if (ton < 0)
		return -1;
	if (t->n_truth == TOPO_MAX_TRUTH)
		return fail(p, "too many truth lines (at most %d)", TOPO_MAX_TRUTH);
	struct pathset *ps = malloc(sizeof(*ps));
	if (!ps)
		return fail(p, "out of memory");
	if (parse_seq(p, &pos, ps) < 0)
		goto err;
	if (pos < p->n_tok) {
		fail(p, "unexpected '%s' in path", p->tok[pos]);
		goto err;
	}
	for (int i = 0; i < ps->n; i++) {
		const struct topo_path *pa = &ps->p[i];
		if (pa->hop[0] != from || pa->hop[pa->n_hops - 1] != ton) {
			fail(p, "every path must start at %s and end at %s", t->nodes[from].name,
			     t->nodes[ton].name);
			goto err;
		}
		for (int h = 1; h < pa->n_hops; h++)
			if (!linked(t, pa->hop[h - 1], pa->hop[h])) {
				fail(p, "path step %s -> %s is not a link",
				     t->nodes[pa->hop[h - 1]].name, t->nodes[pa->hop[h]].name);
				goto err;
			}
	}
	struct topo_truth *tr = &t->truth[t->n_truth++];
	tr->from = from;
	tr->to = ton;
	tr->line = p->line;
	tr->n_paths = ps->n;
	memcpy(tr->paths, ps->p, ps->n * sizeof(ps->p[0]));
	free(ps);
	return 0;
err:
	free(ps);
	return -1;
}

/* Splits the line into tokens; '{', '}' and '|' are tokens even without spaces. */
static int tokenize(struct parser *p, const char *line, size_t len)
{
	char *o = p->buf;

	if (len > LINE_MAX_LEN)
		return fail(p, "line longer than %d characters", LINE_MAX_LEN);
	/* Messages quote the words: no escape sequence of the file reaches a terminal. */
	for (size_t i = 0; i < len && line[i] != '#'; i++) {
		unsigned char c = (unsigned char)line[i];
		if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
			return fail(p, "control character 0x%02x", c);
	}
	p->n_tok = 0;
	for (size_t i = 0; i < len;) {
		char c = line[i];
		if (c == '#')
			break;
		if (c == ' ' || c == '\t' || c == '\r') {
			i++;
			continue;
		}

		if (p->n_tok == MAX_TOKENS)
			return fail(p, "too many words on one line");
		p->tok[p->n_tok++] = o;
		if (c == '{' || c == '}' || c == '|') {
			*o++ = c;
			i++;
		} else {
			while (i < len && !strchr(" \t\r#{}|", line[i]))
				*o++ = line[i++];
		}
		*o++ = '\0';
	}
	return 0;
}

int topo_parse(struct topo *t, const char *file, const char *text, char err[TOPO_ERR_MAX])
{
	struct parser *p = calloc(1, sizeof(*p));
	int rc = -1;

	if (!p) {
		snprintf(err, TOPO_ERR_MAX, "%s: out of memory", file);
		return -1;
	}
	memset(t, 0, sizeof(*t));
	p->t = t;
	p->file = file;
	p->err = err;
	err[0] = '\0';
	/* The default topology name is the file's base name without its extension. */
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	size_t bl = strcspn(base, ".");
	snprintf(t->name, sizeof(t->name), "%.*s", (int)(bl < TOPO_NAME_MAX - 1 ? bl : 15), base);

	for (const char *s = text; *s;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		p->line++;
		if (tokenize(p, s, len) < 0)
			goto out;
		s += len + (nl ? 1 : 0);
		if (p->n_tok == 0)
			continue;
		const char *d = p->tok[0];
		int r;
		if (!strcmp(d, "topology"))
			r = do_topology(p);
		else if (!strcmp(d, "host"))
			r = do_node(p, TOPO_HOST);
		else if (!strcmp(d, "router"))
			r = do_node(p, TOPO_ROUTER);
		else if (!strcmp(d, "link"))
			r = do_link(p);
		else if (!strcmp(d, "addr"))
			r = do_addr(p);
		else if (!strcmp(d, "route"))
			r = do_route(p);
		else if (!strcmp(d, "set"))
			r = do_set(p);
		else if (!strcmp(d, "truth"))
			r = do_truth(p);
		else
			r = fail(p,
				 "unknown statement '%s' (expected topology, host, router, link, "
				 "addr, route, set or truth)",
				 d);
		if (r < 0)
			goto out;
	}
	if (t->n_nodes == 0) {
		p->line = p->line ? p->line : 1;
		fail(p, "no nodes: declare at least one host or router");
		goto out;
	}
	rc = 0;
out:
	free(p);
	return rc;
}

int topo_parse_file(struct topo *t, const char *path, char err[TOPO_ERR_MAX])
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0, len = 0;
	int rc = -1;

	if (!f) {
		snprintf(err, TOPO_ERR_MAX, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			if (cap >= (1u << 20)) {
				snprintf(err, TOPO_ERR_MAX, "%s: file larger than 1 MiB", path);
				goto out;
			}
			cap = cap ? cap * 2 : 8192;
			char *n = realloc(text, cap);
			if (!n) {
				snprintf(err, TOPO_ERR_MAX, "%s: out of memory", path);
				goto out;
			}
			text = n;
		}
		size_t got = fread(text + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, TOPO_ERR_MAX, "%s: read error", path);
		goto out;
	}
	if (memchr(text, '\0', len)) {
		snprintf(err, TOPO_ERR_MAX, "%s: binary file (contains NUL bytes)", path);
		goto out;
	}
	text[len] = '\0';
	rc = topo_parse(t, path, text, err);
out:
	free(text);
	fclose(f);
	return rc;
}
