// SPDX-License-Identifier: BSD-2-Clause
/* draw.c: writes a topology as a graphviz graph (rtr-lab draw). */
#include "draw.h"

#include <arpa/inet.h>

static void if_label(const struct topo_if *f, FILE *out)
{
	char buf[INET6_ADDRSTRLEN];

	fprintf(out, "%s", f->name);
	for (int a = 0; a < f->n_addrs; a++)
		fprintf(out, "\\n%s/%d", topo_fmt_addr(&f->addrs[a], buf, sizeof(buf)),
			f->addrs[a].plen);
}

void draw_dot(const struct topo *t, FILE *out)
{
	fprintf(out, "graph \"%s\" {\n\tgraph [rankdir=LR, fontname=\"monospace\"];\n", t->name);
	fprintf(out, "\tnode [fontname=\"monospace\", fontsize=10];\n");
	fprintf(out, "\tedge [fontname=\"monospace\", fontsize=8];\n");
	for (int i = 0; i < t->n_nodes; i++) {
		const struct topo_node *n = &t->nodes[i];
		fprintf(out, "\t\"%s\" [shape=%s, label=\"%s", n->name,
			n->kind == TOPO_ROUTER ? "box" : "ellipse", n->name);
		if (n->silent)
			fprintf(out, "\\nsilent");
		if (n->icmp_ratelimit)
			fprintf(out, "\\nicmp-ratelimit");
		if (n->filter_rtr)
			fprintf(out, "\\nfilter-rtr");
		if (n->nat_if >= 0)
			fprintf(out, "\\nnat %s", n->ifs[n->nat_if].name);
		if (n->l4hash)
			fprintf(out, "\\nl4hash");
		if (n->ifs[0].n_addrs) {
			fprintf(out, "\\n");
			if_label(&n->ifs[0], out);
		}
		fprintf(out, "\"];\n");
	}
	for (int l = 0; l < t->n_links; l++) {
		const struct topo_link *k = &t->links[l];
		fprintf(out, "\t\"%s\" -- \"%s\" [taillabel=\"", t->nodes[k->a_node].name,
			t->nodes[k->b_node].name);
		if_label(&t->nodes[k->a_node].ifs[k->a_if], out);
		fprintf(out, "\", headlabel=\"");
		if_label(&t->nodes[k->b_node].ifs[k->b_if], out);
		fprintf(out, "\"];\n");
	}
	fprintf(out, "}\n");
}
