// SPDX-License-Identifier: BSD-2-Clause
/* fuzz_topo.c: rtr-lab's topology parser on arbitrary text; what it accepts must be a sound lab. */
/* fuzz-sources: lab/topo.c */
/* fuzz-cflags: -Ilab */
#include <sys/socket.h>

#include "fuzz.h"
#include "topo.h"

/*
 * Properties (the parser's contract in topo.h, checked on its output, not on its code):
 *  - it returns 0 or -1; on -1 the message is one printable line "fuzz.topo:LINE: ..." with
 *    LINE within the text; parsing the same text again gives the same verdict and message;
 *  - on 0: 1..TOPO_MAX_NODES nodes with valid, unique names; every node's ifs[0] is lo; interface
 *    names unique per node; links symmetric (peer of peer is self) and listed in links[];
 *    every address in the lab prefixes and no address on two interfaces; every route's nodes
 *    exist, its next hops are neighbours with an address of each destination's family;
 *    every truth path starts at FROM, ends at TO and steps only over links.
 */

static bool name_ok(const char *s)
{
	size_t n = strnlen(s, TOPO_NAME_MAX);
	if (n == 0 || n >= TOPO_NAME_MAX || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '_'))
			return false;
	return true;
}

static bool in_lab(const struct topo_prefix *p)
{
	if (p->family == AF_INET)
		return p->addr[0] == 10 && p->addr[1] == 201;
	FUZZ_CHECK(p->family == AF_INET6);
	return p->addr[0] == 0xfd && p->addr[1] == 0 && p->addr[2] == 2 && p->addr[3] == 1;
}

static bool node_ok(const struct topo *t, int n)
{
	return n >= 0 && n < t->n_nodes;
}

static bool neighbours(const struct topo *t, int a, int b)
{
	for (int i = 1; i < t->nodes[a].n_ifs; i++)
		if (t->nodes[a].ifs[i].peer_node == b)
			return true;
	return false;
}

static void check_sound(const struct topo *t)
{
	FUZZ_CHECK(t->n_nodes >= 1 && t->n_nodes <= TOPO_MAX_NODES);
	FUZZ_CHECK(t->n_links >= 0 && t->n_links <= TOPO_MAX_LINKS);
	FUZZ_CHECK(t->n_routes >= 0 && t->n_routes <= TOPO_MAX_ROUTES);
	FUZZ_CHECK(t->n_truth >= 0 && t->n_truth <= TOPO_MAX_TRUTH);
	FUZZ_CHECK(name_ok(t->name));
	for (int n = 0; n < t->n_nodes; n++) {
		const struct topo_node *nd = &t->nodes[n];
		FUZZ_CHECK(name_ok(nd->name));
		FUZZ_CHECK(topo_find_node(t, nd->name) == n);
		FUZZ_CHECK(nd->n_ifs >= 1 && nd->n_ifs <= TOPO_MAX_IFS);
		FUZZ_CHECK(!strcmp(nd->ifs[0].name, "lo") && nd->ifs[0].peer_node == -1);
		FUZZ_CHECK(nd->nat_if == -1 || (nd->nat_if >= 1 && nd->nat_if < nd->n_ifs));
		FUZZ_CHECK(nd->ecmp_policy >= 0 && nd->ecmp_policy <= 3);
		/* The address a node is known by: one of its own, of the family asked for. */
		for (int fam = 0; fam < 2; fam++) {
			int family = fam ? AF_INET6 : AF_INET;
			const struct topo_prefix *pa = topo_primary(t, n, family);
			bool has = false;
			for (int i = 0; i < nd->n_ifs; i++)
				for (int a = 0; a < nd->ifs[i].n_addrs; a++) {
					has |= nd->ifs[i].addrs[a].family == family;
					if (pa == &nd->ifs[i].addrs[a])
						FUZZ_CHECK(pa->family == family);
				}
			FUZZ_CHECK(!pa == !has);
		}
		for (int i = 0; i < nd->n_ifs; i++) {
			const struct topo_if *f = &nd->ifs[i];
			FUZZ_CHECK(name_ok(f->name));
			for (int j = 0; j < i; j++)
				FUZZ_CHECK(strcmp(nd->ifs[j].name, f->name));
			FUZZ_CHECK(f->n_addrs >= 0 && f->n_addrs <= TOPO_MAX_ADDRS);
			if (i > 0) {
				/* An interface exists only as one end of a link. */
				FUZZ_CHECK(node_ok(t, f->peer_node) && f->peer_node != n);
				const struct topo_node *pn = &t->nodes[f->peer_node];
				FUZZ_CHECK(f->peer_if >= 1 && f->peer_if < pn->n_ifs);
				FUZZ_CHECK(pn->ifs[f->peer_if].peer_node == n &&
					   pn->ifs[f->peer_if].peer_if == i);
			}
			for (int a = 0; a < f->n_addrs; a++) {
				const struct topo_prefix *x = &f->addrs[a];
				FUZZ_CHECK(in_lab(x));
				size_t nb = x->family == AF_INET ? 4 : 16;
				FUZZ_CHECK(x->plen >= 0 && x->plen <= (int)nb * 8);
				/* No address twice, anywhere (earlier interfaces and nodes). */
				for (int m = 0; m <= n; m++)
					for (int k = 0; k < t->nodes[m].n_ifs; k++)
						for (int b = 0; b < t->nodes[m].ifs[k].n_addrs;
						     b++) {
							const struct topo_prefix *y =
								&t->nodes[m].ifs[k].addrs[b];
							if (y == x)
								goto next_addr;
							FUZZ_CHECK(y->family != x->family ||
								   memcmp(y->addr, x->addr, nb));
						}
			next_addr:;
			}
			char buf[64];
			FUZZ_CHECK(f->n_addrs == 0 ||
				   topo_fmt_addr(&f->addrs[0], buf, sizeof(buf)));
		}
	}
	for (int l = 0; l < t->n_links; l++) {
		const struct topo_link *k = &t->links[l];
		FUZZ_CHECK(node_ok(t, k->a_node) && node_ok(t, k->b_node) &&
			   k->a_node != k->b_node);
		FUZZ_CHECK(k->a_if >= 1 && k->a_if < t->nodes[k->a_node].n_ifs);
		FUZZ_CHECK(t->nodes[k->a_node].ifs[k->a_if].peer_node == k->b_node);
		FUZZ_CHECK(t->nodes[k->a_node].ifs[k->a_if].peer_if == k->b_if);
	}
	for (int r = 0; r < t->n_routes; r++) {
		const struct topo_route *rt = &t->routes[r];
		FUZZ_CHECK(node_ok(t, rt->node));
		FUZZ_CHECK(rt->n_dst >= 1 && rt->n_dst <= TOPO_MAX_DSTS);
		FUZZ_CHECK(rt->n_nh >= 1 && rt->n_nh <= TOPO_MAX_NH);
		for (int h = 0; h < rt->n_nh; h++) {
			int via = rt->nh[h].node;
			FUZZ_CHECK(node_ok(t, via) && neighbours(t, rt->node, via));
			FUZZ_CHECK(rt->nh[h].weight >= 1 && rt->nh[h].weight <= 256);
			for (int d = 0; d < rt->n_dst; d++) {
				FUZZ_CHECK(in_lab(&rt->dst[d]));
				int ifidx = -1;
				const struct topo_prefix *a =
					topo_nh_addr(t, rt->node, via, rt->dst[d].family, &ifidx);
				FUZZ_CHECK(a && a->family == rt->dst[d].family);
				FUZZ_CHECK(ifidx >= 1 &&
					   t->nodes[rt->node].ifs[ifidx].peer_node == via);
			}
		}
	}
	for (int i = 0; i < t->n_truth; i++) {
		const struct topo_truth *tr = &t->truth[i];
		FUZZ_CHECK(node_ok(t, tr->from) && node_ok(t, tr->to));
		FUZZ_CHECK(tr->n_paths >= 1 && tr->n_paths <= TOPO_MAX_PATHS);
		for (int p = 0; p < tr->n_paths; p++) {
			const struct topo_path *pa = &tr->paths[p];
			FUZZ_CHECK(pa->n_hops >= 1 && pa->n_hops <= TOPO_MAX_HOPS);
			FUZZ_CHECK(pa->hop[0] == tr->from && pa->hop[pa->n_hops - 1] == tr->to);
			for (int h = 1; h < pa->n_hops; h++)
				FUZZ_CHECK(node_ok(t, pa->hop[h]) &&
					   neighbours(t, pa->hop[h - 1], pa->hop[h]));
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct topo t, again;
	static const char file[] = "fuzz.topo";
	char err[TOPO_ERR_MAX], err2[TOPO_ERR_MAX];

	/* The text as topo_parse_file hands it over: NUL-terminated, no NUL inside. */
	if (memchr(data, 0, size))
		return 0;
	char *text = malloc(size + 1);
	FUZZ_CHECK(text != NULL);
	memcpy(text, data, size);
	text[size] = 0;
	int lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';

	int rc = topo_parse(&t, file, text, err);
	FUZZ_CHECK(rc == 0 || rc == -1);
	int rc2 = topo_parse(&again, file, text, err2);
	FUZZ_CHECK(rc2 == rc);
	free(text);
	if (rc) {
		FUZZ_CHECK(!strcmp(err, err2));
		size_t n = strnlen(err, TOPO_ERR_MAX);
		FUZZ_CHECK(n > 0 && n < TOPO_ERR_MAX);
		for (size_t i = 0; i < n; i++)
			FUZZ_CHECK((uint8_t)err[i] >= 0x20 || err[i] == '\t');
		int line = 0;
		FUZZ_CHECK(sscanf(err, "fuzz.topo:%d: ", &line) == 1);
		FUZZ_CHECK(line >= 1 && line <= lines);
		return 0;
	}
	FUZZ_CHECK(!memcmp(&t, &again, sizeof(t)));
	check_sound(&t);
	return 0;
}
