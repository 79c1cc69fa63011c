/* SPDX-License-Identifier: BSD-2-Clause */
/* wire_names.h: the one spelling of answer kinds and response states that every tool prints. */
#ifndef RTR_WIRE_NAMES_H
#define RTR_WIRE_NAMES_H

/*
 * Name of an answer kind (enum rtr_answer_kind): "time-exceeded",
 * "destination-unreachable", "echo-reply", "tcp-rst", "tcp-syn-ack" (the
 * strings of rtr-client's JSON schema, docs/PROTOCOL.md NAME-1), or "unknown".
 */
const char *rtr_answer_kind_name(int kind);

/*
 * Name of a response state (docs/PROTOCOL.md 3.1): "success", "TTL",
 * "protocol", "flow", "extension not supported", "insufficient padding", or
 * "invalid" for a state above RTR_STATE_MAX.
 */
const char *rtr_state_name(int state);

/*
 * The same state in a sentence-ready phrase for people ("TTL is zero (server
 * present)", ...), or "unknown state". rtr-client prints it (text and JSON
 * state_words).
 */
const char *rtr_state_words(int state);

#endif
