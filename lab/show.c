// SPDX-License-Identifier: BSD-2-Clause
/* show.c: the read-only text views of a lab (truth, nodes, addrs, routes) that scripts parse. */
#include "show.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include "lab.h"

int show_truth(const struct topo *t, FILE *out)
{
	for (int i = 0; i < t->n_truth; i++) {
		const struct topo_truth *tr = &t->truth[i];
		for (int p = 0; p < tr->n_paths; p++) {
			fprintf(out, "%s %s:", t->nodes[tr->from].name, t->nodes[tr->to].name);
			for (int h = 0; h < tr->paths[p].n_hops; h++)
				fprintf(out, " %s", t->nodes[tr->paths[p].hop[h]].name);
			fprintf(out, "\n");
		}
	}
	return 0;
}

int show_nodes(const struct topo *t, const char *lab, FILE *out)
{
	char ns[128];

	for (int i = 0; i < t->n_nodes; i++) {
		const struct topo_node *n = &t->nodes[i];
		lab_ns_name(ns, sizeof(ns), lab, n->name);
		fprintf(out, "%s %s %s", n->name, ns, n->kind == TOPO_ROUTER ? "router" : "host");
		if (n->silent)
			fprintf(out, " silent");
		if (n->icmp_ratelimit)
			fprintf(out, " icmp-ratelimit");
		if (n->filter_rtr)
			fprintf(out, " filter-rtr");
		if (n->nat_if >= 0)
			fprintf(out, " nat=%s", n->ifs[n->nat_if].name);
		if (n->l4hash)
			fprintf(out, " l4hash");
		fprintf(out, "\n");
	}
	return 0;
}

int show_addrs(const struct topo *t, FILE *out)
{
	char buf[INET6_ADDRSTRLEN];

	for (int i = 0; i < t->n_nodes; i++) {
		const struct topo_node *n = &t->nodes[i];
		/* Primary addresses first so that "the node's address" is the first match. */
		for (int fam = 0; fam < 2; fam++) {
			const struct topo_prefix *p = topo_primary(t, i, fam ? AF_INET6 : AF_INET);
			if (p)
				fprintf(out, "%s primary %s/%d\n", n->name,
					topo_fmt_addr(p, buf, sizeof(buf)), p->plen);
		}
		for (int f = 0; f < n->n_ifs; f++)
			for (int a = 0; a < n->ifs[f].n_addrs; a++)
				fprintf(out, "%s %s %s/%d\n", n->name, n->ifs[f].name,
					topo_fmt_addr(&n->ifs[f].addrs[a], buf, sizeof(buf)),
					n->ifs[f].addrs[a].plen);
	}
	return 0;
}

int show_routes(const struct topo *t, FILE *out)
{
	char buf[INET6_ADDRSTRLEN];

	for (int r = 0; r < t->n_routes; r++) {
		const struct topo_route *rt = &t->routes[r];
		for (int d = 0; d < rt->n_dst; d++) {
			fprintf(out, "%s %s/%d", t->nodes[rt->node].name,
				topo_fmt_addr(&rt->dst[d], buf, sizeof(buf)), rt->dst[d].plen);
			for (int h = 0; h < rt->n_nh; h++) {
				char gw[INET6_ADDRSTRLEN];
				const struct topo_prefix *a = topo_nh_addr(
					t, rt->node, rt->nh[h].node, rt->dst[d].family, NULL);
				fprintf(out, " via %s %s weight %d", t->nodes[rt->nh[h].node].name,
					a ? topo_fmt_addr(a, gw, sizeof(gw)) : "?",
					rt->nh[h].weight);
			}
			fprintf(out, "\n");
		}
	}
	return 0;
}
