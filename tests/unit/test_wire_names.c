// SPDX-License-Identifier: BSD-2-Clause
/* test_wire_names.c: the answer-kind and state names every tool prints (docs/PROTOCOL.md NAME-1).
 */
#include "unit.h"

#include "answer.h"
#include "wire_names.h"
#include "rtr_wire.h"

/* The strings of client/rtr-client.schema.json's "answer" enum, in enum rtr_answer_kind order. */
static void test_answer_kind_names(void **state)
{
	(void)state;
	assert_string_equal(rtr_answer_kind_name(RTR_ANS_TIME_EXCEEDED), "time-exceeded");
	assert_string_equal(rtr_answer_kind_name(RTR_ANS_DEST_UNREACH), "destination-unreachable");
	assert_string_equal(rtr_answer_kind_name(RTR_ANS_ECHO_REPLY), "echo-reply");
	assert_string_equal(rtr_answer_kind_name(RTR_ANS_TCP_RST), "tcp-rst");
	assert_string_equal(rtr_answer_kind_name(RTR_ANS_TCP_SYNACK), "tcp-syn-ack");
	assert_string_equal(rtr_answer_kind_name(0), "unknown");
	assert_string_equal(rtr_answer_kind_name(6), "unknown");
	assert_string_equal(rtr_answer_kind_name(-1), "unknown");
}

/* docs/PROTOCOL.md 3.1, column "name". */
static void test_state_names(void **state)
{
	(void)state;
	static const char *const want[] = {"success",
					   "TTL",
					   "protocol",
					   "flow",
					   "extension not supported",
					   "insufficient padding"};
	for (int s = 0; s <= RTR_STATE_MAX; s++)
		assert_string_equal(rtr_state_name(s), want[s]);
	assert_string_equal(rtr_state_name(RTR_STATE_MAX + 1), "invalid");
	assert_string_equal(rtr_state_name(255), "invalid");
	assert_string_equal(rtr_state_name(-1), "invalid");
}

/* The phrases rtr-client prints (text output and JSON state_words). */
static void test_state_words(void **state)
{
	(void)state;
	assert_string_equal(rtr_state_words(RTR_STATE_OK), "success");
	assert_string_equal(rtr_state_words(RTR_STATE_TTL), "TTL is zero (server present)");
	assert_string_equal(rtr_state_words(RTR_STATE_PROTOCOL),
			    "protocol not allowed for this address family");
	assert_string_equal(rtr_state_words(RTR_STATE_FLOW), "flow refused by the server");
	assert_string_equal(rtr_state_words(RTR_STATE_EXTENSION), "extension object not supported");
	assert_string_equal(rtr_state_words(RTR_STATE_PADDING), "insufficient padding");
	assert_string_equal(rtr_state_words(RTR_STATE_MAX + 1), "unknown state");
	assert_string_equal(rtr_state_words(-1), "unknown state");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_kind_names),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_state_words),
	};
	return cmocka_run_group_tests_name("wire_names", tests, NULL, NULL);
}
