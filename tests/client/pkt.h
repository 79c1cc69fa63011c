/* SPDX-License-Identifier: BSD-2-Clause */
/* pkt.h: builders of the packets routers, targets and servers send back, for scripted engine tests.
 */
#ifndef RTR_TEST_PKT_H
#define RTR_TEST_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "response.h"

/*
 * Every builder writes a whole IP packet into out (cap bytes) and returns its
 * length; it fails the running cmocka test on any encoding error.
 */

/* An ICMP error (Time Exceeded, Destination Unreachable) from `from` quoting quote_len bytes of
 * probe. */
size_t pkt_icmp_error(uint8_t *out, size_t cap, const struct rtr_addr *from, uint8_t type,
		      uint8_t code, const uint8_t *probe, size_t probe_len, size_t quote_len);

/* The Echo Reply the target of an ICMP Echo probe sends. */
size_t pkt_echo_reply(uint8_t *out, size_t cap, const uint8_t *probe, size_t probe_len);

/* The TCP answer (RTR_TCP_RST | RTR_TCP_ACK, or SYN | ACK) the target of a TCP SYN probe sends. */
size_t pkt_tcp_answer(uint8_t *out, size_t cap, const uint8_t *probe, size_t probe_len,
		      uint8_t flags);

/* A server's response to the request in `request` (a whole IP packet), from the request's
 * destination. */
size_t pkt_response(uint8_t *out, size_t cap, const uint8_t *request, size_t request_len,
		    const struct rtr_response *rsp);

/* What a kernel without a server does with a request: echo it back as type 0/129, code 1. */
size_t pkt_kernel_echo(uint8_t *out, size_t cap, const uint8_t *request, size_t request_len);

#endif
