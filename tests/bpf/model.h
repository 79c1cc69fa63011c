/* SPDX-License-Identifier: BSD-2-Clause */
/* model.h: what the server must do with a packet, decided with proto/ alone (differential and
 * vector tests). */
#ifndef RTR_TEST_MODEL_H
#define RTR_TEST_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpftest.h"
#include "probe.h"

enum kind { K_PASS, K_DROP, K_PROBE, K_ERR, K_OK };
extern const char *const kind_name[];

#define MODEL_MAX_SESS 4096

/* A session as the model knows it: the probe the program sent and the request's identifier. */
struct model_sess {
	struct rtr_probe sent;
	uint8_t pkt[256]; /* the probe's bytes */
	size_t len;
	uint16_t ident;
	uint64_t t_ns; /* when the probe left, on the caller's clock */
	bool live;
};

struct model {
	struct model_sess s[MODEL_MAX_SESS];
	size_t n;
	uint64_t timeout_ns;
};

/*
 * Whether the test namespace (tests/bpf/testns.sh) routes to a as unicast:
 * 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32 except our own
 * 198.51.100.1 and 2001:db8:1::1.
 */
bool model_routable(const struct rtr_addr *a, int family);

/*
 * Whether a is one of the test namespace's own unicast addresses, the only
 * destinations whose requests the server takes (SRV-11): 198.51.100.1,
 * 2001:db8:1::1, 100.64.7.1 (tests/bpf/testns.sh) and the spec vectors'
 * servers 203.0.113.20 and 2001:db8:5::20 (added while test_vectors runs).
 */
bool model_local(const struct rtr_addr *a);

/*
 * The server's decision for the IP packet pkt at time now_ns: *state for
 * K_ERR, *which the session a K_OK answer ends (the caller marks it ended);
 * an answer to an expired session ends it in the model (K_PASS).
 */
enum kind model_decide(struct model *m, const uint8_t *pkt, size_t len, uint64_t now_ns,
		       uint8_t *state, size_t *which);

/* Adds a probe the program sent for a request with identifier ident; returns its slot or -1. */
long model_add(struct model *m, const struct rtr_probe_seen *seen, const uint8_t *pkt, size_t len,
	       uint16_t ident, uint64_t t_ns);

/*
 * What the program did: K_PASS only when unchanged; -1 for anything that is
 * none of the kinds (a modified packet passed, garbage redirected).
 */
enum kind model_observed(const struct bt_result *r, const uint8_t *in, size_t len, uint8_t *state,
			 struct rtr_probe_seen *probe);

#endif
