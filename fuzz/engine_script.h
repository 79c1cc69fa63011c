/* SPDX-License-Identifier: BSD-2-Clause */
/* engine_script.h: the input language of fuzz_engine: a trace configuration and scripted answers.
 */
#ifndef RTR_FUZZ_ENGINE_SCRIPT_H
#define RTR_FUZZ_ENGINE_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

/*
 * Input = header (FE_HDR_LEN bytes) + records (FE_REC_LEN bytes each; a short tail is ignored).
 *
 * Header:
 *   h[0] bit 0 IPv6, bit 1 reverse, bit 2 multipath, bits 3-4 protocol (UDP, TCP, ICMP, UDP with
 *        a flow of its own), bits 5-7 the first hop's nexthop count (multipath forward)
 *   h[1] probes per hop 1 + h % 3; first TTL 1 + (h >> 2) % 4
 *   h[2] max TTL first + h % 16; gap limit (h >> 4) % 5
 *   h[3] parallel 1 + h % 32; interval (h >> 5) * 2 ms
 *   h[4] wait (20 + h) ms
 *   h[5] multipath budget 1 + 4 min(h, 64) probes
 *   h[6] multipath time limit h * wait / 2 (0: none)
 *   h[7] random seed; the flow of protocol 3
 *
 * Record (one packet, built against a packet the engine sent, or an interrupt):
 *   x[0] arrives x * wait / 64 after the previous record's packet
 *   x[1] bits 0-2 template (FE_T_*, per direction), bit 3 unused, bit 4 xor x[6] into byte x[5],
 *        bit 5 recompute checksums after mutating, bit 6 deliver twice, bit 7 cut to x[5] bytes;
 *        low nibble 15 with x[4] == 0xFF: interrupt the trace instead
 *   x[2] which sent packet: the newest minus x % sent
 *   x[3] who answers: 0 the target (reverse: us), 1..7 routers, bit 3 a router outside the set
 *   x[4] template parameter (ICMP code, TCP flags, response state, RTT)
 *   x[5] mutation offset / cut length
 *   x[6] xor value
 *   x[7] quote length (forward errors), RTT unknown bit (responses)
 */
#define FE_HDR_LEN 8
#define FE_REC_LEN 8
#define FE_PKT_MAX 700

struct fe_cfg {
	int family;
	bool reverse, multipath;
	uint8_t proto;
	uint16_t flow;
	unsigned nexthops;
	uint8_t probes, first_ttl, max_ttl, gap_limit;
	uint16_t parallel;
	uint64_t wait_ns, interval_ns;
	uint32_t max_probes;
	uint64_t time_limit_ns;
	uint64_t seed;
};

/* Reads the header; false when the input is too short to hold one. */
bool fe_parse_cfg(struct fe_cfg *c, const uint8_t *data, size_t size);

/* The engine configuration the header describes (random source not set). */
void fe_engine_cfg(const struct fe_cfg *c, struct rtr_engine_cfg *cfg);

/* Our address and the target's (forward) or the server's (reverse). */
void fe_addrs(const struct fe_cfg *c, struct rtr_addr *src, struct rtr_addr *dst);

/* "udp", "tcp", "icmp". */
const char *fe_proto_name(const struct fe_cfg *c);

/* Delay of a record after the previous one. */
uint64_t fe_delay(const struct fe_cfg *c, const uint8_t *x);
bool fe_is_interrupt(const uint8_t *x);
bool fe_is_twice(const uint8_t *x);

/* Builds the record's packet against tx[0..ntx) (ntx >= 1) into out; returns its length. */
size_t fe_build(const struct fe_cfg *c, const uint8_t *x, const struct rtr_eng_tx *tx, unsigned ntx,
		uint8_t *out, size_t cap);

/* Upper bounds the engine must respect for this configuration. */
unsigned fe_send_bound(const struct fe_cfg *c);
unsigned fe_poll_bound(const struct fe_cfg *c, unsigned sent, unsigned fed);
uint64_t fe_time_bound(const struct fe_cfg *c);

/* LLVMFuzzerCustomMutator: record-aware mutations (insert, delete, copy, change a field). */
size_t fe_mutate(uint8_t *data, size_t size, size_t max, unsigned seed);

#endif
