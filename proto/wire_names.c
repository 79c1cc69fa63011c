// SPDX-License-Identifier: BSD-2-Clause
/* wire_names.c: the tables behind rtr_answer_kind_name, rtr_state_name and rtr_state_words. */
#include "wire_names.h"

#include "answer.h"
#include "rtr_wire.h"

const char *rtr_answer_kind_name(int kind)
{
	/*
	 * Indexed by enum rtr_answer_kind; the JSON schema publishes these strings. Arrays of
	 * characters, not pointers, keep the table read-only without relocations (proto/ has no
	 * writable data, and a pointer table lands in .data.rel.ro).
	 */
	static const char names[][24] = {
		[RTR_ANS_TIME_EXCEEDED] = "time-exceeded",
		[RTR_ANS_DEST_UNREACH] = "destination-unreachable",
		[RTR_ANS_ECHO_REPLY] = "echo-reply",
		[RTR_ANS_TCP_RST] = "tcp-rst",
		[RTR_ANS_TCP_SYNACK] = "tcp-syn-ack",
	};
	if (kind < RTR_ANS_TIME_EXCEEDED || kind > RTR_ANS_TCP_SYNACK)
		return "unknown";
	return names[kind];
}

/* One row per state: its name in docs/PROTOCOL.md 3.1, and the phrase rtr-client prints. */
static const struct {
	char name[24];
	char words[48];
} states[RTR_STATE_MAX + 1] = {
	[RTR_STATE_OK] = {"success", "success"},
	[RTR_STATE_TTL] = {"TTL", "TTL is zero (server present)"},
	[RTR_STATE_PROTOCOL] = {"protocol", "protocol not allowed for this address family"},
	[RTR_STATE_FLOW] = {"flow", "flow refused by the server"},
	[RTR_STATE_EXTENSION] = {"extension not supported", "extension object not supported"},
	[RTR_STATE_PADDING] = {"insufficient padding", "insufficient padding"},
};

const char *rtr_state_name(int state)
{
	return state >= 0 && state <= RTR_STATE_MAX ? states[state].name : "invalid";
}

const char *rtr_state_words(int state)
{
	return state >= 0 && state <= RTR_STATE_MAX ? states[state].words : "unknown state";
}
