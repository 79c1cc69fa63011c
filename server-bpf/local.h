/* SPDX-License-Identifier: BSD-2-Clause */
/* local.h: keeps the program's map of this host's unicast addresses in step with the kernel. */
#ifndef RTR_LOCAL_H
#define RTR_LOCAL_H

#include <stddef.h>

struct nl_cache_mngr;
struct nl_cache;
struct nl_sock;

/*
 * The program answers a request only when its destination is a key of the
 * map local_addrs (docs/PROTOCOL.md SRV-11). The loader fills it from the
 * kernel's address list (rtnetlink, libnl-route-3) and follows every change:
 * addresses of scope universe or site that are not tentative or failed DAD,
 * IPv4 as ::ffff:a.b.c.d. Host-scope (127.0.0.1, ::1) and link-local
 * addresses are left out.
 */
struct srv_local {
	struct nl_cache_mngr *mngr;
	struct nl_cache *cache;
	struct nl_sock *sk; /* for a full re-read after lost events */
	int map_fd;
	int dirty;	/* an address changed since the last sync */
	unsigned max;	/* the map's max_entries */
	unsigned n;	/* addresses in the map after the last sync */
	int overflowed; /* more addresses than the map holds (reported once) */
};

/* Subscribes to address changes and fills the map. 0 or -errno with one line in err. */
int srv_local_open(struct srv_local *l, int map_fd, char *err, size_t errlen);

/*
 * Reads pending address changes without blocking and updates the map.
 * Returns 0, or -errno with one line in err (the map keeps its last state).
 */
int srv_local_poll(struct srv_local *l, char *err, size_t errlen);

void srv_local_close(struct srv_local *l);

#endif
