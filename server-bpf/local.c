// SPDX-License-Identifier: BSD-2-Clause
/* local.c: keeps the program's map of this host's unicast addresses in step with the kernel. */
#include "local.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <bpf/bpf.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>

#include "diag.h"

#define KEY_LEN 16

/* The addresses the map must hold, collected from the cache. */
struct want {
	uint8_t (*k)[KEY_LEN];
	unsigned n, cap;
	unsigned skipped; /* more than cap */
};

static int key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, KEY_LEN);
}

/* An address the program should answer for: unicast, scope universe or site, usable. */
static void collect(struct nl_object *obj, void *arg)
{
	struct rtnl_addr *a = (struct rtnl_addr *)obj;
	struct want *w = arg;
	struct nl_addr *loc = rtnl_addr_get_local(a);
	int fam = rtnl_addr_get_family(a);
	uint8_t key[KEY_LEN] = {0};

	if (!loc || rtnl_addr_get_scope(a) >= RT_SCOPE_LINK)
		return;
	/* The kernel does not deliver to a tentative or duplicate address either. */
	if (rtnl_addr_get_flags(a) & (IFA_F_TENTATIVE | IFA_F_DADFAILED))
		return;
	if (fam == AF_INET && nl_addr_get_len(loc) == 4) {
		key[10] = key[11] = 0xff;
		memcpy(key + 12, nl_addr_get_binary_addr(loc), 4);
	} else if (fam == AF_INET6 && nl_addr_get_len(loc) == 16) {
		memcpy(key, nl_addr_get_binary_addr(loc), 16);
	} else {
		return;
	}
	if (w->n == w->cap) {
		w->skipped++;
		return;
	}
	memcpy(w->k[w->n++], key, KEY_LEN);
}

/* Makes the map equal to the cache: removes what went, adds what came. */
static int sync_map(struct srv_local *l, char *err, size_t errlen)
{
	struct want w = {.cap = l->max};
	uint8_t key[KEY_LEN], next[KEY_LEN], one = 1;
	uint8_t(*gone)[KEY_LEN];
	unsigned ngone = 0;
	int rc = 0;

	w.k = calloc(l->max, KEY_LEN);
	gone = calloc(l->max, KEY_LEN);
	if (!w.k || !gone) {
		free(w.k);
		free(gone);
		snprintf(err, errlen, "local addresses: out of memory");
		return -ENOMEM;
	}
	nl_cache_foreach(l->cache, collect, &w);
	qsort(w.k, w.n, KEY_LEN, key_cmp);
	/* Deleting while walking would restart the walk: collect first. */
	for (int r = bpf_map_get_next_key(l->map_fd, NULL, next); !r && ngone < l->max;
	     r = bpf_map_get_next_key(l->map_fd, key, next)) {
		memcpy(key, next, KEY_LEN);
		if (!bsearch(key, w.k, w.n, KEY_LEN, key_cmp))
			memcpy(gone[ngone++], key, KEY_LEN);
	}
	for (unsigned i = 0; i < ngone; i++)
		bpf_map_delete_elem(l->map_fd, gone[i]);
	for (unsigned i = 0; i < w.n && !rc; i++)
		if (bpf_map_update_elem(l->map_fd, w.k[i], &one, BPF_ANY))
			rc = -errno;
	if (rc)
		snprintf(err, errlen, "local addresses: map update failed: %s", strerror(-rc));
	if (w.skipped && !l->overflowed) {
		rtr_warn("this host has more than %u addresses; requests to the other %u are not "
			 "answered",
			 l->max, w.skipped);
		l->overflowed = 1;
	}
	l->n = w.n;
	l->dirty = 0;
	free(w.k);
	free(gone);
	return rc;
}

static void on_change(struct nl_cache *cache, struct nl_object *obj, int action, void *arg)
{
	(void)cache;
	(void)obj;
	(void)action;
	((struct srv_local *)arg)->dirty = 1;
}

int srv_local_open(struct srv_local *l, int map_fd, char *err, size_t errlen)
{
	struct bpf_map_info info = {0};
	__u32 ilen = sizeof(info);
	int rc;

	memset(l, 0, sizeof(*l));
	l->map_fd = map_fd;
	if (bpf_obj_get_info_by_fd(map_fd, &info, &ilen) || !info.max_entries) {
		snprintf(err, errlen, "local addresses: cannot read the map: %s", strerror(errno));
		return -EINVAL;
	}
	l->max = info.max_entries;
	l->sk = nl_socket_alloc();
	rc = l->sk ? nl_connect(l->sk, NETLINK_ROUTE) : -NLE_NOMEM;
	if (!rc)
		rc = nl_cache_mngr_alloc(NULL, NETLINK_ROUTE, 0, &l->mngr);
	if (!rc)
		rc = nl_cache_mngr_add(l->mngr, "route/addr", on_change, l, &l->cache);
	if (rc) {
		snprintf(err, errlen, "local addresses: cannot follow rtnetlink: %s",
			 nl_geterror(rc));
		srv_local_close(l);
		return -EIO;
	}
	rc = sync_map(l, err, errlen);
	if (rc)
		srv_local_close(l);
	return rc;
}

int srv_local_poll(struct srv_local *l, char *err, size_t errlen)
{
	int rc;

	if (!l->mngr)
		return 0;
	rc = nl_cache_mngr_poll(l->mngr, 0);
	if (rc < 0 && rc != -NLE_AGAIN && rc != -NLE_INTR) {
		/* Lost events (a full socket buffer): read the whole list again. */
		if (nl_cache_refill(l->sk, l->cache) < 0) {
			snprintf(err, errlen, "local addresses: rtnetlink: %s", nl_geterror(rc));
			return -EIO;
		}
		l->dirty = 1;
	}
	return l->dirty ? sync_map(l, err, errlen) : 0;
}

void srv_local_close(struct srv_local *l)
{
	if (l->mngr)
		nl_cache_mngr_free(l->mngr);
	if (l->sk)
		nl_socket_free(l->sk);
	l->mngr = NULL;
	l->cache = NULL;
	l->sk = NULL;
}
