/* SPDX-License-Identifier: BSD-2-Clause */
/* progtest.h: what the BPF_PROG_TEST_RUN test files share: one loaded program, requests, answers.
 */
#ifndef RTR_PROGTEST_H
#define RTR_PROGTEST_H

#include <stddef.h>
#include <stdint.h>

#include "bpftest.h"
#include "request.h"

/*
 * Each test_*.c loads the program once (pt_group_setup, bt_cfg's default
 * configuration) into pt_env; tests that need another configuration load
 * their own struct bt_env. Requests take identifiers from pt_next_ident so
 * that no two of one file collide as duplicates.
 */
extern struct bt_env pt_env;
extern uint16_t pt_next_ident;

/* Fails with the label when a check helper returned one, naming the nonzero counters. */
#define OKL(label)                          \
	do {                                \
		const char *l_ = (label);   \
		if (l_) {                   \
			pt_dump_counters(); \
			fail_msg("%s", l_); \
		}                           \
	} while (0)

/* Prints every nonzero counter of pt_env (before a failure). */
void pt_dump_counters(void);

/* cmocka group set-up and tear-down: pt_env with bt_cfg's configuration. */
int pt_group_setup(void **state);
int pt_group_teardown(void **state);

/* pt_env's server, client and router address of family f (4 or 6). */
const struct rtr_addr *pt_server(int f);
const struct rtr_addr *pt_client(int f);
const struct rtr_addr *pt_router(int f);

/* The ICMP protocol number of family f. */
uint8_t pt_icmp_proto(int f);

/* Sends a valid request and checks the probe it becomes; returns the probe in *bp. */
void pt_make_probe(int f, uint8_t reqproto, uint16_t flow, uint8_t ttl, uint16_t ident,
		   struct bt_probe *bp);
/* Feeds an answer and checks the exact success response with the given hop. */
void pt_expect_response(int f, const uint8_t *ans, size_t n, uint16_t ident,
			const struct rtr_addr *hop);
/* Feeds a packet the program must pass on unchanged. */
void pt_expect_untouched(const uint8_t *pkt, size_t n);
/* Sends rq and checks the exact 12-byte error response of that state and value. */
void pt_check_state(int f, const struct rtr_request *rq, uint8_t state, uint16_t value);
/* Feeds a packet the program must drop, counting it once in counter. */
void pt_expect_drop(const uint8_t *pkt, size_t n, int counter);
/* One UDP request of client on e (TTL ttl, identifier ident); the verdict. */
unsigned pt_run_one(struct bt_env *e, const struct rtr_addr *client, uint16_t ident, uint8_t ttl);

#endif
