// SPDX-License-Identifier: BSD-2-Clause
/* test_response.c: response golden bytes, timespan layouts, decode errors and kernel echoes. */
#include "unit.h"

#include "checksum.h"
#include "cursor.h"
#include "err.h"
#include "response.h"
#include "rtr_wire.h"

static struct rtr_l3 l3_v4(void)
{
	struct rtr_l3 l3 = {.family = 4};
	l3.src = unit_addr("203.0.113.1");
	l3.dst = unit_addr("198.51.100.1");
	return l3;
}

static struct rtr_l3 l3_v6(void)
{
	struct rtr_l3 l3 = {.family = 6};
	l3.src = unit_addr("2001:db8::2");
	l3.dst = unit_addr("2001:db8::1");
	return l3;
}

static const char *golden_ok =
	"00 01 4f be 12 34 00 00 00 00 00 00 00000000000000000000 ffff cb007101 "
	"00 bc 61 4e 00 00 00 00";

static void test_golden_errors(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v4();
	const char *hex[] = {"00 01 ec ca 12 34 00 00 01 00 00 00",
			     "00 01 eb ca 12 34 00 00 02 00 00 00"};
	for (int i = 0; i < 2; i++) {
		struct rtr_response rsp = {.ident = 0x1234, .state = (uint8_t)(i + 1)};
		uint8_t want[12], out[64];
		unit_hex(want, 12, hex[i]);
		assert_int_equal(rtr_response_encode(out, sizeof(out), &l3, &rsp), 12);
		assert_memory_equal(out, want, 12);
		struct rtr_response back;
		memset(&back, 0x55, sizeof(back));
		assert_int_equal(rtr_response_decode(&back, &l3, want, 12), 12);
		assert_int_equal(back.ident, 0x1234);
		assert_int_equal(back.seq, 0);
		assert_int_equal(back.state, i + 1);
		assert_int_equal(back.errlen, 0);
		assert_int_equal(back.value, 0);
		assert_false(back.rtt_unknown);
		assert_int_equal(back.rtt_ns, 0);
		assert_false(rtr_response_is_kernel_echo(&back, 12, 0x4242));
	}
}

static void test_golden_success(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v4();
	struct rtr_response rsp = {.ident = 0x1234, .state = 0, .rtt_ns = 12345678};
	rsp.hop = unit_addr("203.0.113.1");
	uint8_t want[36], out[64];

	assert_int_equal(unit_hex(want, sizeof(want), golden_ok), 36);
	assert_int_equal(rtr_response_encode(out, sizeof(out), &l3, &rsp), 36);
	assert_memory_equal(out, want, 36);

	struct rtr_response back;
	assert_int_equal(rtr_response_decode(&back, &l3, want, 36), 36);
	assert_int_equal(back.state, 0);
	assert_true(rtr_addr_eq(&back.hop, &rsp.hop));
	assert_int_equal(back.rtt_ns, 12345678);
	assert_false(back.rtt_unknown);
	assert_int_equal(back.rtt_layout, RTR_RTT_32);
	assert_false(rtr_response_is_kernel_echo(&back, 36, 0x4242));
	/* Trailing bytes are allowed and the length returned is the whole message. */
	uint8_t longer[40];
	memcpy(longer, want, 36);
	memset(longer + 36, 0, 4);
	assert_int_equal(rtr_response_decode(&back, &l3, longer, 40), 40);
}

static void test_v6_success(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v6();
	struct rtr_response rsp = {.ident = 0x1234, .state = 0, .rtt_ns = 42};
	rsp.hop = unit_addr("2001:db8::9");
	uint8_t want[36], out[36];

	unit_hex(want, sizeof(want),
		 "8101e30a 12340000 00000000 20010db8000000000000000000000009 0000002a 00000000");
	assert_int_equal(rtr_response_encode(out, sizeof(out), &l3, &rsp), 36);
	assert_memory_equal(out, want, 36);
	struct rtr_response back;
	assert_int_equal(rtr_response_decode(&back, &l3, out, 36), 36);
	assert_true(rtr_addr_eq(&back.hop, &rsp.hop));
	assert_int_equal(back.rtt_ns, 42);
	struct rtr_l3 v4 = l3_v4();
	assert_int_equal(rtr_response_decode(&back, &v4, out, 36), RTR_E_TYPE);
	struct rtr_l3 other = l3;
	other.dst = unit_addr("2001:db8::3");
	assert_int_equal(rtr_response_decode(&back, &other, out, 36), RTR_E_CHECKSUM);
}

static void test_encode_fields_as_given(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v4();
	struct rtr_response rsp = {.ident = 0xffff, .seq = 0x7777, .errlen = 9};
	uint8_t out[36];

	for (uint8_t st = 1; st <= 5; st++) {
		rsp.state = st;
		rsp.value = (uint16_t)(0x0500 + st);
		assert_int_equal(rtr_response_encode(out, sizeof(out), &l3, &rsp), 12);
		assert_int_equal(rtr_get16(out + 4), 0xffff);
		assert_int_equal(rtr_get16(out + 6), 0x7777);
		assert_int_equal(out[8], st);
		assert_int_equal(out[9], 9);
		assert_int_equal(rtr_get16(out + 10), 0x0500 + st);
		assert_true(rtr_csum_ok(0, out, 12));
		assert_int_equal(rtr_response_encode(out, 11, &l3, &rsp), RTR_E_NOSPACE);
		struct rtr_response back;
		assert_int_equal(rtr_response_decode(&back, &l3, out, 12), 12);
		assert_int_equal(back.value, 0x0500 + st);
		assert_int_equal(back.errlen, 9);
		assert_int_equal(back.seq, 0x7777);
	}
	rsp.state = 6;
	assert_int_equal(rtr_response_encode(out, sizeof(out), &l3, &rsp), RTR_E_STATE);
	rsp.state = 0;
	assert_int_equal(rtr_response_encode(out, 35, &l3, &rsp), RTR_E_NOSPACE);
	l3.family = 0;
	assert_int_equal(rtr_response_encode(out, 36, &l3, &rsp), RTR_E_INVAL);
	assert_int_equal(rtr_response_decode(&rsp, &l3, out, 36), RTR_E_INVAL);
}

static void test_rtt_32bit_limits(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v4();
	struct rtr_response rsp = {.state = 0};
	uint8_t out[36];
	const uint64_t in[] = {0, 1, 0xfffffffeull, 0xffffffffull, 0x100000000ull, UINT64_MAX};
	const uint32_t want[] = {0, 1, 0xfffffffe, 0xffffffff, 0xffffffff, 0xffffffff};

	for (int i = 0; i < 6; i++) {
		rsp.rtt_ns = in[i];
		assert_int_equal(rtr_response_encode(out, sizeof(out), &l3, &rsp), 36);
		assert_int_equal(rtr_get32(out + 28), want[i]);
		assert_int_equal(rtr_get32(out + 32), 0);
	}
	rsp.rtt_ns = 5;
	rsp.rtt_unknown = true;
	assert_int_equal(rtr_response_encode(out, sizeof(out), &l3, &rsp), 36);
	assert_int_equal(rtr_get32(out + 28), 0xffffffff);
	struct rtr_response back;
	assert_int_equal(rtr_response_decode(&back, &l3, out, 36), 36);
	assert_true(back.rtt_unknown);
	assert_int_equal(back.rtt_layout, RTR_RTT_32);
}

/* Writes a timespan into a success response and fixes its checksum. */
static void set_timespan(uint8_t *b, uint32_t hi, uint32_t lo)
{
	rtr_put32(b + 28, hi);
	rtr_put32(b + 32, lo);
	rtr_put16(b + 2, 0);
	rtr_put16(b + 2, rtr_csum(b, 36));
}

static void test_rtt_tolerant_parse(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v4();
	struct rtr_response back;
	uint8_t b[36];
	unit_hex(b, sizeof(b), golden_ok);

	/* 64-bit big-endian over 28-35 (high word zero). */
	set_timespan(b, 0, 0x00bc614e);
	assert_int_equal(rtr_response_decode(&back, &l3, b, 36), 36);
	assert_int_equal(back.rtt_layout, RTR_RTT_64);
	assert_int_equal(back.rtt_ns, 12345678);
	assert_false(back.rtt_unknown);
	/* Both words zero: a 0 ns RTT in the interop layout. */
	set_timespan(b, 0, 0);
	assert_int_equal(rtr_response_decode(&back, &l3, b, 36), 36);
	assert_int_equal(back.rtt_layout, RTR_RTT_32);
	assert_int_equal(back.rtt_ns, 0);
	/* Non-zero high word: interop, bytes 32-35 ignored as reference clients do. */
	set_timespan(b, 7, 9);
	assert_int_equal(rtr_response_decode(&back, &l3, b, 36), 36);
	assert_int_equal(back.rtt_layout, RTR_RTT_32);
	assert_int_equal(back.rtt_ns, 7);
	/* 0xFFFFFFFF: unknown, whatever follows. */
	set_timespan(b, 0xffffffff, 3);
	assert_int_equal(rtr_response_decode(&back, &l3, b, 36), 36);
	assert_true(back.rtt_unknown);
	assert_int_equal(back.rtt_ns, 0);
	assert_int_equal(back.rtt_layout, RTR_RTT_32);
}

static void test_decode_errors(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v4();
	struct rtr_response back;
	uint8_t b[36];
	unit_hex(b, sizeof(b), golden_ok);

	for (size_t len = 0; len < 36; len++) {
		/* Every cut of a success response fails its checksum or its length. */
		uint8_t *p = unit_dup(b, len);
		int r = rtr_response_decode(&back, &l3, p, len);
		if (len >= 12) {
			rtr_put16(p + 2, 0);
			rtr_put16(p + 2, rtr_csum(p, len));
		}
		assert_true(r == RTR_E_TRUNCATED || r == RTR_E_CHECKSUM);
		assert_int_equal(rtr_response_decode(&back, &l3, p, len), RTR_E_TRUNCATED);
		free(p);
	}
	uint8_t e[12];
	unit_hex(e, 12, "00 01 ec ca 12 34 00 00 01 00 00 00");
	for (size_t len = 0; len < 12; len++) {
		uint8_t *p = unit_dup(e, len);
		assert_int_equal(rtr_response_decode(&back, &l3, p, len), RTR_E_TRUNCATED);
		free(p);
	}
	/* Order: type, code, checksum, state. */
	e[0] = 8;
	e[1] = 0;
	assert_int_equal(rtr_response_decode(&back, &l3, e, 12), RTR_E_TYPE);
	e[0] = 0;
	assert_int_equal(rtr_response_decode(&back, &l3, e, 12), RTR_E_CODE);
	e[1] = 1;
	e[8] = 6;
	assert_int_equal(rtr_response_decode(&back, &l3, e, 12), RTR_E_CHECKSUM);
	for (int st = 6; st < 256; st++) {
		e[8] = (uint8_t)st;
		rtr_put16(e + 2, 0);
		rtr_put16(e + 2, rtr_csum(e, 12));
		assert_int_equal(rtr_response_decode(&back, &l3, e, 12), RTR_E_STATE);
	}
	for (int st = 1; st <= 5; st++) {
		e[8] = (uint8_t)st;
		rtr_put16(e + 2, 0);
		rtr_put16(e + 2, rtr_csum(e, 12));
		assert_int_equal(rtr_response_decode(&back, &l3, e, 12), 12);
		assert_int_equal(back.state, st);
	}
}

static void test_kernel_echo(void **state)
{
	(void)state;
	struct rtr_l3 l3 = l3_v4();
	struct rtr_response back;
	uint8_t b[12];

	/* The kernel echoes a TTL-0 request with sequence 0x4242: 12 bytes, state byte 0. */
	unit_hex(b, 12, "00 01 00 00 12 34 42 42 00 00 00 00");
	rtr_put16(b + 2, rtr_csum(b, 12));
	assert_int_equal(rtr_response_decode(&back, &l3, b, 12), RTR_E_TRUNCATED);
	/* The header is still filled in, so the echo is recognisable. */
	assert_int_equal(back.ident, 0x1234);
	assert_int_equal(back.seq, 0x4242);
	assert_int_equal(back.state, 0);
	assert_true(rtr_response_is_kernel_echo(&back, 12, 0x4242));
	/* Even without knowing the sequence, a 12-byte state 0 is not a real success. */
	assert_true(rtr_response_is_kernel_echo(&back, 12, 0));
	/* The echo of a TTL-3 request: state byte 3 and our sequence. */
	b[8] = 3;
	rtr_put16(b + 2, 0);
	rtr_put16(b + 2, rtr_csum(b, 12));
	assert_int_equal(rtr_response_decode(&back, &l3, b, 12), 12);
	assert_true(rtr_response_is_kernel_echo(&back, 12, 0x4242));
	assert_false(rtr_response_is_kernel_echo(&back, 12, 0x4243));
	/* A sequence of 0 sent can never identify an echo (servers answer with 0). */
	back.seq = 0;
	assert_false(rtr_response_is_kernel_echo(&back, 12, 0));
	/* Shorter than a header: nothing was decoded, so it is no echo either. */
	memset(&back, 0x55, sizeof(back));
	assert_int_equal(rtr_response_decode(&back, &l3, b, 11), RTR_E_TRUNCATED);
	assert_int_equal(back.state, 0);
	assert_int_equal(back.seq, 0);
	assert_false(rtr_response_is_kernel_echo(&back, 11, 0x4242));
	assert_false(rtr_response_is_kernel_echo(&back, 11, 0));
	/* A real success response of 36 bytes with sequence 0 is a server's. */
	uint8_t ok[36];
	unit_hex(ok, 36, golden_ok);
	assert_int_equal(rtr_response_decode(&back, &l3, ok, 36), 36);
	assert_false(rtr_response_is_kernel_echo(&back, 36, 0x4242));
	assert_false(rtr_response_is_kernel_echo(&back, 36, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_errors),
		cmocka_unit_test(test_golden_success),
		cmocka_unit_test(test_v6_success),
		cmocka_unit_test(test_encode_fields_as_given),
		cmocka_unit_test(test_rtt_32bit_limits),
		cmocka_unit_test(test_rtt_tolerant_parse),
		cmocka_unit_test(test_decode_errors),
		cmocka_unit_test(test_kernel_echo),
	};
	return cmocka_run_group_tests_name("response", tests, NULL, NULL);
}
