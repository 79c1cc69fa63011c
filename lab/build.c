// SPDX-License-Identifier: BSD-2-Clause
/* build.c: turns a parsed topology into namespaces, veths, addresses, routes, sysctls and nft
 * rules, and removes them again. Nothing is ever added to the caller's namespace. */
#include "l4hash.h"
#include "lab.h"
#include "netns.h"
#include "nlops.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct build {
	const struct topo *t;
	const char *lab;
	const sigset_t *stop;
	char *err;
	size_t errlen;
	int root;
	int fd[TOPO_MAX_NODES];
	struct nl_sock *sk[TOPO_MAX_NODES];
};

static int berr(struct build *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int berr(struct build *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->err, b->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static bool stopped(struct build *b)
{
	sigset_t pending;

	if (!b->stop || sigpending(&pending) < 0)
		return false;
	for (int s = 1; s < NSIG; s++)
		if (sigismember(b->stop, s) == 1 && sigismember(&pending, s) == 1)
			return true;
	return false;
}

static int enter(struct build *b, int node)
{
	int rc = netns_enter(node < 0 ? b->root : b->fd[node]);

	if (rc < 0)
		return berr(b, "setns into %s: %s",
			    node < 0 ? "the original namespace" : b->t->nodes[node].name,
			    strerror(-rc));
	return 0;
}

static int sysctls(struct build *b, int ni)
{
	const struct topo_node *n = &b->t->nodes[ni];
	char num[32];
	struct {
		const char *key;
		const char *value;
	} set[24];
	int k = 0;

	/* "default" before any veth exists, so every interface inherits it. */
	set[k++] = (typeof(set[0])){"net/ipv4/conf/all/rp_filter", "0"};
	set[k++] = (typeof(set[0])){"net/ipv4/conf/default/rp_filter", "0"};
	set[k++] = (typeof(set[0])){"net/ipv6/conf/all/accept_dad", "0"};
	set[k++] = (typeof(set[0])){"net/ipv6/conf/default/accept_dad", "0"};
	set[k++] = (typeof(set[0])){"net/ipv6/conf/default/accept_ra", "0"};
	if (n->kind == TOPO_ROUTER) {
		set[k++] = (typeof(set[0])){"net/ipv4/ip_forward", "1"};
		set[k++] = (typeof(set[0])){"net/ipv6/conf/all/forwarding", "1"};
		set[k++] = (typeof(set[0])){"net/ipv4/icmp_errors_use_inbound_ifaddr", "1"};
	}
	if (!n->icmp_ratelimit) {
		set[k++] = (typeof(set[0])){"net/ipv4/icmp_ratemask", "0"};
		set[k++] = (typeof(set[0])){"net/ipv6/icmp/ratelimit", "0"};
		/* The per-namespace token bucket behind every ICMP error (1000/s, burst 50)
		 * applies even with the masks above cleared; back-to-back traces overrun it. */
		set[k++] = (typeof(set[0])){"net/ipv4/icmp_msgs_per_sec", "1000000"};
		set[k++] = (typeof(set[0])){"net/ipv4/icmp_msgs_burst", "1000000"};
	}
	for (int i = 0; i < k; i++) {
		int rc = sysctl_write(set[i].key, set[i].value);
		if (rc < 0)
			return berr(b, "%s: sysctl %s=%s: %s", n->name, set[i].key, set[i].value,
				    strerror(-rc));
	}
	/* Deterministic per-flow ECMP (LAB-NOTES): policy, fields and a per-node seed. The
	 * seed is IPv4's sysctl but the kernel uses it for IPv6 too. */
	static const char *const fam[] = {"ipv4", "ipv6"};
	for (int f = 0; f < 2; f++) {
		char key[96];
		snprintf(key, sizeof(key), "net/%s/fib_multipath_hash_policy", fam[f]);
		snprintf(num, sizeof(num), "%d", n->ecmp_policy);
		int rc = sysctl_write(key, num);
		if (rc == 0) {
			snprintf(key, sizeof(key), "net/%s/fib_multipath_hash_fields", fam[f]);
			snprintf(num, sizeof(num), "0x%x", n->ecmp_fields);
			rc = sysctl_write(key, num);
		}
		if (rc < 0)
			return berr(b, "%s: sysctl %s=%s: %s", n->name, key, num, strerror(-rc));
	}
	/* The tc program stores its own per-flow hash, which only policy 1 takes as it is. */
	if (n->l4hash) {
		for (int f = 0; f < 2; f++) {
			char key[96];
			snprintf(key, sizeof(key), "net/%s/fib_multipath_hash_policy", fam[f]);
			int rc = sysctl_write(key, "1");
			if (rc < 0)
				return berr(b, "%s: sysctl %s=1: %s", n->name, key, strerror(-rc));
		}
	}
	snprintf(num, sizeof(num), "%u", n->ecmp_seed);
	int rc = sysctl_write("net/ipv4/fib_multipath_hash_seed", num);
	if (rc < 0)
		return berr(b, "%s: sysctl fib_multipath_hash_seed=%s: %s", n->name, num,
			    strerror(-rc));
	return 0;
}

/* nft rules for the node's settings, or "" if it has none. */
static void nft_rules(const struct topo_node *n, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	if (!n->silent && !n->filter_rtr && n->nat_if < 0)
		return;
	o += snprintf(buf + o, len - o, "table inet rtrlab {\n");
	if (n->silent)
		/* A silent router forwards but originates no ICMP error at all. */
		o += snprintf(buf + o, len - o,
			      " chain rtrlab_silent { type filter hook output priority 0;\n"
			      "  icmp type { destination-unreachable, time-exceeded, "
			      "parameter-problem } drop\n"
			      "  icmpv6 type { destination-unreachable, packet-too-big, "
			      "time-exceeded, parameter-problem } drop\n }\n");
	if (n->filter_rtr)
		/* An operator filter against reverse traceroute requests (echo, code 1). */
		o += snprintf(buf + o, len - o,
			      " chain rtrlab_filter { type filter hook forward priority 0;\n"
			      "  icmp type echo-request icmp code 1 counter drop\n"
			      "  icmpv6 type echo-request icmpv6 code 1 counter drop\n }\n");
	if (n->nat_if >= 0)
		o += snprintf(buf + o, len - o,
			      " chain rtrlab_nat { type nat hook postrouting priority srcnat;\n"
			      "  oifname \"%s\" masquerade\n }\n",
			      n->ifs[n->nat_if].name);
	snprintf(buf + o, len - o, "}\n");
}

/* Runs `nft -f -` with @rules; the child inherits the namespace we are in. */
static int run_nft(struct build *b, const char *node, const char *rules)
{
	int p[2], status;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return berr(b, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return berr(b, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		dup2(p[0], 0);
		execlp("nft", "nft", "-f", "-", (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	size_t len = strlen(rules);
	ssize_t w = write(p[1], rules, len);
	close(p[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (w != (ssize_t)len || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return berr(b, "%s: nft rejected or could not load the node's rules", node);
	return 0;
}

static int make_nodes(struct build *b)
{
	const struct topo *t = b->t;
	char ns[128];

	for (int i = 0; i < t->n_nodes; i++) {
		if (stopped(b))
			return -2;
		lab_ns_name(ns, sizeof(ns), b->lab, t->nodes[i].name);
		if (enter(b, -1) < 0)
			return -1;
		int rc = netns_create(ns);
		if (rc < 0)
			return berr(b, "create namespace %s: %s", ns, strerror(-rc));
		b->fd[i] = netns_open(ns);
		if (b->fd[i] < 0)
			return berr(b, "open namespace %s: %s", ns, strerror(-b->fd[i]));
		if (enter(b, i) < 0)
			return -1;
		b->sk[i] = nlops_open();
		if (!b->sk[i])
			return berr(b, "%s: cannot open a netlink socket", t->nodes[i].name);
		if (sysctls(b, i) < 0)
			return -1;
		rc = nlops_up(b->sk[i], "lo");
		if (rc < 0)
			return berr(b, "%s: lo up: %s", t->nodes[i].name, nlops_strerror(rc));
	}
	return 0;
}

static int make_links(struct build *b)
{
	const struct topo *t = b->t;

	for (int l = 0; l < t->n_links; l++) {
		const struct topo_link *k = &t->links[l];
		const struct topo_node *a = &t->nodes[k->a_node], *z = &t->nodes[k->b_node];
		if (stopped(b))
			return -2;
		if (enter(b, k->a_node) < 0)
			return -1;
		int rc = nlops_veth(b->sk[k->a_node], a->ifs[k->a_if].name, z->ifs[k->b_if].name,
				    b->fd[k->b_node]);
		if (rc < 0)
			return berr(b, "veth %s:%s - %s:%s (line %d): %s", a->name,
				    a->ifs[k->a_if].name, z->name, z->ifs[k->b_if].name, k->line,
				    nlops_strerror(rc));
	}
	return 0;
}

static int make_addrs(struct build *b)
{
	const struct topo *t = b->t;

	for (int i = 0; i < t->n_nodes; i++) {
		const struct topo_node *n = &t->nodes[i];
		if (stopped(b))
			return -2;
		if (enter(b, i) < 0)
			return -1;
		for (int f = 0; f < n->n_ifs; f++) {
			const struct topo_if *fi = &n->ifs[f];
			int rc = f ? nlops_up(b->sk[i], fi->name) : 0;
			int idx = rc < 0 ? rc : nlops_ifindex(b->sk[i], fi->name);
			if (idx < 0)
				return berr(b, "%s:%s up: %s", n->name, fi->name,
					    nlops_strerror(idx));
			if (f) {
				rc = netif_tx_csum_off(fi->name);
				if (rc < 0)
					return berr(b, "%s:%s tx checksum offload off: %s", n->name,
						    fi->name, strerror(-rc));
			}
			for (int a = 0; a < fi->n_addrs; a++) {
				rc = nlops_addr(b->sk[i], idx, &fi->addrs[a]);
				if (rc < 0) {
					char s[64];
					return berr(b, "%s:%s address %s: %s", n->name, fi->name,
						    topo_fmt_addr(&fi->addrs[a], s, sizeof(s)),
						    nlops_strerror(rc));
				}
			}
		}
	}
	return 0;
}

static int make_routes(struct build *b)
{
	const struct topo *t = b->t;
	struct nlops_nh nh[TOPO_MAX_NH];

	for (int r = 0; r < t->n_routes; r++) {
		const struct topo_route *rt = &t->routes[r];
		const struct topo_node *n = &t->nodes[rt->node];
		if (stopped(b))
			return -2;
		if (enter(b, rt->node) < 0)
			return -1;
		for (int d = 0; d < rt->n_dst; d++) {
			for (int h = 0; h < rt->n_nh; h++) {
				int ifi = 0;
				nh[h].gw = topo_nh_addr(t, rt->node, rt->nh[h].node,
							rt->dst[d].family, &ifi);
				nh[h].weight = rt->nh[h].weight;
				nh[h].ifindex = nlops_ifindex(b->sk[rt->node], n->ifs[ifi].name);
				if (!nh[h].gw || nh[h].ifindex < 0)
					return berr(b, "%s: route of line %d: no next hop", n->name,
						    rt->line);
			}
			int rc = nlops_route(b->sk[rt->node], &rt->dst[d], nh, rt->n_nh);
			if (rc < 0)
				return berr(b, "%s: route of line %d: %s", n->name, rt->line,
					    nlops_strerror(rc));
		}
	}
	return 0;
}

static int attach_l4hash(struct build *b, int ni)
{
	const struct topo_node *n = &b->t->nodes[ni];
	int idx[TOPO_MAX_IFS], k = 0;
	char msg[256];

	for (int f = 1; f < n->n_ifs; f++) {
		idx[k] = nlops_ifindex(b->sk[ni], n->ifs[f].name);
		if (idx[k] < 0)
			return berr(b, "%s:%s: %s", n->name, n->ifs[f].name,
				    nlops_strerror(idx[k]));
		k++;
	}
	if (l4hash_attach(idx, k, n->ecmp_seed, msg, sizeof(msg)) < 0)
		return berr(b, "%s: %s", n->name, msg);
	return 0;
}

static int make_rules(struct build *b)
{
	char rules[1024];

	for (int i = 0; i < b->t->n_nodes; i++) {
		if (b->t->nodes[i].l4hash && (enter(b, i) < 0 || attach_l4hash(b, i) < 0))
			return -1;
		nft_rules(&b->t->nodes[i], rules, sizeof(rules));
		if (!rules[0])
			continue;
		if (enter(b, i) < 0 || run_nft(b, b->t->nodes[i].name, rules) < 0)
			return -1;
	}
	return 0;
}

int lab_build(const struct topo *t, const char *lab, const sigset_t *stop, char *err, size_t errlen)
{
	struct build b = {.t = t, .lab = lab, .stop = stop, .err = err, .errlen = errlen};
	int rc;

	for (int i = 0; i < TOPO_MAX_NODES; i++)
		b.fd[i] = -1;
	b.root = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (b.root < 0)
		return berr(&b, "open /proc/self/ns/net: %s", strerror(errno));
	rc = make_nodes(&b);
	if (rc == 0)
		rc = make_links(&b);
	if (rc == 0)
		rc = make_addrs(&b);
	if (rc == 0)
		rc = make_routes(&b);
	if (rc == 0)
		rc = make_rules(&b);
	if (rc == 0 && stopped(&b))
		rc = -2;
	if (rc == -2)
		berr(&b, "interrupted");
	/* Whatever happened, we end in the namespace we started in. */
	if (netns_enter(b.root) < 0) {
		perror("rtr-lab: setns back to the original namespace");
		_exit(70);
	}
	for (int i = 0; i < TOPO_MAX_NODES; i++) {
		nlops_close(b.sk[i]);
		if (b.fd[i] >= 0)
			close(b.fd[i]);
	}
	close(b.root);
	return rc;
}

int lab_teardown(const char *lab)
{
	char prefix[64], names[256][NAME_MAX + 1];
	DIR *d = opendir(NETNS_DIR);
	struct dirent *e;
	int n = 0, removed = 0;

	if (!d)
		return 0;
	snprintf(prefix, sizeof(prefix), "%s%s-", LAB_NS_PREFIX, lab);
	while ((e = readdir(d)) && n < 256)
		if (!strncmp(e->d_name, prefix, strlen(prefix)))
			snprintf(names[n++], sizeof(names[0]), "%s", e->d_name);
	closedir(d);
	for (int i = 0; i < n; i++)
		netns_kill_users(names[i]);
	for (int i = 0; i < n; i++)
		if (netns_delete(names[i]) == 0)
			removed++;
	return removed;
}
