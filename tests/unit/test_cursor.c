// SPDX-License-Identifier: BSD-2-Clause
/* test_cursor.c: the bounds-checked reader and writer never step outside their buffer. */
#include "unit.h"

#include "cursor.h"
#include "err.h"

static void test_reader(void **state)
{
	(void)state;
	const uint8_t b[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};
	struct rtr_rcur c;
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;
	uint8_t two[4];

	rtr_rcur_init(&c, b, sizeof(b));
	assert_int_equal(rtr_rcur_left(&c), 9);
	assert_int_equal(rtr_rcur_u8(&c, &v8), RTR_OK);
	assert_int_equal(v8, 0x01);
	assert_int_equal(rtr_rcur_u16(&c, &v16), RTR_OK);
	assert_int_equal(v16, 0x0203);
	assert_int_equal(rtr_rcur_u32(&c, &v32), RTR_OK);
	assert_int_equal(v32, 0x04050607);
	assert_int_equal(rtr_rcur_left(&c), 2);
	/* A read that does not fit fails and consumes nothing. */
	assert_int_equal(rtr_rcur_u32(&c, &v32), RTR_E_TRUNCATED);
	assert_int_equal(rtr_rcur_bytes(&c, two, 3), RTR_E_TRUNCATED);
	assert_int_equal(rtr_rcur_skip(&c, 3), RTR_E_TRUNCATED);
	assert_int_equal(rtr_rcur_need(&c, 3), RTR_E_TRUNCATED);
	assert_int_equal(rtr_rcur_need(&c, 2), RTR_OK);
	assert_int_equal(rtr_rcur_left(&c), 2);
	assert_int_equal(rtr_rcur_bytes(&c, two, 2), RTR_OK);
	assert_int_equal(two[0], 0x08);
	assert_int_equal(two[1], 0x09);
	assert_int_equal(rtr_rcur_u8(&c, &v8), RTR_E_TRUNCATED);
	assert_int_equal(rtr_rcur_u16(&c, &v16), RTR_E_TRUNCATED);
	rtr_rcur_init(&c, b, 3);
	assert_int_equal(rtr_rcur_skip(&c, 2), RTR_OK);
	assert_int_equal(rtr_rcur_u16(&c, &v16), RTR_E_TRUNCATED);
	assert_int_equal(rtr_rcur_u8(&c, &v8), RTR_OK);
	assert_int_equal(v8, 0x03);
}

static void test_writer(void **state)
{
	(void)state;
	uint8_t b[9];
	const uint8_t want[] = {0xaa, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02};
	struct rtr_wcur c;

	memset(b, 0, sizeof(b));
	rtr_wcur_init(&c, b, sizeof(b));
	assert_int_equal(rtr_wcur_u8(&c, 0xaa), RTR_OK);
	assert_int_equal(rtr_wcur_u16(&c, 0x1234), RTR_OK);
	assert_int_equal(rtr_wcur_u32(&c, 0xdeadbeef), RTR_OK);
	assert_int_equal(rtr_wcur_u32(&c, 1), RTR_E_NOSPACE);
	assert_int_equal(rtr_wcur_need(&c, 3), RTR_E_NOSPACE);
	assert_int_equal(rtr_wcur_need(&c, 2), RTR_OK);
	assert_int_equal(rtr_wcur_bytes(&c, "\x01\x02\x03", 3), RTR_E_NOSPACE);
	assert_int_equal(c.off, 7);
	assert_int_equal(rtr_wcur_bytes(&c, "\x01\x02", 2), RTR_OK);
	assert_int_equal(rtr_wcur_u8(&c, 0), RTR_E_NOSPACE);
	assert_int_equal(rtr_wcur_u16(&c, 0), RTR_E_NOSPACE);
	assert_memory_equal(b, want, sizeof(want));
}

static void test_get_put(void **state)
{
	(void)state;
	uint8_t b[4];
	rtr_put16(b, 0xbeaf);
	assert_int_equal(b[0], 0xbe);
	assert_int_equal(b[1], 0xaf);
	assert_int_equal(rtr_get16(b), 0xbeaf);
	rtr_put32(b, 0x80010203);
	assert_int_equal(b[0], 0x80);
	assert_int_equal(b[3], 0x03);
	assert_int_equal(rtr_get32(b), 0x80010203);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_get_put),
	};
	return cmocka_run_group_tests_name("cursor", tests, NULL, NULL);
}
